"""Corpus -> one job per document -> each document's outputs, in worker processes or in this one.

A build plans its documents (sorted, families found, bytes hashed), then runs
:func:`build_document` on each one the cache lacks: read, normalise, extract, the JSON record,
the RDF graph serialised in every format. Under ``kg build --jobs N`` the documents go to N
worker processes (``forkserver``: clean processes with the extraction modules preloaded, not
forks of a process holding threads and open stores); their outputs come back in corpus order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.models import Document, Extraction, Problem

if TYPE_CHECKING:
    from kg.cache import DocumentOutput

__all__ = [
    "DocumentJob",
    "plan_documents",
    "build_document",
    "document_key",
    "document_outputs",
    "read_normalized",
    "extract_with",
]


def read_normalized(path: Path) -> Document | Problem:
    """Read and normalise one file, or the Problem that stops it."""
    from kg.ingest import read_document
    from kg.normalize import normalize_document

    try:
        return normalize_document(read_document(path))
    except KGError as exc:
        reason = getattr(exc, "reason", str(exc))
        return Problem(path.name, str(path), reason)


def extract_with(doc: Document, notice: Extraction | None) -> Extraction:
    """Extract a document, with the header of the web notice it is attached to, if any."""
    from kg.extract import extract_document

    return extract_document(doc, notice=notice)


@dataclass(frozen=True)
class DocumentJob:
    """One document of a build: its file, and the web notice whose header it takes (``kg.family``).

    ``head`` marks a notice that has attachments in the corpus; ``digest`` and ``notice_digest``
    are the sha256 of the file's and the notice's bytes, the part of the cache key the input decides.
    """

    path: Path
    notice: Path | None = None
    head: bool = False
    digest: str = ""
    notice_digest: str = ""


def plan_documents(paths: Iterable[Path]) -> list[DocumentJob]:
    """The documents under ``paths`` in build order (sorted), each with its family's notice.

    The same families as :func:`iter_extractions` finds: web notices are read first.
    """
    from kg.cache import file_digest
    from kg.family import find_families
    from kg.ingest import SUPPORTED_SUFFIXES, find_documents

    documents = find_documents(paths)
    pages = {p: read_normalized(p) for p in documents if SUPPORTED_SUFFIXES.get(p.suffix.lower()) == "html"}
    links = {p: doc.attachments for p, doc in pages.items() if isinstance(doc, Document) and doc.attachments}
    notice_of = find_families(links, documents) if links else {}
    heads = {p for p in notice_of.values() if isinstance(pages.get(p), Document)}
    digests: dict[Path, str] = {}

    def digest(path: Path) -> str:
        if path not in digests:
            try:
                digests[path] = file_digest(path)
            except OSError:  # reported when the document is read
                digests[path] = ""
        return digests[path]

    jobs = []
    for path in documents:
        notice = notice_of.get(path) if path not in heads else None
        jobs.append(DocumentJob(path, notice, path in heads, digest(path), digest(notice) if notice else ""))
    return jobs


def build_document(job: DocumentJob, base: str, formats: tuple[str, ...]) -> DocumentOutput:
    """Read, extract and serialise one document: everything a build needs of it.

    Runs in worker processes under ``kg build --jobs N``; its result goes to the cache.
    """
    from kg.cache import DocumentOutput
    from kg.export import dumps_record, extraction_record
    from kg.rdf import document_graph
    from kg.graph_slice import view_digest
    from kg.serialize import graph_text

    read = read_normalized(job.path)
    if isinstance(read, Problem):
        return DocumentOutput(str(job.path), job.path.name, problem=read)
    if job.head:
        extraction = _notice_extraction(job.path, job.digest)
    else:
        notice = _notice_extraction(job.notice, job.notice_digest) if job.notice is not None else None
        extraction = extract_with(read, notice)
    part = document_graph(extraction, read, base=base)
    return DocumentOutput(
        path=str(job.path),
        name=job.path.name,
        iri=str(part.iri),
        record=dumps_record(extraction_record(extraction, read)) + "\n",
        assignments=len(extraction.assignments),
        entities=len({(m.text, m.type) for m in extraction.mentions}),
        problems=tuple(extraction.problems),
        metadata=part.metadata_lines,
        graph=graph_text(part.lines, str(part.iri), formats=formats),
        units=part.units.to_json(),
        view=view_digest(part.lines),
    )


@lru_cache(maxsize=16)
def _notice_extraction(path: Path, digest: str) -> Extraction:
    """A notice's extraction, its own name as ``family`` (once per content, for all its attachments)."""
    read = read_normalized(path)
    assert isinstance(read, Document), path  # plan_documents only names notices that read well
    extraction = extract_with(read, None)
    return replace(extraction, family=extraction.doc)


def document_key(job: DocumentJob, base: str) -> str:
    """The cache key of a document: its bytes (and its notice's), its place in the family, the tool."""
    from kg.cache import tool_key

    parts = (
        tool_key(),
        base,
        str(job.path),
        str(job.notice or ""),
        str(job.head),
        job.digest,
        job.notice_digest,
    )
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@contextmanager
def document_outputs(
    todo: list[DocumentJob], base: str, formats: tuple[str, ...], jobs: int
) -> Iterator[Iterator[DocumentOutput]]:
    """The outputs of ``todo``, in order: computed here, or by ``jobs`` worker processes."""
    work = partial(build_document, base=base, formats=formats)
    if jobs <= 1 or len(todo) <= 1:
        yield iter(map(work, todo))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver: workers start from a clean process that has the extraction modules loaded,
    # not from a fork of this one (its threads and open stores)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kg.jobs", "kg.extract", "kg.rdf", "kg.serialize", "kg.export"])
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context)
    try:
        yield pool.map(work, todo, chunksize=1)
    finally:
        # after an error the documents not started yet are dropped rather than extracted
        pool.shutdown(wait=True, cancel_futures=True)
