"""Standard Chinese department names: administrative prefixes, abbreviations, collective units.

The table ``kg/data/agency_names.tsv`` lists full department names with their common short
forms (发改局 -> 发展和改革局); a short form listed under two names is never expanded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

__all__ = ["split_prefix", "canonical_agency_name", "is_collective_unit"]

_TABLE_FILE = "agency_names.tsv"
_HAN = "\u4e00-\u9fff"
_BODY = rf"(?:(?![省市区县])[{_HAN}])"
# A place name: 2-4 Han characters and a level character. It cannot be told from an ordinary
# word by its shape alone, so split_prefix only accepts it in front of a department name.
_PLACE = rf"{_BODY}{{2,4}}[省市区县]"
_TOWN = rf"(?:(?![省市区县镇乡])[{_HAN}]){{2,4}}(?:镇|乡|街道)"
_LEVEL = "省|市|区|县|镇|乡|街道"
_LEVELS = tuple(_LEVEL.split("|"))
_PARTY = "委|党委|党工委"  # 区委组织部: the party committee of the 区
_ZONE_WORD = re.compile("开发区|高新区|经开区|保税区|新区|管委会")
_ZONE = rf"(?:{_PLACE})*{_BODY}{{0,8}}?(?:开发区|高新区|经开区|保税区|新区)(?:管委会)?|管委会"
_PREFIX = re.compile(
    rf"(?:中共)?(?:(?:(?:{_PLACE})*(?:{_PLACE}|{_TOWN})|{_LEVEL})(?:{_PARTY})?|{_ZONE})"
)
_TOWN_PREFIX = re.compile(rf"(?:中共)?(?:{_PLACE})*{_TOWN}(?:{_PARTY})?")
_LEVEL_PREFIX = re.compile(rf"(?:中共)?(?:{_LEVEL})(?:{_PARTY})?")
_YOUTH = re.compile(r"(?:共青)?团(.+)委")  # 团区委 = 共青团区委员会: the level sits inside
_AGENCY_END = tuple("局委办心室部院所站队处馆校司团社会联署厅台组科行")
# Words that begin with a level character: 市场监管所 is not 市 + 场监管所.
_LEVEL_WORDS = frozenset(
    "市场 市政 市容 市民 市级 市域 市区 市属 市直 市县 区域 区块 区级 区属 区直 区县 县域 县级 "
    "县属 县直 县城 镇级 镇村 镇街 镇域 乡村 乡镇 乡级 省级 省属 省直 街道办".split()
)
_COLLECTIVE = re.compile(
    r"(?:全[省市区县]|(?:省|市|区|县|镇|乡|街道)(?:级|直|属)?)?(?:各|相关|有关|其他|其它|属地|所属|涉及|沿线)"
)


@dataclass(frozen=True)
class _Table:
    """The department-name table: full names, their unambiguous short forms, every known core."""

    kinds: Mapping[str, str]  # full name -> kind
    expansions: Mapping[str, str]  # short form listed in exactly one row -> full name
    known: frozenset[str]  # full names and all short forms, ambiguous ones included


@cache
def _table() -> _Table:
    text = (files("kg") / "data" / _TABLE_FILE).read_text(encoding="utf-8")
    return _parse_table(text)


def _parse_table(text: str) -> _Table:
    kinds: dict[str, str] = {}
    rows_of: dict[str, set[str]] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith(("#", "full\t")):
            continue
        cols = [col.strip() for col in line.split("\t")]
        if len(cols) != 3 or not cols[0] or cols[0] in kinds:
            raise ValueError(
                f"{_TABLE_FILE} line {lineno}: expected a new full name and 3 tab-separated "
                f"columns (full, abbreviations, kind), got {line!r}"
            )
        full, shorts, kind = cols
        kinds[full] = kind
        for short in filter(None, (s.strip() for s in shorts.split(","))):
            rows_of.setdefault(short, set()).add(full)
    expansions = {
        short: next(iter(fulls))
        for short, fulls in rows_of.items()
        if len(fulls) == 1 and short not in kinds
    }
    return _Table(kinds, expansions, frozenset(kinds) | frozenset(rows_of))


@lru_cache(maxsize=65536)
def split_prefix(name: str) -> tuple[str, str]:
    """Separate the administrative prefix of a unit name from its department core.

    A prefix is a level (省 市 区 县 镇 乡 街道), a chain of place names (宁波市北仑区), a zone
    (开发区, 高新区, ... 管委会), optionally followed by 委/党委 for party bodies (区委组织部).
    Place names are only accepted in front of a known department core or a name ending like an
    agency (局, 中心, 公司, ...); town names (…镇, …街道) only in front of a known core.

    Args:
        name: a unit name as written.

    Returns:
        ``(prefix, core)``; ``("", name)`` when no prefix is found.

    >>> split_prefix("区交通运输局")
    ('区', '交通运输局')
    >>> split_prefix("镇海区住房和建设交通局")
    ('镇海区', '住房和建设交通局')
    >>> split_prefix("团区委")
    ('区', '团委')
    >>> split_prefix("市场监督管理局")
    ('', '市场监督管理局')
    """
    table = _table()
    if not name or name in table.known:
        return "", name
    youth = _YOUTH.fullmatch(name)
    if youth and _PREFIX.fullmatch(youth.group(1)):
        return youth.group(1), "团委"
    fallback: tuple[str, str] | None = None
    for cut in range(1, len(name)):
        head, core = name[:cut], name[cut:]
        if not _PREFIX.fullmatch(head):
            continue
        if core in table.known:
            return head, core  # the shortest prefix before a known core
        if _plausible_core(head, core, name):
            fallback = head, core  # else the longest prefix before an agency-like core
    return fallback or ("", name)


def _plausible_core(head: str, core: str, name: str) -> bool:
    if not core.endswith(_AGENCY_END) or _TOWN_PREFIX.fullmatch(head):
        return False
    return not (_LEVEL_PREFIX.fullmatch(head) and name[:2] in _LEVEL_WORDS)


@lru_cache(maxsize=65536)
def canonical_agency_name(name: str) -> str:
    """Expand a standard abbreviation of a department name, keeping its prefix.

    Only short forms listed in exactly one row of ``kg/data/agency_names.tsv`` are expanded; an
    unknown or ambiguous name stays as written. No prefix is added where the text has none.

    Args:
        name: a unit name as written.

    Returns:
        The canonical full name.

    >>> canonical_agency_name("区发改局")
    '区发展和改革局'
    >>> canonical_agency_name("卫健局")
    '卫生健康局'
    >>> canonical_agency_name("区团委")
    '团区委'
    >>> canonical_agency_name("区凤凰城建设指挥部")
    '区凤凰城建设指挥部'
    """
    written = name.strip()
    prefix, core = split_prefix(written.replace("（", "(").replace("）", ")"))
    table = _table()
    full = core if core in table.kinds else table.expansions.get(core)
    if full is None:
        return written
    if full == "团委" and prefix in {"省", "市", "区", "县"}:
        return f"团{prefix}委"
    return prefix + full


@lru_cache(maxsize=65536)
def is_collective_unit(name: str) -> bool:
    """Tell whether a unit name stands for a group of units rather than one body.

    Args:
        name: a unit name as written.

    Returns:
        True for 各街道, 相关部门, 区级各部门, …成员单位 and the like.

    >>> is_collective_unit("各镇(街道)"), is_collective_unit("区社会救助工作领导小组成员单位")
    (True, True)
    >>> is_collective_unit("区民政局")
    False
    """
    name = name.strip()
    if _COLLECTIVE.match(name) or name.endswith("成员单位"):
        return True
    return _table().kinds.get(name) == "collective"
