"""``kg build --jobs N``: documents extracted in worker processes, merged in corpus order, same bytes."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.pipeline import build, extract_paths, plan_documents

from built import output_files, store_quads

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
NOTICE = (
    '<html><head><meta charset="utf-8"><title>通知</title></head><body>'
    "<table><tr><td>索引号:</td><td>11330106002482215X/2024-00012</td><td>发布机构:</td>"
    "<td>西湖区人民政府办公室</td></tr><tr><td>成文日期:</td><td>2024-03-05</td></tr></table>"
    "<h1>关于印发西湖区2024年重点任务分解表的通知</h1><p>现将任务分解表印发给你们。</p>"
    '<p><a href="tasks.xlsx">附件1:任务分解表</a></p></body></html>'
)


def load_generator():  # noqa: ANN201 - the bench/generate_corpus.py module
    spec = importlib.util.spec_from_file_location("generate_corpus", REPO / "bench" / "generate_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def make_corpus(root: Path) -> Path:
    """Samples, generated documents, a notice with its attachment, an empty file, a stem clash."""
    root.mkdir(parents=True)
    for path in sorted(SAMPLES.glob("*.txt"))[:3]:
        shutil.copy(path, root / path.name)
    load_generator().generate_corpus(4, root / "generated", seed=5)
    (root / "family").mkdir()
    (root / "family" / "notice.html").write_text(NOTICE, encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["序号", "目标任务", "牵头单位", "配合单位"])
    book.active.append([1, "推进文三路综合整治", "区住建局", "北山街道"])
    book.save(root / "family" / "tasks.xlsx")
    (root / "empty.txt").write_bytes(b"")
    (root / "clash").mkdir()
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], root / "clash" / sorted(SAMPLES.glob("*.txt"))[0].name)
    return root




@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("in") / "corpus")


def test_plan_finds_the_family_and_hashes_every_file(corpus: Path) -> None:
    jobs = {job.path.relative_to(corpus).as_posix(): job for job in plan_documents([corpus])}
    assert (
        jobs["family/notice.html"].head
        and jobs["family/tasks.xlsx"].notice == corpus / "family" / "notice.html"
    )
    assert all(len(job.digest) == 64 for job in jobs.values())
    assert jobs["family/tasks.xlsx"].notice_digest == jobs["family/notice.html"].digest


def test_jobs_give_the_same_bytes_as_one_process(corpus: Path, tmp_path: Path) -> None:
    seen: dict[int, list[str]] = {}
    reports = {}
    for jobs in (1, 2):
        paths: list = []
        seen[jobs] = paths
        reports[jobs] = build(
            [corpus],
            tmp_path / f"out{jobs}",
            jobs=jobs,
            cache=False,
            on_result=paths.append,
        )
    assert (
        [r.path for r in seen[1]]
        == [r.path for r in seen[2]]
        == [str(j.path) for j in plan_documents([corpus])]
    )
    one, two = output_files(tmp_path / "out1"), output_files(tmp_path / "out2")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert store_quads(tmp_path / "out1") == store_quads(tmp_path / "out2")
    assert reports[1].timings and reports[2].timings
    assert {k: v for k, v in vars(reports[1]).items() if k != "timings" and k != "written"} == {
        k: v for k, v in vars(reports[2]).items() if k != "timings" and k != "written"
    }
    # the problems: the empty file and the second copy of a sample, in corpus order
    assert [p.doc for p in reports[2].problems if "already written" in p.message or "empty" in p.message] == [
        sorted(SAMPLES.glob("*.txt"))[0].name, "empty.txt",
    ]  # fmt: skip


def test_parallel_extraction_agrees_with_extract_paths(corpus: Path, tmp_path: Path) -> None:
    # kg extract takes documents one by one in this process: the records are the same files
    extract_paths([corpus], tmp_path / "extract")
    build([corpus], tmp_path / "build", jobs=2, cache=False)
    extracted = {p.name: p.read_bytes() for p in (tmp_path / "extract").iterdir()}
    built = {p.name: p.read_bytes() for p in (tmp_path / "build" / "extractions").iterdir()}
    assert extracted == built


def test_cli_build_jobs(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    assert "documents, " in result.stderr.splitlines()[-1]
    assert (tmp_path / "out" / "graph.nq").is_file()
    result = runner.invoke(cli, ["build", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "-1"])
    assert result.exit_code == 2
    assert "Invalid value for '--jobs'" in result.stderr


def test_the_build_measures_are_what_kg_centrality_reads_from_the_store(corpus: Path, tmp_path: Path) -> None:
    # the build computes them from its summary of the documents, kg centrality from the store
    from kg.analysis import write_centrality

    generated = tmp_path / "generated"
    load_generator().generate_corpus(40, generated, seed=11)
    for root in (corpus, generated):
        out = tmp_path / f"out-{root.name}"
        build([root], out, cache=False)
        built = (out / "centrality.csv").read_bytes()
        assert built.count(b"\n") > 5
        assert write_centrality(out, tmp_path / f"{root.name}.csv").read_bytes() == built
