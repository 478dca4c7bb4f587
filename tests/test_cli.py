"""Tests for kg.cli through click's CliRunner: extract and build, their outputs, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg import export
from kg.cli import cli
from kg.models import ENTITY_TYPES

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"

# A flattened task table (one cell per line) under a page header block rendered as a pipe row.
TABLE_TXT = """\
西湖区2024年城市建设重点任务分解表
索引号: | 11330106002482215X/2024-00001 | 发布机构: | 西湖区住建局 |
成文日期: | 2024-03-01 |
序号
目标任务
牵头单位
配合单位
1
推进文三路综合整治工程
区住建局
区交通运输局、各街道
2
完成老旧小区改造20个
区住建局
区财政局
"""

PAGE_HTML = """\
<html><head><meta charset="utf-8"><title>任务分解</title></head><body>
<nav>首页 | 政务公开</nav>
<h1>西湖区2024年民生实事任务分解</h1>
<table>
<tr><th>序号</th><th>目标任务</th><th>牵头单位</th><th>配合单位</th></tr>
<tr><td>1</td><td>新建保障性租赁住房1000套</td><td>区住建局</td><td>区发改局、区财政局</td></tr>
<tr><td>2</td><td>推进之江路改造提升</td><td>区交通运输局</td><td>转塘街道</td></tr>
</table>
</body></html>
"""

GBK_TXT = """\
西湖区2024年工作任务
序号
目标任务
牵头单位
配合单位
1
推进天目山路提升改造
区住建局
区城管局
"""

# Traditional script with the pinyin glosses some sites insert; Big5-HKSCS is the Big5 variant
# that can encode the tone-marked letters.
BIG5_TXT = """\
西湖區(qū)2024年工作任務
序號
目標任務
牽頭單位
配合單位
1
推進城(chéng)中村改造
區(qū)住建局
各街道
"""

#: The keys of ../shared/gold/SCHEMA.md; the output may add others.
GOLD_KEYS = {"doc", "publisher", "date", "index_no", "jurisdiction", "assignments", "entities"}

HEADER_NONE = {"publisher": None, "date": None, "index_no": None}

EXPECTED: dict[str, dict] = {
    "table": {
        "doc": "table.txt",
        "publisher": "西湖区住建局",
        "date": "2024-03-01",
        "index_no": "11330106002482215X/2024-00001",
        "assignments": [
            {"task": "推进文三路综合整治工程", "lead": ["区住建局"], "support": ["区交通运输局", "各街道"]},
            {"task": "完成老旧小区改造20个", "lead": ["区住建局"], "support": ["区财政局"]},
        ],
    },
    "page": {
        "doc": "page.html",
        **HEADER_NONE,
        "assignments": [
            {"task": "新建保障性租赁住房1000套", "lead": ["区住建局"], "support": ["区发改局", "区财政局"]},
            {"task": "推进之江路改造提升", "lead": ["区交通运输局"], "support": ["转塘街道"]},
        ],
    },
    "gbk": {
        "doc": "gbk.txt",
        **HEADER_NONE,
        "assignments": [{"task": "推进天目山路提升改造", "lead": ["区住建局"], "support": ["区城管局"]}],
    },
    "big5": {
        "doc": "big5.txt",
        **HEADER_NONE,
        "assignments": [{"task": "推进城中村改造", "lead": ["区住建局"], "support": ["各街道"]}],
    },
}


def make_corpus(root: Path) -> Path:
    """The four hand-made documents, one per input variant."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "table.txt").write_text(TABLE_TXT, encoding="utf-8")
    (root / "page.html").write_text(PAGE_HTML, encoding="utf-8")
    (root / "gbk.txt").write_bytes(GBK_TXT.encode("gbk"))
    (root / "big5.txt").write_bytes(BIG5_TXT.encode("big5hkscs"))
    return root


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def gold_view(record: dict) -> dict:
    """The gold-format header and assignments of a record (extra keys dropped)."""
    view = {key: record[key] for key in ("doc", "publisher", "date", "index_no")}
    view["assignments"] = [{k: a[k] for k in ("task", "lead", "support")} for a in record["assignments"]]
    return view


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def all_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, hidden ones included, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- extract: success


def test_extract_writes_one_gold_format_file_per_document(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    result = run("extract", corpus, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"4 of 4 documents extracted to {tmp_path / 'out'}\n"
    assert sorted(all_files(tmp_path / "out")) == ["big5.json", "gbk.json", "page.json", "table.json"]
    for stem, expected in EXPECTED.items():
        record = load(tmp_path / "out" / f"{stem}.json")
        assert GOLD_KEYS <= set(record)
        assert gold_view(record) == expected
        entities = [(e["text"], e["type"]) for e in record["entities"]]
        assert all(type_ in ENTITY_TYPES for _, type_ in entities)
        assert ("区住建局", "Agency") in entities


def test_extract_removes_glosses_and_converts_traditional_script(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    assert run("extract", corpus / "big5.txt", "--out", tmp_path / "out").exit_code == 0
    record = load(tmp_path / "out" / "big5.json")
    assert record["title"] == "西湖区2024年工作任务"
    assert record["assignments"][0]["quote"] == "推进城中村改造 | 区住建局 | 各街道"


def test_extract_output_is_sorted_indented_utf8_json(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    run("extract", corpus / "gbk.txt", "--out", tmp_path / "out")
    data = (tmp_path / "out" / "gbk.json").read_bytes()
    record = json.loads(data.decode("utf-8"))
    assert data == (json.dumps(record, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    assert "天目山路".encode() in data


def test_extract_is_byte_identical_across_runs(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    run("extract", corpus, "--out", tmp_path / "one")
    first = all_files(tmp_path / "one")
    run("extract", corpus, "--out", tmp_path / "one")
    run("extract", *sorted(corpus.iterdir(), reverse=True), "--out", tmp_path / "two")
    assert len(first) == 4
    assert all_files(tmp_path / "one") == first
    assert all_files(tmp_path / "two") == first


def test_extract_jsonl_prints_one_line_per_document_in_sorted_order(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    result = run("extract", corpus, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "4 of 4 documents extracted\n"
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["doc"] for r in records] == ["big5.txt", "gbk.txt", "page.html", "table.txt"]
    # the same records as the json files
    run("extract", corpus, "--out", tmp_path / "out")
    assert records == [load(tmp_path / "out" / f"{Path(r['doc']).stem}.json") for r in records]
    assert all(
        line == json.dumps(r, sort_keys=True, ensure_ascii=False)
        for line, r in zip(lines, records, strict=True)
    )


def test_extract_jsonl_with_out_warns_that_out_is_ignored(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    result = run("extract", corpus / "gbk.txt", "--format", "jsonl", "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert (
        result.stderr.splitlines()[0]
        == "Warning: --out is ignored with --format jsonl (the lines go to stdout)"
    )
    assert len(result.stdout.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_python_dash_m_kg_runs_the_same_command(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "empty.txt").write_bytes(b"")
    args = ["extract", str(corpus / "empty.txt"), str(corpus / "gbk.txt"), "--format", "jsonl"]
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    proc = subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, cwd=tmp_path, env=env, check=False
    )
    assert proc.returncode == 0
    # UTF-8 on stdout even where the terminal's encoding is not
    assert gold_view(json.loads(proc.stdout.decode("utf-8"))) == EXPECTED["gbk"]
    assert b"Traceback" not in proc.stderr
    assert (
        proc.stderr.decode("ascii")
        .splitlines()[0]
        .startswith(f"Error: {corpus / 'empty.txt'}: file is empty")
    )


# --------------------------------------------------------------------------- extract: bad input


def _unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``path`` unreadable; chmod alone does not stop root, so reading it is refused too."""
    path.write_text(TABLE_TXT, encoding="utf-8")
    path.chmod(0)
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)


BAD_INPUTS = {
    "empty.txt": (lambda p: p.write_bytes(b""), "file is empty (0 bytes)"),
    "blank.txt": (lambda p: p.write_text(" \n\u3000\n", encoding="utf-8"), "file holds only whitespace"),
    "binary.txt": (
        lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20),
        "looks like a binary file",
    ),
    "garbled.txt": (
        lambda p: p.write_bytes(b"\x80\xff\xfe\x81abc" * 10),
        "cannot decode the bytes as UTF-8, GB18030/GBK or Big5",
    ),
    "report.docx": (lambda p: p.write_bytes(b"PK\x03\x04"), "damaged .docx file (the zip archive"),
    "missing.txt": (lambda p: None, "no such file"),
    "locked.txt": (None, "permission denied"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_one_line_on_stderr_and_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    make, reason = BAD_INPUTS[name]
    bad = tmp_path / name
    if make is None:
        _unreadable(bad, monkeypatch)
    else:
        make(bad)
    result = run("extract", bad, corpus / "gbk.txt", "--out", tmp_path / "out")
    assert result.exit_code == 0
    error, summary = result.stderr.splitlines()
    assert error.startswith(f"Error: {bad}: {reason}")
    assert summary == f"1 of 2 documents extracted to {tmp_path / 'out'}"
    assert gold_view(load(tmp_path / "out" / "gbk.json")) == EXPECTED["gbk"]
    assert sorted(all_files(tmp_path / "out")) == ["gbk.json"]


def test_no_document_extracted_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run(
        "extract", tmp_path / "empty.txt", tmp_path / "old.doc", tmp_path / "gone.html", "--format", "jsonl"
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines[:3]] == [
        str(tmp_path / n) for n in ("empty.txt", "gone.html", "old.doc")
    ]
    assert lines[3:] == ["0 of 3 documents extracted"]
    assert "Traceback" not in result.stderr


def test_folder_without_documents_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes.png").write_bytes(b"\x89PNG\r\n")  # folder searches skip files of other types
    result = run("extract", tmp_path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no documents (.txt, .html, .htm, .docx, .xlsx, .pdf) found in {tmp_path}; check the paths\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract"], "Missing argument 'PATHS...'."),
        (["extract", "x.txt"], "--out DIR is required with --format json (or use --format jsonl)"),
        (
            ["extract", "x.txt", "--format", "xml"],
            "Invalid value for '--format': 'xml' is not one of 'json', 'jsonl'.",
        ),
        (["extract", "x.txt", "--out"], "Option '--out' requires an argument."),
        (["extract", "x.txt", "--lang", "zh"], "No such option '--lang'."),
        (["build", "--depth", "2"], "No such option '--depth'."),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"
    assert result.stdout == ""


def test_out_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (tmp_path / "out").write_text("", encoding="utf-8")
    result = run("extract", corpus, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_failed_write_keeps_the_previous_file_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    assert run("extract", corpus, "--out", out).exit_code == 0
    before = all_files(out)
    (corpus / "big5.txt").write_text(TABLE_TXT, encoding="utf-8")  # would change big5.json

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", fail)
    result = run("extract", corpus, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out / 'big5.json'}: cannot write the file (No space left on device); "
        "check that the output folder is a writable folder with free space\n"
    )
    assert all_files(out) == before  # no .big5.json.*.tmp left either


# --------------------------------------------------------------------------- build


def test_build_writes_extractions_and_report(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "empty.txt").write_bytes(b"")
    result = run("build", corpus, "--out", tmp_path / "out")
    assert result.exit_code == 0
    error, summary = result.stderr.splitlines()
    assert error.startswith(f"Error: {corpus / 'empty.txt'}: file is empty")
    assert summary.startswith("4 of 5 documents, 6 assignments, ")
    files = sorted(f for f in all_files(tmp_path / "out") if not f.startswith(("store/", "cache/")))
    assert files == [
        "build_report.json",
        "centrality.csv",
        *(f"extractions/{s}.json" for s in ("big5", "gbk", "page", "table")),
        "graph.html",
        "graph.jsonld",
        "graph.nq",
        "graph.trig",
        "graph.ttl",
    ]
    assert (tmp_path / "out" / "store").is_dir()
    report = load(tmp_path / "out" / "build_report.json")
    assert (report["documents"], report["extracted"], report["failed"], report["assignments"]) == (5, 4, 1, 6)
    assert [p["doc"] for p in report["problems"]] == ["empty.txt"]
    assert gold_view(load(tmp_path / "out" / "extractions" / "table.json")) == EXPECTED["table"]


def test_build_with_nothing_extracted_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("build", tmp_path / "empty.txt", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("0 of 1 documents")
    assert load(tmp_path / "out" / "build_report.json")["failed"] == 1


def test_build_missing_corpus_file_reports_the_path(tmp_path: Path) -> None:
    result = run("build", tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Error: {tmp_path / 'nope.txt'}: no such file; check the path"


def test_build_missing_corpus_folder_reports_no_such_file(tmp_path: Path) -> None:
    result = run("build", tmp_path / "nope", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"Error: {tmp_path / 'nope'}: no such file; check the path"


# --------------------------------------------------------------------------- the bundled samples


def test_extract_the_sample_corpus(tmp_path: Path) -> None:
    result = run("extract", SAMPLES, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"5 of 5 documents extracted to {tmp_path / 'out'}\n"
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(p.stem + ".json" for p in SAMPLES.glob("*.txt"))
    assert len(names) == 5
    record = load(tmp_path / "out" / "003_b31d4c8d9ca6cfbf.json")
    assert record["doc"] == "003_b31d4c8d9ca6cfbf.txt"
    assert len(record["assignments"]) == 65


def test_version_and_help() -> None:
    from kg import __version__

    assert run("--version").stdout == f"kg, version {__version__}\n"
    result = run("extract", "-h")
    assert result.exit_code == 0
    assert "--format [json|jsonl]" in result.stdout
