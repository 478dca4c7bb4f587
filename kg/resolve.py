"""Extracted mentions -> resolved entities: canonical names, aliases and jurisdiction-scoped ids."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType

from kg.agency_names import _LEVELS, _ZONE_WORD, canonical_agency_name, is_collective_unit, split_prefix
from kg.aliases import contraction_aliases, document_aliases
from kg.models import Entity, Mention

__all__ = [
    "split_prefix",
    "canonical_agency_name",
    "is_collective_unit",
    "agency_id",
    "entity_id",
    "document_aliases",
    "contraction_aliases",
    "base_name",
    "resolve_entities",
    "link_base_entities",
    "city_scope",
]

_NO_ALIASES: Mapping[str, str] = MappingProxyType({})

_NUMERAL = "一二三四五六七八九十"
_RAIL = re.compile(rf"(?P<pre>.*?)(?P<num>\d+|[{_NUMERAL}]+)号线(?P<rest>.*)")
_RANGE_PAREN = re.compile(r"(?P<base>.+?)\s*[(（](?P<inner>[^()（）]+)[)）].*")
_RANGE_INNER = re.compile(rf"[-—–~～至到]|[{_NUMERAL}\d]+期|段$")
_PHASE_TAIL = re.compile(rf"(?P<base>.{{2,}}?)[{_NUMERAL}\d]+期(?:工程|项目)?")




def _mint(type_: str, jurisdiction: str | None, name: str) -> str:
    key = f"{type_}|{jurisdiction or ''}|{name}"
    return f"{type_.lower()}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:16]}"


def agency_id(name: str, jurisdiction: str | None) -> str:
    """Mint the id of an agency within a jurisdiction.

    The id is ``"agency-"`` + the first 16 hex digits of
    ``sha1(f"Agency|{jurisdiction or ''}|{scoped}")`` (UTF-8), where ``scoped`` is
    :func:`canonical_agency_name` with the jurisdiction's own place name replaced by its level
    (``北仑区交通运输局`` -> ``区交通运输局`` in ``宁波市北仑区``).

    Args:
        name: the agency's name, full or abbreviated.
        jurisdiction: the government the document belongs to, e.g. ``宁波市北仑区``.

    Returns:
        An ASCII id, the same for every spelling of one agency in one jurisdiction.

    >>> agency_id("区发改局", "宁波市北仑区") == agency_id("区发展和改革局", "宁波市北仑区")
    True
    >>> agency_id("区发改局", "宁波市北仑区") == agency_id("区发改局", "宁波市镇海区")
    False
    """
    return _mint("Agency", jurisdiction, _scoped_agency_name(name, jurisdiction))


@lru_cache(maxsize=65536)
def _scoped_agency_name(name: str, jurisdiction: str | None) -> str:
    # In a 北仑区 document 北仑区交通运输局 and 宁波市北仑区交通运输局 are 区交通运输局.
    canonical = canonical_agency_name(name)
    prefix, core = split_prefix(canonical)
    level = _jurisdiction_level(jurisdiction)
    own = re.fullmatch(r"(?:中共)?(.+?)(委|党委|党工委)?", prefix)
    if not (level and own and jurisdiction and jurisdiction.endswith(own.group(1))):
        return canonical
    if own.group(1) == level or _ZONE_WORD.search(prefix):  # 高新区X stays as the text says
        return canonical
    return canonical_agency_name(level + (own.group(2) or "") + core)


def _jurisdiction_level(jurisdiction: str | None) -> str | None:
    if not jurisdiction:
        return None
    return next((lv for lv in _LEVELS if jurisdiction.endswith(lv)), None)


def entity_id(type_: str, name: str, jurisdiction: str | None) -> str:
    """Mint the id of an entity of any type, by the scheme of :func:`agency_id`.

    Args:
        type_: one of ``kg.models.ENTITY_TYPES``; ``Agency`` names are canonicalised first.
        name: the entity's name.
        jurisdiction: the government the document belongs to.

    Returns:
        ``type_.lower()`` + ``"-"`` + 16 hex digits of ``sha1(f"{type_}|{jurisdiction}|{name}")``.

    >>> entity_id("Road", "中官路", "宁波市镇海区")[:5]
    'road-'
    """
    if type_ == "Agency":
        return agency_id(name, jurisdiction)
    return _mint(type_, jurisdiction, name.strip())


def base_name(name: str) -> str | None:
    """Return the name a section or phase of something is a part of, if the name shows one.

    Args:
        name: an entity name.

    Returns:
        The text before a parenthesised range or phase, or before a trailing ``N期``; else None.

    >>> base_name("中官路(金川路-镇骆东路)拓宽改造工程")
    '中官路'
    >>> base_name("轨道交通3号线二期")
    '轨道交通3号线'
    >>> base_name("九龙大道") is None
    True
    """
    paren = _RANGE_PAREN.fullmatch(name)
    if paren and _RANGE_INNER.search(paren.group("inner")):
        return paren.group("base").strip()
    phase = _PHASE_TAIL.fullmatch(name)
    return phase.group("base") if phase else None


def resolve_entities(
    mentions: Iterable[Mention],
    *,
    jurisdiction: str | None,
    aliases: Mapping[str, str] = _NO_ALIASES,
) -> tuple[Entity, ...]:
    """Group the mentions of one document into entities with jurisdiction-scoped ids.

    Agencies are grouped by canonical name after the document's own ``aliases``; an unprefixed
    agency (``交通运输局``) joins the one prefixed agency of the jurisdiction's level with the
    same core (``区交通运输局``) when there is exactly one, and the jurisdiction's own place name
    gives way to its level (``北仑区交通运输局`` is ``区交通运输局`` in 宁波市北仑区). Collective
    units are flagged.
    ``轨道交通7号线`` and ``7号线`` are one rail line. Other names group by exact text; a name
    with a range or phase is kept apart from its base (see :func:`link_base_entities`).

    Args:
        mentions: typed mentions found in one document.
        jurisdiction: the document's government, e.g. ``宁波市北仑区``, or None.
        aliases: ``{short: full}`` declared by the document (:func:`document_aliases`).

    Returns:
        Entities sorted by (type, name), each with sorted surfaces.
    """
    surfaces: dict[tuple[str, str], set[str]] = {}
    collective: set[str] = set()
    rail_lines: dict[tuple[str, str], set[str]] = {}
    for mention in mentions:
        text = mention.text.strip()
        if not text:
            continue
        if mention.type == "Agency":
            name = _agency_name(text, aliases, jurisdiction)
            if is_collective_unit(text):
                collective.add(name)
        else:
            name = aliases.get(text, text)
        rail_key = _rail_key(name) if mention.type == "RailLine" else None
        if rail_key is not None:
            rail_lines.setdefault(rail_key, set()).update({text, name})
            continue
        surfaces.setdefault((mention.type, name), set()).add(text)
    for group in rail_lines.values():
        longest = max(sorted(group), key=len)
        surfaces.setdefault(("RailLine", longest), set()).update(group)
    _merge_unprefixed(surfaces, collective, jurisdiction)
    entities = (
        Entity(
            id=entity_id(type_, name, jurisdiction if type_ == "Agency" else city_scope(jurisdiction)),
            type=type_,
            name=name,
            jurisdiction=jurisdiction,
            surfaces=tuple(sorted(texts)),
            collective=type_ == "Agency" and name in collective,
        )
        for (type_, name), texts in surfaces.items()
    )
    return tuple(sorted(entities, key=lambda entity: (entity.type, entity.name)))


def city_scope(jurisdiction: str | None) -> str | None:
    """The city part of a jurisdiction: roads, rail lines and projects are named city-wide.

    Agencies are scoped to their own government (北仑's 区交通运输局 is not 镇海's), but a road
    or a metro line named in two districts' documents is one thing.

    >>> city_scope("宁波市北仑区"), city_scope("宁波市江北区前江街道"), city_scope("北京市朝阳区"), city_scope(None)
    ('宁波市', '宁波市', '北京市', None)
    """
    if not jurisdiction:
        return None
    head, sep, _ = jurisdiction.partition("市")
    return head + sep if sep and len(head) >= 2 else jurisdiction


def _agency_name(text: str, aliases: Mapping[str, str], jurisdiction: str | None) -> str:
    if text in aliases:
        return _scoped_agency_name(aliases[text], jurisdiction)
    prefix, core = split_prefix(text)
    if prefix and core in aliases:  # 建设局 declared, 区建设局 written: the prefix is the text's
        return _scoped_agency_name(prefix + split_prefix(aliases[core])[1], jurisdiction)
    return _scoped_agency_name(text, jurisdiction)


def _merge_unprefixed(
    surfaces: dict[tuple[str, str], set[str]], collective: set[str], jurisdiction: str | None
) -> None:
    level = _jurisdiction_level(jurisdiction)
    names = sorted(n for t, n in surfaces if t == "Agency" and n not in collective)
    prefixed: dict[str, list[str]] = {}
    for name in names:
        prefix, core = split_prefix(name)
        if prefix in _LEVELS and (level is None or prefix == level):
            prefixed.setdefault(core, []).append(name)
    for name in names:
        targets = prefixed.get(name, [])
        if not split_prefix(name)[0] and len(targets) == 1:
            surfaces[("Agency", targets[0])] |= surfaces.pop(("Agency", name))


def _rail_key(name: str) -> tuple[str, str] | None:
    match = _RAIL.fullmatch(name)
    if not match:
        return None
    if match.group("pre") and not match.group("pre").endswith(("轨道交通", "地铁", "轨交")):
        return None
    return _numeral_digits(match.group("num")), match.group("rest")


def _numeral_digits(numeral: str) -> str:
    # 十八号线 and 18号线 are one line; anything unusual is kept as written.
    if numeral.isdigit():
        return str(int(numeral))
    match = re.fullmatch(r"([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)", numeral)
    if not match or (match.group(3) and not match.group(2)):
        return numeral
    tens, ten, units = match.groups()
    value = _NUMERAL.index(tens) + 1 if tens else 0
    if ten:
        value = (value or 1) * 10 + (_NUMERAL.index(units) + 1 if units else 0)
    return str(value)


def link_base_entities(entities: Iterable[Entity]) -> tuple[tuple[str, str], ...]:
    """Pair each entity whose name shows a range or phase with the entity of its base name.

    ``中官路(金川路-镇骆东路)拓宽改造工程`` is linked to ``中官路`` but not merged with it.
    A base that names no entity, or more than one, gives no link.

    Args:
        entities: resolved entities (agencies are not considered).

    Returns:
        Sorted ``(entity id, base entity id)`` pairs.
    """
    entities = [entity for entity in entities if entity.type != "Agency"]
    ids_of: dict[tuple[str | None, str], set[str]] = {}
    for entity in entities:
        for surface in (entity.name, *entity.surfaces):
            ids_of.setdefault((entity.jurisdiction, surface), set()).add(entity.id)
    links: set[tuple[str, str]] = set()
    for entity in entities:
        base = base_name(entity.name)
        targets = ids_of.get((entity.jurisdiction, base), set()) - {entity.id} if base else set()
        if len(targets) == 1:
            links.add((entity.id, targets.pop()))
    return tuple(sorted(links))
