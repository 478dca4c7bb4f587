"""The wording of project states: a clause with its names marked -> a status.

The names a clause is about stand for one mark (◆) so that each cue says where they are: before
the verb (◆先后完工通车), after it (加快建设◆) or inside a frame (推进◆建设). Cues carry a
priority: a condition or a part (具备通车条件, 主体结构结顶) overrides completion; preparatory work
(前期工作, 征地, 选址) overrides the verb that governs it (加快◆选址建设), unless a start or a
completion follows it; then completion, opening, start, construction under way and plans.
"""

from __future__ import annotations

import re

from kg.extract.lexicon import HAN

__all__ = ["STATUSES", "STATUS_RANK", "G", "HEDGE", "classify_clause"]

#: The states of a project, in the order a project passes through them.
STATUSES: tuple[str, ...] = ("planned", "preparatory", "started", "under_construction", "opened", "completed")
#: Rank of a state for "how far along": opened (in use) and completed (finished) are both final.
STATUS_RANK = {
    "planned": 0,
    "preparatory": 1,
    "started": 2,
    "under_construction": 3,
    "opened": 4,
    "completed": 5,
}

G = "◆"  # stands for the names a clause is about
_PRE = rf"[^{G}、]{{0,6}}"  # modifiers between a verb and the names it governs
_POST = rf"[^{G}]{{0,16}}?"  # words between the names and the verb they are subject of

# (priority, status, pattern): the highest priority found in a clause decides; each pattern says
# where the names stand (◆) relative to the cue.
_CUES: tuple[tuple[int, str, re.Pattern[str]], ...] = tuple(
    (priority, status, re.compile(pattern))
    for priority, status, pattern in (
        # a condition or a part is not the whole: 具备通车条件, 主体结构结顶, 土建工程已完成10%
        (9, "under_construction", rf"{G}[^{G}]{{0,12}}具备[^{G}]{{0,6}}条件"),
        (
            9,
            "under_construction",
            rf"{G}[^{G}]{{0,8}}?(?:土建|主体|桩基|基础|结构)[^{G}]{{0,6}}?(?:完成|完工|结顶|封顶)",
        ),
        (9, "under_construction", rf"{G}[^{G}]{{0,12}}?(?:已完成|完成了?)[0-9.]+%"),
        (9, "under_construction", rf"{G}[^{G}]{{0,10}}?(?:结顶|封顶)"),
        # preparatory work
        (
            8,
            "preparatory",
            rf"{G}{_POST}(?:前期工作|前期手续|项目前期|前期谋划|前期研究|征地|征迁|征收|拆迁|拆除|选址|签约|"
            rf"签订[^{G}]{{0,6}}协议|协议|土地指标|用地指标|报批|出让|招投标|招标|可研|立项|规划许可|农转用|"
            rf"方案设计|初步设计)",
        ),
        (8, "preparatory", rf"(?:谋划|征收|征迁|拆迁|选址){_PRE}{G}"),
        # completion
        # 已建成商品房: a participle describing other things, not a verb
        (
            7,
            "completed",
            rf"(?<![已未待])(?:建成|竣工|完工|创建完成|建设完成|完成建设)(?:投用|投入使用|开放|通车)?{_PRE}{G}",
        ),
        (7, "completed", rf"完成[^{G}、]{{0,8}}{G}[^{G}]{{0,6}}?(?:建设|工程|改造|施工|扫尾)"),
        (
            7,
            "completed",
            rf"{G}{_POST}(?:完工|竣工|建成|交房|交付|建设完成|完成建设(?![{HAN}])|创建完成|完毕|全线贯通|贯通|"
            rf"完成(?:改造|提升|整治)(?![{HAN}]))(?:通车|投用|投入使用|验收)?",
        ),
        (7, "completed", rf"{G}(?:已|均已|已经|全部)?完成$"),
        # opening, use
        # 运营安全管理: a noun modifier; the verb ends the clause or joins another (通车运营, 投用并)
        (
            6,
            "opened",
            rf"{G}[^{G}]{{0,18}}?(?:通车|运营|投用|投入使用|开通|启用|投运|开业|开园|对外开放)(?:$|(?=[了并和]))",
        ),
        (6, "opened", rf"(?:投用|投入使用|开通|启用|通车|开放){_PRE}{G}"),
        # start
        (5, "started", rf"(?:开工建设|开工|动工|开建|进场施工|开始施工|启动建设|启动实施|启动){_PRE}{G}"),
        (5, "started", rf"{G}{_POST}(?:开工|动工|开建|进场施工|开始施工|启动)"),
        # construction under way
        (
            4,
            "under_construction",
            rf"(?:加快建设|提速建设|抓紧建设|全力建设|推进实施|持续推进|深入开展|加快扫尾|扫尾|[着著]力打造|加快打造|续建)"
            rf"{_PRE}{G}",
        ),
        (
            4,
            "under_construction",
            rf"{G}[^{G}]{{0,12}}?(?:提速建设|加快建设|抓紧建设|正在建设|建设中|在建|持续推进|稳步推进|有序推进|顺利推进|"
            rf"正在推进|施工|扫尾)",
        ),
        (
            4,
            "under_construction",
            rf"(?:推进|加快|落实|配合|服务|做好|保障|抓好|支持|打造){_PRE}{G}[^{G}]{{0,8}}?(?:建设|落地|施工|进度)",
        ),
        # plans
        (3, "planned", rf"{G}[^{G}]{{0,8}}?尽快落地|(?:规划建设|计划建设|拟建|待建|储备){_PRE}{G}"),
    )
)
HEDGE = re.compile(r"力争|争取|适时|计划|拟|预计|尽快|有望|准备")


def classify_clause(marked: str) -> tuple[str, str, int, int] | None:
    """The status a clause gives the names it stands for (◆): (status, wording, start, end of the
    wording in ``marked``), or None.

    >>> classify_clause("加快建设◆等项目")[:2], classify_clause("◆先后完工通车")[:2]
    (('under_construction', '加快建设◆'), ('completed', '◆先后完工通车'))
    >>> classify_clause("推进◆等项目前期工作")[0], classify_clause("◆已初步具备通车条件")[0]
    ('preparatory', 'under_construction')
    """
    found = [(p, s, m) for p, s, pattern in _CUES for m in [pattern.search(marked)] if m]
    if not found:
        return None
    top = max(p for p, _, _ in found)
    if top == 8:
        # preparatory work done before a later start or completion (已完成前期工作并开工建设)
        prep_end = min(m.end() for p, _, m in found if p == 8)
        later = [(p, s, m) for p, s, m in found if p in (5, 6, 7) and m.end() > prep_end]
        if later:
            found = later
            top = max(p for p, _, _ in found)
    _, status, match = min(((p, s, m) for p, s, m in found if p == top), key=lambda f: f[2].start())
    return status, match.group(), match.start(), match.end()
