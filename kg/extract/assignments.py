"""Lead/support assignments in tables, label lines, brackets and tails: normalised text -> Assignments."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from kg.extract.units import is_unit_name, looks_like_unit_list, split_units
from kg.models import Assignment

__all__ = ["extract_assignments", "classify_column", "first_sentence"]

#: Units by role ("lead", "support", "resp"), in the order the row or label names them.
Parts = tuple[tuple[str, tuple[str, ...]], ...]

# ---------------------------------------------------------------------------------------------
# Column headers
# ---------------------------------------------------------------------------------------------

_COLUMN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("seq", re.compile(r"^(?:序号|编号|序|号|No\.?|NO\.?)$")),
    (
        "other",
        re.compile(r"(?:领导|时限|时间|进度|备注|完成情况|节点|要求|成效|联系人|电话|类别|分类|金额|投资)"),
    ),
    ("lead", re.compile(r"(?:牵头|主要责任|主责|主办)(?:单位|部门|责任单位)?")),
    ("support", re.compile(r"(?:配合|协办|协同|协助|协作|参与|相关)(?:单位|部门)")),
    ("resp", re.compile(r"^(?:责任|承办|实施|落实|主体)(?:单位|部门|主体)$|^责任单位")),
    ("task", re.compile(r"(?:任务|工作|内容|事项|措施|举措|目标|项目|指标)")),
)
_UNIT_ROLES = ("lead", "support", "resp")
_LABEL_JUNK = re.compile(r"[\s:*]")
# a header label is a bare term: numbered headings (二、重点项目) and sentences are not
_NOT_A_LABEL = re.compile(r"[、,;。()\d]")


@lru_cache(maxsize=4096)
def classify_column(label: str) -> str | None:
    """Role of a table column from its header label, or None when it is not a header label.

    >>> [classify_column(x) for x in ("序号", "目标任务", "牵头单位", "协同配合单位", "责任单位", "完成时限")]
    ['seq', 'task', 'lead', 'support', 'resp', 'other']
    >>> classify_column("主要责任单位"), classify_column("推进城市更新"), classify_column("二、重点项目")
    ('lead', None, None)
    """
    label = _LABEL_JUNK.sub("", label)
    if not label or len(label) > 10 or _NOT_A_LABEL.search(label):
        return None
    for role, pattern in _COLUMN_PATTERNS:
        if pattern.search(label):
            return role
    return None


# a line of at most ten characters besides blanks, colons and asterisks (after the newline
# before it): no other line can be a header label (classify_column reads ten at most)
_LABEL_LINE = re.compile(r"\n(?:[^\S\n]|[:*])*(?:[^\s:*](?:[^\S\n]|[:*])*){0,10}(?=\n|\Z)")


@lru_cache(maxsize=2)
def label_lines(text: str) -> tuple[int, ...]:
    """Numbers of the lines of ``text`` (split at newlines) that may be header labels, blank
    lines included: a table header starts at one of them. Remembered for the last texts: the
    assignment and the completion-report readers both look for tables.

    >>> label_lines("序号\\n推进城市更新行动,完成老旧小区改造\\n\\n 牵头 单位 :")
    (0, 2, 3)
    """
    found, line, pos = [], 0, 0
    for m in _LABEL_LINE.finditer("\n" + text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        found.append(line)
    return tuple(found)


def next_label(labels: Sequence[int], k: int, count: int) -> int:
    """The first of ``labels`` at or after line k, else ``count`` (the number of lines)."""
    n = bisect_left(labels, k)
    return labels[n] if n < len(labels) else count


def _is_header(roles: Sequence[str | None]) -> bool:
    present = set(roles)
    return None not in present and "task" in present and bool(present & {"lead", "resp"})


# ---------------------------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:[(]?[0-9一二三四五六七八九十]{1,3}[)]|[0-9]{1,3}[.、)]|[一二三四五六七八九十]{1,3}[、.]"
    r"|[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[,、]?)\s*"
)
_ENUMERATOR = re.compile(
    r"(?:^|(?<=[。;:\s]))(?:[一二三四五六七八九十]{1,3}是|[(][0-9一二三四五六七八九十]{1,3}[)]|[0-9]{1,3}[.、](?!\d))"
)
_SENTENCE_END = re.compile(r"[。;]")
_SENTENCE = re.compile(r"[^。;]+")


def first_sentence(text: str) -> str:
    """A task as the gold defines it: the text up to its first 。 or ;, without its number.

    >>> first_sentence("2.推动闲置岸线资源高效集约利用。开工两个项目。"), first_sentence("。二是新建绿道")
    ('推动闲置岸线资源高效集约利用', '新建绿道')
    """
    text = _NUMBERING.sub("", text.strip().lstrip("。;,、: "), count=1)
    return _SENTENCE_END.split(text, maxsplit=1)[0].strip(" ,、:“”")


# ---------------------------------------------------------------------------------------------
# Units -> lead and support
# ---------------------------------------------------------------------------------------------

_FIRST_LEADS = re.compile(
    r"(?:排在?第一位|排名第一|排序第一|列第一位|第一个|第一家|首位|排在首位|第一)\S{0,8}(?:为|是)\S{0,4}牵头"
)


def _units(cell: str) -> tuple[str, ...]:
    return tuple(u for u in split_units(cell) if len(u) <= 45)


def _lead_support(parts: Parts, *, first_leads: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lead and support units from units by role, in the order written.

    Where a 牵头 unit is named, every other unit supports. Otherwise 责任 units lead, or only the
    first of them where the document says the first listed leads.

    >>> _lead_support((("resp", ("区财政局",)), ("lead", ("区住建局",))), first_leads=False)
    (('区住建局',), ('区财政局',))
    >>> _lead_support((("resp", ("县水利局", "县农业农村局")), ("support", ("各乡镇",))), first_leads=True)
    (('县水利局',), ('县农业农村局', '各乡镇'))
    """
    lead = tuple(u for role, units in parts if role == "lead" for u in units)
    if lead:
        return lead, tuple(u for role, units in parts if role != "lead" for u in units if u not in lead)
    resp = tuple(u for role, units in parts if role == "resp" for u in units)
    support = tuple(u for role, units in parts if role == "support" for u in units)
    if first_leads and len(resp) > 1:
        return resp[:1], resp[1:] + support
    return resp, support


@dataclass(frozen=True)
class _Row:
    roles: tuple[str, ...]
    cells: tuple[str, ...]
    first: int  # index of the row's first line
    last: int  # index of its last line
    layout: str  # "table" or "pipe"

    @property
    def quote(self) -> str:
        return " | ".join(c for c in self.cells if c)


def _row_assignment(row: _Row, span: tuple[int, int], *, first_leads: bool) -> Assignment | None:
    """The assignment of one table row: its first task cell and its unit columns."""
    tasks = [c for r, c in zip(row.roles, row.cells, strict=True) if r == "task" and c.strip()]
    parts = tuple((r, _units(c)) for r, c in zip(row.roles, row.cells, strict=True) if r in _UNIT_ROLES)
    lead, support = _lead_support(parts, first_leads=first_leads)
    task = first_sentence(tasks[0]) if tasks else ""
    if not task or not (lead or support):
        return None
    return Assignment(task, lead, support, span[0], span[1], row.layout, row.quote)


# ---------------------------------------------------------------------------------------------
# Layout 1: tables flattened one cell per line
# ---------------------------------------------------------------------------------------------

_SEQ_LINE = re.compile(r"^\s*(\d{1,5})\s*[.、]?\s*$")
_SHORT_VALUE = re.compile(r"\d|年|月|季度|底|前|长期|持续|常态|全年")


@dataclass(frozen=True)
class _Cell:
    text: str
    first: int  # index of its first line (of its gap, for an empty cell)
    last: int


def _line_starts(lines: Sequence[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    starts.append(pos)
    return starts


def _header_run(lines: Sequence[str], i: int) -> tuple[list[str], int, bool] | None:
    """Header labels starting at line i, one per line: (roles, next line, blank-separated)."""
    roles: list[str] = []
    j, blank_separated, gap = i, False, False
    while j < len(lines):
        cell = lines[j].strip()
        if not cell:
            if not roles or gap:
                break
            gap = True
            j += 1
            continue
        role = classify_column(cell)
        if role is None or (role != "other" and role in roles):  # a short task cell, or the next row
            break
        blank_separated = blank_separated or gap
        gap = False
        roles.append(role)
        j += 1
    if len(roles) >= 2 and _is_header(roles):
        return roles, j, blank_separated
    return None


def _cells(lines: Sequence[str], start: int, end: int, *, blank_separated: bool) -> list[_Cell]:
    """The cells of ``lines[start:end]``.

    Without blank separators each line is a cell and a blank line an empty cell. With them a block
    of consecutive lines is one cell and a gap of n blank lines holds n // 2 empty cells: the
    separator plus an empty cell is two blank lines, or three when the empty cell has separators
    on both sides.
    """
    if not blank_separated:
        return [_Cell(lines[k].strip(), k, k) for k in range(start, end)]
    cells: list[_Cell] = []
    k = start
    while k < end:
        gap = k
        while k < end and not lines[k].strip():
            k += 1
        cells.extend(_Cell("", gap, gap) for _ in range((k - gap) // 2))
        first = k
        while k < end and lines[k].strip():
            k += 1
        if k > first:
            cells.append(_Cell("".join(line.strip() for line in lines[first:k]), first, k - 1))
    return cells


def _row_ok(texts: Sequence[str], roles: Sequence[str], check: Callable[[str], bool]) -> bool:
    """A task and at least one unit cell, every unit cell passing ``check``."""
    units = [t for r, t in zip(roles, texts, strict=True) if r in _UNIT_ROLES and t]
    has_task = any(t for r, t in zip(roles, texts, strict=True) if r == "task")
    return has_task and bool(units) and all(check(t) for t in units)


def _plausible_units(cell: str) -> bool:
    """Looser than looks_like_unit_list, for rows whose numbering already fixes the structure."""
    return "。" not in cell and all(len(u) <= 45 for u in split_units(cell))


def _ends_task(text: str, before_other: bool) -> bool:
    return bool(text) and (looks_like_unit_list(text) or (before_other and _is_short_value(text)))


def _is_short_value(text: str) -> bool:
    """A 完成时限-like value (2024年12月底, 长期坚持), not a task or a unit list."""
    return (
        len(text) <= 20
        and "。" not in text
        and bool(_SHORT_VALUE.search(text))
        and not looks_like_unit_list(text)
    )


def _content_row(cells: Sequence[_Cell], k: int, roles: Sequence[str]) -> tuple[list[str], int]:
    """Read a row by content when the cell structure is broken (a task over several lines).

    The cells up to the first unit list make the task; then unit lists fill the unit columns and
    short values the other columns, each column left empty when the next cell does not fit it.
    """
    texts: list[str] = []
    for n, role in enumerate(roles):
        while k < len(cells) and not cells[k].text:
            k += 1
        if role == "task":
            before_other = n + 1 < len(roles) and roles[n + 1] == "other"
            parts: list[str] = []
            while k < len(cells) and not (parts and _ends_task(cells[k].text, before_other)):
                parts.append(cells[k].text)
                k += 1
            texts.append("".join(parts))
        elif k < len(cells) and (looks_like_unit_list if role in _UNIT_ROLES else _is_short_value)(
            cells[k].text
        ):
            texts.append(cells[k].text)
            k += 1
        else:
            texts.append("")
    return texts, k


def _read_row(
    cells: Sequence[_Cell], k: int, roles: Sequence[str], *, numbered: bool
) -> tuple[list[str], int] | None:
    """Cell texts of the row starting at cell k and the index after it, or None when no row fits."""
    width = len(roles)
    texts = [c.text for c in cells[k : k + width]]
    texts += [""] * (width - len(texts))
    if _row_ok(texts, roles, looks_like_unit_list):
        return texts, min(k + width, len(cells))
    by_content, after = _content_row(cells, k, roles)
    if _row_ok(by_content, roles, looks_like_unit_list):
        return by_content, after
    if numbered and _row_ok(texts, roles, _plausible_units):
        return texts, min(k + width, len(cells))
    return None


def _numbered_rows(
    lines: Sequence[str], roles: list[str], i: int, end: int, *, blank_separated: bool
) -> Iterator[_Row]:
    """Rows of a table with a 序号 column: each number line starts a row (numbering may restart)."""
    body = [r for r in roles if r != "seq"]
    anchors: list[int] = []
    expected = None
    for k in range(i, end):
        m = _SEQ_LINE.match(lines[k])
        if m and (expected is None or int(m.group(1)) in (expected, 1)):
            anchors.append(k)
            expected = int(m.group(1)) + 1
    for n, a in enumerate(anchors):
        b = anchors[n + 1] if n + 1 < len(anchors) else end
        cells = _cells(lines, a + 1, b, blank_separated=blank_separated)
        read = _read_row(cells, 0, body, numbered=True)
        if read:
            texts, after = read
            last = max((c.last for c in cells[:after] if c.text), default=a)
            yield _Row(tuple(body), tuple(texts), a, last, "table")


def _plain_rows(
    lines: Sequence[str], roles: list[str], i: int, end: int, *, blank_separated: bool
) -> Iterator[_Row]:
    """Rows of a table without a 序号 column, until a row does not fit."""
    cells = _cells(lines, i, end, blank_separated=blank_separated)
    k = 0
    while k < len(cells):
        if not cells[k].text:
            k += 1
            continue
        read = _read_row(cells, k, roles, numbered=False)
        if read is None:
            return
        texts, after = read
        last = max(c.last for c in cells[k:after] if c.text)
        yield _Row(tuple(roles), tuple(texts), cells[k].first, last, "table")
        k = after


def _flattened_rows(lines: Sequence[str], labels: Sequence[int]) -> Iterator[_Row]:
    """Rows of the tables flattened one cell per line: a run of header labels starts a table
    (``labels``: the lines that may be labels, see :func:`label_lines`)."""
    i = 0
    while (i := next_label(labels, i, len(lines))) < len(lines):
        found = _header_run(lines, i)
        if not found:
            i += 1
            continue
        roles, i, blank_separated = found
        # rows run to the next header run (a repeated header, or the next table) or the end
        end = next_label(labels, i, len(lines))
        while end < len(lines) and not (lines[end].strip() and _header_run(lines, end)):
            end = next_label(labels, end + 1, len(lines))
        read = _numbered_rows if "seq" in roles else _plain_rows
        yield from read(lines, roles, i, end, blank_separated=blank_separated)
        i = end


# ---------------------------------------------------------------------------------------------
# Layout 2: one row per line, cells separated by | or tabs
# ---------------------------------------------------------------------------------------------


def _line_cells(line: str) -> list[str] | None:
    """Cells of a ``| a | b |`` or tab-separated line; outer pipes are borders, not empty cells."""
    line = line.strip(" ")
    if "|" in line:
        cells = [c.strip() for c in line.split("|")]
        if line.startswith("|"):
            cells = cells[1:]
        if line.endswith("|"):
            cells = cells[:-1]
    elif "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    else:
        return None
    return cells if len(cells) >= 2 else None


def _pipe_rows(lines: Sequence[str]) -> Iterator[_Row]:
    """Rows of ``|``- or tab-separated tables: a header line sets the columns of the lines below it."""
    roles: list[str] | None = None
    for n, line in enumerate(lines):
        cells = _line_cells(line)
        if cells is None:
            if line.strip():
                roles = None
            continue
        cell_roles = [classify_column(c) for c in cells]
        if _is_header(cell_roles):
            roles = [r or "other" for r in cell_roles]
            continue
        if roles is None:
            continue
        row_roles = list(roles)
        if "seq" in roles and len(cells) == len(roles) - 1 and not re.fullmatch(r"\d{1,3}", cells[0]):
            row_roles = [r for r in roles if r != "seq"]  # a row printed without its number
        cells = (cells + [""] * len(row_roles))[: len(row_roles)]
        body = [(r, c) for r, c in zip(row_roles, cells, strict=True) if r != "seq"]
        yield _Row(tuple(r for r, _ in body), tuple(c for _, c in body), n, n, "pipe")


# ---------------------------------------------------------------------------------------------
# Layouts 3-5: label lines, brackets, tails
# ---------------------------------------------------------------------------------------------

_LEAD_LABELS = r"牵头单位|牵头部门|主要责任单位|主责单位|牵头"
_SUPPORT_LABELS = r"协同配合单位|配合单位|配合部门|协办单位|协同单位|协助单位|参与单位|相关单位"
_RESP_LABELS = r"责任单位|责任部门|承办单位|实施单位"
_ROLE_LABELS = f"{_LEAD_LABELS}|{_SUPPORT_LABELS}|{_RESP_LABELS}"
_LABEL = re.compile(rf"({_ROLE_LABELS})\s*:\s*")
# a label's value runs to the end of the line or a bracket; balanced (…) stay in (区委(区政府)办公室)
_LABEL_GROUP = re.compile(rf"(?:{_ROLE_LABELS})\s*:(?:[^\n\[\]【】()]|\([^()\n]*\))*")
_BRACKET = re.compile(
    rf"\[(?P<square>(?:{_ROLE_LABELS})\s*:[^\]\n]*)\]"
    rf"|【(?P<lenticular>(?:{_ROLE_LABELS})\s*:[^】\n]*)】"
    rf"|\((?P<round>(?:{_ROLE_LABELS})\s*:(?:[^()\n]|\([^()\n]*\))*)\)"
)
_TAIL = re.compile(
    r"\(((?:[^()\n]|\([^()\n]{1,12}\)){2,200}?(?:牵头|负责|配合|协助|参与)(?:[^()\n]|\([^()\n]{1,12}\)){0,100}?)\)"
)
_TAIL_PART = re.compile(
    r"^由?(?P<units>.+?)(?P<role>牵头负责|牵头|按职责分工负责|按职责负责|分工负责|共同负责|负责|配合|协助|参与|协同)$"
)


@dataclass(frozen=True)
class _Marker:
    start: int
    end: int
    layout: str  # "bracket", "tail", "label"
    parts: Parts


def _label_parts(body: str) -> Parts:
    """Units per role from ``牵头单位:X;责任单位:Y`` (the labels split the text)."""
    pieces = _LABEL.split(body)
    parts = []
    for label, value in zip(pieces[1::2], pieces[2::2], strict=True):
        parts.append((_label_role(label), _units(value)))
    return tuple(parts)


def _label_role(label: str) -> str:
    if re.fullmatch(_LEAD_LABELS, label):
        return "lead"
    return "support" if re.fullmatch(_SUPPORT_LABELS, label) else "resp"


def _tail_parts(body: str) -> Parts | None:
    """Units per role from ``X牵头,Y配合`` / ``X负责``; None unless every part names units and a role."""
    parts = []
    for piece in re.split(r"[,;]", body):
        m = _TAIL_PART.match(piece.strip())
        units = _units(m.group("units")) if m else ()
        if not units or not all(is_unit_name(u) for u in units):
            return None
        role = m.group("role")
        parts.append(("lead" if role.startswith("牵头") else "resp" if role == "负责" else "support", units))
    return tuple(parts) if any(role != "support" for role, _ in parts) else None


def _markers(text: str) -> list[_Marker]:
    """Every bracket, tail and label group of the text, in text order, none inside another."""
    found: list[_Marker] = []

    def add(start: int, end: int, layout: str, parts: Parts | None) -> None:
        if parts and any(units for _, units in parts) and not any(m.start <= start < m.end for m in found):
            found.append(_Marker(start, end, layout, parts))

    for m in _BRACKET.finditer(text):
        body = m.group("square") or m.group("lenticular") or m.group("round")
        add(m.start(), m.end(), "bracket", _label_parts(body))
    for m in _TAIL.finditer(text):
        add(m.start(), m.end(), "tail", _tail_parts(m.group(1)))
    for m in _LABEL_GROUP.finditer(text):
        add(m.start(), m.end(), "label", _label_parts(m.group()))
    return sorted(found, key=lambda m: m.start)


def _merge_labels(text: str, markers: list[_Marker]) -> list[_Marker]:
    """Label lines that follow each other (blank lines between allowed) describe one task."""
    merged: list[_Marker] = []
    for m in markers:
        prev = merged[-1] if merged else None
        if prev and prev.layout == m.layout == "label" and not text[prev.end : m.start].strip():
            merged[-1] = _Marker(prev.start, m.end, "label", prev.parts + m.parts)
        else:
            merged.append(m)
    return merged


def _task_before(text: str, line_start: int, marker_start: int, floor: int) -> tuple[str, int]:
    """The task a marker closes: from the last enumerator before it, else its last sentence."""
    start = max(line_start, floor)
    region = text[start:marker_start]
    enums = list(_ENUMERATOR.finditer(region))
    if enums:
        start += enums[-1].start()
        return first_sentence(text[start:marker_start]), start
    sentences = [s for s in _SENTENCE.finditer(region) if s.group().strip(" ,、:")]
    if not sentences:
        return "", start
    return first_sentence(sentences[-1].group()), start + sentences[-1].start()


def _previous_line(text: str, line_start: int) -> tuple[str, int]:
    """The nearest non-blank line before ``line_start`` and its start: label lines sit under their task."""
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            return text[start:end], start
        end = start - 1
    return "", 0


def _inline_assignments(
    text: str, *, first_leads: bool, taken: Sequence[tuple[int, int]]
) -> Iterator[Assignment]:
    """Assignments of the brackets, tails and label lines outside the ``taken`` table rows.

    Each marker closes the task written since the previous one; label lines with nothing before
    them on their line belong to the line above, unless a marker there has used it already.
    """
    markers = [m for m in _markers(text) if not any(s <= m.start < e for s, e in taken)]
    floor = 0
    for m in _merge_labels(text, markers):
        line_start = text.rfind("\n", 0, m.start) + 1
        task, task_start = _task_before(text, line_start, m.start, floor)
        if not task and m.layout == "label":
            line, task_start = _previous_line(text, line_start)
            task = first_sentence(line) if task_start >= floor else ""
        floor = m.end
        lead, support = _lead_support(m.parts, first_leads=first_leads)
        if task and (lead or support):
            yield Assignment(
                task, lead, support, task_start, m.end, m.layout, text[task_start : m.end].strip()
            )


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def extract_assignments(text: str) -> tuple[Assignment, ...]:
    """Every task the text gives to named units, in text order.

    >>> table = ["序号", "目标任务", "牵头单位", "配合单位", "1", "新建绿道8公里。", "区住建局", "各街道"]
    >>> text = "\\n\\n".join(table)
    >>> [(a.task, a.lead, a.support) for a in extract_assignments(text)]
    [('新建绿道8公里', ('区住建局',), ('各街道',))]
    >>> text = "推进垃圾分类(区城管局牵头,各街道配合)。"
    >>> [(a.task, a.lead, a.support) for a in extract_assignments(text)]
    [('推进垃圾分类', ('区城管局',), ('各街道',))]
    """
    lines = text.split("\n")
    starts = _line_starts(lines)
    first_leads = bool(_FIRST_LEADS.search(text))
    found: list[Assignment] = []
    pipes = "|" in text or "\t" in text  # a pipe table needs cells
    for row in [*_flattened_rows(lines, label_lines(text)), *(_pipe_rows(lines) if pipes else ())]:
        span = (starts[row.first], starts[row.last] + len(lines[row.last]))
        assignment = _row_assignment(row, span, first_leads=first_leads)
        if assignment:
            found.append(assignment)
    taken = [(a.start, a.end) for a in found]
    found.extend(_inline_assignments(text, first_leads=first_leads, taken=taken))
    found.sort(key=lambda a: (a.start, a.end))
    return tuple(found)
