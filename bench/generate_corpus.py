"""Synthetic corpus for scale tests: seed -> DIR/NNNNN_<hex>.txt, local-government documents at any size.

    python bench/generate_corpus.py --docs N --out DIR [--seed S]

Documents are recombined from the sentences of data/samples, templated sentences about roads,
rail lines, housing programmes and projects, and agency names built from kg/data/agency_names.tsv
with 区/市 prefixes, for 30 real districts (GB/T 2260, kg/data/regions.tsv) of 6 cities. Each
document has a header block (pipe rows as in samples 000/004/001/002, or label lines as in 003)
whose 索引号 usually starts with a valid unified social credit code carrying the district code,
a title and a body of prose sections, flattened one-cell-per-line task tables (序号/目标任务/
牵头单位/配合单位, sample 003), pipe tables, ``[牵头单位:X;责任单位:Y]`` brackets, ``(X牵头,Y配合)``
tails and 牵头单位:/配合单位: label lines. About 1 in 10 documents is traditional Chinese (OpenCC
s2t), half of those with pinyin glosses (區(qū)); about 1 in 10 is GBK-encoded; some use full-width
punctuation or CRLF line ends. Sizes are spread between 5 and 40 KB.

The same ``--seed`` gives byte-identical files. Nothing but the documents is written to DIR.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
AGENCY_TABLE = REPO / "kg" / "data" / "agency_names.tsv"
MAX_DOCS = 10_000

#: Six cities, five districts each (GB/T 2260 codes; names are read from kg/data/regions.tsv).
DISTRICT_CODES: dict[str, tuple[str, ...]] = {
    "330200": ("330203", "330205", "330206", "330211", "330212"),  # 宁波市
    "330100": ("330102", "330105", "330106", "330108", "330109"),  # 杭州市
    "320500": ("320505", "320506", "320507", "320508", "320509"),  # 苏州市
    "420100": ("420102", "420103", "420104", "420105", "420106"),  # 武汉市
    "440300": ("440303", "440304", "440305", "440306", "440307"),  # 深圳市
    "510100": ("510104", "510105", "510106", "510107", "510108"),  # 成都市
}

# Unified social credit code (GB 32100-2015) and organisation code (GB 11714) check characters.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Glosses some sites insert after converted characters (the ones seen in data/samples, and more).
_PINYIN = {
    "區": "qū", "業": "yè", "發": "fā", "穩": "wěn", "規": "guī", "續": "xù", "現": "xiàn", "數": "shù",
    "鄉": "xiāng", "環": "huán", "優": "yōu", "戰": "zhàn", "創": "chuàng", "統": "tǒng", "態": "tài",
    "協": "xié", "醫": "yī", "衛": "wèi", "養": "yǎng", "鎮": "zhèn", "監": "jiān", "執": "zhí",
    "聯": "lián", "節": "jié", "設": "shè", "職": "zhí", "質": "zhì", "礎": "chǔ",
}  # fmt: skip
_GLOSS_RE = re.compile("[" + "".join(_PINYIN) + "]")
_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})
_CHINESE_NUMBERS = "一二三四五六七八九十"
_COLLECTIVE_STARTS = ("各", "相关", "有关", "市级有关")

_SYLLABLES = (
    "中山 解放 人民 建设 和平 长江 东海 明州 钱江 天目 文华 学院 望江 滨江 湖滨 复兴 新华 青年 光明 兴业 "
    "金川 秋实 凤凰 丰收 太平 锦绣 清源 翠屏 云龙 双桥 梅林 桂花 银杏 启明 永安 福安 长兴 东升 星光 "
    "江南 宝山 龙湖 潮音 海晏 松涛 白鹭 知春 聚贤 崇文 广德 通济 柳营 桃源 樟树 荷花 石门 月湖"
).split()
_ROAD_SUFFIXES = ("路", "路", "大道", "街", "快速路", "中路", "东路", "北路")
_ROAD_WORKS = ("", "", "拓宽改造工程", "提升改造工程", "一期", "二期", "综合整治工程", "快速化改造工程")
_TOPICS = (
    "政务公开",
    "城乡建设(含住房)",
    "综合政务/政务公开",
    "交通运输",
    "国民经济管理",
    "民政、扶贫、救灾",
)
_TITLE_FORMS = (
    "{place}{agency}{year}年工作总结及{next}年工作思路",
    "{year}年{place}政府工作主要任务分解",
    "{place}{agency}{year}年度工作计划",
    "{year}年政府工作报告年度完成情况",
    "关于印发{place}{year}年重点项目建设计划的通知",
    "{place}{agency}{year}年上半年工作总结和下半年工作安排",
)
_SECTION_HEADS = (
    "坚持项目为王,重大项目建设提速增效", "聚焦城市更新,城市品质提档升级", "完善交通路网,综合交通体系逐步完善",
    "保障改善民生,住房保障体系持续健全", "深化改革创新,营商环境持续优化", "守牢安全底线,基层治理水平提升",
    "推进乡村振兴,城乡融合发展", "强化生态保护,人居环境持续改善", "加强队伍建设,作风效能持续提升",
)  # fmt: skip
_SENTENCE_FORMS = (
    "加快{road}建设,力争年内建成通车",
    "开工建设{road},完成投资{n}亿元",
    "推进{rail}前期工作,配合做好沿线征迁",
    "保障{rail}顺利开工,加快{road}建设",
    "新开工保障性租赁住房{n}套,筹集人才安居房{m}套",
    "实施{name}等{n}个老旧小区改造,加装既有住宅电梯{m}部",
    "建成{name}未来社区,启动{name2}片区城中村改造",
    "推进{name}公园及配套道路工程,新增绿道{n}公里",
    "完成{name}中学新建工程主体结构,新增学位{m}个",
    "谋划{name}片区综合开发项目,完成{road}改造",
    "深化{name}街区有机更新,打造{n}个城市客厅",
    "提升{road}沿线景观,整治背街小巷{n}条",
)  # fmt: skip


# --------------------------------------------------------------------------- source tables


@dataclass(frozen=True)
class District:
    code: str
    name: str  # 北仑区
    short: str  # 北仑
    city: str  # 宁波市
    city_short: str  # 宁波
    city_code: str
    streets: tuple[str, ...]  # 大碶街道 ...


@dataclass(frozen=True)
class Pools:
    districts: tuple[District, ...]
    departments: tuple[tuple[str, tuple[str, ...]], ...]  # (full name, abbreviations)
    collectives: dict[str, tuple[str, ...]]  # "区" / "市" -> 各街道 ...
    sentences: tuple[str, ...]  # from data/samples, places replaced by \x01 (district) \x02 (city)


def load_pools() -> Pools:
    """Read regions, departments and the sample sentences once."""
    from kg.regions import region_by_code, short_name

    districts = []
    for city_code, codes in DISTRICT_CODES.items():
        city = region_by_code(city_code)
        assert city is not None, city_code
        for code in codes:
            region = region_by_code(code)
            assert region is not None and region.parent == city_code, code
            rng = Random(int(code))  # each district's streets, the same in every run
            names = rng.sample(_SYLLABLES, 6)
            streets = tuple(n + ("镇" if k == 5 else "街道") for k, n in enumerate(names))
            districts.append(
                District(
                    code,
                    region.name,
                    short_name(region.name),
                    city.name,
                    short_name(city.name),
                    city_code,
                    streets,
                )  # fmt: skip
            )
    departments = []
    for line in AGENCY_TABLE.read_text(encoding="utf-8").splitlines()[2:]:
        full, abbreviations, kind = line.split("\t")
        # township offices (街道办事处, 党政办公室) take no 区/市 prefix
        if kind in ("bureau", "committee", "center", "office") and full not in ("街道办事处", "党政办公室"):
            departments.append((full, tuple(a for a in abbreviations.split(",") if a)))
    collectives = {
        "区": ("各街道", "相关街道", "各镇(街道)", "有关部门", "相关部门", "各有关单位"),
        "市": ("各区县(市)", "各区(县、市)人民政府", "市级有关部门", "相关部门", "各有关单位"),
    }
    return Pools(tuple(districts), tuple(departments), collectives, _sample_sentences())


_PLACES = (("北仑区", "\x01区"), ("镇海区", "\x01区"), ("北仑", "\x01"), ("镇海", "\x01"),
           ("宁波市", "\x02市"), ("宁波", "\x02"))  # fmt: skip
_ENUM_PREFIX = re.compile(
    r"^\s*(?:[(][一二三四五六七八九十\d]{1,3}[)]|[一二三四五六七八九十]{1,3}是|\d{1,3}[.、]|[一二三四五六七八九十]{1,3}、)"
)
_NOT_PROSE = re.compile(r"索引号|发布机构|成文日期|主题分类|公开方式|序号|编号|牵头单位|配合单位|\|")


def _sample_sentences() -> tuple[str, ...]:
    """The sentences of data/samples (normalised to simplified script), numbering and places removed."""
    from kg.normalize import normalize_text

    found: dict[str, None] = {}
    for path in sorted(SAMPLES.glob("*.txt")):
        text = normalize_text(path.read_text(encoding="utf-8"))[0]
        for line in text.split("\n"):
            for cell in line.split("|"):
                for sentence in cell.split("。"):
                    sentence = _ENUM_PREFIX.sub("", sentence.strip()).strip(" ,;:")
                    if 12 <= len(sentence) <= 120 and not _NOT_PROSE.search(sentence):
                        for name, mark in _PLACES:
                            sentence = sentence.replace(name, mark)
                        found[sentence] = None
    return tuple(found)


# --------------------------------------------------------------------------- codes


def org_code(district: str, name: str) -> str:
    """A 9-character organisation code (GB 11714) fixed by the district and the agency."""
    digits = f"00{zlib.crc32(f'{district}/{name}'.encode()) % 1_000_000:06d}"
    total = sum(int(d) * w for d, w in zip(digits, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return digits + ("X" if check == 10 else "0" if check == 11 else str(check))


def uscc(district: str, name: str) -> str:
    """The 18-character unified social credit code of a government body registered in ``district``.

    >>> from kg.regions import code_from_index_no
    >>> code_from_index_no(uscc("330206", "区住房和城乡建设局") + "/2024-1")
    '330206'
    """
    body = "11" + district + org_code(district, name)
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_CHARS[-total % 31]


# --------------------------------------------------------------------------- one document


@dataclass
class Doc:
    """What one document is made of while it is written."""

    rng: Random
    pools: Pools
    district: District
    level: str  # "区" or "市"
    year: int
    target: int  # UTF-8 bytes to reach
    parts: list[str] = field(default_factory=list)
    size: int = 0  # UTF-8 bytes so far (before the places are filled in)
    rows: int = 0  # table rows, brackets, tails and label groups written

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text.encode("utf-8"))

    def agency(self) -> str:
        full, abbreviations = self.rng.choice(self.pools.departments)
        name = self.rng.choice(abbreviations) if abbreviations and self.rng.random() < 0.35 else full
        return self.level + name

    def unit(self) -> str:
        roll = self.rng.random()
        if self.level == "区" and roll < 0.12:
            return self.rng.choice(self.district.streets)
        if roll < 0.2:
            return self.rng.choice(self.pools.collectives[self.level])
        if roll < 0.25:
            return self.level + self.rng.choice(
                ("城市建设投资集团有限公司", "交通投资集团有限公司", "公共项目建设管理中心")
            )
        return self.agency()

    def units(self, low: int, high: int) -> list[str]:
        chosen: list[str] = []
        for _ in range(self.rng.randint(low, high)):
            unit = self.unit()
            if unit not in chosen:
                chosen.append(unit)
        return chosen

    def name(self) -> str:
        return self.rng.choice(_SYLLABLES)

    def road(self) -> str:
        road = self.name() + self.rng.choice(_ROAD_SUFFIXES)
        if self.rng.random() < 0.25:
            road += f"({self.name()}路-{self.name()}路)"
        return road + self.rng.choice(_ROAD_WORKS)

    def rail(self) -> str:
        roll = self.rng.random()
        if roll < 0.6:
            return f"轨道交通{self.rng.randint(1, 12)}号线" + self.rng.choice(("", "一期", "二期", "延伸段"))
        if roll < 0.8:
            return f"\x02至{self.name()}城际铁路"
        return f"市域铁路{self.name()}线"

    def sentence(self) -> str:
        if self.rng.random() < 0.55:
            return self.rng.choice(self.pools.sentences)
        form = self.rng.choice(_SENTENCE_FORMS)
        return form.format(
            road=self.road(), rail=self.rail(), name=self.name(), name2=self.name(),
            n=self.rng.randint(2, 60), m=self.rng.randint(100, 3000),
        )  # fmt: skip

    def task(self) -> str:
        return "。".join(self.sentence() for _ in range(self.rng.choice((1, 1, 1, 2, 3)))) + "。"

    def unit_cell(self, units: Sequence[str], *, group: bool = False) -> str:
        """Units as a cell: 、 between agencies, a comma before the collectives; with ``group``,
        sometimes 等部门、单位 after the agencies."""
        agencies = [u for u in units if not _is_collective(u)]
        others = [u for u in units if u not in agencies]
        cell = "、".join(agencies)
        if group and agencies and self.rng.random() < 0.15:
            cell += "等部门、单位"
        return ",".join(x for x in (cell, *others) if x)

    def full(self) -> bool:
        return self.size >= self.target


def _header(doc: Doc, publisher: str, title: str) -> str:
    rng = doc.rng
    code = doc.district.code if doc.level == "区" else doc.district.city_code  # where it is registered
    if rng.random() < 0.9:
        index_no = f"{uscc(code, publisher)}/{doc.year}-{rng.randint(1, 299999):05d}"
    else:
        index_no = f"{org_code(code, publisher)}/{doc.year}-{rng.randint(1, 299999)}"
    date = f"{doc.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    topic = rng.choice(_TOPICS)
    layouts = (
        [  # samples 000, 004
            f"索引号: | {index_no} | 主题分类: | {topic} |",
            f"成文日期: | {date} | 体裁分类: | 其他 |",
            f"发布机构: | {publisher} | 公开方式: | 主动公开 |",
        ],
        [  # sample 002
            f"索引号: | {index_no} | ||",
            f"文 号: | 主题分类: | {topic} | |",
            "公开方式: | 主动公开 | 体裁分类: | 其他 |",
            f"发布机构: | {publisher} | 成文日期: | {date} |",
        ],
        [  # sample 001
            f"| 索引号 | {index_no} |",
            f"| 主题分类: | {topic} |",
            f"| 发布机构: | {publisher} |",
            "| 公开方式 | 主动公开 |",
            f"| 成文日期: | {date} |",
            "| 组配分类: | 计划总结 |",
        ],
        [  # sample 003
            f"索引号 {index_no}",
            f"组配分类 区政府工作 发布机构 {publisher}",
            f"成文日期 {date} 公开方式 主动公开",
            f"公开范围 面向全社会 主题分类 {topic}",
            f"索引号 {index_no}",
            f"发布机构 {publisher}",
            f"成文日期 {date}",
        ],
    )
    return "\n".join([*rng.choice(layouts), title]) + "\n"


def _prose(doc: Doc, n: int) -> None:
    doc.add(f"{_CHINESE_NUMBERS[n % 10]}、{doc.rng.choice(_SECTION_HEADS)}\n")
    for k in range(doc.rng.randint(1, 4)):
        lead = f"({_CHINESE_NUMBERS[k]}){doc.rng.choice(_SECTION_HEADS)}。"
        points = [
            f"{_CHINESE_NUMBERS[j]}是{doc.sentence()}。{doc.sentence()}。"
            for j in range(doc.rng.randint(2, 5))
        ]
        doc.add(lead + "".join(points) + "\n")
        if doc.full():
            break


def _row_units(doc: Doc) -> tuple[list[str], list[str]]:
    """Lead and support units of a row, each with the agencies before the collectives (as written)."""
    lead = doc.units(1, 2) if doc.rng.random() < 0.15 else [doc.agency()]
    support = [u for u in doc.units(0, 5) if u not in lead]
    return sorted(lead, key=_is_collective), sorted(support, key=_is_collective)


def _is_collective(unit: str) -> bool:
    return unit.startswith(_COLLECTIVE_STARTS)


def _flat_table(doc: Doc, n: int) -> None:
    """Sample 003: one cell per line, a blank line after each cell (or none); an empty cell a blank line."""
    spaced = doc.rng.random() < 0.7

    def cells(*texts: str) -> str:
        return "".join(text + ("\n\n" if spaced and text else "\n") for text in texts)

    doc.add(f"{_CHINESE_NUMBERS[n % 10]}、重点任务分解\n" + cells("序号", "目标任务", "牵头单位", "配合单位"))
    for i in range(1, doc.rng.randint(4, 40) + 1):
        lead, support = _row_units(doc)
        doc.add(cells(str(i), doc.task(), doc.unit_cell(lead), doc.unit_cell(support, group=True)))
        doc.rows += 1
        if doc.full():
            break


def _pipe_table(doc: Doc, n: int) -> None:
    """Sample 004: one row per line, cells between pipes."""
    with_time = doc.rng.random() < 0.3
    header = ["序号", "目标任务", "牵头单位", "配合单位"] + (["完成时限"] if with_time else [])
    lines = [f"{_CHINESE_NUMBERS[n % 10]}、{doc.year}年重点项目清单", " | ".join(header) + " |"]
    doc.add("\n".join(lines) + "\n")
    for i in range(1, doc.rng.randint(4, 40) + 1):
        lead, support = _row_units(doc)
        cells = [str(i), doc.task(), doc.unit_cell(lead), doc.unit_cell(support, group=True)]
        if with_time:
            cells.append(f"{doc.year}年{doc.rng.randint(1, 12)}月底")
        doc.add(" | ".join(cells) + " |\n")
        doc.rows += 1
        if doc.full():
            break


def _marked(doc: Doc, n: int) -> None:
    """Numbered tasks closed by a bracket, a tail, or label lines."""
    doc.add(f"{_CHINESE_NUMBERS[n % 10]}、{doc.rng.choice(_SECTION_HEADS)}\n")
    for i in range(1, doc.rng.randint(3, 15) + 1):
        leads, supports = _row_units(doc)
        lead, support = doc.unit_cell(leads), doc.unit_cell(supports, group=True)
        task = doc.sentence()
        style = doc.rng.randrange(3)
        if style == 0:
            tail = f";{doc.rng.choice(('配合单位', '责任单位'))}:{support}" if support else ""
            doc.add(f"{i}.{task}。[牵头单位:{lead}{tail}]\n")
        elif style == 1:  # tails name units with 、 only: a comma separates the roles
            tail = f",{'、'.join(supports)}配合" if supports else ""
            doc.add(f"{i}.{task}({'、'.join(leads)}牵头{tail})。\n")
        else:
            tail = f"\n配合单位:{support}" if support else ""
            doc.add(f"{i}.{task}。\n牵头单位:{lead}{tail}\n")
        doc.rows += 1
        if doc.full():
            break


_SECTIONS: tuple[tuple[Callable[[Doc, int], None], int], ...] = (
    (_prose, 5), (_flat_table, 2), (_pipe_table, 2), (_marked, 2),
)  # fmt: skip


@dataclass(frozen=True)
class Written:
    name: str
    data: bytes
    encoding: str
    script: str  # "simplified", "traditional", "glossed"
    rows: int


def make_document(rng: Random, pools: Pools, number: int) -> Written:
    """One document: header, title, sections until its target size, then script and encoding."""
    district = rng.choice(pools.districts)
    level = "市" if rng.random() < 0.2 else "区"
    roll = rng.random()
    script = "glossed" if roll < 0.05 else "traditional" if roll < 0.1 else "simplified"
    encoding = "gbk" if script == "simplified" and rng.random() < 0.11 else "utf-8"
    # 5-40 KB, log-uniform; GBK takes 2 bytes per Chinese character where UTF-8 takes 3
    target = int(5400 * (34000 / 5400) ** rng.random() * (1.5 if encoding == "gbk" else 1))
    doc = Doc(rng, pools, district, level, rng.randint(2021, 2025), target)
    publisher = doc.agency()
    place = district.name if level == "区" else district.city
    title = rng.choice(_TITLE_FORMS).format(
        place=place, agency=publisher[1:], year=doc.year, next=doc.year + 1
    )
    doc.add(_header(doc, publisher, title))
    functions, weights = zip(*_SECTIONS, strict=True)
    n = 0
    while not doc.full():
        rng.choices(functions, weights)[0](doc, n)
        n += 1
    text = "".join(doc.parts).replace("\x01", district.short).replace("\x02", district.city_short)
    data, encoding = _finish(rng, text, script, encoding)
    name = f"{number:05d}_{rng.getrandbits(64):016x}.txt"
    return Written(name, data, encoding, script, doc.rows)


def _finish(rng: Random, text: str, script: str, encoding: str) -> tuple[bytes, str]:
    """Punctuation width, script, glosses, line ends and encoding."""
    if rng.random() < 0.3:
        text = text.translate(_FULL_WIDTH)
    if script != "simplified":
        text = _s2t().convert(text)
    if script == "glossed":
        text = _GLOSS_RE.sub(lambda m: f"{m.group()}({_PINYIN[m.group()]})", text)
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    try:
        return text.encode(encoding), encoding
    except UnicodeEncodeError:  # a character GBK lacks: keep the document, in UTF-8
        return text.encode("utf-8"), "utf-8"


_CONVERTER = []


def _s2t():  # noqa: ANN202 - opencc.OpenCC
    if not _CONVERTER:
        import opencc

        _CONVERTER.append(opencc.OpenCC("s2t"))
    return _CONVERTER[0]


# --------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Summary:
    documents: int
    bytes: int
    rows: int
    traditional: int
    glossed: int
    gbk: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"wrote {self.documents} documents ({self.bytes / 1e6:.1f} MB, {self.rows} task rows; "
            f"{self.traditional} traditional of which {self.glossed} glossed, {self.gbk} GBK) "
            f"in {self.seconds:.1f} s"
        )


def generate_corpus(docs: int, out_dir: Path, *, seed: int = 0) -> Summary:
    """Write ``docs`` documents into ``out_dir``; the same seed gives the same bytes.

    Raises:
        ValueError: ``docs`` is not between 1 and 10,000.
    """
    if not 1 <= docs <= MAX_DOCS:
        raise ValueError(f"--docs must be between 1 and {MAX_DOCS}, not {docs}")
    start = time.perf_counter()
    pools = load_pools()
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    size = rows = traditional = glossed = gbk = 0
    for number in range(docs):
        written = make_document(rng, pools, number)
        (out_dir / written.name).write_bytes(written.data)
        size += len(written.data)
        rows += written.rows
        traditional += written.script != "simplified"
        glossed += written.script == "glossed"
        gbk += written.encoding == "gbk"
    return Summary(docs, size, rows, traditional, glossed, gbk, time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True, help=f"number of documents (1-{MAX_DOCS})")
    parser.add_argument("--out", type=Path, required=True, help="folder to write them to (created)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if not 1 <= args.docs <= MAX_DOCS:
        parser.error(f"--docs must be between 1 and {MAX_DOCS}")
    sys.path.insert(0, str(REPO))  # run as a script from anywhere: the kg package is beside bench/
    print(generate_corpus(args.docs, args.out, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
