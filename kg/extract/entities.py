"""Typed name mentions (agencies, roads, rail lines, housing programmes, places, projects): text -> Mentions.

Names are found by suffix grammars: a suffix (路, 大道, 号线, 局, 街道, 公园 ...) anchors a match,
the name extends left until a boundary word (see ``lexicon.left_start``), and qualifiers on the
right (phase 一期, section 西段, a range in parentheses, a work suffix 拓宽改造工程) are kept.
Names coordinated under a head noun (``A、B等城市更新项目``, ``A、B两条特色街区``) take the head's
type. Candidates from all grammars compete; the longest wins, units named in assignments first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from kg.extract.lexicon import AGENCY_WORDS, HAN, PHASE, PROJECT_WORDS, RANGE, boundary_words, left_start
from kg.extract.scan import FastPattern
from kg.extract.units import AGENCY_SUFFIX, is_collective
from kg.models import Assignment, Mention
from kg.regions import NameScanner, region_scanner

__all__ = ["extract_mentions"]


class _Candidate(NamedTuple):
    """A possible name (a tuple: cheap to make, hash and sort by the thousand per document)."""

    start: int
    end: int
    type: str
    priority: int  # units from assignment columns (9) beat everything; otherwise longest first

    @property
    def length(self) -> int:
        return self.end - self.start


# --- roads and rail --------------------------------------------------------------------------

_SECTION = rf"(?:[东南西北中]段|[东南西北]延(?:伸段)?|延伸段|支线|段(?![{HAN}])|-[{HAN}]{{2,6}}段|[{HAN}]{{1,4}}(?:大桥|隧道|互通|立交))"
_WORK = (
    r"(?:(?:拓宽|提升|改造|重建|新建|改建|扩建|迁建|大修|整治|综合整治|快速化|道路|提升改造|拓宽改造|改造提升|及接线|接线)*工程"
    r"|改建[一二三四五六七八九十]+期|及接线段|接线段|道路段|路段)"
)
_ROAD_SUFFIX = (
    r"(?:快速路|高速公路|高速复线|高速(?![0-9]|发展|增长|运转|公路|铁路)|复线|国道|省道|县道|大道|公路|大桥|隧道|通道|互通|立交"
    r"|(?<![电之思道线出套水网陆门进半通销铁车航])路(?![网线径面灯况演子])|(?<![大天石栈立])桥(?![梁头式])"
    r"|(?<!镇)街(?![道区巷头景坊])|(?<=[^\W\d_]{2})(?:风情|环湖|旅游|沿江|沿海)线)"
)
_ROAD = FastPattern(
    rf"{_ROAD_SUFFIX}(?:{_ROAD_SUFFIX}|[{HAN}]{{1,3}}段(?={PHASE})|{PHASE}|{_SECTION}|{RANGE}|{_WORK})*"
)
_ROUTE_PAIR = re.compile(rf"([{HAN}]{{2,4}}线)至([{HAN}]{{2,4}}线)")
_RAIL = FastPattern(
    rf"(?:(?:城市轨道交通|轨道交通|地铁|市域铁路|城际铁路)?[0-9]{{1,2}}号线(?:{PHASE}|延伸段|支线)?(?:工程)?)"
    rf"|(?:铁路|城际铁路|城际|高铁)(?:{PHASE})?"
)
_ROAD_GENERIC = {
    "道路", "公路", "马路", "支路", "干路", "大道", "大桥", "隧道", "通道", "快速路", "高速", "高速公路", "国道", "省道",
    "步行街", "商业街", "老街", "绿道", "断头路", "精品路", "示范路", "互通", "立交", "复线", "城市道路", "农村公路",
}


# a stem that only says what kind of link a road is (区际快速路, 国省道, 过江通道, 城际外联通道)
_ROAD_KIND_STEM = re.compile(r"(?:[国省市区县城镇乡村]际|国|过江|跨江|越江|过海|跨海|外联|对外|进出)+")
# campaign labels for a kind of street (最美上学路, 温馨回家路): evaluative words never name a road
_ROAD_BRAND_STEM = re.compile(r"(?:最美|最佳|温馨|暖心|舒心|放心|安心)[\u4e00-\u9fff]")
_COUNTED = re.compile(r"[一两二三四五六七八九十][^一两二三四五六七八九十]?[一两二三四五六七八九十]|[一两二三四五六七八九十](?:条|个|座|处)")
_DISTRICT_HEAD = re.compile(rf"[{HAN}]{{2,4}}[区县市](?=[{HAN}]{{2}})")


def _road_start(text: str, anchor: int) -> int:
    start = left_start(text, anchor)
    # a district before a road name belongs to the place (镇海区余汶线 -> 余汶线)
    head = _DISTRICT_HEAD.match(text, start, anchor)
    return head.end() if head else start


def _road_candidates(text: str) -> Iterator[_Candidate]:
    for m in _ROAD.finditer(text):
        start = _road_start(text, m.start())
        size = m.start() - start
        if size < 1 or (m.group()[0] in "路街桥" and size < 2) or _COUNTED.match(text, start, m.start()):
            continue
        stem = text[start : m.start()]
        if _ROAD_KIND_STEM.fullmatch(stem) or _ROAD_BRAND_STEM.match(stem):
            continue
        yield _Candidate(start, m.end(), "Road", 2)
    for m in _ROUTE_PAIR.finditer(text) if "线至" in text else ():  # most texts pair no routes
        yield _Candidate(_road_start(text, m.end(1) - 1), m.end(1), "Road", 2)
        yield _Candidate(m.start(2), m.end(2), "Road", 2)


def _rail_candidates(text: str) -> Iterator[_Candidate]:
    for m in _RAIL.finditer(text):
        start = m.start()
        if not re.match(r"(?:城市轨道交通|轨道交通|地铁|市域铁路|城际铁路|[0-9])", m.group()):
            start = left_start(text, m.start(), max_len=10)
            if m.start() - start < 2:
                continue
        yield _Candidate(start, m.end(), "RailLine", 3)


# --- housing programmes ----------------------------------------------------------------------

_HOUSING = FastPattern(
    r"“?(?:配租型|配售型)”?保障性住房|保障性租赁住房|保障性住房|公共租赁住房|公租房|廉租房|经济适用房|共有产权房|"
    r"人才安居专用房|人才安居房|人才公寓|青年公寓|棚户区改造|城中村综合改造|城中村改造|老旧小区综合改造|老旧小区改造|老旧小区|"
    r"未来社区|完整社区|未来乡村|(?:既有(?:多层)?住宅(?:小区)?)?加装电梯|加装既有住宅电梯|三改一拆|危旧房改造"
)


def _housing_candidates(text: str) -> Iterator[_Candidate]:
    for m in _HOUSING.finditer(text):
        yield _Candidate(m.start(), m.end(), "HousingProgramme", 5)


# --- agencies --------------------------------------------------------------------------------

_AGENCY_NOT = re.compile(
    r"(?:办公$|办理|办事|办学|举办|承办|开办|创办|兴办|督办|帮办|代办|快办|专办|包办|中心村|中心城|中心区|中心粮库|局面|格局|"
    r"布局|大局|当局|结局|开局|全局|变局|新局|委托|委员$|部分|部署|内部|外部|全部|局部|干部|总部|俱乐部|事业部|营业部|"
    r"项目部|场所|住所|所有|所在|所属|业委|居委|村委|主管部|^[部局委办所站队院]|剩余部|"
    r"(?:养老|卫生|便民|照料|托育|文化|活动|健身|邻里)服务中心$)"
)
_AGENCY_CENTER_OK = re.compile(
    r"(?:管理|服务|建设管理|发展服务|数据服务|指导|交易|调度|指挥|监测|执法|保障|救助|登记|征收|事务|信息|研究|检测|监督|"
    r"公建|营商|政务|养护|创新|技术|培训|实训|应急|职教|教研|疾控|急救)中心$"
)
_AGENCY_PREFIX = re.compile(
    r"(?:中国|国家|开发区|高新区|经开区|保税区|(?<![城都地社园景校港辖片小省市县区山新])[区市县省])"
)


_UNIT_END = "局委办院校所司部队站心组室学班"


def _is_prefix_region(name: str) -> bool:
    """Full names (镇海区) and short names of provinces and cities (宁波) can start an agency name."""
    if name.endswith(("省", "市", "区", "县")):
        return True
    return any(code.endswith("00") for code in _region_table()[1][name])


def _agency_start(text: str, anchor: int) -> int | None:
    # a short qualifier in parentheses inside the name (中石化(宁波)安全科技有限公司) is part of it
    # (only when the words between it and the suffix are name words: 大学(暂名)申报…实验室 is two things)
    qualifier = text.rfind("(", max(0, anchor - 12), anchor)
    q = _QUALIFIER.match(text, qualifier) if qualifier > 0 else None
    if q and q.end() < anchor and left_start(text, anchor, max_len=22, allowed=AGENCY_WORDS) == q.end():
        head = left_start(text, qualifier, max_len=8, allowed=AGENCY_WORDS)
        if head < qualifier:
            return head
    start = left_start(text, anchor, max_len=22, allowed=AGENCY_WORDS)
    # an administrative prefix inside the window starts the name (开启区人民医院 -> 区人民医院,
    # 服务宁波东方理工大学 -> 宁波东方理工大学)
    regions = _region_table()[0].inside(text, start, anchor)
    region = next((r for r in regions if _is_prefix_region(r.group())), None)
    prefix = _AGENCY_PREFIX.search(text, start, anchor)
    if region and (not prefix or region.start() <= prefix.start()):
        prefix = region
    if prefix and prefix.start() > start and text[prefix.start() - 1] != "团":
        start = prefix.start()
    # a connective after a complete unit name starts a new name (区技工学校与宁波技师学院)
    for k in range(start + 1, anchor - 1):
        if text[k] in "和与及、" and text[k - 1] in _UNIT_END:
            start = k + 1
    # two agencies written back to back (区教育局卫健局): the second starts after the first's suffix
    for k in range(start, anchor - 1):
        if text[k] in "局办" and k - start >= 1:
            start = k + 1
    if text[start : start + 1] in ("和", "与", "及"):
        start += 1
    return start if anchor > start else None


# the suffix with its lookbehind context made literal: a name that is nothing but this
# (合作办, 实验室, 市委) names no particular body
_SUFFIX_ONLY = re.compile(AGENCY_SUFFIX.replace("(?<=", "(?:"))


def _agency_name_ok(name: str) -> bool:
    name = _QUALIFIER.sub("", name)
    if _SUFFIX_ONLY.fullmatch(name) and not (len(name) >= 3 and name.endswith("部")):
        return False
    if len(name) < 3 or len(name) > 30 or re.search(r"[0-9]", name):
        return False
    if _AGENCY_NOT.search(name) and not name.endswith(("研究所", "派出所")):
        return False
    if name.endswith("中心") and (not _AGENCY_CENTER_OK.search(name) or len(name) < 5):
        return False
    if _HOSPITAL_GRADE.search(name):
        return False  # 创成三乙医院: a grade of hospital, not a hospital's name
    return True


_HOSPITAL_GRADE = re.compile(
    r"(?:[一二三]级[甲乙丙]等|[一二三][甲乙丙])(?:综合|专科)?医院$|^(?:综合|专科)医院$"
)
_PARTY_AND_GOVERNMENT = FastPattern(r"([区市县省镇])委\1?政府|[区市县省镇](?:委|政府)")


_QUALIFIER = re.compile(r"\([^()\n]{1,4}\)")
_AGENCY = FastPattern(AGENCY_SUFFIX + r"(?:\([^()\n]{1,4}\))?")


def _agency_candidates(text: str) -> Iterator[_Candidate]:
    for m in _PARTY_AND_GOVERNMENT.finditer(text):
        yield _Candidate(m.start(), m.end(), "Agency", 4)
    for m in _AGENCY.finditer(text):
        start = _agency_start(text, m.start())
        if start is None and len(m.group()) >= 3 and m.group().endswith("部"):
            start = m.start()  # the suffix is the whole name (工信部, 组织部)
        if start is not None and _agency_name_ok(text[start : m.end()]):
            yield _Candidate(start, m.end(), "Agency", 4)


# --- places ----------------------------------------------------------------------------------

_REGIONS: list[tuple[NameScanner, dict[str, tuple[str, ...]]]] = []


def _region_table() -> tuple[NameScanner, dict[str, tuple[str, ...]]]:
    """One regex of every GB/T 2260 name and short name, and the codes each name stands for."""
    if not _REGIONS:
        from kg.regions import all_regions, short_name

        codes: dict[str, list[str]] = {}
        for region in all_regions():
            if len(region.name) < 2 or region.name.startswith(("市辖", "省直辖", "自治区直辖")):
                continue
            codes.setdefault(region.name, []).append(region.code)
            short = short_name(region.name)
            if short != region.name:
                codes.setdefault(short, []).append(region.code)
        _REGIONS.append((region_scanner(), {k: tuple(v) for k, v in codes.items()}))
    return _REGIONS[0]


def _region_candidates(text: str, jurisdiction_code: str | None) -> Iterator[_Candidate]:
    """Administrative areas by full or short name; a county's short name only in its own city."""
    pattern, codes = _region_table()
    city = jurisdiction_code[:4] if jurisdiction_code else None
    province = jurisdiction_code[:2] if jurisdiction_code else None
    present = set(pattern.findall(text))
    for m in pattern.finditer(text):
        name = m.group()
        found = codes[name]
        full = name.endswith(("省", "市", "区", "县", "州", "旗", "盟"))
        if len(name) == 2 and name.endswith(("区", "县")):
            continue  # 城区, 郊区, 北区, 和县: generic words more often than places
        if not full:
            # a short name counts for a province, for the document's own province or city,
            # or when the text also gives the full name
            level_ok = any(c.endswith("0000") for c in found)
            local = any(c.startswith(city) for c in found) if city else False
            same_province = any(c.startswith(province) and c.endswith("00") for c in found) if province else False
            if not (level_ok or local or same_province or any(full_name in present for full_name in _full_names(found))):
                continue
        # a short name must not run into a geographic word (甬江北岸 is not 江北) nor be a verb
        # (新建); a full name must not be the head of a longer word (新建区域, 新市民)
        following = text[m.end() : m.end() + 1]
        if not full and (following in _GEO_NEXT or name in boundary_words()):
            continue
        if following in _WORD_NEXT:
            continue
        yield _Candidate(m.start(), m.end(), "Place", 3)


_GEO_NEXT = set("岸路街道桥湾江河湖山港口洋海滨岛溪塘浦")
_WORD_NEXT = set("域民场内外级委政")


def _full_names(codes: tuple[str, ...]) -> Iterator[str]:
    from kg.regions import region_by_code

    for code in codes:
        region = region_by_code(code)
        if region:
            yield region.name


_PLACE_SUFFIX = re.compile(
    r"(?:街道|社区|片区|新城|区块|地块|港区|工业园区|园区|科技园|科创区|度假区|先导区|小镇|开发区|高新区|经开区|保税区|自贸区|"
    r"镇|乡|村|片(?<=[东南西北]片)(?!区|长))"
    r"(?!办|党|委|居委|政府|级|民|集体|庄|干部|书记|街(?!道))"
)
_PLACE_MAX = {"镇": 3, "乡": 3, "村": 3, "街道": 4, "社区": 4}
_PLACE_GENERIC_HEAD = re.compile(
    r"^(?:重点|重大|重要|更新|相关|各|全域|全|城市|城镇|农村|乡村|行政|美丽|未来|低碳|工业|旅游|科创|智能|示范|试点|特色|"
    r"省级|市级|区级|新建|河湖|区内|市内|县内|镇内|存量|闲置|低效|成熟|城中$|田园|小微|老旧|垃圾分类|完整|单点|清廉|水美|科学家|乡镇|镇街|街道)"
)
# a stretch described by its position or size is no named place (奥体北侧240亩地块)
_DESCRIPTIVE = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:亩|平方公里|平方米|公顷)|(?:以北|以南|以东|以西|北侧|南侧|东侧|西侧|周边|附近|沿线)")
_ADMIN_INNER = re.compile(r"(?:街道|[区县市镇乡])(?=[\u4e00-\u9fff]{2})")
_ADMIN_SPLIT = re.compile(rf"^([{HAN}]{{2,4}}(?:街道|镇|乡))([{HAN}]{{2,4}}(?:社区|村))$")


_PLACE_END = re.compile(_PLACE_SUFFIX.pattern + "$")
_ZONES = ("高新区", "开发区", "经开区", "保税区", "自贸区")


def _place_candidates(text: str) -> Iterator[_Candidate]:
    regions = _region_table()[0]
    for m in _PLACE_SUFFIX.finditer(text):
        if len(m.group()) == 1 and regions.match(text, m.start()):
            continue  # 中石化镇海炼化: this 镇 starts the name 镇海, it ends nothing
        start = left_start(text, m.start(), max_len=10)
        if m.start() - start > _PLACE_MAX.get(m.group(), 10):
            # 武侯区玉林街道: a larger unit written before the name is a place of its own
            inner = list(_ADMIN_INNER.finditer(text, start, m.start()))
            if inner:
                start = inner[-1].end()
        name = text[start : m.start()]
        if m.group() in _ZONES and not (name and regions.match(text, start) and regions.match(text, start).end() == m.start()):
            # a zone is named by a region before it (宁波高新区) or stands alone (高新区)
            yield _Candidate(m.start(), m.end(), "Place", 1)
            continue
        if len(name) < 2 or len(name) > _PLACE_MAX.get(m.group(), 10):
            continue
        if _PLACE_GENERIC_HEAD.match(name) or re.match(r"[0-9]", name) or _DESCRIPTIVE.search(name):
            continue
        if _counted_kind(text, start, m.end()):
            continue  # 绿色低碳园区1个: a kind of place, counted
        if _HOUSING.search(text, start, m.end()):
            continue  # 建成未来社区: a housing programme, not a community
        split = _ADMIN_SPLIT.match(text[start : m.end()])
        if split:  # 蛟川街道青枫社区 -> 蛟川街道 + 青枫社区
            yield _Candidate(start, start + len(split.group(1)), "Place", 1)
            yield _Candidate(start + len(split.group(1)), m.end(), "Place", 1)
            continue
        yield _Candidate(start, m.end(), "Place", 1)


# --- projects --------------------------------------------------------------------------------

_PROJECT_SUFFIX = (
    r"(?:公园|工程|项目|大厦|基地|展示园|博物馆|体育馆|图书馆|美术馆|纪念馆|文化馆|会客厅(?:示范点)?|敬老院|养老院|"
    r"颐养中心|康养中心|医疗中心|物流中心|文化中心|活动中心|健身中心|科创中心|综合体|广场|湿地|景区|管廊|食堂|停车场|堆场|"
    r"物流园|码头|泊位|变电站|排涝站|加氢站|服务站|实践站|卫生院|医院|学校|中学|小学|初中|(?<![提])高中(?![小生])|幼儿园|校区|商业街|街区|酒店|"
    r"产业园|工业园(?!区)|小微园|急救中心|公寓|中小学校|九年一贯制学校|宝殿|殿|阁|庵|寺|祠|"
    r"陵园|采石场|展览温室|驿站|司机之家|邻里中心|专管|安置房|物流基地|总部基地|"
    r"(?:养老|卫生|便民|照料|托育|文化|活动|健身|邻里)服务中心)"
)
_ROAD_END = re.compile(_ROAD.pattern + "$")
# a qualifier in parentheses after the suffix is part of the name: a phase (一期), a type (B型),
# a provisional name (暂名, 筹)
_QUALIFIER_PAREN = rf"\((?:{PHASE}|[A-Za-z0-9]{{1,2}}型|暂名|筹|筹建|[东南西北中][区段片])\)"
_PROJECT = FastPattern(
    rf"{_PROJECT_SUFFIX}(?:{PHASE})?(?:{RANGE}|{_QUALIFIER_PAREN})?(?:(?<!工程)(?<!项目)(?:工程|项目))?"
)
_TOWN_HEAD = re.compile(rf"[{HAN}]{{2,4}}(?:街道|镇|乡)(?=[{HAN}]{{2}})")
_PROJECT_GENERIC_HEAD = re.compile(
    r"^(?:全国|全省|全市|全区|全县|重大|重点|示范|民生|借款|住宅|商品房|开发|在建|相关|有关|各类|各项|部分|全部|配套|基础设施|城市更新|更新|"
    r"改造|提升|工程|项目|安全|监控|智能|专项|试点|两重|两新|超规模|危大|房屋|市政|公共|收益|良心|实事|产业|招商|投资|"
    r"优质|高质量|房地产|社会|政府|国家|省级|市级|区级|县级|本地|当地|居家|社区|农村|城市|城乡|口袋|体育|街道|乡村|"
    r"托育|养老|文化|城镇|生活|污水|雨污|垃圾|数字|湿地|标准化|"
    # quantifiers, grades and kinds: 首张加氢站, 所有景区, 特色学校, 闲置安置房, 标准型镇街…, 综合医院
    r"省市级|市区级|所有|各|首[个张座家批条所]|特色|场馆|存量|闲置|低效|镇街|[\u4e00-\u9fff]{1,2}[型式]|综合$|专科$)"
)


_PROJECT_VERB = re.compile(
    r"(?:建设|新建|改建|扩建|迁建|续建|改造|提升|升级|开工|启动|完成|推进|加快|扫尾|实施|建成|打造|开放)+"
)
# A count inside a name or right after it counts facilities of a kind (行街两条特色街区,
# 集卡停车场11处, 新增共享泊位600个): a category, not a named thing.
_COUNT_AFTER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?余?|[一两二三四五六七八九十]+)[个项处座家条所张批]")
_COUNTED_KIND = re.compile(r"(?:[0-9]+余?|[一两二三四五六七八九十]+)[个处座家条所]")
_COUNTED_KIND_END = re.compile(r"(?:[0-9]+|[一两二三四五六七八九十]+)[个处座家条所]$")


def _counted_kind(text: str, start: int, end: int) -> bool:
    """True when a count follows the name (集卡停车场11处): it counts facilities of a kind. The
    count after the last item of a list whose other items carry none counts the list
    (A、B、C3个已建成), not a kind."""
    if not _COUNTED_KIND.match(text, end):
        return False
    if start > 0 and text[start - 1] == "、":
        return bool(_COUNTED_KIND_END.search(text[max(0, start - 8) : start - 1]))
    return True


# 项目/工程 named after money or paperwork, not a construction (专项债券项目, 公共收益项目)
_PROJECT_ABSTRACT = re.compile(r"债券|借款|贷款|资金|收益|信息化|类$")
# a stage of the works (主体工程, 土建工程) belongs to the project named before it
_PROJECT_STAGE = re.compile(r"(?:主体|土建|装修|安装|桩基|基础|附属)$")
# a 项目/工程 is a named one when its name holds a place, road or facility word, or a number
_PROJECT_NAMED = re.compile(
    r"[0-9A-Za-z#]|[一二三四五六七八九十]期|路|桥|站|园|馆|院|校|场|厂|港|湾|山|河|湖|江|塘|城|(?<!政)府|苑|里|村|区|街|楼|厦|中心|基地|"
    r"管网|管廊|堤|闸|泵|库|渠|线|岸|岛|寺|宫|殿|阁|塔|亭|庄|坊|湿地|房|寓"
)


def _project_candidates(text: str) -> Iterator[_Candidate]:
    for m in _PROJECT.finditer(text):
        start = left_start(text, m.start(), max_len=20, allowed=PROJECT_WORDS)
        verb = _PROJECT_VERB.match(text, start, m.start())
        if verb:
            start = verb.end()
        town = _TOWN_HEAD.match(text, start, m.start())
        if town:  # 九龙湖镇河头勤山采石场: the town is a place of its own, the project is named without it
            start = town.end()
        name = text[start : m.start()]
        if len(name) < 2 and name not in ("区", "市", "县", "省"):
            continue
        if _PROJECT_GENERIC_HEAD.match(name) or _COUNT_AFTER.search(name):
            continue
        if _counted_kind(text, start, m.end()):
            continue
        if _HOSPITAL_GRADE.search(text, max(0, start - 4), m.end()):
            continue
        if m.group().startswith(("工程", "项目")) and (
            len(name) < 4
            or not _PROJECT_NAMED.search(name)
            or _PROJECT_ABSTRACT.search(name)
            or _PROJECT_STAGE.search(name)
        ):
            continue
        if m.group().startswith("项目") and _ROAD_END.search(name):
            continue  # 宏图路南延项目 names the road; the road grammar finds it
        if m.group() == "项目" and start > 0 and text[start - 1] == "、":
            # X、Y项目: the 项目 governs the whole list, Y is named without it
            yield _Candidate(start, m.start(), "Project", 1)
            continue
        yield _Candidate(start, m.end(), "Project", 1)


# --- lists, units and selection --------------------------------------------------------------

# A head noun after a list names what the items are: 等/两条/三个 + a few modifiers + the noun
# (A、B等重点片区, A、B等城市更新项目, A、B两条特色街区).
_LIST_HEAD = FastPattern(
    rf"(?:等|(?<![0-9第])[两二三四五六七八九十]+[条个座处家所项])"
    rf"(?:[{HAN}]{{0,4}}?(?P<place>片区|区块|地块|遗址)|(?P<mod>[“”{HAN}]{{0,8}}?)(?P<project>项目|工程|街区))"
)
# A、B等领域/行业/类…项目: the items are fields or sectors, not named things
_FIELD_WORD = re.compile(r"领域|行业|方面|类|产业|方向|业态")
# A、B项目: a 项目 written once governs every item of the list before it (not X类项目, 的项目)
_LIST_DIRECT = FastPattern(rf"(?<=[{HAN}A-Za-z0-9)])(?<![类的])项目")
# a list after these verbs names firms courted or served, not projects (对接A、B等优质项目)
_FIRM_VERB = re.compile(r"(?:对接|招引|引进|引育|签约|洽谈|走访|服务|培育|扶持)$")
_LIST_CHAR = re.compile(rf"[{HAN}A-Za-z0-9#\-]")
_ITEM_MAX = 16
# a list item ending in a task verb is a task, not a thing (环卫车辆更新); 新建 before the
# list's head describes the work, the thing is named without it
_ITEM_VERB_END = re.compile(r"(?:新建|建设)$")


def _list_items(text: str, end: int) -> list[tuple[int, int]]:
    """The 、-separated items that end at ``end``, last item first; the first item starts after
    its leading verbs (推进A、B -> A, B). A short parenthetical inside an item is kept."""
    items: list[tuple[int, int]] = []
    while True:
        start = end
        while start > 0 and start > end - _ITEM_MAX:
            if _LIST_CHAR.match(text[start - 1]):
                start -= 1
            elif text[start - 1] == ")" and (opening := text.rfind("(", max(0, start - 8), start - 1)) >= 0:
                start = opening
            else:
                break
        if end - start < 2:
            break
        items.append((start, end))
        if start == 0 or text[start - 1] != "、":
            break
        end = start - 1
    if len(items) >= 2:  # a single item is no list: skip the costlier left edge
        start, end = items[-1]
        opening = text.find("(", start, end)
        items[-1] = (left_start(text, opening if opening >= 0 else end, max_len=_ITEM_MAX, min_len=2), end)
    return items


def _project_item_ok(name: str) -> bool:
    """True when a list item can name a project: long enough, no generic head, count, money word
    or trailing task verb (环卫车辆更新; 超低排放改造 and 扩建 are works, they stay)."""
    name = name.replace("“", "").replace("”", "")
    if len(re.sub(r"\(.*?\)", "", name)) < 3 or _PROJECT_GENERIC_HEAD.match(name):
        return False
    if _COUNT_AFTER.search(name) or _PROJECT_ABSTRACT.search(name):
        return False
    tail = name[-2:]
    return not (tail in boundary_words() and tail not in PROJECT_WORDS)


def _list_candidates(text: str) -> Iterator[_Candidate]:
    """Names coordinated under a head noun: ``A、B、C等重点片区`` makes A, B and C places,
    ``A、B等城市更新项目`` and ``A、B项目`` make them projects (a road, place or agency grammar
    that reads an item whole keeps its own type)."""
    heads = [
        (h.start(), "Place" if h.group("place") else "Project", h.end(), False)
        for h in _LIST_HEAD.finditer(text)
        if not (h.group("mod") and _FIELD_WORD.search(h.group("mod")))
    ]
    heads += [(h.start(), "Project", h.end(), True) for h in _LIST_DIRECT.finditer(text)]
    for end, etype, after, direct in heads:
        if "、" not in text[max(0, end - _ITEM_MAX - 1) : end]:
            continue  # no second item within reach
        items = _list_items(text, end)
        if len(items) < 2 or "等" in text[items[0][0] : items[0][1]]:
            continue
        first = items[-1][0]
        if etype == "Project" and (
            _FIRM_VERB.search(text, max(0, first - 2), first) or (direct and _COUNT_AFTER.match(text, after))
        ):
            continue
        for start, stop in items:
            if etype == "Place":
                if stop - start >= 2:
                    yield _Candidate(start, stop, "Place", 6)
                continue
            verb = _ITEM_VERB_END.search(text, start, stop)
            if verb:
                stop = verb.start()
            item = text[start:stop]
            if _project_item_ok(item):
                # an item keeps the type its own ending gives it (宁大步行街 in a list of 街区)
                road = _ROAD_END.search(item) and not _COUNTED.match(item)  # 一河两街 counts, names no street
                etype_item = "Road" if road else "Place" if _PLACE_END.search(item) else "Project"
                yield _Candidate(start, stop, etype_item, 0)


_TOWN_UNIT = re.compile(r"(?:街道|社区|镇|乡)$")


def _unit_candidates(text: str, assignments: Iterable[Assignment]) -> Iterator[_Candidate]:
    """Every unit named in an assignment is an agency (a named 街道/社区/镇 is a place)."""
    for a in assignments:
        for unit in a.lead + a.support:
            pos = text.find(unit, a.start, a.end + 1)
            if pos >= 0:
                place = _TOWN_UNIT.search(unit) and not is_collective(unit)
                yield _Candidate(pos, pos + len(unit), "Place" if place else "Agency", 9)


_ADMIN_END = re.compile(r"(?:社区|村|街道|镇|乡|片区)$")
_TOWN_FULL = re.compile(rf"([{HAN}]{{2,4}})(?:街道|镇|乡)")


def _town_stems(text: str, candidates: Iterable[_Candidate]) -> frozenset[str]:
    """Bare names of the towns and streets the text names in full (前江街道 -> 前江)."""
    stems = set()
    for c in candidates:
        m = c.type == "Place" and _TOWN_FULL.fullmatch(text, c.start, c.end)
        if m:
            stems.add(m.group(1))
    return frozenset(stems)


def _short_town_candidates(text: str, stems: frozenset[str]) -> Iterator[_Candidate]:
    """A town or street named in full (前江街道, 澥浦镇) is also a place under its bare name (前江, 澥浦)."""
    if not stems:
        return
    pattern = re.compile("|".join(map(re.escape, sorted(stems, key=len, reverse=True))))
    for m in pattern.finditer(text):
        if text[m.end() : m.end() + 1] not in _GEO_NEXT:
            yield _Candidate(m.start(), m.end(), "Place", 0)


def _without_place_head(text: str, c: _Candidate, stems: frozenset[str]) -> _Candidate:
    """A project written after its district and town (武侯区簇桥牛王庙采石场, by the bare town name
    the text also gives in full) is named without them, as after a full town name (_TOWN_HEAD)."""
    if c.type != "Project" or c.priority >= 9 or not stems:
        return c
    region = _region_table()[0].match(text, c.start)
    if not region:
        return c
    stem = next((s for s in sorted(stems, key=len, reverse=True) if text.startswith(s, region.end())), None)
    if stem is None or c.end - (region.end() + len(stem)) < 4:
        return c
    return c._replace(start=region.end() + len(stem))


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Assignment units first, then longest first (ties: priority, position); no overlaps."""
    chosen: list[_Candidate] = []
    unique = set(candidates)
    taken = bytearray(max((c.end for c in unique), default=0))  # 1 where a chosen name lies
    ordered = sorted(unique, key=lambda c: (c.priority < 9, c.start - c.end, -c.priority, c.start, c.type))
    for c in ordered:
        if 1 in taken[c.start : c.end]:
            continue
        if c.end > c.start:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    return sorted(chosen, key=lambda c: (c.start, c.end))


def _derived(surface: str, c: _Candidate) -> Iterator[Mention]:
    """A name with a range in parentheses is also listed without it; its endpoints are roads or places."""
    m = re.search(r"\(([^()]{1,16})[-—~至]([^()]{1,16})\)", surface)
    phase = re.search(rf"\({PHASE}\)$", surface)
    if phase and phase.start() >= 2:  # 甬江校区(一期): the phase in parentheses, like a range
        yield Mention(surface[: phase.start()], c.type, c.start, c.start + phase.start())
    if not m:
        section = re.search(r"-([^()\-]{2,6})段$", surface)
        if section and c.type == "Road" and not re.search(r"(?:江|河|湖|溪|海)$", section.group(1)):
            yield Mention(section.group(1), "Road", c.start + section.start(1), c.start + section.end(1))
        return
    if m.start() >= 2:
        yield Mention(surface[: m.start()], c.type, c.start, c.start + m.start())
    if c.type != "Road":
        return
    for g in (1, 2):
        endpoint = m.group(g)
        if re.search(r"(?:江|河|湖|溪|海|段)$", endpoint) or len(endpoint) < 2:
            continue  # rivers are not entities; "X段" is a section, not a road
        etype = "Place" if re.search(r"(?:村|镇|乡|社区|街道)$", endpoint) else "Road"
        yield Mention(endpoint, etype, c.start + m.start(g), c.start + m.end(g))


def _clean(surface: str) -> str:
    return surface.replace("“", "").replace("”", "").replace('"', "").strip("-·")


def _quoted(text: str, c: _Candidate) -> bool:
    """A name wrapped whole in quotes is a brand or campaign (“七彩惠民路”), not a thing."""
    return c.start > 0 and text[c.start - 1] == "“" and text[c.end : c.end + 1] == "”"


def extract_mentions(
    text: str, assignments: Iterable[Assignment] = (), *, jurisdiction_code: str | None = None
) -> tuple[Mention, ...]:
    """Typed name mentions in text order (one per occurrence).

    Args:
        text: normalised document text.
        assignments: the document's assignments; their units are agencies (or places).
        jurisdiction_code: the document's GB/T 2260 code; short county names (北仑) count as
            places only inside this city.

    >>> [(m.text, m.type) for m in extract_mentions("加快建设中官路(金川路-镇骆东路)拓宽改造工程。")]
    [('中官路(金川路-镇骆东路)拓宽改造工程', 'Road'), ('中官路', 'Road'), ('金川路', 'Road'), ('镇骆东路', 'Road')]
    """
    candidates: list[_Candidate] = []
    for finder in (_road_candidates, _rail_candidates, _housing_candidates, _agency_candidates,
                   _place_candidates, _project_candidates, _list_candidates):
        candidates.extend(finder(text))
    candidates.extend(_region_candidates(text, jurisdiction_code))
    candidates.extend(_unit_candidates(text, assignments))
    stems = _town_stems(text, candidates)
    candidates = [_without_place_head(text, c, stems) for c in candidates]
    candidates.extend(_short_town_candidates(text, stems))
    admin_places = {
        c.start: c for c in candidates if c.type == "Place" and _ADMIN_END.search(text, c.start, c.end)
    }
    mentions: list[Mention] = []
    for c in _select(candidates):
        surface = _clean(text[c.start : c.end])
        if len(surface) < 2 or (c.priority < 9 and _quoted(text, c)):
            continue
        if c.type == "Road" and surface in _ROAD_GENERIC:
            continue
        if c.type == "Agency" and c.priority < 9 and is_collective(surface):
            continue
        mentions.append(Mention(surface, c.type, c.start, c.end))
        if "(" in surface or "-" in surface:  # only a range, a phase or a section derives names
            mentions.extend(_derived(surface, c))
        place = admin_places.get(c.start)
        if c.type in ("Project", "Road") and place and place.end < c.end:
            # a project named after its place also names the place (长兴社区卫生服务站)
            mentions.append(Mention(text[place.start : place.end], "Place", place.start, place.end))
    return tuple(mentions)


