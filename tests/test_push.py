"""Tests for kg.push: every graph of the store PUT to a real Oxigraph server, twice, same counts.

The server is the ``oxigraph`` binary of the PyPI package ``oxigraph`` (``oxigraph serve``), started
on a free loopback port for this module and stopped by its finalizer. Without the binary the
tests are skipped, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.pipeline import build
from kg.push import PushError, graph_url, push_graphs
from kg.store import open_store

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
TIMEOUT = 30
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command: beside this Python (a virtualenv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Oxigraph:
    """``oxigraph serve`` on a loopback port: its Graph Store (/store) and SPARQL (/query) URLs."""

    def __init__(self, binary: str, location: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.store = f"{self.base}/store"
        self.log = (location.parent / "oxigraph.log").open("wb")
        self.process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                self.select("ASK { ?s ?p ?o }")
                return
            except (urllib.error.URLError, OSError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"oxigraph serve did not start on port {self.port}") from None
                time.sleep(0.1)

    def select(self, query: str) -> dict:
        url = f"{self.base}/query?{urllib.parse.urlencode({'query': query})}"
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read())

    def count(self) -> int:
        return int(self.select(COUNT_ALL)["results"]["bindings"][0]["n"]["value"])

    def graphs(self) -> list[str]:
        return [row["g"]["value"] for row in self.select(GRAPHS)["results"]["bindings"]]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("graph")
    build([SAMPLES], out)
    return out


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Oxigraph]:
    binary = oxigraph_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph binary (PyPI package 'oxigraph') is missing in CI: install '.[test]'")
        pytest.skip("the oxigraph binary is not installed (pip install oxigraph)")
    server = Oxigraph(binary, tmp_path_factory.mktemp("remote") / "store")
    request.addfinalizer(server.stop)
    yield server


def local_graphs(graph_dir: Path) -> list[str]:
    store = open_store(graph_dir)
    return sorted(g.value for g in store.named_graphs())


def test_push_twice_sends_every_quad_once(graph_dir: Path, oxigraph: Oxigraph) -> None:
    local = len(open_store(graph_dir))
    seen: list[tuple[str | None, int]] = []
    report = push_graphs(graph_dir, oxigraph.store, on_graph=lambda iri, n: seen.append((iri, n)))
    assert oxigraph.count() == local == report.triples
    assert oxigraph.graphs() == local_graphs(graph_dir)
    assert report.graphs == len(local_graphs(graph_dir)) + 1  # and the default graph
    assert seen[0][0] is None and seen[0][1] > 0  # the default graph first
    # PUT replaces: a second push leaves the same quads
    again = push_graphs(graph_dir, oxigraph.store)
    assert again == report
    assert oxigraph.count() == local
    assert oxigraph.graphs() == local_graphs(graph_dir)


def test_pushed_graph_equals_the_local_one(graph_dir: Path, oxigraph: Oxigraph) -> None:
    push_graphs(graph_dir, oxigraph.store)
    doc = next(g for g in local_graphs(graph_dir) if "/doc/" in g)
    url = graph_url(oxigraph.store, doc)
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        remote = sorted(line for line in response.read().decode("utf-8").split("\n") if line)
    import pyoxigraph

    store = open_store(graph_dir)
    triples = [q.triple for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(doc))]
    local = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")
    assert remote == sorted(line for line in local.split("\n") if line)


def test_cli_push(graph_dir: Path, oxigraph: Oxigraph) -> None:
    result = CliRunner().invoke(cli, ["push", "--endpoint", oxigraph.store, "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"pushed {len(local_graphs(graph_dir)) + 1} graphs, ")
    assert oxigraph.count() == len(open_store(graph_dir))


def test_refused_graph_names_the_url_and_the_status(graph_dir: Path, oxigraph: Oxigraph) -> None:
    with pytest.raises(PushError, match=r"the server refused the default graph \(404 "):
        push_graphs(graph_dir, f"{oxigraph.base}/no-such-endpoint")


def test_cli_push_errors(graph_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    closed = f"http://127.0.0.1:{free_port()}/store"
    result = runner.invoke(cli, ["push", "--endpoint", closed, "--graph", str(graph_dir)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {closed}?default: cannot send the default graph (")
    assert "check that the server is running" in result.stderr
    result = runner.invoke(cli, ["push", "--endpoint", "ftp://x/store", "--graph", str(graph_dir)])
    assert (result.exit_code, result.stderr.split(":")[0]) == (1, "Error")
    assert "not an http(s) URL" in result.stderr
    result = runner.invoke(cli, ["push", "--endpoint", closed, "--graph", str(tmp_path)])
    assert result.exit_code == 1 and "no graph store found" in result.stderr
    result = runner.invoke(cli, ["push", "--graph", str(graph_dir)])
    assert result.exit_code == 2 and "Missing option '--endpoint'" in result.stderr
