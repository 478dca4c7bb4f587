"""Extractions -> files: per-document JSON in the gold format, JSON lines, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from kg.models import Document, Extraction

__all__ = ["extraction_record", "dumps_record", "write_atomic", "write_extraction"]


def _entity_records(extraction: Extraction, doc: Document | None) -> list[dict[str, Any]]:
    """One record per distinct surface text, with the type it most often has, in text order."""
    types: dict[str, Counter[str]] = {}
    spans: dict[str, list[list[int]]] = {}
    for m in extraction.mentions:
        types.setdefault(m.text, Counter())[m.type] += 1
        span = list(doc.source_span(m.start, m.end)) if doc else [m.start, m.end]
        spans.setdefault(m.text, []).append(span)
    resolved = {(surface, e.type): e for e in extraction.entities for surface in e.surfaces}
    records = []
    for text, counter in types.items():
        # most frequent type; ties go to the type seen first
        best = max(counter.items(), key=lambda kv: kv[1])[0]
        record: dict[str, Any] = {"text": text, "type": best, "spans": spans[text]}
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

    Extra keys: ``doc_number``, ``topic``, ``title``, ``jurisdiction_code``, per-assignment
    ``layout``/``span``/``quote`` and per-entity ``spans`` (offsets in the original text) and ``id``.
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
        "assignments": [
            {
                "task": a.task,
                "lead": list(a.lead),
                "support": list(a.support),
                "layout": a.layout,
                "span": span(a.start, a.end),
                "quote": a.quote,
            }
            for a in extraction.assignments
        ],
        "entities": _entity_records(extraction, doc),
        "problems": [str(p) for p in extraction.problems],
    }


def dumps_record(record: dict[str, Any], *, indent: int | None = 2) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text kept as is."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=indent)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 through a temporary file and a rename.

    A reader never sees a half-written file; an interrupted write leaves the old file intact.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_extraction(extraction: Extraction, out_dir: Path, doc: Document | None = None) -> Path:
    """Write ``out_dir/<file stem>.json`` and return its path."""
    path = out_dir / (Path(extraction.doc).stem + ".json")
    write_atomic(path, dumps_record(extraction_record(extraction, doc)) + "\n")
    return path
