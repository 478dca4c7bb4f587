"""Typed, frozen records passed between pipeline stages (ingest -> normalize -> extract -> resolve)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

__all__ = [
    "ENTITY_TYPES",
    "Link",
    "Location",
    "RawDocument",
    "Document",
    "Header",
    "Assignment",
    "Mention",
    "Entity",
    "Extraction",
    "Problem",
    # issue 7: quantities, project statuses, completion reports
    "Quantity",
    "StatusStatement",
    "Comparison",
    "ProgressItem",
]

#: The entity types of the gold schema (``../shared/gold/SCHEMA.md``), in display order.
ENTITY_TYPES: tuple[str, ...] = ("Agency", "Road", "RailLine", "HousingProgramme", "Place", "Project")

#: Where a stretch of the decoded text came from: ``(start, end, label)`` with offsets in
#: ``RawDocument.text`` / ``Document.original``, e.g. ``(120, 168, "sheet 任务表, row 3")``.
Location = tuple[int, int, str]


@dataclass(frozen=True)
class Link:
    """An attachment link of a web page: its ``href`` as written and its link text."""

    href: str  # e.g. "attach/%E4%BB%BB%E5%8A%A1.xlsx" or "download.jsp?id=12"
    text: str  # e.g. "附件:任务分解表"


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk: decoded text, before normalisation.

    ``text`` is the decoded file content for ``.txt``; for ``.html`` it is the body text with
    navigation dropped and each table row rendered as one ``| cell | cell |`` line; ``.docx``,
    ``.xlsx`` and ``.pdf`` give the same shape (paragraphs as lines, table rows as pipe lines).
    ``locations`` names the source of table rows and paragraphs (sorted, not overlapping);
    ``attachments`` are a web page's links to attached files.
    """

    path: Path
    name: str  # file name, e.g. "003_b31d4c8d9ca6cfbf.txt"
    text: str
    encoding: str  # e.g. "utf-8", "utf-8-sig", "gb18030", "big5"; "binary" for docx/xlsx/pdf
    format: str  # "txt", "html", "docx", "xlsx" or "pdf"
    locations: tuple[Location, ...] = ()
    attachments: tuple[Link, ...] = ()


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
    locations: tuple[Location, ...] = ()  # offsets in ``original``, as in RawDocument
    attachments: tuple[Link, ...] = ()

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` back to a span of ``original``."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1

    def location(self, start: int, end: int) -> str | None:
        """Where the ``[start, end)`` span of ``text`` starts in the source file, or None.

        The label of the location holding the span's first character (``"sheet 任务表, row 3"``,
        ``"page 2, table 1, row 4"``); for a ``.txt`` file without locations, its line.

        >>> doc = Document(Path("a.txt"), "a.txt", "x\\ny", "x\\ny", (0, 1, 2, 3), "utf-8", "txt")
        >>> doc.location(2, 3)
        'line 2'
        """
        origin = self.source_span(start, end)[0]
        if self.locations:
            index = bisect_right(self.locations, origin, key=lambda loc: loc[0]) - 1
            if index >= 0 and origin < self.locations[index][1]:
                return self.locations[index][2]
            return None
        if self.format == "txt":
            return f"line {bisect_right(self._line_starts, origin)}"
        return None

    @cached_property
    def _line_starts(self) -> tuple[int, ...]:
        """Offsets in ``original`` where its lines start."""
        return (0, *(m.end() for m in re.finditer("\n", self.original)))


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
    location: str | None = None  # where in the source file, e.g. "sheet 任务表, row 3" (Document.location)


@dataclass(frozen=True)
class Mention:
    """A typed name found in the text, with its span in Document.text."""

    text: str
    type: str  # one of ENTITY_TYPES
    start: int
    end: int
    location: str | None = None  # where in the source file (Document.location)


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


# --- issue 7: quantities, project statuses and completion reports (kg/extract/quantities.py,
# --- status.py, progress.py) -----------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number with its unit read from the text (``新增保障性租赁住房2400套``).

    ``value`` is in ``unit`` with magnitude words multiplied out (1.68万亩 -> 16800 亩, 172.35亿元 ->
    17235000000 元). ``counts`` is what is counted (保障性租赁住房), "" when the text does not say.
    ``bound`` is how a target reads: "min" (以上, 不少于), "max" (以内, 不超过), "approx" (左右, 约)
    or "" (exact). ``role`` is "target" (a plan or task) or "result" (a report), ``year`` the year
    the figure is about; both "" / None when unknown.
    """

    text: str  # the figure as written, e.g. "2479套", "6%左右"
    value: Decimal
    unit: str
    counts: str
    start: int  # span of the figure in Document.text
    end: int
    bound: str = ""
    verb: str = ""  # the verb it follows (新增, 完成, 增长), if any
    role: str = ""
    year: int | None = None


@dataclass(frozen=True)
class StatusStatement:
    """What a document says of the state of a road, rail line, housing programme or project in a year.

    ``status`` is one of planned, preparatory, started, under_construction, completed, opened.
    ``reported`` is True where a review reports the state, False where a plan commits to it (a
    plan's "completed" is a target); ``hedged`` marks intended wording (力争, 争取, 适时).
    """

    entity: str  # the surface the statement names
    type: str  # its entity type
    status: str
    year: int | None
    evidence: str  # verbatim, at most 40 characters; two pieces of one clause joined by "…"
    cue: str  # the wording that gave the status, e.g. "开工建设", "力争…开工建设"
    start: int  # span of the entity's mention in Document.text
    end: int
    quote_start: int  # span of the clause the status was read from
    quote_end: int
    reported: bool
    hedged: bool = False


@dataclass(frozen=True)
class Comparison:
    """A reported figure against the target figure of the same kind (same unit, same counted thing)."""

    target: Quantity
    result: Quantity
    outcome: str  # "met" or "not_met"
    ratio: Decimal | None  # result / target, 4 decimals; None when the target is 0


@dataclass(frozen=True)
class ProgressItem:
    """One row of a completion report (编号 | 目标任务 | 完成情况): the task, what was reported and
    how the reported figures compare with the task's targets."""

    number: str  # the row's 编号 / 序号, as written
    task: str  # 目标任务 up to its first 。 or ;
    reported: str  # 完成情况 up to its first 。
    task_text: str  # the whole 目标任务 cell
    result_text: str  # the whole 完成情况 cell
    start: int  # span of the row in Document.text
    end: int
    task_span: tuple[int, int] = (0, 0)  # spans of the two cells in Document.text
    result_span: tuple[int, int] = (0, 0)
    targets: tuple[Quantity, ...] = ()
    results: tuple[Quantity, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    outcome: str = "not_comparable"  # "met", "not_met" or "not_comparable"
    lead: tuple[str, ...] = ()  # units of the row, where the table has unit columns
    support: tuple[str, ...] = ()

    @property
    def ratio(self) -> Decimal | None:
        """The ratio of the comparison that decides the outcome (the smallest one)."""
        ratios = [c.ratio for c in self.comparisons if c.ratio is not None and c.outcome == self.outcome]
        return min(ratios) if ratios else None


# --- end of issue 7 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document.

    ``family`` is the file name of the web notice a document belongs to: set on the notice itself
    and on each attachment it links that the corpus holds (see ``kg.family``).
    """

    doc: str
    header: Header
    jurisdiction: str | None
    jurisdiction_code: str | None
    assignments: tuple[Assignment, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    family: str | None = None
    # issue 7 (kg/extract/quantities.py, status.py, progress.py)
    quantities: tuple[Quantity, ...] = ()
    statuses: tuple[StatusStatement, ...] = ()
    progress: tuple[ProgressItem, ...] = ()
