"""Extractions -> files: per-document JSON in the gold format, JSON lines, written atomically."""

from __future__ import annotations

import errno
import json
import os
import secrets
from collections import Counter
from collections.abc import Callable  # issue 7
from decimal import Decimal  # issue 7
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.jsontext import dumps_indented
from kg.models import Comparison, Document, Extraction, Quantity  # Comparison, Quantity: issue 7

__all__ = [
    "OutputError",
    "extraction_record",
    "source_label",
    "dumps_record",
    "output_name",
    "write_json",
    "write_atomic",
    "write_extraction",
]


class OutputError(KGError):
    """An output file cannot be written: names the file and the reason."""

    # Belongs with the other KGError subclasses in kg/errors.py; kept here while only export raises it.
    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def source_label(doc_name: str, location: str | None) -> str:
    """The file and the place in it that a record was read from.

    >>> source_label("plan.xlsx", "sheet 任务表, row 3"), source_label("notice.html", None)
    ('plan.xlsx, sheet 任务表, row 3', 'notice.html')
    """
    return f"{doc_name}, {location}" if location else doc_name


def _entity_records(extraction: Extraction, doc: Document | None) -> list[dict[str, Any]]:
    """One record per distinct surface text, with the type it most often has, in text order."""
    types: dict[str, Counter[str]] = {}
    spans: dict[str, list[list[int]]] = {}
    sources: dict[str, list[str]] = {}
    located: set[str] = set()
    for m in extraction.mentions:
        types.setdefault(m.text, Counter())[m.type] += 1
        span = list(doc.source_span(m.start, m.end)) if doc else [m.start, m.end]
        spans.setdefault(m.text, []).append(span)
        sources.setdefault(m.text, []).append(source_label(extraction.doc, m.location))
        if m.location:
            located.add(m.text)
    resolved = {(surface, e.type): e for e in extraction.entities for surface in e.surfaces}
    records = []
    for text, counter in types.items():
        # most frequent type; ties go to the type seen first
        best = max(counter.items(), key=lambda kv: kv[1])[0]
        record: dict[str, Any] = {"text": text, "type": best, "spans": spans[text]}
        if text in located:
            record["sources"] = sources[text]
        entity = resolved.get((text, best))
        if entity is not None:
            record["id"] = entity.id
            record["canonical"] = entity.name
            if entity.collective:
                record["collective"] = True
        records.append(record)
    return records


def extraction_record(extraction: Extraction, doc: Document | None = None) -> dict[str, Any]:
    """The JSON-ready record of one document, in the format of ``../shared/gold/SCHEMA.md``.

    Extra keys: ``doc_number``, ``topic``, ``title``, ``jurisdiction_code``, ``family`` (the file
    name of the web notice the document belongs to, or null), per-assignment
    ``layout``/``span``/``quote`` and ``source`` (file and location: "plan.xlsx, sheet 任务表,
    row 3"), per-entity ``spans`` (offsets in the original text), ``sources`` (parallel to
    ``spans``, when locations are known) and, for resolved entities, ``id``, ``canonical`` and
    ``collective``; ``problems``.
    """
    h = extraction.header

    def span(start: int, end: int) -> list[int]:
        return list(doc.source_span(start, end)) if doc else [start, end]

    return {
        "doc": extraction.doc,
        "publisher": h.publisher,
        "date": h.date,
        "index_no": h.index_no,
        "doc_number": h.doc_number,
        "topic": h.topic,
        "title": h.title,
        "jurisdiction": extraction.jurisdiction,
        "jurisdiction_code": extraction.jurisdiction_code,
        "family": extraction.family,
        "assignments": [
            {
                "task": a.task,
                "lead": list(a.lead),
                "support": list(a.support),
                "layout": a.layout,
                "span": span(a.start, a.end),
                "quote": a.quote,
                "source": source_label(extraction.doc, a.location),
            }
            for a in extraction.assignments
        ],
        "entities": _entity_records(extraction, doc),
        "problems": [str(p) for p in extraction.problems],
    } | _outcome_records(extraction, doc)  # issue 7: projects_status, progress, quantities


# --- issue 7: project statuses, completion reports and quantities in the gold format -----------


def _number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an int when integral."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _quantity_record(q: Quantity, span: Callable[[int, int], list[int]]) -> dict[str, Any]:
    """A figure: value, unit, what it counts, role and year; bound and verb where it has them."""
    record = {"text": q.text, "value": _number(q.value), "unit": q.unit, "counts": q.counts, "role": q.role,
              "year": q.year, "span": span(q.start, q.end)}
    if q.bound:
        record["bound"] = q.bound
    if q.verb:
        record["verb"] = q.verb
    return record


def _comparison_evidence(c: Comparison) -> str:
    """``2479套 vs 2400套 (保障性租赁住房): met, 103.29%``."""
    ratio = f", {_number(c.ratio * 100)}%" if c.ratio is not None else ""
    return f"{c.result.text} vs {c.target.text} ({c.target.counts}): {c.outcome}{ratio}"


def _outcome_records(extraction: Extraction, doc: Document | None) -> dict[str, Any]:
    """The keys ``projects_status`` (gold format plus type, cue, reported, hedged, span),
    ``progress`` (gold format plus comparison, ratio, evidence, number, the target and result
    figures as written, units, span)
    and ``quantities``, each only where the document has any."""
    from kg.extract.status import yearly_statuses

    def span(start: int, end: int) -> list[int]:
        return list(doc.source_span(start, end)) if doc else [start, end]

    records: dict[str, Any] = {}
    if extraction.statuses:
        records["projects_status"] = [
            {"entity": s.entity, "status": s.status, "year": s.year, "evidence": s.evidence, "type": s.type,
             "cue": s.cue, "reported": s.reported, "hedged": s.hedged, "span": span(s.start, s.end)}
            for s in yearly_statuses(extraction.statuses)
        ]
    if extraction.progress:
        records["progress"] = [
            {"task": p.task, "reported": p.reported, "number": p.number, "comparison": p.outcome,
             "ratio": _number(p.ratio), "evidence": [_comparison_evidence(c) for c in p.comparisons],
             "targets": [q.text for q in p.targets], "results": [q.text for q in p.results],
             "lead": list(p.lead), "support": list(p.support), "span": span(p.start, p.end)}
            for p in extraction.progress
        ]
    if extraction.quantities:
        records["quantities"] = [_quantity_record(q, span) for q in extraction.quantities]
    return records


# --- end issue 7 -------------------------------------------------------------------------------


def dumps_record(record: dict[str, Any], *, indent: int | None = 2) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text kept as is.

    >>> dumps_record({"b": "区", "a": 1}, indent=None)
    '{"a": 1, "b": "区"}'
    """
    if indent is None:
        return json.dumps(record, ensure_ascii=False, sort_keys=True)
    return dumps_indented(record, indent)  # json.dumps's text; its indented mode is pure Python


def write_json(path: Path, value: Any) -> None:
    """Write ``value`` as deterministic, indented JSON with a final newline, atomically."""
    write_atomic(path, dumps_record(value) + "\n")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 through a temporary file in the same folder and a rename.

    A reader never sees a half-written file; a failed write leaves the old file intact and
    removes the temporary file.

    Raises:
        OutputError: the folder cannot be created or the file cannot be written.
    """
    data = text.encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(path.parent, _os_reason(exc, "cannot create the folder")) from exc
    try:
        fd, tmp = _create_temp(path)
    except OSError as exc:
        raise OutputError(path, _os_reason(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(path, _os_reason(exc)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _create_temp(path: Path) -> tuple[int, Path]:
    """Create a new hidden temporary file next to ``path``; return its descriptor and path.

    Created with mode 0o666 so the umask applies and the final file gets the usual permissions
    (``tempfile.mkstemp`` would leave every output readable by its owner only).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def _os_reason(exc: OSError, what: str = "cannot write the file") -> str:
    """A short reason and remedy for a failed write."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{what} ({reason}); check that the output folder is a writable folder with free space"


def output_name(doc: str) -> str:
    """The file name of a document's extraction: its stem plus ``.json``.

    >>> output_name("003_b31d4c8d9ca6cfbf.txt")
    '003_b31d4c8d9ca6cfbf.json'
    """
    return Path(doc).stem + ".json"


def write_extraction(extraction: Extraction, out_dir: Path, doc: Document | None = None) -> Path:
    """Write ``out_dir/<file stem>.json`` atomically and return its path.

    Raises:
        OutputError: the file cannot be written.
    """
    path = out_dir / output_name(extraction.doc)
    write_json(path, extraction_record(extraction, doc))
    return path
