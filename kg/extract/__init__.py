"""Extraction stage: a normalised Document -> an Extraction (header, jurisdiction, assignments, mentions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from functools import cache
from operator import attrgetter
from typing import TypeVar

from kg.extract.assignments import extract_assignments
from kg.extract.entities import extract_mentions
from kg.extract.header import extract_header
from kg.extract.jurisdiction import infer_jurisdiction
from kg.models import Document, Extraction, Header

__all__ = ["extract_document", "inherit_header", "clear_caches"]

T = TypeVar("T")

#: Header fields an attachment takes from its notice when it has none of its own (not the title:
#: the notice's "关于印发…的通知" is not the attachment's title).
INHERITED_FIELDS = ("index_no", "publisher", "date", "doc_number", "topic")


def inherit_header(own: Header, notice: Header) -> Header:
    """The attachment's header with the notice's values where it has none.

    >>> notice = Header(publisher="区府办", date="2024-02-01")
    >>> h = inherit_header(Header(date="2024-03-01", title="任务分解表"), notice)
    >>> h.publisher, h.date, h.title
    ('区府办', '2024-03-01', '任务分解表')
    """
    return replace(own, **{f: getattr(notice, f) for f in INHERITED_FIELDS if getattr(own, f) is None})


def extract_document(doc: Document, *, notice: Extraction | None = None, outcomes: bool = True) -> Extraction:
    """Run every extractor over one document, in dependency order.

    The header feeds the jurisdiction; the assignments' units feed the mentions (every unit named
    in a 牵头/配合 column is an agency); the jurisdiction's region code decides which short
    place names (北仑, 镇海) count as places. Assignments and mentions get their source location.

    Args:
        doc: the normalised document.
        notice: the extraction of the web notice the document is an attachment of: its header
            fills the fields the document's own header lacks, its 索引号 and publisher are
            evidence for the jurisdiction (the notice's jurisdiction is taken when the document
            settles none), and ``family`` names it.
    """
    from kg.resolve import contraction_aliases, document_aliases, resolve_entities

    header = extract_header(doc.text)
    if notice is not None:
        header = inherit_header(header, notice.header)
    jurisdiction, code = infer_jurisdiction(
        doc.text,
        index_no=header.index_no,
        publisher=header.publisher,
        title=header.title or (notice.header.title if notice is not None else None),
    )
    if jurisdiction is None and notice is not None:
        jurisdiction, code = notice.jurisdiction, notice.jurisdiction_code
    assignments = tuple(
        _with_location(a, doc.location(a.start, a.end)) for a in extract_assignments(doc.text)
    )
    mentions = tuple(
        _with_location(m, doc.location(m.start, m.end))
        for m in extract_mentions(doc.text, assignments, jurisdiction_code=code)
    )
    agencies = [m.text for m in mentions if m.type == "Agency"]
    aliases = contraction_aliases(agencies, publisher=header.publisher) | document_aliases(doc.text)
    entities = resolve_entities(mentions, jurisdiction=jurisdiction, aliases=aliases)
    extraction = Extraction(
        doc=doc.name,
        header=header,
        jurisdiction=jurisdiction,
        jurisdiction_code=code,
        assignments=assignments,
        mentions=mentions,
        entities=entities,
        family=notice.doc if notice is not None else None,
    )
    if not outcomes:
        return extraction
    # quantities, project statuses, completion reports (kg/extract/progress.py)
    from kg.extract.progress import read_outcomes

    quantities, statuses, progress = read_outcomes(
        doc.text, mentions=mentions, assignments=assignments, date=header.date
    )
    return replace(extraction, quantities=quantities, statuses=statuses, progress=progress)


@cache
def _fields_but_location(cls: type) -> tuple[Callable[[object], tuple], int]:
    """A getter of a dataclass's init fields other than ``location``, and where that one goes."""
    names = [f.name for f in fields(cls) if f.init]
    k = names.index("location")
    return attrgetter(*names[:k], *names[k + 1 :]), k


def _with_location(item: T, location: str | None) -> T:
    """``replace(item, location=location)`` without its per-call look at the fields (it runs
    for every mention of every document)."""
    getter, k = _fields_but_location(type(item))
    values = getter(item)
    return type(item)(*values[:k], location, *values[k:])


def clear_caches() -> None:
    """Forget every per-text and per-name memo (tables stay loaded).

    Extraction memoises unit splits, name checks and scans of recent texts; a benchmark calls
    this before each timed pass so that it measures text the extractor has not seen.
    """
    from kg import resolve
    from kg.extract import assignments, entities, jurisdiction, quantities, units

    for function in (
        units._split_units, units.is_unit_name, units.looks_like_unit_list, assignments.classify_column,
        assignments.label_lines, quantities.parse_number,
        resolve.split_prefix, resolve.canonical_agency_name, resolve.is_collective_unit,
        resolve._scoped_agency_name,
    ):
        function.cache_clear()
    for scanner in (entities._region_table()[0], jurisdiction._scanner().pattern):
        scanner.forget()
