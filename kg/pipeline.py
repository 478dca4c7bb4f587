"""The one place that knows the stage order: paths -> documents -> extractions -> files.

:func:`build` plans the documents (``kg.jobs``), extracts each one its cache lacks (in worker
processes with ``jobs``), writes the extraction files in corpus order, then the graph files from
the documents' serialised graphs and the corpus summary (:mod:`kg.summary`, added up from each
document's unit facts), the store (loaded whole, or updated in place when few documents changed),
the network measures (from the summary's tasks), the page and the report. The measures and the
page are kept from the last build when what they read did not change.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.jobs import DocumentJob, document_key, document_outputs, extract_with, plan_documents, read_normalized
from kg.models import Document, Extraction, Problem

if TYPE_CHECKING:
    from kg.analysis import NetworkMetrics
    from kg.cache import DocumentCache, DocumentOutput
    from kg.summary import Summary

__all__ = [
    "EXTRACTIONS_DIR",
    "BUILD_REPORT",
    "ExtractResult",
    "BuildReport",
    "extract_path",
    "iter_extractions",
    "extract_paths",
    "DocumentJob",
    "plan_documents",
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
    cached: int = 0  # documents taken from the build cache
    store: str = ""  # "loaded" (whole) or "updated N" (N graphs replaced in place)
    timings: tuple[tuple[str, float], ...] = ()  # seconds per build stage


def extract_path(path: Path) -> ExtractResult:
    """Read, normalise and extract one file; a bad file gives a Problem instead of an exception.

    The file is taken alone: see :func:`iter_extractions` for notices and their attachments.
    """
    from kg.extract import extract_document

    read = read_normalized(path)
    if isinstance(read, Problem):
        return ExtractResult(path, None, None, read)
    return ExtractResult(path, extract_document(read), read, None)


def iter_extractions(paths: Iterable[Path]) -> Iterator[ExtractResult]:
    """Extract every document under ``paths`` (files or folders, recursively, sorted).

    Web notices are read first: an attachment they link that the corpus holds is extracted with
    the notice's header (``kg.family``), and both get the notice's file name as ``family``.
    """
    from kg.family import find_families
    from kg.ingest import SUPPORTED_SUFFIXES, find_documents

    documents = find_documents(paths)
    pages = {p: read_normalized(p) for p in documents if SUPPORTED_SUFFIXES.get(p.suffix.lower()) == "html"}
    links = {p: doc.attachments for p, doc in pages.items() if isinstance(doc, Document) and doc.attachments}
    notice_of = find_families(links, documents) if links else {}
    heads = set(notice_of.values())
    notices = _Notices({p: doc for p, doc in pages.items() if p in heads and isinstance(doc, Document)})
    for path in documents:
        read = pages.pop(path) if path in pages else read_normalized(path)
        if isinstance(read, Problem):
            yield ExtractResult(path, None, None, read)
        elif path in notices:
            yield ExtractResult(path, notices.extraction(path), read, None)
        else:
            notice = notices.extraction(notice_of[path]) if path in notice_of else None
            yield ExtractResult(path, extract_with(read, notice), read, None)


class _Notices:
    """The notices that have attachments in the corpus, each extracted once when first needed."""

    def __init__(self, documents: dict[Path, Document]) -> None:
        self.documents = documents
        self.done: dict[Path, Extraction] = {}

    def __contains__(self, path: object) -> bool:
        return path in self.documents

    def extraction(self, path: Path) -> Extraction:
        if path not in self.done:
            extraction = extract_with(self.documents[path], None)
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
    on_result: Callable[[DocumentOutput], None] | None = None,
    jobs: int = 1,
    cache: bool = True,
    formats: Iterable[str] | None = None,
) -> BuildReport:
    """Build everything ``make run`` promises into ``out_dir``.

    Writes ``out_dir/extractions/<stem>.json`` per document, the graph as ``graph.nq`` and (by
    default) ``graph.trig``, ``graph.ttl`` (union) and ``graph.jsonld``, the Oxigraph store under
    ``out_dir/store``, ``centrality.csv``, ``graph.html`` and ``build_report.json`` (counts,
    triples, problems, files). The files are the same bytes whatever ``jobs`` and the cache.

    Args:
        corpus: files and folders (searched recursively, in sorted order).
        out_dir: the output folder.
        base: namespace of minted IRIs.
        on_result: called with each document's outcome, in corpus order, as soon as it is known.
        jobs: worker processes extracting documents at once (1: in this process).
        cache: reuse ``out_dir/cache`` for documents whose bytes (and the tool) did not change,
            and update the store in place when few documents changed; False rebuilds everything.
        formats: graph files to write, from ``kg.serialize.FORMATS`` (default: all); ``nquads``
            is always written.

    Raises:
        OutputError: a file in ``out_dir`` cannot be written.
    """
    from kg.cache import CACHE_DIR, DocumentCache
    from kg.rdf import DEFAULT_BASE
    from kg.serialize import FORMATS

    clock = _Clock()
    base = base or DEFAULT_BASE
    formats = FORMATS if formats is None else tuple(f for f in FORMATS if f in {*formats, "nquads"})
    out_dir = Path(out_dir)
    planned = plan_documents(corpus)
    clock.lap("plan")
    entries = DocumentCache(out_dir / CACHE_DIR / "documents" if cache else out_dir / f".build-{os.getpid()}")
    try:
        report, kept, summary = _build_documents(planned, out_dir, entries, base, formats, jobs, cache, on_result)
        clock.lap("extract")
        report = _build_graph(report, kept, summary, out_dir, entries, base, formats, cache, clock)
    finally:
        if not cache:
            entries.remove()
    return replace(report, timings=clock.laps)


class _Clock:
    """Seconds spent in each stage of a build (reported, never written to a file)."""

    def __init__(self) -> None:
        self.laps: tuple[tuple[str, float], ...] = ()
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps += ((name, round(now - self.last, 3)),)
        self.last = now


@dataclass(frozen=True)
class _Kept:
    """A document in the graph: its named graph's IRI, its cache key and its default-graph lines."""

    iri: str
    key: str
    metadata: tuple[str, ...]
    view: str  # what graph.html can read of the named graph (kg.graph_slice.view_digest)


def _build_documents(
    planned: list[DocumentJob],
    out_dir: Path,
    entries: DocumentCache,
    base: str,
    formats: tuple[str, ...],
    jobs: int,
    cache: bool,
    on_result: Callable[[DocumentOutput], None] | None,
) -> tuple[BuildReport, list[_Kept], Summary]:
    """Extract (or take from the cache) every document, in corpus order; write its extraction file;
    add up the units and tasks of the documents kept (:mod:`kg.summary`)."""
    from kg.cache import DocumentOutput
    from kg.summary import SummaryBuilder, UnitFacts

    keys = [document_key(job, base) for job in planned]
    hits = {k for k in keys if cache and entries.holds(k, formats)}
    todo = [job for job, key in zip(planned, keys, strict=True) if key not in hits]
    problems: list[Problem] = []
    written: list[Path] = []
    kept: list[_Kept] = []
    totals = SummaryBuilder()
    claimed: dict[str, Path] = {}
    iris: dict[str, Path] = {}
    failed = assignments = entities = 0
    with document_outputs(todo, base, formats, jobs) as computed:
        for job, key in zip(planned, keys, strict=True):
            if key in hits:
                output = entries.get(key, formats, graph=False)
                assert output is not None, key
            else:
                output = next(computed)
            if output.problem is None:
                clash = _clash(output, job.path, claimed, iris)
                if clash is not None:
                    output = DocumentOutput(str(job.path), job.path.name, problem=clash)
            if output.problem is not None:
                failed += 1
                problems.append(output.problem)
            else:
                assignments += output.assignments
                entities += output.entities
                problems.extend(output.problems)
                written.append(_write_record(out_dir / EXTRACTIONS_DIR, output))
                if key not in hits:
                    entries.put(key, output, formats)
                kept.append(_Kept(output.iri or "", key, output.metadata, output.view))
                totals.add(UnitFacts.from_json(output.units))
            if on_result is not None:
                on_result(output)
    report = BuildReport(len(planned), failed, assignments, entities, tuple(problems), tuple(written),
                         cached=len(hits))  # fmt: skip
    return report, kept, totals.summary()


def _clash(
    output: DocumentOutput, path: Path, claimed: dict[str, Path], iris: dict[str, Path]
) -> Problem | None:
    """A Problem when an earlier document of the run already took this one's file name or IRI."""
    from kg.export import output_name

    name = output_name(output.name)
    first = claimed.setdefault(name, path)
    if first != path:
        # a.txt and a.html, or two folders holding x.txt, would silently overwrite each other.
        message = f"output {name} is already written for {first}; rename one of the two files"
        return Problem(path.name, str(path), message)
    first = iris.setdefault(output.iri or "", path)
    if first != path:  # "a b.txt" and "a_b.txt": one IRI
        message = f"graph <{output.iri}> is already built from {first}; rename one of the two files"
        return Problem(path.name, str(path), message)
    return None


def _write_record(folder: Path, output: DocumentOutput) -> Path:
    """Write ``folder/<stem>.json``, unless it already holds these bytes (a rebuild from the cache)."""
    from kg.export import output_name, write_atomic

    path = folder / output_name(output.name)
    try:
        if path.read_text(encoding="utf-8") == output.record:
            return path
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, output.record)
    return path


def _build_graph(
    report: BuildReport,
    kept: list[_Kept],
    summary: Summary,
    out_dir: Path,
    entries: DocumentCache,
    base: str,
    formats: tuple[str, ...],
    cache: bool,
    clock: _Clock,
) -> BuildReport:
    """Graph files, store, network measures, page and report from the documents' entries."""
    from kg.analysis import rank_agencies, summary_metrics
    from kg.cache import (
        CACHE_DIR,
        changed_graphs,
        read_graph_lines,
        read_manifest,
        read_measures,
        remove_manifest,
        tool_key,
        write_graph_lines,
        write_manifest,
        write_measures,
    )
    from kg.export import write_atomic, write_json
    from kg.network_export import metrics_csv
    from kg.responsibilities import read_places
    from kg.serialize import GraphFilesWriter, graph_text
    from kg.store import STORE_DIR, BuildStore
    from kg.summary import summary_lines

    kept = sorted(kept, key=lambda k: k.iri)
    graphs = {k.iri: k.key for k in kept}
    default = graph_text(sorted({line for k in kept for line in k.metadata}), None, formats=formats)
    manifest = read_manifest(out_dir / CACHE_DIR) if cache else None
    changed = changed_graphs(manifest, graphs, base) if (out_dir / STORE_DIR).is_dir() else None
    # the corpus-wide graphs as the store holds them now: a rebuild changes only the lines that differ
    previous = {name: read_graph_lines(out_dir / CACHE_DIR, name) for name in _CORPUS_GRAPHS}
    remove_manifest(out_dir / CACHE_DIR)  # the store is about to change
    summary_iri, metrics_iri = (f"{base}graph/{name}" for name in _CORPUS_GRAPHS)
    summary_new = sorted(summary_lines(summary, base))
    with GraphFilesWriter(out_dir, formats=formats) as writer:
        writer.add(default)
        for k in kept:
            graph = entries.graph_bytes(k.key, formats)
            assert graph is not None, k
            writer.add(graph)
        summarised = graph_text(summary_new, summary_iri, formats=formats)
        writer.add(summarised)
        clock.lap("graph files")
        if changed is None:
            store = BuildStore.load(out_dir, writer.flush("nquads"))
        else:
            replaced: dict[str | None, str | bytes] = {None: default.nquads}
            for iri in sorted(changed):
                graph = entries.graph_bytes(graphs[iri], ("nquads",)) if iri in graphs else None
                replaced[iri] = graph.nquads if graph is not None else b""  # nothing: a removed document
            store = BuildStore.update(out_dir, replaced)
            _update(store, summary_iri, previous["corpus"], summary_new, summarised)
        clock.lap(f"store ({store.mode})")
        # the measures and the page are global: a change in what they read changes them, no change
        # keeps them (an edit that names no other unit keeps the measures; one no task shows, the page)
        places = read_places(store.store)
        place_names = sorted((iri, p.name) for iri, p in places.items())
        measures_key = _digest(tool_key(), base, summary_new, summary.tasks, place_names)
        metrics = read_measures(out_dir / CACHE_DIR, measures_key) if cache else None
        reused = metrics is not None
        if metrics is None:
            metrics = summary_metrics(summary, places)
        clock.lap("network measures" + (" (kept)" if reused else ""))
        kept_lines = reused and changed is not None  # the manifest vouches for the kept graph lines
        metrics_new = previous["metrics"] if kept_lines and previous["metrics"] else _metrics_lines(metrics, base)
        measured = graph_text(metrics_new, metrics_iri, formats=formats)
        writer.add(measured)
        _update(store, metrics_iri, previous["metrics"] if changed is not None else None, metrics_new, measured)
        triples = writer.triples
        written = writer.commit()
        store.finish()  # after the files: a failed write leaves the old store with the old files
    write_atomic(out_dir / CENTRALITY_CSV, metrics_csv(rank_agencies(metrics, "pagerank")))
    clock.lap("metrics graph")
    page = out_dir / GRAPH_HTML
    page_key = _digest(measures_key, default.nquads, [(k.iri, k.view) for k in kept], summary_new, metrics_new)
    drawn = _draw_page(out_dir, page, page_key, metrics, {k.iri: k.view for k in kept}, cache)
    clock.lap("graph.html" + ("" if drawn else " (kept)"))
    if cache:
        if not reused:
            write_measures(out_dir / CACHE_DIR, measures_key, metrics)
        write_graph_lines(out_dir / CACHE_DIR, "corpus", summary_new)
        write_graph_lines(out_dir / CACHE_DIR, "metrics", metrics_new)
        write_manifest(out_dir / CACHE_DIR, {"base": base, "graphs": graphs, "tool": tool_key()})
        entries.prune(set(graphs.values()))
    report = replace(
        report,
        written=report.written + tuple(written.values()) + (out_dir / CENTRALITY_CSV, page),
        triples=triples,
        graphs=len(kept),
        store=store.mode,
    )
    write_json(out_dir / BUILD_REPORT, _report_record(report, out_dir))
    return report


def _draw_page(
    out_dir: Path, page: Path, key: str, metrics: NetworkMetrics, views: dict[str, str], cache: bool
) -> bool:
    """Write graph.html unless the last build drew it from the same ``key``; True when drawn.

    The drawn tasks of the documents whose view digest did not change are not read again from
    the store but taken from the cache (``cache/page-tasks.json``), which keeps what this page read.
    """
    from kg.cache import (
        CACHE_DIR,
        read_page_key,
        read_page_tasks,
        remove_page_key,
        write_page_key,
        write_page_tasks,
    )
    from kg.graph_slice import TaskReader
    from kg.render import write_graph_html

    folder = out_dir / CACHE_DIR
    if cache and read_page_key(folder) == key and page.is_file():
        return False
    remove_page_key(folder)  # until the new page is written
    reader = TaskReader(read_page_tasks(folder, views) if cache else None)
    write_graph_html(out_dir, page, sizes={a.iri: a.pagerank or 0.0 for a in metrics.agencies}, tasks=reader)
    if cache:
        write_page_tasks(folder, reader.read, views)
        write_page_key(folder, key)
    return True


#: The corpus-wide named graphs a build writes after the documents' ({base}graph/NAME), in IRI order.
_CORPUS_GRAPHS = ("corpus", "metrics")


def _update(store, iri: str, old: list[str] | None, new: list[str], text) -> None:  # noqa: ANN001
    """Bring a corpus-wide graph of an updated store up to date: only the lines that changed
    when the previous ones are known, else the whole graph."""
    if old is None:
        store.replace(iri, text.nquads)
    else:
        store.patch(iri, old, new)


def _digest(*parts: object) -> str:
    """A sha256 of the parts' reprs; a long list or tuple is taken in slices, never as one string."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, (list, tuple)):
            for k in range(0, len(part), 10_000):
                digest.update(repr(part[k : k + 10_000]).encode("utf-8"))
        else:
            digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _metrics_lines(metrics: NetworkMetrics, base: str) -> list[str]:
    from kg.analysis import metrics_triples
    from kg.serialize import ntriples_lines

    return ntriples_lines(metrics_triples(metrics, base))


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
