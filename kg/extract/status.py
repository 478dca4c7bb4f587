"""Project status from wording: mentions + sections -> StatusStatements (entity, status, year, evidence).

A road, rail line, housing scheme or project named in a clause takes the state the clause's verbs
give it: 前期工作/征地/拆迁/选址 preparatory, 开工建设/启动/进场施工 started, 加快建设/持续推进/
在建/施工 under_construction, 完工/建成/竣工/交房 completed, 通车/运营/投用 opened (without
completion). Hedged wording (力争, 争取, 适时, 预计) is intended, not done: a hedged or planned
start is "planned". A review section reports a state; a plan section commits to it, so a plan's
完工 is a target. Verbs attach to the names next to them: a verb before a list of names
(加快建设A、B等项目), after it (A、B先后完工通车) or around it (推进A建设).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from kg.extract.lexicon import HAN
from kg.extract.sections import Periods, Section
from kg.extract.wording import HEDGE, STATUS_RANK, STATUSES, G, classify_clause
from kg.models import Mention, StatusStatement

__all__ = ["STATUSES", "STATUS_RANK", "extract_statuses", "yearly_statuses", "classify_clause"]

_START_CUES = ("started", "planned")
# a name followed by these describes a place or a side matter, not the project's state
_LOCATIVE = re.compile(
    r"^(?:以东|以西|以南|以北|周边|附近|沿线|两侧|北侧|南侧|东侧|西侧|北岸|南岸|一带|所涉|涉及|范围内)"
)
_CONNECTOR = re.compile(r"^(?:、|和|及|与|以及|及其)$")
_PEER = re.compile(rf"(?:、|和|及|与)([{HAN}A-Za-z0-9#\-()]{{2,24}}?)(?=、|和|及|与|等|$)")
_PEER_BAD = re.compile(
    r"(?:工作|行动|机制|体系|政策|服务|管理|活动|制度|平台|项目库)$|^(?:各|相关|全|重点|其他)"
)
_TAMING = re.compile(r"\((?:暂名|暂定名)\)$")
_DECLARED_PROJECT = re.compile(rf"^等?[{HAN}]{{0,4}}项目")  # A等重点项目
_BUILT_AS_PROJECT = re.compile(r"(?:建成|新建|开工建设|打造)(?:[、和及]?[^,;。、]{2,12}[、和及])*$")
_CLAUSE_END = re.compile(r"[,;。!?:\n|]")
_SENTENCE_END = re.compile(r"[;。!?\n|]")
# a clause without a subject of its own goes on about the names before it (X正抓紧建设,目前…):
# its verb comes after adverbs and times only, no other thing (为项目启动 is about another 项目)
_CONTINUES = re.compile(r"^(?!.*(?:项目|工程))[^,;。]{0,12}$")
# a place is built as a project only under its whole name (建成X街区, not 开工建设X规划初中)
_WHOLE_NAME = re.compile(rf"(?:[、和及与,;。]|$|(?![{HAN}A-Za-z0-9]))")
_PART = re.compile(r"(?:土建|主体|桩基|基础)(?:工程)?$")
# a counted set (四个城中村改造项目) names no one project
_COUNTED = re.compile(r"[一两二三四五六七八九十0-9]+[个项座条处批]")
_FEATURES = ("Road", "RailLine", "Project", "HousingProgramme")
# the housing schemes themselves (保障性租赁住房, 城中村改造) are policies without a building state
_SCHEME = re.compile(
    r"^(?:(?:配租型|配售型)?保障性(?:租赁)?住房|公共租赁住房|公租房|廉租房|经济适用房|共有产权房|人才安居(?:专用)?房|人才公寓|"
    r"青年公寓|棚户区改造|城中村(?:综合)?改造|老旧小区(?:综合)?改造|老旧小区|未来社区|完整社区|未来乡村|.*加装电梯|三改一拆|危旧房改造)$"
)


class _Item(NamedTuple):
    surface: str
    type: str
    start: int
    end: int


class _Cue(NamedTuple):
    status: str
    priority: int
    start: int  # span in the document text
    end: int
    wording: str
    hedged: bool


_CLAUSE = re.compile(r"[^,;。!?:\n|]+")
_PAREN = re.compile(r"[()]")
# a mark inside parentheses ends no clause: masked by a character that is no mark (same length)
_MASK_MARKS = str.maketrans(dict.fromkeys(",;。!?:|", " "))


def _clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans: text between , ; 。 ! ? : newlines and cell borders, outside parentheses.

    A parenthesis left open runs to the end of its line.

    >>> text = "建成A(一期,二期);开工B(见附件,\\n推进C"
    >>> [text[a:b] for a, b in _clauses(text)]
    ['建成A(一期,二期)', '开工B(见附件,', '推进C']
    """
    pieces, done = [], 0
    opened = text.find("(")
    while opened >= 0:
        line_end = text.find("\n", opened)
        limit = len(text) if line_end < 0 else line_end
        depth, close = 1, limit
        for m in _PAREN.finditer(text, opened + 1, limit):
            depth += 1 if m.group() == "(" else -1
            if depth == 0:
                close = m.end()
                break
        pieces += [text[done:opened], text[opened:close].translate(_MASK_MARKS)]
        done = close
        opened = text.find("(", close)
    masked = "".join([*pieces, text[done:]]) if pieces else text
    return [m.span() for m in _CLAUSE.finditer(masked)]


def _outermost(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions not inside a longer one (中官路 inside 中官路(金川路-镇骆东路)拓宽改造工程)."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for m in ordered:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept


def _candidates(text: str, mentions: Sequence[Mention]) -> list[_Item]:
    """The names statuses may attach to: features, agencies declared to be projects (A等重点项目),
    places built as projects (建成A街区); not places described by position (A以南)."""
    items = []
    for m in _outermost(mentions):
        after = text[m.end : m.end + 8]
        kind, end = m.type, m.end
        if kind == "Agency" and _DECLARED_PROJECT.match(after):
            kind = "Project"
        elif (
            kind == "Place"
            and _WHOLE_NAME.match(text, m.end)
            and _BUILT_AS_PROJECT.search(text[max(0, m.start - 40) : m.start])
        ):
            kind = "Project"
        if kind not in _FEATURES:
            continue  # most agencies and places: no state to take (decided first, the cheapest way)
        if _LOCATIVE.match(after):
            continue
        opened = text.rfind("《", max(0, m.start - 30), m.start)
        if opened >= 0 and "》" not in text[opened : m.start]:
            continue  # a name inside a document title (《九龙湖遗址公园可行性研究报告》)
        if m.type == "HousingProgramme" and _SCHEME.match(m.text) or _COUNTED.search(m.text):
            continue
        if (
            kind == "Road"
            and text[end : end + 1] == "段"
            and text[end + 1 : end + 2] not in ("落", "位", "长")
        ):
            end += 1  # 炼化路段先后完工: the section is named with its 段
        part = _PART.search(text, m.start, end)
        if part and part.start() - m.start >= 2:
            end = part.start()  # 九龙康养中心土建工程完成: a part of the project is done
        surface = m.text if end == m.end else text[m.start : end]
        items.append(_Item(_TAMING.sub("", surface) if ")" in surface else surface, kind, m.start, end))
    return items


def _groups(
    text: str, inside: Sequence[_Item], clause: tuple[int, int]
) -> Iterator[tuple[int, int, list[_Item]]]:
    """Runs of coordinated names in a clause (A、B及C), with list peers no extractor found."""
    run: list[_Item] = []
    for item in inside + [None]:  # type: ignore[list-item]
        if item is not None and run and _CONNECTOR.match(text[run[-1].end : item.start]):
            run.append(item)
            continue
        if run:
            yield _with_peers(text, run, clause)
        run = [item] if item is not None else []


def _with_peers(text: str, run: list[_Item], clause: tuple[int, int]) -> tuple[int, int, list[_Item]]:
    """Extend a run of names over the coordinated items around it that no extractor found.

    ``A、B、C项目开工建设``: C is a project too, named without the 项目 that governs the list;
    ``争取建成X、Y和A``: X and Y are, from the verb on.
    """
    kind = next((i.type for i in run if i.type not in ("HousingProgramme", "Road", "RailLine")), "Project")
    items = list(run)
    end = run[-1].end
    while True:
        m = _PEER.match(text, end, clause[1])
        if not m:
            break
        raw = m.group(1)
        name = _before_verb(raw)
        cut = len(name) < len(raw)
        if name.endswith("项目") and (cut or text[m.end(1) : m.end(1) + 1] == "等"):
            name = name.removesuffix("项目")  # X、Y项目: the 项目 governs the list
        if len(name) < 2 or _PEER_BAD.search(name) or re.match(r"[0-9]", name):
            break
        start = m.start(1)
        items.append(_Item(name, kind, start, start + len(name)))
        end = start + len(name)
        if cut:
            break
    begin = run[0].start
    while True:
        m = _PEER_BEFORE.search(text[clause[0] : begin])
        if not m:
            break
        name, governed = _after_verb(m.group(1))
        if len(name) < 2 or _PEER_BAD.search(name):
            break
        start = clause[0] + m.end(1) - len(name)
        items.insert(0, _Item(name, kind, start, start + len(name)))
        begin = start
        if governed:
            break
    return begin, end, items


_VERB_AFTER_LIST = re.compile(
    r"(?:开工|动工|启动|完工|竣工|建成|通车|投用|提速|加快|推进|建设|施工|前期|先后|顺利)"
)
_VERB_BEFORE_LIST = re.compile(
    r"(?:建成|新建|开工建设|开工|完成|推进实施|加快建设|建设|推进|启动|打造|创建完成|谋划|实施|加快|开展|做好|服务|配合)"
)
_PEER_BEFORE = re.compile(rf"([{HAN}A-Za-z0-9#\-()]{{2,24}})(?:、|和|及)$")


def _before_verb(name: str) -> str:
    """A list item up to the verb that follows the list (甬江北岸滨江休闲带项目开工建设)."""
    m = _VERB_AFTER_LIST.search(name)
    return name[: m.start()] if m else name


def _after_verb(name: str) -> tuple[str, bool]:
    """A list item after the verb that governs the list (争取建成数字潮创街区 -> 数字潮创街区), and
    whether a verb was found (the list starts there)."""
    verbs = list(_VERB_BEFORE_LIST.finditer(name))
    return (name[verbs[-1].end() :], True) if verbs else (name, False)


def _map(pos: int, pre_start: int, pre_len: int, group_end: int) -> int:
    """A position in the marked clause -> a position in the text (◆ stands for the names)."""
    if pos <= pre_len:
        return pre_start + pos
    return group_end + pos - pre_len - 1


def _clause_cue(text: str, clause: tuple[int, int], begin: int, end: int) -> _Cue | None:
    pre, post = text[clause[0] : begin], text[end : clause[1]]
    marked = pre + G + post
    found = classify_clause(marked)
    if found is None:
        return None
    status, wording, a, b = found
    hedged = bool(HEDGE.search(marked[:b]))
    # the wording's span without the names: after them (◆先后完工) or before them (加快建设◆)
    a, b = a + (marked[a] == G), b - (b > a + 1 and marked[b - 1] == G)
    start, stop = _map(a, clause[0], len(pre), end), _map(b, clause[0], len(pre), end)
    return _Cue(status, 0, start, stop, wording.replace(G, "…").strip("…"), hedged)


def _evidence(text: str, clause: tuple[int, int], item: _Item, cue: _Cue) -> str:
    """A verbatim piece of the clause, at most 40 characters; where names and verb lie further
    apart, the name and the verb joined by … (杭甬高速复线宁波段三期…等项目提速建设)."""
    start, end = max(min(item.start, cue.start), clause[0]), min(max(item.end, cue.end), clause[1])
    if end - start <= _EVIDENCE:
        return text[start:end]
    name = text[item.start : item.end][: _EVIDENCE - 8]
    if cue.start >= item.end:  # names first, the verb after them
        return f"{name}…{text[cue.start : cue.end][-(_EVIDENCE - 1 - len(name)) :]}"
    if cue.end <= item.start:  # the verb first
        return f"{text[cue.start : cue.end][: _EVIDENCE - 1 - len(name)]}…{name}"
    # a verb around the names (推进…建设): the stretch around this name
    start = max(cue.start, item.start - (_EVIDENCE - (item.end - item.start)) // 2)
    return text[start : min(start + _EVIDENCE, cue.end)]


_EVIDENCE = 40


def extract_statuses(
    text: str,
    mentions: Sequence[Mention],
    sections: Sequence[Section],
    *,
    overrides: Sequence[tuple[int, int, str]] = (),
) -> tuple[StatusStatement, ...]:
    """One statement per named project in a clause that gives it a state, in text order.

    Args:
        text: normalised document text.
        mentions: the document's typed mentions.
        sections: its review/plan sections (:func:`kg.extract.sections.find_sections`).
        overrides: ``(start, end, kind)`` stretches whose kind differs from their section's
            (the 目标任务 cells of a completion report are plans, its 完成情况 cells reports).

    >>> from kg.extract.sections import find_sections
    >>> text = "一、2024年工作总结\\n西湖大道完工通车。\\n二、2025年重点工作\\n力争东湖路开工建设。"
    >>> mentions = [Mention("西湖大道", "Road", 12, 16), Mention("东湖路", "Road", 36, 39)]
    >>> found = extract_statuses(text, mentions, find_sections(text))
    >>> [(s.entity, s.status, s.year, s.reported) for s in found]
    [('西湖大道', 'completed', 2024, True), ('东湖路', 'planned', 2025, False)]
    """
    periods = Periods(sections, overrides)
    items = sorted(_candidates(text, mentions), key=lambda i: i.start)
    starts = [i.start for i in items]
    clauses = _clauses(text)
    clause_starts = [c[0] for c in clauses]
    featured = {bisect_right(clause_starts, i.start) - 1 for i in items}
    statements: list[StatusStatement] = []
    for k in sorted(featured):
        clause = clauses[k]
        inside = [
            i
            for i in items[bisect_left(starts, clause[0]) : bisect_left(starts, clause[1])]
            if i.end <= clause[1]
        ]
        for begin, end, group in _groups(text, inside, clause):
            cue, where = _best_cue(text, clauses, k, begin, end, featured) or (None, clause)
            if cue is None:
                continue
            statements.extend(_statement(text, item, cue, where, periods) for item in group)
    return tuple(statements)


def _best_cue(
    text: str, clauses: Sequence[tuple[int, int]], k: int, begin: int, end: int, featured: set[int]
) -> tuple[_Cue, tuple[int, int]] | None:
    """The cue of the names ``text[begin:end]`` in clause k or the subjectless clauses after it.

    A report beats an intention, then the furthest state wins (已完成前期招投标,现已进场施工:
    started), then the first.
    """
    options = []
    cue = _clause_cue(text, clauses[k], begin, end)
    if cue is not None:
        options.append((cue, clauses[k]))
    for j in range(k + 1, len(clauses)):
        nxt = clauses[j]
        if j in featured or _SENTENCE_END.search(text[clauses[j - 1][1] : nxt[0]] or "。"):
            break
        more = _clause_cue(text, nxt, nxt[0], nxt[0])
        # the verb must close the clause: 建成3个未来社区 has an object of its own
        if more is not None and _CONTINUES.match(more.wording) and nxt[1] - more.end <= 2:
            options.append((more, nxt))
    if not options:
        return None
    return max(options, key=lambda o: (not o[0].hedged, STATUS_RANK[o[0].status], -o[0].start))


def _statement(
    text: str, item: _Item, cue: _Cue, clause: tuple[int, int], periods: Periods
) -> StatusStatement:
    kind = periods.kind(item.start)
    status = cue.status
    if status in _START_CUES and (cue.hedged or kind == "plan"):
        status = "planned"  # 力争…开工, 适时启动, or a plan's 开工: the start is intended
    quote = clause if clause[0] <= item.start < clause[1] else (item.start, clause[1])
    return StatusStatement(
        entity=item.surface,
        type=item.type,
        status=status,
        year=periods.year(item.start),
        evidence=_evidence(text, quote, item, cue),
        cue=cue.wording,
        start=item.start,
        end=item.end,
        quote_start=min(clause[0], item.start),
        quote_end=max(clause[1], item.end),
        reported=kind != "plan" and not cue.hedged,
        hedged=cue.hedged,
    )


def yearly_statuses(statements: Iterable[StatusStatement]) -> list[StatusStatement]:
    """One statement per surface and year, as the gold lists them: a report beats a plan, a plain
    statement a hedged one, the first in the text the later ones."""
    best: dict[tuple[str, int | None], StatusStatement] = {}
    for s in statements:
        key = (s.entity, s.year)
        if key not in best or (s.reported, not s.hedged) > (best[key].reported, not best[key].hedged):
            best[key] = s
    return sorted(best.values(), key=lambda s: (s.start, s.entity))
