"""Unit lists in responsibility cells and the suffix grammar of unit names: cell text -> unit names."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "AGENCY_SUFFIX",
    "COLLECTIVE_RE",
    "split_units",
    "strip_group_suffix",
    "is_unit_name",
    "is_collective",
    "looks_like_unit_list",
]

#: Endings of the names of government bodies, party organs, public units, task forces and
#: state-owned companies, longest first so that 分局 wins over 局.
AGENCY_SUFFIX = (
    # Each alternative starts at a character typical of the suffix (委, 局, 办 ...), the words
    # before it checked by lookbehind: the name finder extends names leftwards anyway, and a
    # pattern that starts on rare characters scans Chinese text fast (see kg.extract.scan).
    r"(?:街道办事处|领导小组(?:办公室)?|指挥部|专班|(?<=工作)组|委员会|(?<=管)委会|办公室|办公厅|事务所|中心|局(?!面|部|势)|"
    r"(?<=[党市区县省镇工纪编农财经教科卫建规团改革信健体民宗侨])委|(?<=政法|发改|国资)委|(?<=档案)馆|"
    r"(?<=[府委编农侨台])办(?!公)|(?<=信访|综治|督查|人防|国资|金融|考核|改革|双拥|文明|合作)办(?!公)|"
    r"(?<=领导小组)办(?!公)|(?<=[区市县省镇乡])政府|(?<=人民)政府|(?<=实验)室|"
    r"(?<=[检法医学])院|(?<=计量|设计|规划|科学|研究|医学|社科|环科|工程|检察)院|"
    r"(?<=组织|宣传|统战|武装|工信|商务|财政|教育|科技|公安|民政|司法|水利|外交|国防)部|"
    r"(?<=自然资源|生态环境|交通运输|农业农村|卫生健康|应急管理|社会工作)部|"
    r"公司|集团|(?<=联合)社|联社|(?<=供销)社|工会|(?<=[妇残侨文])联|(?<=科)协|"
    r"(?<=研究)所|(?<=大)学|(?<=[大])队|(?<=支)队(?!伍)|(?<=派出)所)"
)

#: Collective units: not one named body but a set of them.
COLLECTIVE_RE = re.compile(
    r"^(?:(?:[省市区县]级)?(?:各|相关|有关|全体|其他|其余)(?:[\u4e00-\u9fff()、]{0,8})?"
    r"(?:街道|镇|乡镇|镇街|镇\(街道\)|乡|部门|单位|村|社区|区县|县区|区县\(市\)|县\(市、区\)|区\(县、市\)|"
    r"成员单位|职能部门|企业|平台|园区)"
    r"|.{2,30}成员单位)$"
)

_UNIT_RE = re.compile(r"^(?:[\u4e00-\u9fffA-Za-z0-9·\-]|\([^()]{1,10}\)){1,40}" + AGENCY_SUFFIX + r"$")
_SPECIAL_UNITS = re.compile(r"^(?:[区市县省]?(?:妇联|团委|残联|科协|总工会|侨联|文联)|团[区市县]委)$")
# Townships are responsible units in their own right (红牌楼街道, 三墩镇); the short prefix keeps
# task words such as 建设特色小镇 out.
_TOWNSHIP_UNIT = re.compile(r"^(?!.*(?:城镇|小镇|乡镇)$)[\u4e00-\u9fff]{2,5}(?:街道|镇|乡)$")
# Offices named by a level and an abbreviation (区征迁办, 县创文办) beyond those AGENCY_SUFFIX lists.
# 开办, 举办, 督办 … are verbs, not offices.
_LEVEL_OFFICE_UNIT = re.compile(r"^[省市区县镇乡][\u4e00-\u9fff]{1,8}(?<![开举承督代帮领])办$")
_GROUP_SUFFIX = re.compile(r"(?:等[^、,;]{0,8}?(?:部门|单位)(?:、单位)?|等)$")
_TOP_SEPARATORS = ",;"
_STRIP = " \t\n、,;。:“”\"'《》"


def _split_top(text: str, separators: str) -> list[str]:
    """Split on any of ``separators`` outside parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "([【":
            depth += 1
        elif ch in ")]】" and depth:
            depth -= 1
        elif ch in separators and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def strip_group_suffix(segment: str) -> str:
    """Drop a trailing 等部门、单位 / 等部门 / 等单位 / 等有关部门 / 等.

    >>> strip_group_suffix("区财政局等部门、单位"), strip_group_suffix("市发改委等市级有关部门")
    ('区财政局', '市发改委')
    """
    segment = segment.strip(_STRIP)
    return _GROUP_SUFFIX.sub("", segment).strip(_STRIP)


def split_units(cell: str) -> list[str]:
    """Split a responsibility cell into unit names, in order.

    Commas and semicolons separate groups; a group's trailing 等部门、单位 is removed before the
    group is split on 、 (the suffix itself contains 、).

    >>> split_units("区公共项目建设管理中心、区国资中心等部门、单位,大碶街道")
    ['区公共项目建设管理中心', '区国资中心', '大碶街道']
    >>> split_units("区委(区政府)办公室;各街道")
    ['区委(区政府)办公室', '各街道']
    """
    return list(_split_units(cell))


@lru_cache(maxsize=65536)
def _split_units(cell: str) -> tuple[str, ...]:
    units: list[str] = []
    for group in _split_top(cell.replace("，", ",").replace("；", ";"), _TOP_SEPARATORS):
        group = strip_group_suffix(group)
        for unit in _split_top(group, "、"):
            unit = strip_group_suffix(unit)
            if unit and unit not in ("无", "/", "-", "—"):
                units.append(unit)
    return tuple(units)


def is_collective(name: str) -> bool:
    """True for a set of units rather than one body (各街道, 相关部门, …领导小组成员单位).

    >>> is_collective("各街道"), is_collective("区社会救助工作领导小组成员单位"), is_collective("区民政局")
    (True, True, False)
    """
    return bool(COLLECTIVE_RE.match(name))


@lru_cache(maxsize=65536)
def is_unit_name(name: str) -> bool:
    """True when ``name`` reads as a responsible unit (a body, a task force, a company, a township,
    a collective).

    >>> [is_unit_name(x) for x in ("区住房和城乡建设局", "团区委", "三墩镇", "推进项目建设")]
    [True, True, True, False]
    """
    if not name or len(name) > 45 or "。" in name:
        return False
    return any(
        pattern.match(name)
        for pattern in (_UNIT_RE, _SPECIAL_UNITS, _TOWNSHIP_UNIT, _LEVEL_OFFICE_UNIT, COLLECTIVE_RE)
    )


@lru_cache(maxsize=65536)
def looks_like_unit_list(cell: str) -> bool:
    """True when every unit of ``cell`` is a unit name (the cell is a 牵头/配合 column value).

    >>> looks_like_unit_list("区交通运输局、公安分局,相关街道"), looks_like_unit_list("新建绿道8公里。")
    (True, False)
    """
    if not cell or "。" in cell or len(cell) > 400:
        return False
    units = split_units(cell)
    return bool(units) and all(is_unit_name(u) for u in units)
