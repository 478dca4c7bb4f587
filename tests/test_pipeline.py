"""Tests for kg.pipeline: per-document results, problems that do not stop a run, build outputs."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

from kg import export
from kg.export import OutputError
from kg.models import Problem
from kg.pipeline import ExtractResult, build, extract_path, extract_paths, iter_extractions

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"

# A pipe table as HTML pages give it, one row per line.
PIPE_TABLE = """\
西湖区2024年民生实事任务
| 序号 | 目标任务 | 牵头单位 | 配合单位 |
| 1 | 新建保障性租赁住房1000套 | 区住建局 | 区发改局、区财政局 |
| 2 | 推进之江路改造提升 | 区交通运输局 | 转塘街道 |
"""
ROWS = [
    ("新建保障性租赁住房1000套", ["区住建局"], ["区发改局", "区财政局"]),
    ("推进之江路改造提升", ["区交通运输局"], ["转塘街道"]),
]


def rows(record: dict) -> list[tuple[str, list[str], list[str]]]:
    return [(a["task"], a["lead"], a["support"]) for a in record["assignments"]]


def make_corpus(root: Path) -> Path:
    """Two good documents (one in a sub-folder), an empty one, and an image a folder search skips."""
    (root / "sub").mkdir(parents=True)
    (root / "b.txt").write_text(PIPE_TABLE, encoding="utf-8")
    (root / "sub" / "a.txt").write_bytes(PIPE_TABLE.encode("gbk"))
    (root / "c.txt").write_bytes(b"")
    (root / "d.png").write_bytes(b"\x89PNG\r\n")
    return root


def test_extract_path_returns_the_extraction_and_the_document(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text(PIPE_TABLE, encoding="utf-8")
    result = extract_path(path)
    assert result.problem is None and result.output is None
    assert result.document is not None and result.document.encoding == "utf-8"
    assert result.extraction is not None
    assert [(a.task, list(a.lead), list(a.support)) for a in result.extraction.assignments] == ROWS


def test_extract_path_turns_an_input_error_into_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_bytes(b"")
    expected = Problem("c.txt", str(path), "file is empty (0 bytes); check the download or remove the file")
    assert extract_path(path) == ExtractResult(path, None, None, expected)


def test_iter_extractions_searches_folders_in_sorted_order(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus")
    results = list(iter_extractions([root]))
    assert [r.path.relative_to(root).as_posix() for r in results] == ["b.txt", "c.txt", "sub/a.txt"]
    assert [r.problem is None for r in results] == [True, False, True]


def test_extract_paths_without_out_dir_writes_nothing(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus")
    seen: list[str] = []
    report = extract_paths([root], on_result=lambda r: seen.append(r.path.name))
    assert seen == ["b.txt", "c.txt", "a.txt"]
    assert (report.documents, report.failed, report.assignments, report.written) == (3, 1, 4, ())
    assert [p.doc for p in report.problems] == ["c.txt"]
    assert sorted(p.name for p in tmp_path.rglob("*.json")) == []


def test_extract_paths_writes_one_file_per_extracted_document(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    results: list[ExtractResult] = []
    report = extract_paths([root], out, on_result=results.append)
    assert report.written == (out / "b.json", out / "a.json")
    assert [r.output for r in results] == [out / "b.json", None, out / "a.json"]
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    for name in ("a", "b"):
        record = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert record["doc"] == f"{name}.txt"
        assert rows(record) == ROWS


def test_documents_with_the_same_stem_do_not_overwrite_each_other(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "a.txt").write_text(PIPE_TABLE, encoding="utf-8")
    (tmp_path / "y" / "a.txt").write_text("另一份文件\n", encoding="utf-8")
    out = tmp_path / "out"
    report = extract_paths([tmp_path / "x", tmp_path / "y"], out)
    assert (report.documents, report.failed, report.written) == (2, 1, (out / "a.json",))
    (problem,) = report.problems
    assert problem.where == str(tmp_path / "y" / "a.txt")
    assert problem.message == f"output a.json is already written for {tmp_path / 'x' / 'a.txt'}; " \
        "rename one of the two files"  # fmt: skip
    assert rows(json.loads((out / "a.json").read_text(encoding="utf-8"))) == ROWS


def test_extract_paths_stops_with_an_output_error(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus")
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot create the folder"):
        extract_paths([root], tmp_path / "file" / "out")


def test_build_writes_extractions_and_a_report(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    report = build([root], out)
    assert (report.documents, report.failed) == (3, 1)
    assert sorted(p.name for p in (out / "extractions").iterdir()) == ["a.json", "b.json"]
    summary = json.loads((out / "build_report.json").read_text(encoding="utf-8"))
    assert summary == {
        "documents": 3,
        "extracted": 2,
        "failed": 1,
        "assignments": 4,
        "entities": report.entities,
        "problems": [
            {
                "doc": "c.txt",
                "where": str(root / "c.txt"),
                "message": "file is empty (0 bytes); check the download or remove the file",
            }
        ],
        "triples": report.triples,
        "graphs": 2,
        "written": [
            "centrality.csv", "extractions/a.json", "extractions/b.json",
            "graph.html", "graph.jsonld", "graph.nq", "graph.trig", "graph.ttl",
        ],  # fmt: skip
    }
    assert report.entities > 0
    assert report.triples > 0


def test_build_is_byte_identical_across_runs(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "corpus")
    def files() -> dict[Path, bytes]:
        # the Oxigraph store is a database, not a file format: the files it is loaded from compare;
        # cache/ holds the build's own entries (see tests/test_cache.py)
        out = tmp_path / "out"
        return {
            p.relative_to(out): p.read_bytes()
            for p in out.rglob("*")
            if p.is_file() and not {"store", "cache"} & set(p.relative_to(out).parts)
        }

    build([root], tmp_path / "out")
    first = files()
    build([root], tmp_path / "out")
    second = files()
    assert sorted(map(str, first)) == [
        "build_report.json", "centrality.csv", "extractions/a.json", "extractions/b.json",
        "graph.html", "graph.jsonld", "graph.nq", "graph.trig", "graph.ttl",
    ]  # fmt: skip
    assert second == first


def test_build_keeps_the_old_report_when_a_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    build([root], out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # b.txt changed: its extraction is the first file the next build writes
    (root / "b.txt").write_text(PIPE_TABLE.replace("1000套", "2000套"), encoding="utf-8")

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", fail)
    # b.txt sorts first: the run stops at its file, before the report
    with pytest.raises(OutputError, match=r"b\.json: cannot write the file \(No space left on device\)"):
        build([root], out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_build_keeps_the_old_graph_files_when_one_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    build([root], out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}

    def fail(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", fail)
    with pytest.raises(OutputError, match=r"graph\.trig: cannot write the file \(No space left on device\)"):
        build([root], out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and "store" not in p.parts}
    # the manifest is marked stale (the next build reloads the store whole); every output is the old one
    manifest = out / "cache" / "manifest.json"
    assert "stale" in json.loads(after.pop(manifest))
    assert {p: b for p, b in before.items() if p != manifest} == after
    monkeypatch.undo()
    assert build([root], out).store == "loaded"


def test_build_graph_script_builds_the_samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # build_graph.py names data/samples and output/ relative to the working directory.
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "samples").symlink_to(SAMPLES, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(REPO / "build_graph.py"), run_name="__main__")
    assert info.value.code == 0
    summary = json.loads((tmp_path / "output" / "build_report.json").read_text(encoding="utf-8"))
    assert (summary["documents"], summary["failed"], summary["problems"]) == (5, 0, [])
    assert len(list((tmp_path / "output" / "extractions").glob("*.json"))) == 5
