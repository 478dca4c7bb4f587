"""GB/T 2260 division table (kg/data/regions.tsv) -> lookups by code, by name and from a 索引号."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

from kg.errors import KGError

__all__ = [
    "Region",
    "UnknownRegionError",
    "all_regions",
    "region_by_code",
    "full_name",
    "short_name",
    "regions_named",
    "code_from_index_no",
    "NameScanner",
    "NameMatch",
    "region_scanner",
]

# Generic parts of a division name, longest first so 自治县 wins over 县.
_SUFFIXES = tuple(
    "特别行政区 自治区 自治州 自治县 自治旗 新区 林区 矿区 特区 地区 省 市 区 县 州 盟 旗".split()
)
# Ethnic groups named in autonomous divisions (广西壮族自治区 -> 广西, 伊犁哈萨克自治州 -> 伊犁).
_ETHNIC = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 "
    "畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 "
    "锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 "
    "鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
_ETHNIC_TAIL = re.compile("(?:" + "|".join(sorted(_ETHNIC, key=len, reverse=True)) + ")族?$")

# Unified social credit code (GB 32100-2015): 18 characters without I, O, S, V, Z.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC = re.compile(r"\s*([0-9A-HJ-NPQRTUWXY]{18})(?![0-9A-Z])")


class UnknownRegionError(KGError, LookupError):
    """A 6-digit code is not in the GB/T 2260 table (kg/data/regions.tsv)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(f"region code {code!r} is not in kg/data/regions.tsv; expected a GB/T 2260 code")


@dataclass(frozen=True)
class Region:
    """One administrative division: 6-digit code, official name, level and parent code."""

    code: str
    name: str
    level: str  # "province", "city" or "county"
    parent: str | None  # None for a province


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Region]
    by_name: dict[str, tuple[Region, ...]]


@cache
def _table() -> _Table:
    """Read regions.tsv once (the file ships inside the package, next to this module)."""
    text = resources.files("kg").joinpath("data", "regions.tsv").read_text(encoding="utf-8")
    by_code: dict[str, Region] = {}
    for line in text.splitlines()[2:]:  # comment line, column names
        code, name, level, parent = line.split("\t")
        by_code[code] = Region(code, name, level, parent or None)
    by_name: dict[str, list[Region]] = {}
    for region in by_code.values():  # in code order, so each list is sorted by code
        for key in dict.fromkeys((region.name, short_name(region.name))):
            by_name.setdefault(key, []).append(region)
    return _Table(by_code, {key: tuple(regions) for key, regions in by_name.items()})


def all_regions() -> tuple[Region, ...]:
    """Return every division of the table, sorted by code."""
    return tuple(_table().by_code.values())


def region_by_code(code6: str) -> Region | None:
    """Return the division with this 6-digit code, or None.

    >>> region_by_code("330206")
    Region(code='330206', name='北仑区', level='county', parent='330200')
    >>> region_by_code("330208") is None
    True
    """
    return _table().by_code.get(code6)


def full_name(code6: str) -> str:
    """Return the name from the province-level city (or ordinary city) down.

    An ordinary province is dropped; a municipality or special administrative region is kept.

    >>> full_name("330206"), full_name("330200"), full_name("110105"), full_name("330000")
    ('宁波市北仑区', '宁波市', '北京市朝阳区', '浙江省')

    Raises:
        UnknownRegionError: the code is not in the table.
    """
    region = region_by_code(code6)
    if region is None:
        raise UnknownRegionError(code6)
    if region.level != "county" or region.parent is None:
        return region.name
    parent = _table().by_code[region.parent]
    if parent.level == "province" and not parent.name.endswith(("市", "特别行政区")):
        return region.name  # county-level city administered by the province, e.g. 济源市
    return parent.name + region.name


def short_name(name: str) -> str:
    """Return the name without its generic suffix, or the name itself if that leaves < 2 characters.

    >>> [short_name(n) for n in ("北仑区", "宁波市", "浙江省", "广西壮族自治区", "保亭黎族苗族自治县")]
    ['北仑', '宁波', '浙江', '广西', '保亭']
    >>> [short_name(n) for n in ("管城回族区", "东乡族自治县", "内蒙古自治区", "东区")]
    ['管城', '东乡', '内蒙古', '东区']
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            stem = name[: -len(suffix)]
            if suffix.startswith("自治") or stem.endswith("族"):
                while (match := _ETHNIC_TAIL.search(stem)) and match.start() >= 2:
                    stem = stem[: match.start()]
                if stem.endswith("族") and len(stem) >= 3:  # 东乡族自治县 -> 东乡
                    stem = stem[:-1]
            return stem
    return name


def regions_named(short_or_full: str) -> list[Region]:
    """Return the divisions called ``short_or_full`` (full name or name without suffix), by code.

    >>> [r.code for r in regions_named("江北")]
    ['330205', '500105']
    >>> [r.name for r in regions_named("宁波")], regions_named("宁")
    (['宁波市'], [])
    """
    return list(_table().by_name.get(short_or_full, ()))


def code_from_index_no(index_no: str) -> str | None:
    """Return the GB/T 2260 code in a 索引号 that starts with a unified social credit code, or None.

    Characters 3-8 of the 18-character code are the registering region. The code must use the
    USCC alphabet, have a valid check character and a province part present in the table; a
    9-character organisation code or a plain number carries no region.

    >>> code_from_index_no("11330206002954449B/2024-198521")
    '330206'
    >>> code_from_index_no("736956697/2025-225485") is None, code_from_index_no("2953384/2022-53376") is None
    (True, True)
    """
    match = _USCC.match(index_no.upper())
    if match is None:
        return None
    uscc = match.group(1)
    pairs = zip(uscc[:17], _USCC_WEIGHTS, strict=True)
    total = sum(_USCC_CHARS.index(char) * weight for char, weight in pairs)
    if uscc[17] != _USCC_CHARS[-total % 31]:
        return None
    code = uscc[2:8]
    if not code.isdigit() or region_by_code(code[:2] + "0000") is None:
        return None
    return code


class NameMatch(NamedTuple):
    """A name found by :class:`NameScanner` (the parts of ``re.Match`` that callers use; a tuple:
    a scan makes hundreds)."""

    text: str
    begin: int

    def group(self) -> str:
        return self.text

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.begin + len(self.text)


class NameScanner:
    """Find any of many names (2+ characters) in text, the longest at each position.

    Names are indexed by their first two characters; a character-class search jumps to the
    places a name can start. A regex alternation of thousands of names would be tried name by
    name at every position (measured: 20x slower on a 40 KB document).

    >>> [m.group() for m in NameScanner(["宁波", "宁波市", "宁海"]).finditer("宁波市宁海宁波")]
    ['宁波市', '宁海', '宁波']
    """

    def __init__(self, names: Iterable[str]) -> None:
        index: dict[str, list[str]] = {}
        for name in set(names):
            if len(name) >= 2:
                index.setdefault(name[:2], []).append(name)
        self._index = {key: tuple(sorted(group, key=lambda n: (-len(n), n))) for key, group in index.items()}
        firsts = sorted({key[0] for key in self._index})
        seconds = sorted({key[1] for key in self._index})
        # a first character followed by a second one: two in three first characters of Chinese
        # text are followed by no name's second character
        first, second = ("".join(map(re.escape, chars)) for chars in (firsts, seconds))
        self._starts = re.compile(f"[{first}](?=[{second}])") if firsts else None
        self._recent: dict[str, tuple[tuple[NameMatch, ...], list[int]]] = {}

    def forget(self) -> None:
        """Drop the remembered scans of recent texts."""
        self._recent.clear()

    def match(self, text: str, pos: int = 0) -> NameMatch | None:
        """The longest name starting exactly at ``pos``."""
        for name in self._index.get(text[pos : pos + 2], ()):
            if text.startswith(name, pos):
                return NameMatch(name, pos)
        return None

    def _scan(self, text: str, pos: int, end: int) -> Iterator[NameMatch]:
        if self._starts is None:
            return
        index, i = self._index, pos
        # the places a name can start, found in C; those inside a name already found are skipped
        for hit in self._starts.finditer(text, pos, end):
            start = hit.start()
            if start < i:
                continue
            for name in index.get(text[start : start + 2], ()):
                if start + len(name) <= end and text.startswith(name, start):
                    yield NameMatch(name, start)
                    i = start + len(name)
                    break

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[NameMatch]:
        """Non-overlapping names from left to right, the longest at each position.

        A whole text's matches are remembered for the last few texts: one document is scanned
        by several callers (its jurisdiction, its places, the prefixes of its agency names).
        """
        end = len(text) if endpos is None else min(endpos, len(text))
        found, starts = self._whole(text)
        if pos == 0 and end == len(text):
            yield from found
            return
        # a window of a text scanned whole: the names lying inside it
        for k in range(bisect_left(starts, pos), len(found)):
            if found[k].end() > end:
                if found[k].start() >= end:
                    return
                continue
            yield found[k]

    def inside(self, text: str, pos: int, end: int) -> list[NameMatch]:
        """The names :meth:`finditer` gives for ``text[pos:end]``, as a list."""
        found, starts = self._whole(text)
        end = min(end, len(text))
        return [m for m in found[bisect_left(starts, pos) : bisect_left(starts, end)] if m.end() <= end]

    def _whole(self, text: str) -> tuple[tuple[NameMatch, ...], list[int]]:
        cached = self._recent.get(text)
        if cached is None:
            found = tuple(self._scan(text, 0, len(text)))
            cached = (found, [m.start() for m in found])
            if len(self._recent) >= 8:
                self._recent.pop(next(iter(self._recent)))
            self._recent[text] = cached
        return cached

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> NameMatch | None:
        """The first name in ``text[pos:endpos]``, or None."""
        return next(self.finditer(text, pos, endpos), None)

    def findall(self, text: str) -> list[str]:
        """Every name found, in order."""
        return [m.group() for m in self.finditer(text)]


@cache
def region_scanner() -> NameScanner:
    """One scanner of every division name and short name (2+ characters), shared by the
    stages that look for places, so that a document is scanned once."""
    names: set[str] = set()
    for region in all_regions():
        if region.name.startswith(("市辖", "省直辖", "自治区直辖")):
            continue
        names.add(region.name)
        names.add(short_name(region.name))
    return NameScanner(n for n in names if len(n) >= 2)
