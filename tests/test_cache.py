"""Incremental builds (kg.cache): unchanged documents come from <out>/cache, the store is updated in place,
and the outputs are always the bytes a build from scratch writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.cache
from kg import graph_slice
from kg.cache import CACHE_DIR, DocumentCache, file_digest, read_manifest, tool_key
from kg.cli import cli
from kg.pipeline import build

from built import output_files, store_quads

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
EXTRA = "\n| 9 | 新建城市绿道15公里 | 区园林文物局 | 区财政局 |\n"




def assert_same_as_fresh(corpus: Path, out: Path, tmp_path: Path, **options: object) -> None:
    """The incremental output equals a build from scratch, files and store."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    build([corpus], fresh, cache=False, **options)
    mine, theirs = output_files(out), output_files(fresh)
    assert sorted(mine) == sorted(theirs)
    assert [name for name in mine if mine[name] != theirs[name]] == []
    assert store_quads(out) == store_quads(fresh)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(SAMPLES, root)
    return root


def test_rebuild_takes_every_document_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([corpus], out)
    assert (first.cached, first.store) == (0, "loaded")
    before = output_files(out)
    second = build([corpus], out)
    assert (second.cached, second.store) == (5, "updated 0")
    assert "network measures (kept)" in dict(second.timings)  # the same graphs: the same measures
    assert output_files(out) == before
    (out / "graph.html").unlink()
    (out / "centrality.csv").unlink()
    build([corpus], out)
    assert output_files(out) == before
    manifest = read_manifest(out / CACHE_DIR)
    assert manifest is not None and manifest["tool"] == tool_key() and len(manifest["graphs"]) == 5


def test_changing_one_document_redoes_only_it_and_replaces_only_its_graph(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    seen: list[str] = []
    report = build([corpus], out, on_result=lambda r: seen.append(r.name))
    assert (report.cached, report.store) == (4, "updated 1")
    assert "network measures" in dict(report.timings)  # recomputed: a new task, new pairs of units
    assert "graph.html" in dict(report.timings)  # redrawn: a new task to draw
    assert seen == sorted(p.name for p in corpus.glob("*.txt"))
    assert_same_as_fresh(corpus, out, tmp_path)
    assert b"15" in (out / "extractions" / f"{changed.stem}.json").read_bytes()


def test_an_edit_no_task_shows_keeps_the_measures_and_the_page(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    changed = sorted(corpus.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年工作总体平稳有序。\n", encoding="utf-8")
    report = build([corpus], out)
    assert (report.cached, report.store) == (4, "updated 1")
    timings = dict(report.timings)
    assert "network measures (kept)" in timings and "graph.html (kept)" in timings
    assert_same_as_fresh(corpus, out, tmp_path)  # what was kept is what a fresh build draws


def test_an_edit_of_a_task_text_redraws_the_page_and_keeps_the_measures(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading = graph_slice._read_task
    out = tmp_path / "out"
    build([corpus], out)
    changed = next(corpus.glob("003_*.txt"))  # a task table, one cell per line
    text = changed.read_text(encoding="utf-8")
    assert "\n推广中小学食堂自助餐" in text
    changed.write_text(text.replace("\n推广中小学食堂自助餐", "\n全面推广中小学食堂自助餐", 1), encoding="utf-8")
    read: list[str] = []
    monkeypatch.setattr(graph_slice, "_read_task", lambda store, task: read.append(task) or reading(store, task))
    report = build([corpus], out)
    # only the changed document's tasks are read again for the page; the others' texts are kept
    assert read and all(f"/{changed.stem}/" in task for task in read)
    timings = dict(report.timings)
    assert "network measures (kept)" in timings and "graph.html" in timings  # same units, new wording
    assert_same_as_fresh(corpus, out, tmp_path)


def test_removing_and_adding_documents(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    gone = sorted(corpus.glob("*.txt"))[0]
    gone.unlink()
    report = build([corpus], out)
    assert (report.cached, report.store) == (4, "updated 1")
    # its extraction file stays (as before the cache); the graph and the store no longer have it
    shutil.rmtree(out / "extractions")
    build([corpus], out)
    assert_same_as_fresh(corpus, out, tmp_path)
    shutil.copy(SAMPLES / gone.name, corpus / "copy.txt")
    report = build([corpus], out)
    assert (report.cached, report.store) == (4, "updated 1")
    assert_same_as_fresh(corpus, out, tmp_path)


def test_many_changes_reload_the_store_whole(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    for path in sorted(corpus.glob("*.txt"))[:2]:
        path.write_text(path.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    report = build([corpus], out)
    assert (report.cached, report.store) == (3, "loaded")  # 2 of 5 is past INCREMENTAL_MAX_SHARE
    assert_same_as_fresh(corpus, out, tmp_path)


def test_a_new_tool_version_invalidates_every_entry(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    monkeypatch.setattr(kg.cache, "EXTRACTION_VERSION", kg.cache.EXTRACTION_VERSION + 1)
    tool_key.cache_clear()
    try:
        report = build([corpus], out)
        assert (report.cached, report.store) == (0, "loaded")
        # the old entries are pruned: one per document is left
        assert len(list((out / CACHE_DIR / "documents").glob("*/*"))) == 5
    finally:
        tool_key.cache_clear()


def test_a_damaged_entry_or_a_lost_manifest_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    entry = sorted((out / CACHE_DIR / "documents").glob("*/*"))[0]
    entry.write_bytes(entry.read_bytes()[:100])
    report = build([corpus], out)
    assert report.cached == 4
    # a build stopped while updating the store leaves no manifest: the next one reloads it whole
    (out / CACHE_DIR / "manifest.json").unlink()
    report = build([corpus], out)
    assert (report.cached, report.store) == (5, "loaded")
    assert_same_as_fresh(corpus, out, tmp_path)


def test_formats_and_entries_without_a_format(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = build([corpus], out, formats=["nquads"])
    assert sorted(p.name for p in out.glob("graph.*")) == ["graph.html", "graph.nq"]
    assert "graph.ttl" not in json.loads((out / "build_report.json").read_text(encoding="utf-8"))["written"]
    nquads = (out / "graph.nq").read_bytes()
    report = build([corpus], out)  # the entries lack Turtle and JSON-LD: redone
    assert report.cached == 0
    assert (out / "graph.nq").read_bytes() == nquads
    assert_same_as_fresh(corpus, out, tmp_path)


def test_no_cache_writes_no_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out, cache=False)
    assert not (out / CACHE_DIR).exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_document_cache_round_trip(tmp_path: Path) -> None:
    from kg.cache import DocumentOutput
    from kg.models import Problem
    from kg.serialize import GraphText

    cache = DocumentCache(tmp_path / "c")
    graph = GraphText("https://x/doc/a", 2, '<a> <b> "\u2028" <g> .\n', "<a> <b> 1 .\n", '{"@id":"g"}')
    output = DocumentOutput("dir/a.txt", "a.txt", None, "https://x/doc/a", "{}\n", 1, 2,
                            (Problem("a.txt", "line 3", "odd"),), ("<a> <b> <c> .",), graph)  # fmt: skip
    cache.put("ab" * 32, output, ["nquads", "turtle"])
    assert cache.get("ab" * 32, ["nquads"]) == output
    assert cache.get("ab" * 32, ["json-ld"]) is None
    assert cache.holds("ab" * 32, ["turtle"]) and not cache.holds("cd" * 32)
    light = cache.get("ab" * 32, graph=False)
    assert (
        light is not None and light.record == "{}\n" and light.graph is not None and light.graph.nquads == ""
    )
    assert cache.prune(set()) == 1 and cache.get("ab" * 32) is None


def test_file_digest(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert file_digest(path) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_cli_no_cache_and_formats(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["build", str(corpus), "--out", str(out), "--no-cache", "--formats", "nquads,trig"]
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.glob("graph.*")) == ["graph.html", "graph.nq", "graph.trig"]
    assert not (out / CACHE_DIR).exists()
    result = runner.invoke(cli, ["build", str(corpus), "--out", str(out)])
    result = runner.invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1].endswith("(5 from the cache, store updated 0)")
    result = runner.invoke(cli, ["build", str(corpus), "--out", str(out), "--formats", "nquads,xml"])
    assert result.exit_code == 2
    assert "unknown format 'xml'" in result.stderr
