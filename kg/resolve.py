"""Extracted mentions -> resolved entities: canonical names, aliases and jurisdiction-scoped ids."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType

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
]

_TABLE_FILE = "agency_names.tsv"
_NO_ALIASES: Mapping[str, str] = MappingProxyType({})

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
_QUOTES = "\"'“”‘’「」『』"
_ALIAS = re.compile(
    rf"(?P<run>[{_HAN}A-Za-z0-9]{{1,40}}?)\s*(?P<sep>[(（,，])?\s*"
    rf"(?:(?:以下|下文)?简称|(?:以下|下文)称)\s*[:：]?\s*"
    rf"(?:[{_QUOTES}](?P<quoted>[^{_QUOTES}\n]{{1,20}}?)[{_QUOTES}]"
    rf"|(?P<bare>[^{_QUOTES}()（）,，;；:：。、\s]{{1,20}}))"
)
_ALIAS_WORD = re.compile(r"简称|(?:以下|下文)称")
_LEADING_WORDS = (
    "根据", "按照", "依据", "关于", "印发", "会同", "联合", "成立", "设立", "组建", "推进",
    "由", "请", "对", "将", "把", "向", "从", "在", "为", "是", "和", "与", "及", "并",
)  # fmt: skip
_NUMERAL = "一二三四五六七八九十"
_RAIL = re.compile(rf"(?P<pre>.*?)(?P<num>\d+|[{_NUMERAL}]+)号线(?P<rest>.*)")
_RANGE_PAREN = re.compile(r"(?P<base>.+?)\s*[(（](?P<inner>[^()（）]+)[)）].*")
_RANGE_INNER = re.compile(rf"[-—–~～至到]|[{_NUMERAL}\d]+期|段$")
_PHASE_TAIL = re.compile(rf"(?P<base>.{{2,}}?)[{_NUMERAL}\d]+期(?:工程|项目)?")


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


def document_aliases(text: str) -> dict[str, str]:
    """Find the short names a document declares, as in ``建设和交通管理局(以下简称建设局)``.

    The full name is the longest stretch before the declaration that reads as an agency name
    (or else the whole stretch) and contains the short name's characters in order. The form
    ``建设和交通管理局(生态环境局)`` (two names of one body) is not an alias and is left out.

    Args:
        text: the normalised document text.

    Returns:
        ``{short: full}``, sorted by short name.

    >>> document_aliases('由区建设和交通管理局(以下简称"建设局")牵头')
    {'建设局': '区建设和交通管理局'}
    >>> document_aliases("建设和交通管理局(生态环境局)")
    {}
    """
    found: dict[str, str] = {}
    if not _ALIAS_WORD.search(text):
        return {}
    for match in _ALIAS.finditer(text):
        short = match.group("quoted") or match.group("bare")
        if match.group("bare") and not _bare_alias_closed(text, match):
            continue
        full = _full_from_run(match.group("run"), short.strip())
        if full:
            found.setdefault(short.strip(), full)
    return dict(sorted(found.items()))


_TWO_NAMES = re.compile(r"^(?P<main>[^()]{2,30})\((?P<other>[^()]{2,30})\)$")


def contraction_aliases(names: Iterable[str], *, publisher: str | None = None) -> dict[str, str]:
    """Short names a document uses for its own longer agency names: ``{short: full}``.

    A short name is a contraction of a full name when it starts with the same character, ends
    with the same suffix character and keeps the full name's characters in order (建设局 in
    建设和交通管理局); only a contraction of exactly one full name counts. ``与`` and ``和`` are
    the same connective. A publisher written as two names of one body (``A(B)``) makes B an
    alias of A.

    >>> contraction_aliases(["建设局", "建设与交通管理局"], publisher="建设和交通管理局(生态环境局)")
    {'建设与交通管理局': '建设和交通管理局', '建设局': '建设和交通管理局', '生态环境局': '建设和交通管理局'}
    """
    found: dict[str, str] = {}
    full_names = set(names)
    if publisher:
        two = _TWO_NAMES.match(publisher)
        main = two.group("main") if two else publisher
        if two:
            found[two.group("other")] = main
        full_names.add(main)
    for name in sorted(full_names):
        if name in found:
            continue
        same = [f for f in full_names if f != name and f.replace("与", "和") == name.replace("与", "和")]
        if same and publisher and any(f in publisher for f in same):
            found[name] = next(f for f in sorted(same) if f in publisher)
            continue
        longer = sorted(
            f for f in full_names
            if len(f) > len(name) and f[0] == name[0] and f[-1] == name[-1] and _in_order(name, f)
            and f.replace("与", "和") != name.replace("与", "和")
        )
        if len({f.replace("与", "和") for f in longer}) == 1 and len(name) >= 3:
            found[name] = next((f for f in longer if publisher and f in publisher), longer[0])
    # follow chains (建设局 -> 建设与交通管理局 -> 建设和交通管理局)
    for short, full in list(found.items()):
        seen = {short}
        while full in found and full not in seen:
            seen.add(full)
            full = found[full]
        found[short] = full
    return dict(sorted(found.items()))


def _bare_alias_closed(text: str, match: re.Match[str]) -> bool:
    # An unquoted short name is trusted only inside (…) or between commas, where its end is sure.
    after = text[match.end() : match.end() + 1]
    if match.group("sep") in ("(", "（"):
        return after in (")", "）")
    return match.group("sep") is not None and (not after or after in ",，;；。)）")


def _full_from_run(run: str, short: str) -> str | None:
    for tail in ("以下", "下文"):
        run = run.removesuffix(tail)
    run = run.rsplit("的", 1)[-1]
    while stripped := next((w for w in _LEADING_WORDS if run.startswith(w)), None):
        run = run[len(stripped) :]
    known = _table().known
    for start in range(len(run) - len(short)):
        candidate = run[start:]
        if _in_order(short, candidate) and split_prefix(candidate)[1] in known:
            return candidate
    if len(run) > len(short) and _in_order(short, run):
        return run
    return None


def _in_order(short: str, full: str) -> bool:
    chars = iter(full)
    return all(char in chars for char in short)


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
            id=entity_id(type_, name, jurisdiction),
            type=type_,
            name=name,
            jurisdiction=jurisdiction,
            surfaces=tuple(sorted(texts)),
            collective=type_ == "Agency" and name in collective,
        )
        for (type_, name), texts in surfaces.items()
    )
    return tuple(sorted(entities, key=lambda entity: (entity.type, entity.name)))


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
