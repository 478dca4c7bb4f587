"""The one place that knows the stage order: paths -> documents -> extractions -> files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError
from kg.models import Document, Extraction, Problem

__all__ = ["ExtractResult", "BuildReport", "iter_extractions", "extract_paths", "build"]


@dataclass(frozen=True)
class ExtractResult:
    """One document's outcome: its extraction (with the normalised document) or the problem."""

    path: Path
    extraction: Extraction | None
    document: Document | None
    problem: Problem | None


@dataclass(frozen=True)
class BuildReport:
    """What a build did: documents read, documents failed, files written."""

    documents: int
    failed: int
    assignments: int
    entities: int
    problems: tuple[Problem, ...]
    written: tuple[Path, ...]


def extract_path(path: Path) -> ExtractResult:
    """Read, normalise and extract one file; a bad file gives a Problem instead of an exception."""
    from kg.extract import extract_document
    from kg.ingest import read_document
    from kg.normalize import normalize_document

    try:
        doc = normalize_document(read_document(path))
    except KGError as exc:
        reason = getattr(exc, "reason", str(exc))
        return ExtractResult(path, None, None, Problem(path.name, str(path), reason))
    return ExtractResult(path, extract_document(doc), doc, None)


def iter_extractions(paths: Iterable[Path]) -> Iterator[ExtractResult]:
    """Extract every document under ``paths`` (files or folders, recursively, sorted)."""
    from kg.ingest import find_documents

    for path in find_documents(paths):
        yield extract_path(path)


def extract_paths(
    paths: Iterable[Path], out_dir: Path, *, on_result: Callable[[ExtractResult], None] | None = None
) -> BuildReport:
    """Extract documents and write ``out_dir/<stem>.json`` for each one that could be read."""
    from kg.export import write_extraction

    problems: list[Problem] = []
    written: list[Path] = []
    documents = failed = assignments = entities = 0
    for result in iter_extractions(paths):
        documents += 1
        if result.extraction is None:
            failed += 1
            problems.append(result.problem)  # type: ignore[arg-type]
        else:
            written.append(write_extraction(result.extraction, out_dir, result.document))
            assignments += len(result.extraction.assignments)
            entities += len({(m.text, m.type) for m in result.extraction.mentions})
        if on_result:
            on_result(result)
    return BuildReport(documents, failed, assignments, entities, tuple(problems), tuple(written))


def build(corpus: Iterable[Path], out_dir: Path, *, on_result: Callable[[ExtractResult], None] | None = None) -> BuildReport:
    """Build everything ``make run`` promises into ``out_dir`` (extractions for now)."""
    import json

    from kg.export import write_atomic

    report = extract_paths(corpus, out_dir / "extractions", on_result=on_result)
    summary = {
        "documents": report.documents,
        "failed": report.failed,
        "assignments": report.assignments,
        "entities": report.entities,
        "problems": [str(p) for p in report.problems],
    }
    write_atomic(out_dir / "build_report.json", json.dumps(summary, ensure_ascii=False, sort_keys=True, indent=2) + "\n")
    return report
