"""Numbers with units in task and result text: normalised text -> Quantities (value, unit, what is counted).

``新增保障性租赁住房2400套`` is 2400 套 of 保障性租赁住房; ``完成固定资产投资172.35亿元`` is
17235000000 元 of 固定资产投资; ``地区生产总值增长6%左右`` is about 6 % (增长) of 地区生产总值.
Chinese numerals (三十套) are read with cn2an; magnitude words (万, 亿) are multiplied out so that
figures of one kind compare (1.68万亩 = 16800 亩).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from kg.extract.lexicon import HAN, NAME_WORDS, boundary_words
from kg.models import Quantity

__all__ = ["UNITS", "extract_quantities", "parse_number", "same_kind", "compare"]

#: Units as written -> (unit the value is given in, factor). Longest first in the pattern.
UNITS: dict[str, tuple[str, Decimal]] = {
    **{
        u: (u, Decimal(1))
        for u in (
            "平方公里 平方米 公顷 亩 方 公里 米 千瓦时 千瓦 兆瓦 吨 载重吨 标准箱 斤 公斤 "
            "元 美元 % ‰ 个百分点 倍 套 间 户 个 家 座 条 处 辆 台 部 艘 名 人次 人 场 件 项 "
            "所 张 栋 幢 批 宗 棵 株 头 床 册 篇 份 支 次 起 例 位 班 期 天 小时 个月 kg/d"
        ).split()
    },
    "千米": ("公里", Decimal(1)),
    "公里数": ("公里", Decimal(1)),
}
# a phase (一期, 二期) is a name part, a 号 a line number, 千伏 part of a substation's name
_CHINESE_UNIT_EXCLUDED = {"期"}
_ONE = Decimal(1)
_MAGNITUDE = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
# the number first, so that the scan skips quickly to digits; a bound word before it is looked up after
_PRE_WORDS = (
    "不少于", "不低于", "不超过", "不高于", "至少", "超过", "低于", "高于", "大约", "约", "近", "超",
)
_PRE = re.compile("(?:" + "|".join(_PRE_WORDS) + ")$")
# the characters a bound word before a figure can end with ($ also matches before a final newline)
_PRE_LAST = frozenset({w[-1] for w in _PRE_WORDS} | {"\n"})
# The numeral starts with one character class (its first digit, Arabic or Chinese) so that the
# search skips in C to the places a figure can start; the lookbehind picks the numeral's kind.
_FIGURE = re.compile(
    rf"(?P<num>[0-9{_CN_DIGITS}](?:(?<=[0-9])[0-9]*(?:\.[0-9]+)?|(?<=[{_CN_DIGITS}])[{_CN_DIGITS}]*))"
    rf"(?P<mag>万亿|亿|万)?(?P<more>余|多)?"
    rf"(?P<unit>{_UNIT_ALTERNATION})"
    rf"(?P<post>以上|以下|以内|之内|左右|上下)?"
)
# Chinese numerals inside words: 进一步, 统一, 唯一, 第一, 之一, 同一, 万一, 逐一, 每一
_CN_WORD_BEFORE = set("第进统唯之同万逐每单专合归划")
# a classifier that starts a word: 一次性, 一体化, 一部分, 一起 (together), 一线
_CN_WORD_AFTER = set("性化分式型级致样线流道端码体")
_BOUND_WORDS = {
    "min": {"以上", "不少于", "不低于", "至少", "超过", "超", "余", "多"},
    "max": {"以下", "以内", "之内", "不超过", "不高于", "低于"},
    "approx": {"左右", "上下", "约", "大约", "近"},
}
_CAPS = re.compile(r"控制在[^,;。]{0,12}$")
# verbs that say how the counted thing relates to the number (增长 6%, 占比 40%)
_RELATION = re.compile(
    r"(?:同比增长|同比增加|同比下降|同比减少|增速|增长|增加|下降|减少|提高|降低|提升|达到|达|为|占比|占|控制在|稳定在|保持|超过|"
    r"累计|共计|共|合计|总计|约|近|实现|完成)+$"
)
_TIME = re.compile(
    r"^(?:[0-9]{4}年度?(?:[0-9]{1,2}(?:-[0-9]{1,2})?月(?:份|底|中旬|上旬|下旬)?)?|[0-9]{1,2}月(?:份|底)?|年内|今年|全年|本年度|年度)"
)
_PLACE_HEAD = re.compile(r"^(?:全区|全市|全县|全省|全镇|我区|我市|我县|辖区|区内|市内|其中)")


# a counted phrase is read from the run of name characters before the figure: these end it
_NOT_RUN = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9“”·\-#()、]")
_RIGHT_RUN = re.compile(rf"[{HAN}A-Za-z0-9“”·\-]+")
_NOUN_MAKERS = set("性化型式率类级度量业站点区园费员者额值品器体")
_KEEP = NAME_WORDS | {"高标准", "高质量", "高水平", "新一轮", "首批", "全域"}
_LEADING_VERB = re.compile(
    r"^(?:新建成|新改建|新引育|新筹建|新启动|新招引|新引进|新增投放|新申报|新增建设筹集|建设筹集|新增和更换|新建和改造提升|"
    r"新建及提质|新建改建|已|另|均|共|累计|实际)"
)
# a measure of something named just before (项目7个、房源2479套): the house stock of those projects
_MEASURE_NOUN = re.compile(
    r"^(?:房源|面积|总量|投资|年度投资|数量|规模|里程|产值|金额|户数|人数|套数|资金|总额|增速|占比)$"
)
_CLASSIFIERS = set("套间户个家座条处辆台部艘名人场件项所张栋幢批宗棵株头床册篇份支位班")


@lru_cache(maxsize=1024)
def parse_number(text: str) -> Decimal | None:
    """The value of an Arabic or Chinese numeral, or None (remembered: cn2an is slow, and a
    text repeats its numerals, 一 and 两 above all).

    >>> parse_number("2479"), parse_number("12.12"), parse_number("三十"), parse_number("两")
    (Decimal('2479'), Decimal('12.12'), Decimal('30'), Decimal('2'))
    """
    if _ARABIC.fullmatch(text):
        return Decimal(text)
    import cn2an

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> Decimal:
    """A value without exponent or trailing zeros: 1.72350E+10 -> 17235000000."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _bound(match: re.Match[str], pre: str, before: str) -> str:
    more, post = match.group("more"), match.group("post")
    words = {pre, more, post} - {None, ""} if pre or more or post else None
    if words:
        for bound in ("max", "approx", "min"):
            if words & _BOUND_WORDS[bound]:
                return bound
    if "控制在" in before and _CAPS.search(before):
        return "max"  # 控制在3%以内 reads as a cap even where 以内 is missing
    return ""


def _strip_leading(phrase: str) -> str:
    """Drop the verbs, times and places that start a counted phrase (完成, 2024年, 全区共).

    >>> _strip_leading("全年新建成省级未来社区"), _strip_leading("服务业增加值"), _strip_leading("谋划")
    ('省级未来社区', '服务业增加值', '')
    """
    words = boundary_words()
    changed = True
    while changed and phrase:
        changed = False
        for pattern in (_TIME, _PLACE_HEAD, _LEADING_VERB):
            m = pattern.match(phrase)
            if m and m.end():
                phrase, changed = phrase[m.end() :], True
        for n in (4, 3, 2, 1):
            head = phrase[:n]
            if (
                len(phrase) < n
                or head not in words
                or head in _KEEP
                or (len(head) >= 3 and head.endswith("化"))
            ):
                continue  # 数字化车间: an adjective, not a verb
            # a verb followed by 性, 业, 率 ... is part of a noun (保障性租赁住房, 服务业增加值)
            if len(phrase) > n and phrase[n] in _NOUN_MAKERS:
                continue
            phrase, changed = phrase[n:], True
            break
    return phrase


def _left_counts(text: str, start: int, floor: int) -> tuple[str, str]:
    """(counted phrase, relation verb) written before a figure at ``start``."""
    i = floor  # the run starts after the last character that is no run character
    for m in _NOT_RUN.finditer(text, floor, start):
        i = m.end()
    return _counted_phrase(text[i:start])


@lru_cache(maxsize=8192)
def _counted_phrase(phrase: str) -> tuple[str, str]:
    """(counted phrase, relation verb) of the text run before a figure."""
    phrase = phrase.rsplit("、", 1)[-1] if phrase.endswith(tuple("0123456789")) else phrase
    verb = ""
    m = _RELATION.search(phrase)
    if m:
        verb, phrase = m.group(), phrase[: m.start()]
    phrase = phrase.removesuffix("的").removesuffix("等").replace("“", "").replace("”", "")
    phrase = _strip_leading(phrase.strip("、() ")).lstrip("0123456789+-.").strip("、() ")
    return phrase.removesuffix("等"), verb


def _right_counts(text: str, end: int) -> str:
    """The noun after a classifier (新建2个小微园区 -> 小微园区), cut at the first verb."""
    run = _RIGHT_RUN.match(text, end)
    if not run:
        return ""
    phrase = run.group()[:16].replace("“", "").replace("”", "")
    words = boundary_words()
    for i in range(1, len(phrase)):
        for n in (4, 3, 2):
            w = phrase[i : i + n]
            if len(w) == n and w in words and w not in _KEEP:
                return phrase[:i]
    return phrase


_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TOKEN_CHARS = set("0123456789.#-/:")
_ASCII_DIGITS = frozenset("0123456789")
_SENTENCE_MARK = re.compile(r"[。;|\n]")
_WORD_CHAR = re.compile(rf"[{HAN}A-Za-z0-9]")
_GROWTH = re.compile(r"增长|增加|增速|下降|减少|提高|降低|提升")
#: How far back a counted phrase may start (a clause is rarely longer).
_CLAUSE_WINDOW = 80
# a clause mark with no other after it (up to the end of the searched stretch)
_LAST_CLAUSE_MARK = re.compile(r"[,;。:!?\n|](?=[^,;。:!?\n|]*\Z)")


def _clause_start(text: str, floor: int, pos: int) -> int:
    """Just after the last clause mark in ``text[floor:pos]``, else ``floor``."""
    last = _LAST_CLAUSE_MARK.search(text, floor, pos)
    return last.end() if last else floor


def _in_quotes(text: str, start: int, end: int) -> bool:
    """A figure in quotes is a slogan (“四个一”, “一件事”), not a quantity."""
    opened = text.rfind("“", max(0, start - 12), start)
    return opened >= 0 and "”" not in text[opened:start] and "”" in text[end : end + 12]


def _figures(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    for m in _FIGURE.finditer(text, start, end):
        num, unit = m.group("num", "unit")
        begin, stop = m.span()  # the numeral starts the figure
        if num[0] in _CN_DIGITS:
            before = text[begin - 1] if begin > 0 else ""
            unit_end = m.end("unit")
            after = text[unit_end] if unit_end < len(text) else ""
            if unit in _CHINESE_UNIT_EXCLUDED or before in _CN_WORD_BEFORE or after in _CN_WORD_AFTER:
                continue
            if _in_quotes(text, begin, stop) or (num == "一" and unit in ("起", "部", "次", "位")):
                continue
        elif begin > 0 and text[begin - 1] in _TOKEN_CHARS:
            continue  # inside a longer token (24#-26#, 1-6月, 12:30)
        if unit == "期" and text[stop : stop + 1] in ("工", "项"):
            continue  # 2期工程: a phase
        if unit in ("个", "名", "次") and text[stop : stop + 1] in ("月", "义", "性"):
            continue
        yield m


def extract_quantities(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    role: str = "",
    year: int | None = None,
    role_at: Callable[[int], str] | None = None,
) -> tuple[Quantity, ...]:
    """The figures of ``text[start:end]`` with their units and what they count, in text order.

    Args:
        text: normalised document text.
        start, end: the stretch to read (a table cell, a section); the whole text by default.
        role: "target" or "result", given to every quantity found.
        year: the year the stretch is about.
        role_at: the role of a figure by its position, where it varies (plan and report cells).

    >>> found = extract_quantities("新增保障性租赁住房2400套,完成公路大中修总里程12.12公里")
    >>> [(q.value, q.unit, q.counts) for q in found]
    [(Decimal('2400'), '套', '保障性租赁住房'), (Decimal('12.12'), '公里', '公路大中修总里程')]
    >>> q = extract_quantities("地区生产总值增长6%左右")[0]
    >>> (q.value, q.unit, q.counts, q.verb, q.bound)
    (Decimal('6'), '%', '地区生产总值', '增长', 'approx')
    >>> [(q.value, q.unit, q.counts) for q in extract_quantities("新增三十套人才公寓,整治1.68万亩")]
    [(Decimal('30'), '套', '人才公寓'), (Decimal('16800'), '亩', '')]
    """
    end = len(text) if end is None else end
    found: list[Quantity] = []
    floor = start
    for m in _figures(text, start, end):
        begin, stop = m.span()
        num, mag, written = m.group("num", "mag", "unit")
        lo = max(floor, begin - 3)
        # a bound word ends at the figure: most figures follow none of their last characters
        bounded = lo < begin and text[begin - 1] in _PRE_LAST
        before = _PRE.search(text, lo, begin) if bounded else None
        pre = before.group() if before else ""
        first = begin - len(pre)
        clause_start = _clause_start(text, max(floor, first - _CLAUSE_WINDOW), first)
        # an Arabic numeral of the pattern is a plain decimal; Chinese ones go through cn2an
        number = Decimal(num) if num[0] in _ASCII_DIGITS else parse_number(num)
        if number is None:
            continue
        unit, factor = UNITS[written]
        if mag is None and factor == 1 and num.isdigit() and num.isascii() and len(num) <= 18:
            value = number  # an Arabic integer is in plain form already (as _plain would give it)
        else:
            value = _plain(number * factor * _MAGNITUDE.get(mag or "", _ONE))
        counts, verb = _left_counts(text, first, clause_start)
        if not counts and written in _CLASSIFIERS:
            counts = _right_counts(text, stop)
        previous = found[-1] if found and not _SENTENCE_MARK.search(text, found[-1].end, first) else None
        if previous is not None and not counts and verb:
            counts = previous.counts  # 其中国际海运货运量为1246.7万吨,占比40.3%: a share of the thing before
        elif previous is not None and _MEASURE_NOUN.match(counts) and previous.counts:
            counts = previous.counts + counts  # 保障性租赁住房项目7个、房源2479套
        found.append(
            Quantity(
                text=pre + m.group(),
                value=value,
                unit=unit,
                counts=counts,
                start=first,
                end=stop,
                bound=_bound(m, pre, text[clause_start:first]),
                verb=verb,
                role=role_at(first) if role_at is not None else role,
                year=year,
            )
        )
        floor = stop
    return tuple(found)


def _bigrams(text: str) -> set[str]:
    chars = _WORD_CHAR.findall(text)
    return {a + b for a, b in zip(chars, chars[1:], strict=False)} or set(chars)


def same_kind(target: Quantity, result: Quantity) -> float:
    """How surely two figures count the same thing: 0 when they do not (units differ, or the
    counted phrases share too little), else the overlap of their phrases' character bigrams.

    >>> a = Quantity("2400套", Decimal(2400), "套", "保障性租赁住房", 0, 5)
    >>> b = Quantity("2479套", Decimal(2479), "套", "保障性租赁住房项目", 0, 5)
    >>> same_kind(a, b) > 0.5, same_kind(a, replace(b, unit="个"))
    (True, 0.0)
    """
    if target.unit != result.unit or not target.counts or not result.counts:
        return 0.0
    if target.unit == "%" and target.verb and result.verb and _growth(target.verb) != _growth(result.verb):
        return 0.0  # a growth rate is not a share
    return _phrase_overlap(target.counts, result.counts)


def _phrase_overlap(a: str, b: str) -> float:
    """1.0 when one phrase holds the other (of 3 characters or more), else the share of the
    shorter one's bigrams the other has, if at least ``MIN_OVERLAP``."""
    shorter = min(a, b, key=len)
    if len(shorter) >= 3 and (a in b or b in a):
        return 1.0
    x, y = _bigrams(a), _bigrams(b)
    overlap = len(x & y) / min(len(x), len(y)) if x and y and len(x & y) >= 2 else 0.0
    return overlap if overlap >= MIN_OVERLAP else 0.0


#: Share of bigrams two counted phrases must have in common to count the same thing.
MIN_OVERLAP = 0.6


def _growth(verb: str) -> bool:
    return bool(_GROWTH.search(verb))


#: A target "about N" (左右) is met from this share of N on.
APPROX_TOLERANCE = Decimal("0.95")


def compare(target: Quantity, result: Quantity) -> tuple[str, Decimal | None]:
    """("met" or "not_met", result / target rounded to 4 places) for two figures of one kind.

    A cap (以内, 以下) is met at or below it, "about N" from 95 % of N, anything else at or above.

    >>> t = Quantity("2400套", Decimal(2400), "套", "保障性租赁住房", 0, 5)
    >>> compare(t, replace(t, value=Decimal(2479)))
    ('met', Decimal('1.0329'))
    >>> cap = replace(t, unit="%", value=Decimal(3), bound="max")
    >>> compare(cap, replace(cap, value=Decimal("2.04"), bound=""))
    ('met', Decimal('0.68'))
    """
    ratio = (result.value / target.value).quantize(Decimal("0.0001")) if target.value else None
    if target.bound == "max":
        met = result.value <= target.value
    elif target.bound == "approx":
        met = result.value >= target.value * APPROX_TOLERANCE
    else:
        met = result.value >= target.value
    return ("met" if met else "not_met"), (_plain(ratio) if ratio is not None else None)


def with_context(quantities: tuple[Quantity, ...], *, role: str, year: int | None) -> tuple[Quantity, ...]:
    """The same quantities with a role and a year."""
    return tuple(replace(q, role=role, year=year) for q in quantities)
