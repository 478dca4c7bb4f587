"""Completion reports (编号 | 目标任务 | 完成情况 tables): normalised text -> ProgressItems.

Each row links what was reported (完成情况) to its target task (目标任务). The figures of the two
cells are compared where they are of one kind (same unit, same counted thing): ``新增保障性租赁住房
2400套`` against ``房源2479套`` of 保障性租赁住房项目 is met (103 %); a row without such a pair is
not comparable.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from kg.extract.assignments import classify_column, label_lines, next_label
from kg.extract.quantities import compare, extract_quantities, same_kind
from kg.extract.sections import Periods, Section
from kg.extract.units import split_units
from kg.models import Assignment, Comparison, Mention, ProgressItem, Quantity, StatusStatement

__all__ = [
    "read_outcomes",
    "extract_progress",
    "compare_figures",
    "task_sentence",
    "reported_sentence",
    "RESULT_LABEL",
]

#: Header labels of the column that reports what was achieved.
RESULT_LABEL = re.compile(
    r"^(?:完成情况|进展情况|完成进度|工作进展|进展|进度|执行情况|落实情况|推进情况|实施情况|完成结果|工作成效|成效|推进成效)$"
)
_LABEL_JUNK = re.compile(r"[\s:*]")
# a line or cell that is a result label but for junk (完成 情况:), between newlines, pipes or tabs
_CELL_JUNK = r"(?:[^\S\n]|[:*])*"
_RESULT_CELL = re.compile(
    rf"(?<![^|\t\n]){_CELL_JUNK}(?:"
    + "|".join(
        _CELL_JUNK.join(word) for word in RESULT_LABEL.pattern.removeprefix("^(?:").removesuffix(")$").split("|")
    )
    + rf"){_CELL_JUNK}(?![^|\t\n])"
)
_SEQ_CELL = re.compile(r"^\s*([0-9]{1,3})\s*[.、]?\s*$")


def task_sentence(cell: str) -> str:
    """A target task as the gold reads it: the cell up to its first 。 or ;.

    >>> task_sentence("新增保障性租赁住房2400套;聚焦引进人才。另一句。")
    '新增保障性租赁住房2400套'
    """
    return re.split(r"[。;]", cell.strip(), maxsplit=1)[0].strip()


def reported_sentence(cell: str) -> str:
    """What was reported as the gold reads it: the cell up to its first 。 (a ; does not end it).

    >>> reported_sentence("完成燃气瓶改管4000余户;更新改造老旧管网7.68公里。实现应换尽换。")
    '完成燃气瓶改管4000余户;更新改造老旧管网7.68公里'
    """
    return cell.strip().split("。", 1)[0].strip()


def _role(label: str) -> str | None:
    label = _LABEL_JUNK.sub("", label)
    if len(label) > 10:
        return None  # body text: longer than any header label (classify_column's bound too)
    if RESULT_LABEL.match(label):
        return "result"
    return classify_column(label)


def _is_header(roles: Sequence[str | None]) -> bool:
    return "task" in roles and "result" in roles and None not in roles


@dataclass(frozen=True)
class _Row:
    roles: tuple[str, ...]
    cells: tuple[tuple[int, int], ...]  # span of each cell in the text
    start: int
    end: int

    def cells_of(self, role: str) -> list[tuple[int, int]]:
        return [span for r, span in zip(self.roles, self.cells, strict=True) if r == role]

    def cell(self, role: str) -> tuple[int, int]:
        return self.cells_of(role)[0]


def _pipe_cells(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """Cell spans of a ``| a | b |`` or tab-separated line; outer pipes are borders."""
    if text.find("|", start, end) < 0 and text.find("\t", start, end) < 0:
        return None  # most lines: no cells, and no slice made
    line = text[start:end]
    sep = "|" if "|" in line else "\t" if "\t" in line else None
    if sep is None:
        return None
    spans, pos = [], start
    for piece in line.split(sep):
        a, b = pos, pos + len(piece)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        spans.append((a, b))
        pos += len(piece) + 1
    if line.strip(" ").startswith(sep):
        spans = spans[1:]
    if line.strip(" ").endswith(sep):
        spans = spans[:-1]
    return spans if len(spans) >= 2 else None


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _pipe_rows(text: str, lines: Sequence[tuple[int, int]]) -> Iterator[_Row]:
    """Rows under a pipe header with a task and a result column, until a line that is no row."""
    roles: list[str] | None = None
    for start, end in lines:
        cells = _pipe_cells(text, start, end)
        if cells is None:
            if text[start:end].strip():
                roles = None
            continue
        labels = [_role(text[a:b]) for a, b in cells]
        if _is_header(labels):
            roles = [r or "other" for r in labels]
            continue
        if roles is None:
            continue
        row_roles = list(roles)
        if "seq" in roles and len(cells) == len(roles) - 1 and not _SEQ_CELL.match(text[slice(*cells[0])]):
            row_roles = [r for r in roles if r != "seq"]  # a row printed without its number
        cells = (cells + [(end, end)] * len(row_roles))[: len(row_roles)]
        yield _Row(tuple(row_roles), tuple(cells), start, end)


def _flat_rows(text: str, lines: Sequence[tuple[int, int]]) -> Iterator[_Row]:
    """Rows of a table flattened one cell per line: header labels, then numbered rows whose cells
    are runs of non-blank lines."""
    labels = label_lines(text)  # a header starts at one of these lines
    k = 0
    while (k := next_label(labels, k, len(lines))) < len(lines):
        roles: list[str] = []
        j = k
        blank_separated = False
        while j < len(lines):
            label = text[slice(*lines[j])].strip()
            if not label:
                if roles and j + 1 < len(lines) and text[slice(*lines[j + 1])].strip():
                    j += 1
                    blank_separated = True
                    continue
                break
            role = _role(label)
            if role is None or role in roles:
                break
            roles.append(role)
            j += 1
        if len(roles) < 3 or "seq" not in roles or not _is_header(roles):
            k += 1
            continue
        body = [r for r in roles if r != "seq"]
        anchors = [n for n in range(j, len(lines)) if _SEQ_CELL.match(text[slice(*lines[n])])]
        for n, a in enumerate(anchors):
            b = anchors[n + 1] if n + 1 < len(anchors) else len(lines)
            if not blank_separated:  # one line per cell
                cells = [(s, e) for s, e in lines[a + 1 : b]][: len(body)]
                cells += [(lines[b - 1][1], lines[b - 1][1])] * (len(body) - len(cells))
                yield _Row(("seq", *body), ((lines[a][0], lines[a][1]), *cells), lines[a][0], lines[b - 1][1])
                continue
            blocks: list[tuple[int, int]] = []
            for start, end in lines[a + 1 : b]:
                if not text[start:end].strip():
                    if blocks and blocks[-1][1] != -1:
                        blocks.append((-1, -1))
                    continue
                if blocks and blocks[-1] != (-1, -1) and blocks[-1][1] + 1 == start:
                    blocks[-1] = (blocks[-1][0], end)
                else:
                    if blocks and blocks[-1] == (-1, -1):
                        blocks.pop()
                    blocks.append((start, end))
            blocks = [b for b in blocks if b != (-1, -1)]
            if not blocks:
                continue
            cells = (blocks + [(blocks[-1][1], blocks[-1][1])] * len(body))[: len(body)]
            row_start = lines[a][0]
            yield _Row(("seq", *body), ((row_start, lines[a][1]), *cells), row_start, blocks[-1][1])
        k = anchors[-1] + 1 if anchors else j


def compare_figures(
    targets: Sequence[Quantity], results: Sequence[Quantity]
) -> tuple[tuple[Comparison, ...], str]:
    """Pair each target with the reported figure of its kind; the row's outcome.

    The outcome is "not_met" when any pair falls short, "met" when every pair reaches its target,
    "not_comparable" when no reported figure is of a target's kind.
    """
    comparisons: list[Comparison] = []
    for target in targets:
        result = _sum_of_parts(target, results)
        if result is None:
            scored = [(same_kind(target, r), -n, r) for n, r in enumerate(results)]
            best = max(scored, key=lambda s: (s[0], s[1]), default=None)
            if best is None or best[0] <= 0:
                continue
            result = best[2]
        outcome, ratio = compare(target, result)
        comparisons.append(Comparison(target, result, outcome, ratio))
    if not comparisons:
        return (), "not_comparable"
    return tuple(comparisons), "not_met" if any(c.outcome == "not_met" for c in comparisons) else "met"


def _figures_in(
    text: str,
    span: tuple[int, int],
    quantities: Sequence[Quantity] | None,
    starts: Sequence[int],
    *,
    role: str,
    year: int | None,
) -> tuple[Quantity, ...]:
    """The figures of a cell: read from the text, or picked by position from the document's
    (``starts`` are their start offsets)."""
    if quantities is None:
        return extract_quantities(text, *span, role=role, year=year)
    inside = quantities[bisect_left(starts, span[0]) : bisect_left(starts, span[1])]
    return tuple(
        q if (q.role, q.year) == (role, year) else replace(q, role=role, year=year)
        for q in inside
        if q.end <= span[1]
    )


_KINDS_SPLIT = re.compile(r"[、和及]")


def _sum_of_parts(target: Quantity, results: Sequence[Quantity]) -> Quantity | None:
    """A target counting several kinds at once (整治高耗低效、低散乱污企业200家) against the sum of
    the figures reported for its kinds (高耗低效企业70家, 低散乱污企业160家); None unless two or
    more kinds are reported."""
    parts = [p for p in _KINDS_SPLIT.split(target.counts) if len(p) >= 2]
    if len(parts) < 2:
        return None
    found: list[Quantity] = []
    for part in parts:
        probe = replace(target, counts=part)
        match = next((r for r in results if r not in found and same_kind(probe, r)), None)
        if match is not None:
            found.append(match)
    if len(found) < 2:
        return None
    total = sum((q.value for q in found), Decimal(0))
    return replace(
        found[0],
        text="+".join(q.text for q in found),
        value=total,
        counts=target.counts,
        start=min(q.start for q in found),
        end=max(q.end for q in found),
    )


def extract_progress(
    text: str, sections: Sequence[Section] = (), *, quantities: Sequence[Quantity] | None = None
) -> tuple[ProgressItem, ...]:
    """Every row of the text's completion-report tables, in text order.

    Args:
        text: normalised document text.
        sections: the document's sections (:func:`kg.extract.sections.find_sections`), for the
            year the rows are about.
        quantities: the document's quantities in text order, when they are known already (the
            cells' figures are taken from them instead of read again).

    >>> text = "编号 | 目标任务 | 完成情况 |\\n1 | 新增保障性租赁住房2400套。 | 筹集保障性租赁住房2479套。 |"
    >>> [(p.task, p.reported, p.outcome, p.ratio) for p in extract_progress(text)]
    [('新增保障性租赁住房2400套', '筹集保障性租赁住房2479套', 'met', Decimal('1.0329'))]
    """
    return _items(text, _report_rows(text), Periods(sections), quantities)


def _report_rows(text: str) -> list[_Row]:
    """The rows of completion-report tables that have a target task, in text order."""
    if not _RESULT_CELL.search(text):
        return []  # no 完成情况 column: no report table (most documents)
    lines = _lines(text)
    pipes = "|" in text or "\t" in text  # a pipe table needs cells
    found = [*(_pipe_rows(text, lines) if pipes else ()), *_flat_rows(text, lines)]
    rows = sorted(found, key=lambda r: r.start)
    return [r for r in rows if text[slice(*r.cell("task"))].strip()]


def _items(
    text: str, rows: Sequence[_Row], periods: Periods, quantities: Sequence[Quantity] | None
) -> tuple[ProgressItem, ...]:
    starts = [q.start for q in quantities] if quantities is not None else []
    items: list[ProgressItem] = []
    for row in rows:
        task_span, result_span = row.cell("task"), row.cell("result")
        task_cell, result_cell = text[slice(*task_span)], text[slice(*result_span)]
        year = periods.year(row.start)
        targets = _figures_in(text, task_span, quantities, starts, role="target", year=year)
        results = _figures_in(text, result_span, quantities, starts, role="result", year=year)
        comparisons, outcome = compare_figures(targets, results)
        units = {
            r: tuple(u for span in row.cells_of(r) for u in split_units(text[slice(*span)]))
            for r in ("lead", "support", "resp")
        }
        seq = row.cells_of("seq")
        items.append(
            ProgressItem(
                number=text[slice(*seq[0])].strip(" .、") if seq else str(len(items) + 1),
                task=task_sentence(task_cell),
                reported=reported_sentence(result_cell),
                task_text=task_cell.strip(),
                result_text=result_cell.strip(),
                start=row.start,
                end=row.end,
                task_span=task_span,
                result_span=result_span,
                targets=targets,
                results=results,
                comparisons=comparisons,
                outcome=outcome,
                lead=units["lead"] or units["resp"],
                support=units["support"] + (units["resp"] if units["lead"] else ()),
            )
        )
    return tuple(items)


_ROLES = {"plan": "target", "review": "result"}


def read_outcomes(
    text: str, *, mentions: Sequence[Mention], assignments: Sequence[Assignment] = (), date: str | None = None
) -> tuple[tuple[Quantity, ...], tuple[StatusStatement, ...], tuple[ProgressItem, ...]]:
    """The quantities, project statuses and completion-report rows of one document.

    Sections give each stretch its year and kind; a report's 目标任务 cells are plans (targets)
    and its 完成情况 cells reports (results) whatever their section, and assignment tasks are
    targets.

    Args:
        text: normalised document text.
        mentions: its typed mentions.
        assignments: its assignments (their tasks' figures are targets).
        date: the document's ISO date, for the year of text no heading dates.
    """
    from kg.extract.sections import find_sections
    from kg.extract.status import extract_statuses

    sections = find_sections(text, doc_year=int(date[:4]) if date else None)
    rows = _report_rows(text)
    overrides = [(*r.cell("task"), "plan") for r in rows] + [(*r.cell("result"), "review") for r in rows]
    overrides += [(a.start, a.end, "plan") for a in assignments]
    periods = Periods(sections, overrides)

    def role_at(pos: int) -> str:
        return _ROLES.get(periods.kind(pos), "")

    # does an override reach [start, end)? the overrides by start, each with the furthest end so
    # far: one bisection per section, not a pass over every override (long documents have many)
    spans = sorted((start, end) for start, end, _ in overrides)
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))

    def overridden(start: int, end: int) -> bool:
        i = bisect_left(starts, end)
        return i > 0 and reach[i - 1] > start

    def section_quantities(s: Section) -> tuple[Quantity, ...]:
        if overridden(s.start, s.end):
            return extract_quantities(text, s.start, s.end, year=s.year, role_at=role_at)
        # no override reaches the section: it has one kind throughout, its role is known once
        return extract_quantities(text, s.start, s.end, year=s.year, role=_ROLES.get(s.kind, ""))

    quantities = tuple(q for s in sections for q in section_quantities(s))
    progress = _items(text, rows, periods, quantities)
    statuses = extract_statuses(text, mentions, sections, overrides=overrides)
    return quantities, statuses, progress
