"""Document text, 索引号, publisher and title -> issuing government (full name, GB/T 2260 code)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from kg.extract.scan import FastPattern
from kg.regions import (
    NameMatch,
    NameScanner,
    region_scanner,
    Region,
    all_regions,
    code_from_index_no,
    full_name,
    region_by_code,
    regions_named,
    short_name,
)

__all__ = ["infer_jurisdiction"]

# Division names that are also plain words ("城区道路", "东区"): never read as a place.
_GENERIC_NAMES = frozenset({"城区", "郊区", "矿区", "东区", "西区", "南区", "北区", "中区"})

# Development zones: the written form -> the name used in the jurisdiction.
_ZONE_FORMS = {
    "高新技术产业开发区": "高新区",
    "高新区": "高新区",
    "经济技术开发区": "经开区",
    "经济开发区": "经开区",
    "经开区": "经开区",
    "保税区": "保税区",
    "开发区": "开发区",
    "新区": "新区",
}
_ZONE = re.compile("|".join(sorted(_ZONE_FORMS, key=len, reverse=True)))
_ALL_ZONES = frozenset(_ZONE_FORMS.values())
# "新区" is too common a word ("城市新区") to count in the body text.
_TEXT_ZONES = _ALL_ZONES - {"新区"}
_ZONE_PREFIX = re.compile(r"(?:国家级|国家|省级)?([\u4e00-\u9fff]{0,4})")
_ZONE_LEAD = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:" + _ZONE.pattern + ")")

# A body of the government itself at level 区/县/市: 区府办, 县政府办公室, 市住建局 (not 市场监管局).
_LEVEL_PUBLISHER = re.compile(r"([区县市])(?![场域级区])")
# The document speaks as that government: 我区, 区委, 区政府, 全区 (not the ranking "全市第3").
_LEVEL_TEXT = FastPattern(r"我([区县市])|([区县市])(?:委|政府)|全([区县市])(?!第)")
# A sub-district or town body: 前江街道, 九龙湖镇人民政府; the lookahead keeps 城乡建设局 out.
_UNIT_PUBLISHER = re.compile(
    r"([\u4e00-\u9fff]{1,6}?(?:街道|镇|乡))(?=$|办事处|人民政府|政府|党工委|党委|办公室|\()"
)
_UNIT_TITLE = re.compile(r"([\u4e00-\u9fff]{1,6}?(?:街道|镇|乡))(?=办事处|人民政府|政府|党工委|关于|\d)")


@dataclass(frozen=True)
class _Scanner:
    """The division-name scanner and the regions each surface may denote."""

    pattern: _KnownNames
    regions: dict[str, tuple[Region, ...]]


@dataclass(frozen=True)
class _Evidence:
    """Division mentions resolved to region codes, counted per source."""

    publisher: Counter[str]
    title: Counter[str]
    text: Counter[str]
    context: frozenset[str]  # codes of the cities and provinces the document names (or its 索引号 gives)


class _KnownNames:
    """The shared division-name scanner, keeping only the surfaces this module resolves."""

    def __init__(self, scanner: NameScanner, known: dict[str, tuple[Region, ...]]) -> None:
        self._scanner, self._known = scanner, known

    def finditer(self, text: str) -> Iterator[NameMatch]:
        return (m for m in self._scanner.finditer(text) if m.group() in self._known)

    def match(self, text: str) -> NameMatch | None:
        found = self._scanner.match(text)
        return found if found is not None and found.group() in self._known else None

    def forget(self) -> None:
        self._scanner.forget()


@cache
def _scanner() -> _Scanner:
    """The division names (full and short) and the regions each surface may denote."""
    surfaces: dict[str, tuple[Region, ...]] = {}
    for region in all_regions():
        for surface in (region.name, short_name(region.name)):
            if len(surface) >= 2 and surface not in _GENERIC_NAMES and surface not in surfaces:
                surfaces[surface] = tuple(regions_named(surface))
    return _Scanner(_KnownNames(region_scanner(), surfaces), surfaces)


@cache
def _parent_codes() -> frozenset[str]:
    """Codes of the regions that have subdivisions in the table."""
    return frozenset(region.parent for region in all_regions() if region.parent)


def _trie_pattern(words: list[str]) -> str:
    """Return a regex matching any of ``words``, the longest one at a given position.

    >>> re.findall(_trie_pattern(["宁波", "宁波市", "宁海"]), "宁波市宁海宁波")
    ['宁波市', '宁海', '宁波']
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        group = "(?:" + "|".join(branches) + ")"
        return group + "?" if "" in node else group

    return pattern(trie)


def _province(code: str) -> str:
    return code[:2] + "0000"


def _is_city_level(region: Region) -> bool:
    """A city, or a municipality (北京市: its districts sit directly under it)."""
    return region.level == "city" or (region.level == "province" and region.name.endswith("市"))


def _consistent(region: Region, context: frozenset[str]) -> bool:
    """The region, its parent or its province is among the places the document names."""
    return bool({region.code, region.parent, _province(region.code)} & context)


def _resolve(surface: str, context: frozenset[str]) -> Region | None:
    """The one region a surface names in this document, or None.

    A short form (镇海; 中和 in 碳中和) or a two-character name (新县 in 创新县域) is also an
    ordinary word, and 江北 names two districts: such a surface counts only for a region whose
    city or province the document names as well.
    """
    candidates = _scanner().regions[surface]
    weak = len(surface) == 2 or all(region.name != surface for region in candidates)
    if len(candidates) > 1 or weak:
        candidates = tuple(region for region in candidates if _consistent(region, context))
    return candidates[0] if len(candidates) == 1 else None


def _collect(text: str, publisher: str, title: str, anchor: Region | None) -> _Evidence:
    """Count the division names of the three sources and resolve them against the places named."""
    counts = [Counter(m.group() for m in _scanner().pattern.finditer(s)) for s in (publisher, title, text)]
    context: set[str] = {anchor.code, _province(anchor.code)} if anchor else set()
    for surface in sorted(set().union(*counts)):
        candidates = _scanner().regions[surface]
        if surface in {r.name for r in candidates} or all(r.level != "county" for r in candidates):
            context |= {c for r in candidates if r.level != "county" for c in (r.code, _province(r.code))}
    frozen = frozenset(context)
    resolved: list[Counter[str]] = []
    for count in counts:
        by_code: Counter[str] = Counter()
        for surface, n in count.items():
            if (region := _resolve(surface, frozen)) is not None:
                by_code[region.code] += n
        resolved.append(by_code)
    return _Evidence(resolved[0], resolved[1], resolved[2], frozen)


def _top(scores: Counter[str]) -> str | None:
    """Return the key with the highest positive score, or None on a tie (no guessing).

    >>> _top(Counter({"330211": 12, "330205": 1})), _top(Counter({"a": 2, "b": 2}))
    ('330211', None)
    """
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] <= 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _candidates(
    codes: set[str], evidence: _Evidence, scope: Region | None, accept: Callable[[Region], bool]
) -> list[Region]:
    """Regions among ``codes`` that ``accept`` allows, inside ``scope``, the consistent ones if any."""
    regions = [r for code in sorted(codes) if (r := region_by_code(code)) is not None and accept(r)]
    if scope is not None:
        prefix = scope.code[:2] if scope.level == "province" else scope.code[:4]
        regions = [r for r in regions if r.code.startswith(prefix)]
    consistent = [r for r in regions if _consistent(r, evidence.context)]
    return consistent or regions


def _is_county(region: Region) -> bool:
    return region.level == "county"


def _level_filter(level: str | None) -> Callable[[Region], bool]:
    """Which regions a document speaking at ``level`` (区, 县, 市; None: a 街道's parent) may be from."""
    if level is None:  # a district, or a city without districts (东莞市虎门镇)
        return lambda r: _is_county(r) or (_is_city_level(r) and r.code not in _parent_codes())
    if level == "市":
        return lambda r: r.name.endswith("市") and (_is_county(r) or _is_city_level(r))
    return lambda r: _is_county(r) and r.name.endswith(level)


def _zones(source: str, allowed: frozenset[str]) -> Counter[str]:
    """Count development-zone names in ``source``; a 新区 inside a division name (浦东新区) is none."""
    counts: Counter[str] = Counter()
    for match in _ZONE.finditer(source):
        zone = _ZONE_FORMS[match.group()]
        if zone in allowed and not (zone == "新区" and _inside_name(source, match.start())):
            counts[zone] += 1
    return counts


def _inside_name(source: str, position: int) -> bool:
    """Whether ``source[position]`` lies inside a division name."""
    return any(m.start() <= position < m.end() for m in _scanner().pattern.finditer(source))


def _leading_regions(source: str) -> tuple[list[Region], str]:
    """Split off a chain of nested division names: 宁波市江北区前江街道 -> [宁波市, 江北区], 前江街道.

    Each name must lie inside the one before, so 宁波杭州湾新区 keeps 杭州湾新区; a district's short
    form is kept too, as in 九龙湖镇 (九龙 is 九龙县's).
    """
    chain: list[Region] = []
    while (lead := _scanner().pattern.match(source)) is not None:
        candidates = _scanner().regions[lead.group()]
        if any(_is_county(r) and r.name != lead.group() for r in candidates):
            break
        if chain:
            prefix = chain[-1].code[:2] if chain[-1].level == "province" else chain[-1].code[:4]
            candidates = tuple(r for r in candidates if r.code.startswith(prefix) and r != chain[-1])
            if not candidates:
                break  # not nested: part of the rest of the name (杭州湾)
        if len(candidates) == 1:
            chain.append(candidates[0])
        source = source[lead.end() :]
    return chain, source


def _strip_regions(source: str) -> str:
    """Drop leading division names: 宁波市江北区前江街道 -> 前江街道."""
    return _leading_regions(source)[1]


def _publisher_zone(publisher: str) -> str | None:
    """The zone a publisher belongs to: 宁波杭州湾新区管委会 -> 杭州湾新区, 宁波国家高新区 -> 高新区."""
    if not _zones(publisher, _ALL_ZONES):
        return None
    match = _ZONE.search(publisher)
    if match is None:
        return None
    prefix = _ZONE_PREFIX.fullmatch(_strip_regions(publisher[: match.start()]))
    return prefix.group(1) + _ZONE_FORMS[match.group()] if prefix else None


def _publisher_city(publisher: str) -> Region | None:
    """The city a publisher's name starts with (宁波杭州湾新区管委会 -> 宁波市)."""
    cities = [region for region in _leading_regions(publisher)[0] if _is_city_level(region)]
    return cities[-1] if cities else None


def _unit(publisher: str, title: str) -> str | None:
    """The 街道/镇/乡 named by the publisher, or by the start of the title when there is no publisher."""
    rest = _strip_regions(publisher or title)
    if (zone := _ZONE_LEAD.match(rest)) is not None:
        rest = rest[zone.end() :]  # 高新区梅墟街道 -> 梅墟街道
    match = (_UNIT_PUBLISHER if publisher else _UNIT_TITLE).match(rest)
    return match.group(1) if match else None


def _level(publisher: str, text: str) -> str | None:
    """The level the document speaks at: the publisher's (区府办 -> 区), else the text's 我区/全区."""
    if match := _LEVEL_PUBLISHER.match(_strip_regions(publisher)):
        return match.group(1)
    return _top(Counter(next(g for g in m.groups() if g) for m in _LEVEL_TEXT.finditer(text)))


def _title_issuer(title: str, evidence: _Evidence, scope: Region | None) -> Region | None:
    """The county a title starts with, as in 镇海区住房和建设交通局2024年工作总结."""
    counties = []
    while (lead := _scanner().pattern.match(title)) is not None:
        region = _resolve(lead.group(), evidence.context)
        counties += [region.code] if region is not None and _is_county(region) else []
        title = title[lead.end() :]
    named = _candidates(set(counties), evidence, scope, _is_county)
    return named[0] if len(named) == 1 else None


def _most_mentioned(evidence: _Evidence, scope: Region | None, level: str | None) -> Region | None:
    """The division at ``level`` the title (tenfold) and the text mention most."""
    codes = set(evidence.title) | set(evidence.text)
    regions = _candidates(codes, evidence, scope, _level_filter(level))
    code = _top(Counter({r.code: 10 * evidence.title[r.code] + evidence.text[r.code] for r in regions}))
    return region_by_code(code) if code else None


def _dominant_city(evidence: _Evidence) -> Region | None:
    """The city the publisher and the text name most (for a zone without a region code)."""
    cities = _candidates(set(evidence.text) | set(evidence.publisher), evidence, None, _is_city_level)
    code = _top(Counter({r.code: evidence.text[r.code] + evidence.publisher[r.code] for r in cities}))
    return region_by_code(code) if code else None


def _anchor(index_no: str | None) -> tuple[Region | None, bool]:
    """The region of the 索引号's credit code, and whether it is exact (False: a local code's city)."""
    code = code_from_index_no(index_no) if index_no else None
    if code is None:
        return None, False
    if (region := region_by_code(code)) is not None:
        return region, True
    # Development zones register under codes of their own (330208); the city is still right.
    return region_by_code(code[:4] + "00") or region_by_code(_province(code)), False


def _choose(text: str, publisher: str, title: str, index_no: str | None) -> tuple[Region, str] | None:
    """Apply the rules in order; return the deepest table region and a zone name ('' if none)."""
    anchor, exact = _anchor(index_no)
    if anchor is not None and exact and not _is_city_level(anchor):
        return anchor, ""  # a district, a county or an ordinary province
    evidence = _collect(text, publisher, title, anchor)
    counties = _candidates(set(evidence.publisher), evidence, anchor, _is_county)
    if len(counties) == 1:
        return counties[0], ""
    cities = _candidates(set(evidence.publisher), evidence, anchor, _is_city_level)
    city = cities[0] if len(cities) == 1 else None
    if zone := _publisher_zone(publisher):
        city = anchor or _publisher_city(publisher) or city or _dominant_city(evidence)
        return (city, zone) if city else None
    unit = _unit(publisher, title)
    scope = anchor or city  # 宁波前江街道: the district is still to be found, inside 宁波
    if scope is not None and (exact or (city is not None and not unit)):
        return scope, ""
    if (county := _title_issuer(title, evidence, scope)) is not None:
        return county, ""
    title_zones = Counter({zone: 10 * n for zone, n in _zones(title, _ALL_ZONES).items()})
    text_zone = _top(title_zones + _zones(text, _TEXT_ZONES))
    if anchor is not None and text_zone:
        return anchor, text_zone  # a code outside the table is typically a development zone's
    level = _level(publisher, text)
    if level is not None or unit:
        if (region := _most_mentioned(evidence, scope, level)) is not None:
            return region, ""
        if level == "区" and text_zone and (city := scope or _dominant_city(evidence)) is not None:
            return city, text_zone
    return (scope, "") if scope else None


def infer_jurisdiction(
    text: str, *, index_no: str | None, publisher: str | None, title: str | None
) -> tuple[str | None, str | None]:
    """Infer the government that issued a document.

    Args:
        text: normalised (simplified) document text.
        index_no: the 索引号; one starting with a unified social credit code gives the region.
        publisher: the 发布机构, e.g. "区府办", "前江街道".
        title: the document title.

    Returns:
        ``(full name, code)``: the name from the city down (宁波市江北区前江街道, 宁波市高新区) and
        the GB/T 2260 code of the deepest division in that name (the district of a 街道, the city
        of a development zone); ``(None, None)`` when the evidence does not settle it.

    >>> infer_jurisdiction("", index_no="11330206002954449B/2024-198521", publisher="区府办", title=None)
    ('宁波市北仑区', '330206')
    >>> infer_jurisdiction("重庆市江北区: 全区", index_no=None, publisher="区府办", title=None)
    ('重庆市江北区', '500105')
    >>> infer_jurisdiction("全区工作", index_no=None, publisher="区府办", title=None)
    (None, None)
    """
    publisher, title = publisher or "", title or ""
    chosen = _choose(text, publisher, title, index_no)
    if chosen is None:
        return None, None
    region, zone = chosen
    name = full_name(region.code) + zone
    unit = _unit(publisher, title)
    if unit and (_is_county(region) or zone or region.code not in _parent_codes()):
        name += unit  # a 街道 hangs under a district, a zone or a city without districts (东莞市)
    return name, region.code
