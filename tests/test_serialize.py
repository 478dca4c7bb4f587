"""Tests for kg.serialize: every graph file, assembled block by block, holds exactly the store's quads."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from kg.export import OutputError
from kg.pipeline import build
from kg.serialize import GraphFilesWriter, GraphText, graph_text, ntriples_lines, to_nquads, to_trig
from kg.store import open_store

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
# rdflib's TriG parser uses its own deprecated ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build([SAMPLES], out)
    return out


def quads(data: bytes, fmt: pyoxigraph.RdfFormat) -> set[pyoxigraph.Quad]:
    """The quads of a file as a store holds them (a store writes numbers in canonical form)."""
    store = pyoxigraph.Store()
    store.load(data, format=fmt)
    return set(store.quads_for_pattern(None, None, None, None))


def store_quads(out: Path) -> set[pyoxigraph.Quad]:
    return set(open_store(out).quads_for_pattern(None, None, None, None))


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("graph.nq", pyoxigraph.RdfFormat.N_QUADS),
        ("graph.trig", pyoxigraph.RdfFormat.TRIG),
        ("graph.jsonld", pyoxigraph.RdfFormat.JSON_LD),
    ],
)
def test_each_dataset_file_holds_the_store(out: Path, name: str, fmt: pyoxigraph.RdfFormat) -> None:
    assert quads((out / name).read_bytes(), fmt) == store_quads(out)


def test_turtle_is_the_union_of_the_graphs(out: Path) -> None:
    triples = {q.triple for q in quads((out / "graph.ttl").read_bytes(), pyoxigraph.RdfFormat.TURTLE)}
    assert triples == {q.triple for q in store_quads(out)}
    assert len(rdflib.Graph().parse(out / "graph.ttl", format="turtle")) == len(triples)


def test_rdflib_reads_the_dataset_files(out: Path) -> None:
    nq = rdflib.Dataset().parse(out / "graph.nq", format="nquads")
    trig = rdflib.Dataset().parse(out / "graph.trig", format="trig")
    assert sum(len(g) for g in nq.graphs()) == sum(len(g) for g in trig.graphs()) == len(store_quads(out))
    json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))


def test_graph_files_list_the_default_graph_then_the_graphs_by_iri(out: Path) -> None:
    order = [
        q.graph_name
        for q in pyoxigraph.parse((out / "graph.nq").read_bytes(), format=pyoxigraph.RdfFormat.N_QUADS)
    ]
    runs = [g for i, g in enumerate(order) if i == 0 or order[i - 1] != g]  # each graph's lines together
    assert isinstance(runs[0], pyoxigraph.DefaultGraph)
    names = [g.value for g in runs[1:]]
    assert names == sorted(set(names)) and names[-1].endswith("/graph/metrics")
    trig = (out / "graph.trig").read_text(encoding="utf-8")
    assert trig.split("\n\n", 1)[1].startswith("{\n")  # the default graph first, after the prefixes


def test_graph_text_blocks() -> None:
    lines = [
        '<http://e/s> <http://e/p> "a\\nb \\"c\\" \u2028" .',
        '<http://e/s> <http://e/q> "说"@zh .',
    ]
    named = graph_text(lines, "http://e/g")
    assert named.triples == 2
    assert named.nquads.split("\n")[:-1] == [line[:-1] + "<http://e/g> ." for line in lines]
    assert json.loads(named.jsonld)["@id"] == "http://e/g"
    default = graph_text(lines, None, formats=("turtle",))
    assert (default.nquads, default.jsonld) == ("", "")
    assert default.turtle == '<http://e/s> <http://e/p> "a\\nb \\"c\\" \u2028" ;\n\t<http://e/q> "说"@zh .\n'
    assert graph_text([], "http://e/g") == GraphText("http://e/g", 0)


def test_writer_removes_its_temporary_files_when_not_committed(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), GraphFilesWriter(tmp_path) as writer:
        writer.add(graph_text(['<http://e/s> <http://e/p> "o" .'], "http://e/g"))
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []


class _FullDisk:
    """A stream on a full disk: every write and the flush in close fail with ENOSPC."""

    def __init__(self, stream) -> None:  # noqa: ANN001
        self.stream = stream

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        self.stream.close()  # the real file is closed, as io closes it when its flush fails
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_one_clear_error_and_leaves_the_old_files(tmp_path: Path) -> None:
    (tmp_path / "graph.nq").write_bytes(b"old\n")
    with pytest.raises(OutputError, match="No space left on device.*free space"):
        with GraphFilesWriter(tmp_path) as writer:
            writer.add(graph_text(['<http://e/s> <http://e/p> "o" .'], "http://e/g"))
            streams = writer._blocks.streams
            streams["turtle"] = _FullDisk(streams["turtle"])
            writer.add(graph_text(['<http://e/s> <http://e/p> "p" .'], "http://e/h"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq"]  # no temporary file is left
    assert (tmp_path / "graph.nq").read_bytes() == b"old\n"


def test_dataset_functions_agree_with_the_build(out: Path) -> None:
    from rdflib import URIRef

    dataset = rdflib.Dataset()
    graph = dataset.graph(URIRef("http://e/g"))
    graph.add((URIRef("http://e/s"), URIRef("http://e/p"), rdflib.Literal("o")))
    assert to_nquads(dataset) == '<http://e/s> <http://e/p> "o" <http://e/g> .\n'
    assert to_trig(dataset).endswith('<http://e/g> {\n\t<http://e/s> <http://e/p> "o" .\n}\n\n')
    assert ntriples_lines(graph) == ['<http://e/s> <http://e/p> "o" .']
