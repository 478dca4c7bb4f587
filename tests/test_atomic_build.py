"""A build killed midway (SIGKILL) leaves the previous outputs of ``kg build`` intact.

Every file is written through a temporary file and a rename (kg.export.write_atomic) and the store
is swapped in whole (kg.store.load_store), so after a kill each output is either the old file or a
complete new one, never a half-written one.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import cli
from kg.store import open_store

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"

# rdflib's TriG parser uses its own deprecated ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def load_generator():  # noqa: ANN201 - the bench/generate_corpus.py module
    spec = importlib.util.spec_from_file_location("generate_corpus", REPO / "bench" / "generate_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def final_files(out: Path) -> dict[str, bytes]:
    """Every output file by relative path: hidden names (temporary files) and the store left out."""
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if path.is_file() and rel.parts[0] != "store" and not any(p.startswith(".") for p in rel.parts):
            files[rel.as_posix()] = path.read_bytes()
    return files


def check_parses(path: Path) -> None:
    """The file is a complete document of its format."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".json", ".jsonld"):
        json.loads(text)
    elif path.suffix == ".ttl":
        rdflib.Graph().parse(data=text, format="turtle")
    elif path.suffix == ".trig":
        rdflib.Dataset().parse(data=text, format="trig")
    elif path.suffix == ".nq":
        rdflib.Dataset().parse(data=text, format="nquads")
    elif path.suffix == ".csv":
        rows = list(csv.reader(text.splitlines()))
        assert rows and all(len(row) == len(rows[0]) for row in rows)
    elif path.suffix == ".html":
        assert text.rstrip().endswith("</html>")


def build_in_process(corpus: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.stderr


def start_build(corpus: Path, out: Path, log: Path) -> subprocess.Popen[bytes]:
    """``python -m kg build CORPUS --out OUT`` in the background, its stderr going to ``log``."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out)],
            cwd=log.parent, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Poll ``condition`` every millisecond until it holds, the build ends or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if condition():
            return True
        time.sleep(0.001)
    return False


def temporary_file_exists(out: Path) -> Callable[[], bool]:
    def check() -> bool:
        return any(name.endswith(".tmp") for folder in (out, out / "extractions") for name in _names(folder))

    return check


def replaced(path: Path) -> Callable[[], bool]:
    """True once ``path`` is another file than now (os.replace gives it a new inode)."""
    before = path.stat()

    def check() -> bool:
        try:
            now = path.stat()
        except FileNotFoundError:
            return True
        return (now.st_ino, now.st_mtime_ns) != (before.st_ino, before.st_mtime_ns)

    return check


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated documents: their build runs for minutes, far longer than the kill comes."""
    root = tmp_path_factory.mktemp("big")
    load_generator().generate_corpus(300, root, seed=8)
    return root


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three samples and three generated documents: a build that reaches the graph files in seconds."""
    root = tmp_path_factory.mktemp("small")
    for path in sorted(SAMPLES.glob("*.txt"))[:3]:
        shutil.copy(path, root / path.name)
    load_generator().generate_corpus(3, root / "generated", seed=9)
    return root


KILL_POINTS = {
    # (corpus, what to wait for before SIGKILL, seconds to wait at most)
    "after-1s": ("big", None, 1.0),
    "while-a-temporary-file-exists": ("big", "tmp", 20.0),
    "after-graph-trig-is-replaced": ("small", "graph.trig", 25.0),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_killed_build_leaves_previous_outputs_intact(
    tmp_path: Path, point: str, big_corpus: Path, small_corpus: Path
) -> None:
    out = tmp_path / "out"
    build_in_process(SAMPLES, out)
    before = final_files(out)
    assert {"build_report.json", "graph.ttl", "graph.trig", "graph.nq", "graph.jsonld"} <= set(before)
    assert any(name.startswith("extractions/") for name in before)

    corpus_name, event, timeout = KILL_POINTS[point]
    log = tmp_path / "build.log"
    proc = start_build(big_corpus if corpus_name == "big" else small_corpus, out, log)
    try:
        if event is None:
            time.sleep(timeout)
        else:
            condition = temporary_file_exists(out) if event == "tmp" else replaced(out / event)
            reached = wait_for(condition, proc, timeout)
            assert reached, f"the build never reached {event!r}: {log.read_text(encoding='utf-8')[-2000:]}"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    ended = log.read_text(encoding="utf-8")[-2000:]
    assert proc.returncode == -signal.SIGKILL, f"the build ended before the kill: {ended}"

    after = final_files(out)
    assert set(before) <= set(after), f"files lost: {sorted(set(before) - set(after))}"
    for name in sorted(after):
        check_parses(out / name)
    # The report is written last: the old one byte for byte, unless a new run got that far.
    report = after["build_report.json"]
    assert report == before["build_report.json"] or json.loads(report)["documents"] > 5
    # No final name holds a temporary file; temporary files are hidden (.NAME.HEX.tmp).
    assert not [name for name in after if name.endswith(".tmp")]
    assert len(open_store(out)) > 0  # the old store or a complete new one


@pytest.mark.xfail(
    strict=True,
    reason="kg.export.write_atomic's temporary files (.NAME.HEX.tmp) outlive a killed build: the next "
    "build neither reuses nor removes them (kg.store.load_store does clear its .store.new/.store.old), "
    "so every kill mid-write leaves a stray file in out/ or out/extractions/",
)
def test_next_build_removes_temporary_files_of_a_killed_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_in_process(SAMPLES, out)
    stray = [out / ".graph.ttl.0123abcd.tmp", out / "extractions" / ".000_66ef4eef8c2bc3fa.json.89abcdef.tmp"]
    for path in stray:
        path.write_text("half a fi", encoding="utf-8")
    build_in_process(SAMPLES, out)
    assert [path.name for path in stray if path.exists()] == []
