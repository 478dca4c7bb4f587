"""Review and plan sections with the year each speaks of: normalised text -> Sections.

A work report reviews one period and plans the next: ``一、2024年工作总结`` reports what was done
in 2024, ``二、2025年重点工作`` commits to what will be done in 2025. A statement's meaning
depends on the section: 完工 in a review is done, in a plan it is a target. Headings are short
lines naming a period and a kind; the title stands for the text before the first heading.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Section", "Periods", "find_sections", "section_at", "heading_kind"]

_REVIEW = re.compile(r"总结|回顾|完成情况|进展情况|执行情况|落实情况|工作情况|工作成效|主要成效|成绩|报告")
_PLAN = re.compile(r"重点工作|工作思路|思路|计划|谋划|要点|安排|打算|任务|目标|展望|部署|工作重点|下一步")
_KIND_WORD = re.compile(f"{_REVIEW.pattern}|{_PLAN.pattern}")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})\s*年")
_RELATIVE = (("明年", 1), ("下一年", 1), ("今年", 0), ("本年", 0), ("上半年", 0), ("下半年", 0), ("去年", -1))
_MAX_HEADING = 40


@dataclass(frozen=True)
class Section:
    """A stretch of text ``[start, end)`` that reviews (``kind`` "review") or plans ("plan") a year.

    ``kind`` is "" and ``year`` the document's year where no heading says more.
    """

    start: int
    end: int
    kind: str
    year: int | None
    heading: str = ""


def heading_kind(line: str, *, doc_year: int | None = None) -> tuple[str, int | None] | None:
    """The kind and year a heading line announces, or None when the line is no such heading.

    A heading naming two different years (``2024年工作总结及2025年工作思路``) announces no single one.

    >>> heading_kind("一、2024年工作总结"), heading_kind("二、2025年重点工作谋划")
    (('review', 2024), ('plan', 2025))
    >>> heading_kind("二、下半年重点工作", doc_year=2022), heading_kind("编号 | 目标任务 | 完成情况")
    (('plan', 2022), None)
    >>> heading_kind("镇海区2024年工作总结及2025年工作思路") is None
    True
    """
    line = line.strip(" |\t")
    if not line or len(line) > _MAX_HEADING or "|" in line or re.search(r"[。;]", line.rstrip("。")):
        return None
    review, plan = bool(_REVIEW.search(line)), bool(_PLAN.search(line))
    years = {int(y) for y in _YEAR.findall(line)}
    if review == plan or len(years) > 1:
        return None
    if years:
        year: int | None = years.pop()
    else:
        shift = next((n for word, n in _RELATIVE if word in line), None)
        if shift is None and not re.match(
            r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)", line
        ):
            return None  # a bare 工作计划 line without a period or a section number is body text
        year = doc_year + (shift or 0) if doc_year is not None else None
    return ("review" if review else "plan"), year


def find_sections(text: str, *, doc_year: int | None = None) -> tuple[Section, ...]:
    """The sections of a text, covering it from 0 to ``len(text)`` in order.

    Args:
        text: normalised document text.
        doc_year: the year of the document's date, for headings without a year and for text
            no heading covers.

    >>> text = "工作总结\\n一、2024年工作总结\\n完工。\\n二、2025年重点工作\\n开工。"
    >>> [(s.kind, s.year) for s in find_sections(text)]
    [('', None), ('review', 2024), ('plan', 2025)]
    """
    starts = [0]
    for m in re.finditer(r"\n", text):
        starts.append(m.end())
    marks: list[tuple[int, str, int | None, str]] = []
    # a heading names a review or a plan: only the lines holding such a word are read
    lines = sorted({bisect_right(starts, m.start()) - 1 for m in _KIND_WORD.finditer(text)})
    for n in lines:
        start = starts[n]
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(text)
        line = text[start:end]
        found = heading_kind(line, doc_year=doc_year)
        if found:
            marks.append((start, found[0], found[1], line.strip(" |\t")))
    sections: list[Section] = []
    first = marks[0][0] if marks else len(text)
    if first > 0 or not marks:
        sections.append(Section(0, first, "", doc_year))
    for k, (start, kind, year, heading) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(text)
        sections.append(Section(start, end, kind, year if year is not None else doc_year, heading))
    return tuple(sections)


def section_at(sections: Sequence[Section], pos: int) -> Section:
    """The section holding position ``pos``."""
    k = bisect_right([s.start for s in sections], pos) - 1
    return sections[max(k, 0)]


class Periods:
    """The section, kind and year at any position, in logarithmic time.

    ``overrides`` are ``(start, end, kind)`` stretches whose kind differs from their section's
    (a completion report's 目标任务 cells are plans, its 完成情况 cells reports); where two
    overlap, the one starting later (the inner one) counts.
    """

    def __init__(self, sections: Sequence[Section], overrides: Sequence[tuple[int, int, str]] = ()) -> None:
        self.sections = tuple(sections) or (Section(0, 0, "", None),)
        self._starts = [s.start for s in self.sections]
        self._overrides = sorted(overrides)
        self._override_starts = [o[0] for o in self._overrides]

    def section(self, pos: int) -> Section:
        """The section holding ``pos``."""
        return self.sections[max(bisect_right(self._starts, pos) - 1, 0)]

    def year(self, pos: int) -> int | None:
        """The year the text at ``pos`` speaks of."""
        return self.section(pos).year

    def kind(self, pos: int) -> str:
        """ "review", "plan" or "" at ``pos``."""
        k = bisect_right(self._override_starts, pos) - 1
        overrides = self._overrides
        for n in range(k, max(-1, k - 4), -1):  # the last four starting at or before pos
            start, end, kind = overrides[n]
            if start <= pos < end:
                return kind
        return self.section(pos).kind
