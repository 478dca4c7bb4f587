"""Extraction stage: a normalised Document -> an Extraction (header, jurisdiction, assignments, mentions)."""

from __future__ import annotations

from kg.extract.assignments import extract_assignments
from kg.extract.entities import extract_mentions
from kg.extract.header import extract_header
from kg.extract.jurisdiction import infer_jurisdiction
from kg.models import Document, Extraction

__all__ = ["extract_document", "clear_caches"]


def extract_document(doc: Document) -> Extraction:
    """Run every extractor over one document, in dependency order.

    The header feeds the jurisdiction; the assignments' units feed the mentions (every unit named
    in a 牵头/配合 column is an agency); the jurisdiction's region code decides which short
    place names (北仑, 镇海) count as places.
    """
    from kg.resolve import contraction_aliases, document_aliases, resolve_entities

    header = extract_header(doc.text)
    jurisdiction, code = infer_jurisdiction(
        doc.text, index_no=header.index_no, publisher=header.publisher, title=header.title
    )
    assignments = extract_assignments(doc.text)
    mentions = extract_mentions(doc.text, assignments, jurisdiction_code=code)
    agencies = [m.text for m in mentions if m.type == "Agency"]
    aliases = contraction_aliases(agencies, publisher=header.publisher) | document_aliases(doc.text)
    entities = resolve_entities(mentions, jurisdiction=jurisdiction, aliases=aliases)
    return Extraction(
        doc=doc.name,
        header=header,
        jurisdiction=jurisdiction,
        jurisdiction_code=code,
        assignments=assignments,
        mentions=mentions,
        entities=entities,
    )


def clear_caches() -> None:
    """Forget every per-text and per-name memo (tables stay loaded).

    Extraction memoises unit splits, name checks and scans of recent texts; a benchmark calls
    this before each timed pass so that it measures text the extractor has not seen.
    """
    from kg import resolve
    from kg.extract import assignments, entities, jurisdiction, units

    for function in (
        units._split_units, units.is_unit_name, units.looks_like_unit_list, assignments.classify_column,
        resolve.split_prefix, resolve.canonical_agency_name, resolve.is_collective_unit,
        resolve._scoped_agency_name,
    ):
        function.cache_clear()
    for scanner in (entities._region_table()[0], jurisdiction._scanner().pattern):
        scanner.forget()
