"""Typed, frozen records passed between pipeline stages (ingest -> normalize -> extract -> resolve)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ENTITY_TYPES",
    "RawDocument",
    "Document",
    "Header",
    "Assignment",
    "Mention",
    "Entity",
    "Extraction",
    "Problem",
]

#: The entity types of the gold schema (``../shared/gold/SCHEMA.md``), in display order.
ENTITY_TYPES: tuple[str, ...] = ("Agency", "Road", "RailLine", "HousingProgramme", "Place", "Project")


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk: decoded text, before normalisation.

    ``text`` is the decoded file content for ``.txt``; for ``.html`` it is the body text with
    navigation dropped and each table row rendered as one ``| cell | cell |`` line.
    """

    path: Path
    name: str  # file name, e.g. "003_b31d4c8d9ca6cfbf.txt"
    text: str
    encoding: str  # e.g. "utf-8", "utf-8-sig", "gb18030", "big5"
    format: str  # "txt" or "html"


@dataclass(frozen=True)
class Document:
    """A normalised document: simplified Chinese, glosses removed, half-width punctuation.

    ``offsets[i]`` is the index in ``original`` of the character that produced ``text[i]``;
    ``offsets`` has ``len(text) + 1`` entries (the last maps the end of the text).
    """

    path: Path
    name: str
    original: str
    text: str
    offsets: tuple[int, ...]
    encoding: str
    format: str

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` back to a span of ``original``."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Header:
    """Metadata block of a government web page (索引号, 发布机构, 成文日期, 文号, 主题分类)."""

    index_no: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    doc_number: str | None = None  # 文号
    topic: str | None = None  # 主题分类
    title: str | None = None


@dataclass(frozen=True)
class Assignment:
    """One task given to named units: ``lead`` and ``support`` in the order written."""

    task: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    start: int  # span of the whole row / sentence in Document.text
    end: int
    layout: str  # "table", "pipe", "label", "bracket", "tail"
    quote: str = ""  # the row or sentence the assignment was read from


@dataclass(frozen=True)
class Mention:
    """A typed name found in the text, with its span in Document.text."""

    text: str
    type: str  # one of ENTITY_TYPES
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    """A resolved thing: canonical name, jurisdiction-scoped id and the surfaces that name it."""

    id: str
    type: str
    name: str  # canonical full name
    jurisdiction: str | None
    surfaces: tuple[str, ...]
    collective: bool = False


@dataclass(frozen=True)
class Problem:
    """A per-document issue reported to the user; the other documents go on."""

    doc: str
    where: str
    message: str

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"{self.doc}{where}: {self.message}"


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    doc: str
    header: Header
    jurisdiction: str | None
    jurisdiction_code: str | None
    assignments: tuple[Assignment, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
