"""The one place that knows the stage order: paths -> documents -> extractions -> files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.models import Document, Extraction, Problem

if TYPE_CHECKING:
    from kg.analysis import NetworkMetrics

__all__ = [
    "EXTRACTIONS_DIR",
    "BUILD_REPORT",
    "ExtractResult",
    "BuildReport",
    "extract_path",
    "iter_extractions",
    "extract_paths",
    "build",
]

#: Where ``build`` puts its outputs, relative to its ``out_dir``.
EXTRACTIONS_DIR = "extractions"
CENTRALITY_CSV = "centrality.csv"
GRAPH_HTML = "graph.html"
BUILD_REPORT = "build_report.json"


@dataclass(frozen=True)
class ExtractResult:
    """One document's outcome: its extraction (with the normalised document) or the problem.

    ``output`` is the file the extraction was written to, when it was written.
    """

    path: Path
    extraction: Extraction | None
    document: Document | None
    problem: Problem | None
    output: Path | None = None


@dataclass(frozen=True)
class BuildReport:
    """What a run did: documents found, documents failed, files written, problems met."""

    documents: int
    failed: int
    assignments: int
    entities: int
    problems: tuple[Problem, ...]
    written: tuple[Path, ...]
    triples: int = 0  # quads in the built dataset (0 when no graph was built)
    graphs: int = 0  # named graphs, one per document


def extract_path(path: Path) -> ExtractResult:
    """Read, normalise and extract one file; a bad file gives a Problem instead of an exception.

    The file is taken alone: see :func:`iter_extractions` for notices and their attachments.
    """
    from kg.extract import extract_document

    read = _read(path)
    if isinstance(read, Problem):
        return ExtractResult(path, None, None, read)
    return ExtractResult(path, extract_document(read), read, None)


def _read(path: Path) -> Document | Problem:
    """Read and normalise one file, or the Problem that stops it."""
    from kg.ingest import read_document
    from kg.normalize import normalize_document

    try:
        return normalize_document(read_document(path))
    except KGError as exc:
        reason = getattr(exc, "reason", str(exc))
        return Problem(path.name, str(path), reason)


def iter_extractions(paths: Iterable[Path]) -> Iterator[ExtractResult]:
    """Extract every document under ``paths`` (files or folders, recursively, sorted).

    Web notices are read first: an attachment they link that the corpus holds is extracted with
    the notice's header (``kg.family``), and both get the notice's file name as ``family``.
    """
    from kg.family import find_families
    from kg.ingest import SUPPORTED_SUFFIXES, find_documents

    documents = find_documents(paths)
    pages = {p: _read(p) for p in documents if SUPPORTED_SUFFIXES.get(p.suffix.lower()) == "html"}
    links = {p: doc.attachments for p, doc in pages.items() if isinstance(doc, Document) and doc.attachments}
    notice_of = find_families(links, documents) if links else {}
    heads = set(notice_of.values())
    notices = _Notices({p: doc for p, doc in pages.items() if p in heads and isinstance(doc, Document)})
    for path in documents:
        read = pages.pop(path) if path in pages else _read(path)
        if isinstance(read, Problem):
            yield ExtractResult(path, None, None, read)
        elif path in notices:
            yield ExtractResult(path, notices.extraction(path), read, None)
        else:
            notice = notices.extraction(notice_of[path]) if path in notice_of else None
            yield ExtractResult(path, _extract(read, notice), read, None)


def _extract(doc: Document, notice: Extraction | None) -> Extraction:
    from kg.extract import extract_document

    return extract_document(doc, notice=notice)


class _Notices:
    """The notices that have attachments in the corpus, each extracted once when first needed."""

    def __init__(self, documents: dict[Path, Document]) -> None:
        self.documents = documents
        self.done: dict[Path, Extraction] = {}

    def __contains__(self, path: object) -> bool:
        return path in self.documents

    def extraction(self, path: Path) -> Extraction:
        if path not in self.done:
            extraction = _extract(self.documents[path], None)
            self.done[path] = replace(extraction, family=extraction.doc)
        return self.done[path]


def extract_paths(
    paths: Iterable[Path],
    out_dir: Path | None = None,
    *,
    on_result: Callable[[ExtractResult], None] | None = None,
) -> BuildReport:
    """Extract the documents under ``paths``; with ``out_dir``, write ``out_dir/<stem>.json`` for each.

    Args:
        paths: files and folders (searched recursively, in sorted order).
        out_dir: where to write one JSON file per extracted document; None writes nothing.
        on_result: called with each document's outcome as soon as it is known.

    Returns:
        The counts, the problems of the documents that failed and the files written.

    Raises:
        OutputError: a file in ``out_dir`` cannot be written (the run stops there).
    """
    problems: list[Problem] = []
    written: list[Path] = []
    claimed: dict[str, Path] = {}
    documents = failed = assignments = entities = 0
    for result in iter_extractions(paths):
        if out_dir is not None and result.extraction is not None:
            result = _write_result(result, out_dir, claimed)
        documents += 1
        if result.extraction is None:
            failed += 1
        else:
            assignments += len(result.extraction.assignments)
            entities += len({(m.text, m.type) for m in result.extraction.mentions})
            problems.extend(result.extraction.problems)
        if result.problem is not None:
            problems.append(result.problem)
        if result.output is not None:
            written.append(result.output)
        if on_result is not None:
            on_result(result)
    return BuildReport(documents, failed, assignments, entities, tuple(problems), tuple(written))


def _write_result(result: ExtractResult, out_dir: Path, claimed: dict[str, Path]) -> ExtractResult:
    """Write one extraction, unless an earlier document of the run already took its file name."""
    from kg.export import output_name, write_extraction

    assert result.extraction is not None
    name = output_name(result.extraction.doc)
    first = claimed.setdefault(name, result.path)
    if first != result.path:
        # a.txt and a.html, or two folders holding x.txt, would silently overwrite each other.
        message = f"output {name} is already written for {first}; rename one of the two files"
        return ExtractResult(result.path, None, None, Problem(result.path.name, str(result.path), message))
    return replace(result, output=write_extraction(result.extraction, out_dir, result.document))


def build(
    corpus: Iterable[Path],
    out_dir: Path,
    *,
    base: str | None = None,
    on_result: Callable[[ExtractResult], None] | None = None,
) -> BuildReport:
    """Build everything ``make run`` promises into ``out_dir``.

    Writes ``out_dir/extractions/<stem>.json`` per document, the graph as ``graph.trig``,
    ``graph.nq``, ``graph.ttl`` (union) and ``graph.jsonld``, the Oxigraph store under
    ``out_dir/store`` and ``out_dir/build_report.json`` (counts, triples, problems, files).

    Raises:
        OutputError: a file in ``out_dir`` cannot be written.
    """
    from kg.export import write_json
    from kg.rdf import DEFAULT_BASE, build_dataset, document_graph
    from kg.serialize import to_nquads, write_graph_files
    from kg.render import write_graph_html
    from kg.store import load_store

    base = base or DEFAULT_BASE
    parts = []

    def collect(result: ExtractResult) -> None:
        if result.extraction is not None:
            parts.append(document_graph(result.extraction, result.document, base=base))
        if on_result is not None:
            on_result(result)

    report = extract_paths(corpus, out_dir / EXTRACTIONS_DIR, on_result=collect)
    dataset = build_dataset(parts, base=base)
    centrality, metrics = _add_network_measures(dataset, out_dir, base)
    written = write_graph_files(dataset, out_dir, base=base)
    load_store(to_nquads(dataset), out_dir)
    page = write_graph_html(out_dir, out_dir / GRAPH_HTML, sizes={a.iri: a.pagerank or 0.0 for a in metrics.agencies})
    report = replace(
        report,
        written=report.written + tuple(written.values()) + (centrality, page.path),
        triples=sum(len(g) for g in dataset.graphs()),
        graphs=len(parts),
    )
    write_json(out_dir / BUILD_REPORT, _report_record(report, out_dir))
    return report


def _add_network_measures(dataset, out_dir: Path, base: str) -> tuple[Path, NetworkMetrics]:  # noqa: ANN001
    """Compute the collaboration measures, write ``centrality.csv`` and add them to the dataset
    as the named graph ``{base}graph/metrics`` (so that SPARQL can rank agencies)."""
    import pyoxigraph
    from rdflib import URIRef

    from kg.analysis import metrics_triples, network_metrics, write_centrality
    from kg.serialize import to_nquads

    memory = pyoxigraph.Store()
    memory.bulk_load(to_nquads(dataset).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    metrics = network_metrics(memory)
    target = dataset.graph(URIRef(f"{base}graph/metrics"))
    for triple in metrics_triples(metrics, base):
        target.add(triple)
    return write_centrality(memory, out_dir / CENTRALITY_CSV), metrics


def _report_record(report: BuildReport, out_dir: Path) -> dict[str, object]:
    """The JSON-ready summary of a build; no times or absolute output paths, so runs compare equal."""
    return {
        "documents": report.documents,
        "extracted": report.documents - report.failed,
        "failed": report.failed,
        "assignments": report.assignments,
        "entities": report.entities,
        "triples": report.triples,
        "graphs": report.graphs,
        "problems": [{"doc": p.doc, "where": p.where, "message": p.message} for p in report.problems],
        "written": sorted(path.relative_to(out_dir).as_posix() for path in report.written),
    }
