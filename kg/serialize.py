"""Graphs -> graph.trig, graph.nq, graph.ttl (union) and graph.jsonld, byte-identical across runs.

Each graph is serialised on its own (:func:`graph_text`): its N-Triples lines are sorted and
pyoxigraph writes them as N-Quads, Turtle and JSON-LD in that order, which makes every block
deterministic. A graph file is the blocks put one after the other: the default graph first, then
the named graphs by IRI (documents, then ``graph/corpus`` and ``graph/metrics``). So a build can
serialise each document once (in parallel, or from the cache) and stream the files without holding the dataset:

* ``graph.nq``: one named graph per document, its lines together, ready for bulk loaders;
* ``graph.trig``: one ``<graph> { ... }`` block per graph, under one prefix header;
* ``graph.ttl``: the union graph, as the graphs' Turtle blocks under one prefix header (a
  resource described in several documents appears in several blocks; a parser merges them);
* ``graph.jsonld``: expanded JSON-LD, an array of the default graph's nodes and one
  ``{"@id": graph, "@graph": [...]}`` object per named graph.

Text is split on ``"\\n"`` only: ``str.splitlines`` also breaks at U+2028, U+0085 or form feeds,
which N-Triples keeps inside literals.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.rdf import DEFAULT_BASE

__all__ = [
    "GRAPH_FILES",
    "FORMATS",
    "GraphText",
    "GraphBytes",
    "ntriples_lines",
    "graph_text",
    "dataset_texts",
    "GraphFilesWriter",
    "to_trig",
    "to_nquads",
    "to_turtle",
    "to_jsonld",
    "write_graph_files",
]

#: The files ``kg build`` writes next to the store, by format.
GRAPH_FILES = {"trig": "graph.trig", "nquads": "graph.nq", "turtle": "graph.ttl", "json-ld": "graph.jsonld"}
FORMATS = tuple(GRAPH_FILES)


@dataclass(frozen=True)
class GraphText:
    """One graph in each output format: its block of every graph file.

    ``turtle`` has no prefix lines (the files declare them once); ``jsonld`` is the inside of a
    JSON array (node objects for the default graph, one graph object for a named graph). A
    format not asked for is the empty string.
    """

    iri: str | None  # None: the default graph
    triples: int
    nquads: str = ""
    turtle: str = ""
    jsonld: str = ""


def ntriples_lines(graph: Graph) -> list[str]:
    r"""The graph's triples as sorted N-Triples lines (without line ends).

    Formatted here rather than by rdflib's N-Triples serializer, which takes several times as long.

    >>> from rdflib import Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("http://e/s"), URIRef("http://e/p"), Literal('说"明"\n', lang="zh")))
    >>> _ = g.add((URIRef("http://e/s"), URIRef("http://e/n"), Literal(3)))
    >>> for line in ntriples_lines(g): print(line)
    <http://e/s> <http://e/n> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
    <http://e/s> <http://e/p> "说\"明\"\n"@zh .
    """
    terms: dict[object, str] = {}

    def term(node: object) -> str:
        text = terms.get(node)
        if text is None:
            text = terms[node] = _ntriples_term(node)
        return text

    return sorted({f"{term(s)} {term(p)} {term(o)} ." for s, p, o in graph})


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _ntriples_term(node: object) -> str:
    """One rdflib term in N-Triples: <iri>, _:id or a quoted literal with its language or datatype."""
    from rdflib import BNode, Literal

    if isinstance(node, Literal):
        quoted = '"' + str(node).translate(_ESCAPES) + '"'
        if node.language:
            return f"{quoted}@{node.language}"
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return f"{quoted}^^<{node.datatype}>"
        return quoted
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


def _prefixes() -> dict[str, str]:
    from kg.namespaces import PREFIXES

    return dict(PREFIXES)


def graph_text(lines: Sequence[str], iri: str | None, *, formats: Iterable[str] = FORMATS) -> GraphText:
    """Serialise one graph, given as sorted N-Triples lines, in the formats asked for.

    Args:
        lines: the graph's triples, one N-Triples line each, sorted (the order of every block).
        iri: the graph's name; None for the default graph.
        formats: names from :data:`FORMATS`; ``trig`` and ``turtle`` share the Turtle block.
    """
    import pyoxigraph

    formats = set(formats)
    if not lines:
        return GraphText(iri, 0)
    triples = list(pyoxigraph.parse("\n".join(lines) + "\n", format=pyoxigraph.RdfFormat.N_TRIPLES))
    nquads = turtle = jsonld = ""
    if "nquads" in formats:
        nquads = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")
        if iri is not None:
            # a raw line break only ends a line (N-Triples escapes them in literals): name the graph there
            nquads = nquads.replace(" .\n", f" <{iri}> .\n")
    if formats & {"trig", "turtle"}:
        text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=_prefixes())
        turtle = _strip_prefixes(text.decode("utf-8"))
    if "json-ld" in formats:
        nodes = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.JSON_LD).decode("utf-8").strip()
        # the file is one array of all graphs: the default graph's nodes, then one object per named graph
        jsonld = nodes[1:-1] if iri is None else f'{{"@id":{json.dumps(iri)},"@graph":{nodes}}}'
    return GraphText(iri, len(triples), nquads, turtle, jsonld)


def _strip_prefixes(text: str) -> str:
    """Turtle without its leading ``@prefix`` lines, ending with one line end."""
    start = 0
    while text.startswith("@prefix", start):
        start = text.index("\n", start) + 1
    return text[start:].strip("\n") + "\n"


def dataset_texts(dataset: Dataset, *, formats: Iterable[str] = FORMATS) -> list[GraphText]:
    """Every non-empty graph of an rdflib Dataset, in file order (default graph, then by IRI)."""
    formats = tuple(formats)
    named = sorted(
        (g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)),
        key=lambda g: str(g.identifier),
    )
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    texts = [graph_text(ntriples_lines(default), None, formats=formats)] if len(default) else []
    return texts + [graph_text(ntriples_lines(g), str(g.identifier), formats=formats) for g in named]


@dataclass(frozen=True)
class GraphBytes:
    """A :class:`GraphText` as UTF-8 bytes, as a build reads it back from its cache."""

    iri: str | None
    triples: int
    nquads: bytes = b""
    turtle: bytes = b""
    jsonld: bytes = b""


def _encoded(text: GraphText | GraphBytes) -> GraphBytes:
    if isinstance(text, GraphBytes):
        return text
    return GraphBytes(
        text.iri, text.triples, *(s.encode("utf-8") for s in (text.nquads, text.turtle, text.jsonld))
    )


class _Blocks:
    """Writes the header, the graph blocks and the end of each graph file to open binary streams."""

    def __init__(self, streams: dict[str, IO[bytes]]) -> None:
        self.streams = streams
        self.triples = 0
        self._first_jsonld = True

    def start(self) -> None:
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(_prefixes().items())) + "\n"
        self.write("trig", header.encode("utf-8"))
        self.write("turtle", header.encode("utf-8"))
        self.write("json-ld", b"[\n")

    def add(self, text: GraphText | GraphBytes) -> None:
        if not text.triples:
            return
        data = _encoded(text)
        self.triples += data.triples
        self.write("nquads", data.nquads)
        self.write("turtle", data.turtle + b"\n")
        if "trig" in self.streams:
            name = b"" if data.iri is None else f"<{data.iri}> ".encode()
            body = b"\t" + data.turtle.rstrip(b"\n").replace(b"\n", b"\n\t")
            self.write("trig", name + b"{\n" + body + b"\n}\n\n")
        if "json-ld" in self.streams:
            self.write("json-ld", (b"" if self._first_jsonld else b",\n") + data.jsonld)
            self._first_jsonld = False

    def finish(self) -> None:
        self.write("json-ld", b"\n]\n")

    def write(self, fmt: str, data: bytes) -> None:
        stream = self.streams.get(fmt)
        if stream is not None:
            stream.write(data)


class GraphFilesWriter:
    """Stream graph blocks into the graph files, each through a hidden temporary file.

    Use as a context manager: :meth:`add` the graphs in file order, then :meth:`commit` renames
    every file into place (a reader never sees a half-written file); leaving the block without
    committing (an error) removes the temporary files.

    Raises:
        OutputError: a file cannot be written.
    """

    def __init__(self, out_dir: Path, *, formats: Iterable[str] = FORMATS) -> None:
        self.out_dir = Path(out_dir)
        self.formats = tuple(f for f in FORMATS if f in set(formats))
        self._temps: dict[str, Path] = {}
        self._blocks = _Blocks({})

    @property
    def triples(self) -> int:
        """Triples added so far, counted once per graph they are in."""
        return self._blocks.triples

    def __enter__(self) -> GraphFilesWriter:
        with self._errors(self.out_dir):
            self.out_dir.mkdir(parents=True, exist_ok=True)
            for fmt in self.formats:
                self._temps[fmt], self._blocks.streams[fmt] = _open_temp(self.out_dir / GRAPH_FILES[fmt])
            self._blocks.start()
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.abort()  # after commit there is nothing left to remove

    def add(self, text: GraphText | GraphBytes) -> None:
        """Append one graph's blocks (the default graph first, then the named graphs by IRI)."""
        with self._errors(self.out_dir):
            self._blocks.add(text)

    def flush(self, fmt: str) -> Path:
        """Flush one format's file so far and return its temporary path (to load it meanwhile)."""
        with self._errors(self.out_dir):
            self._blocks.streams[fmt].flush()
        return self._temps[fmt]

    def commit(self) -> dict[str, Path]:
        """Finish and rename every file into place; return their paths by format."""
        with self._errors(self.out_dir):
            self._blocks.finish()
        written = {}
        for fmt in list(self._temps):
            path = self.out_dir / GRAPH_FILES[fmt]
            with self._errors(path):
                handle = self._blocks.streams[fmt]
                handle.flush()
                os.fsync(handle.fileno())
                handle.close()
                os.replace(self._temps[fmt], path)
            del self._blocks.streams[fmt], self._temps[fmt]
            written[fmt] = path
        return written

    def abort(self) -> None:
        """Close and remove the temporary files not yet renamed."""
        for fmt, tmp in self._temps.items():
            stream = self._blocks.streams.pop(fmt, None)
            with suppress(OSError):  # close flushes: on a full disk it fails again; the file goes anyway
                if stream is not None:
                    stream.close()
            tmp.unlink(missing_ok=True)
        self._temps.clear()

    @contextmanager
    def _errors(self, path: Path) -> Iterator[None]:
        from kg.export import OutputError, _os_reason

        try:
            yield
        except OSError as exc:
            self.abort()
            raise OutputError(path, _os_reason(exc)) from exc


def _open_temp(path: Path) -> tuple[Path, IO[bytes]]:
    """A new hidden ``.NAME.HEX.tmp`` next to ``path`` (as kg.export.write_atomic names them)."""
    from kg.export import _create_temp

    fd, tmp = _create_temp(path)
    return tmp, os.fdopen(fd, "wb", buffering=1 << 20)  # a large buffer for files of gigabytes


def _render(texts: Iterable[GraphText], fmt: str) -> str:
    """One graph file as a string (small datasets; builds stream with GraphFilesWriter)."""
    buffer = io.BytesIO()
    blocks = _Blocks({fmt: buffer})
    blocks.start()
    for text in texts:
        blocks.add(text)
    blocks.finish()
    return buffer.getvalue().decode("utf-8")


def to_trig(dataset: Dataset, *, base: str = DEFAULT_BASE) -> str:
    """TriG: the default graph in braces, then each named graph under its IRI."""
    return _render(dataset_texts(dataset, formats=("trig",)), "trig")


def to_nquads(dataset: Dataset) -> str:
    """N-Quads: the default graph's lines, then each named graph's, each graph's lines sorted."""
    return _render(dataset_texts(dataset, formats=("nquads",)), "nquads")


def to_turtle(dataset: Dataset, *, base: str = DEFAULT_BASE) -> str:
    """The union graph as Turtle (a block per graph)."""
    return _render(dataset_texts(dataset, formats=("turtle",)), "turtle")


def to_jsonld(dataset: Dataset, *, base: str = DEFAULT_BASE) -> str:
    """Expanded JSON-LD of the dataset (named graphs as ``@graph`` objects)."""
    return _render(dataset_texts(dataset, formats=("json-ld",)), "json-ld")


def write_graph_files(
    dataset: Dataset, out_dir: Path, *, base: str = DEFAULT_BASE, formats: Iterable[str] = FORMATS
) -> dict[str, Path]:
    """Write the serialisations of an rdflib Dataset atomically; return their paths by format."""
    with GraphFilesWriter(out_dir, formats=formats) as writer:
        for text in dataset_texts(dataset, formats=formats):
            writer.add(text)
        return writer.commit()
