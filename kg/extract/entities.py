"""Typed name mentions (agencies, roads, rail lines, housing programmes, places, projects): text -> Mentions.

Names are found by suffix grammars: a suffix (路, 大道, 号线, 局, 街道, 公园 ...) anchors a match,
the name extends left until a boundary word (see ``lexicon.left_start``), and qualifiers on the
right (phase 一期, section 西段, a range in parentheses, a work suffix 拓宽改造工程) are kept.
Candidates from all grammars compete; the longest wins, units named in assignments first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kg.extract.lexicon import AGENCY_WORDS, HAN, PHASE, PROJECT_WORDS, RANGE, boundary_words, left_start
from kg.extract.scan import FastPattern
from kg.extract.units import AGENCY_SUFFIX, is_collective
from kg.models import Assignment, Mention
from kg.regions import NameScanner, region_scanner

__all__ = ["extract_mentions"]


@dataclass(frozen=True)
class _Candidate:
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
    r"|(?<![电之思道线出套水网陆门进半通销铁车航])路(?![网线径面灯况演子])|(?<![大天石栈立])桥(?![梁头])"
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
        yield _Candidate(start, m.end(), "Road", 2)
    for m in _ROUTE_PAIR.finditer(text):
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
    r"公建|营商|政务|养护|创新|技术|培训|实训|应急)中心$"
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
    qualifier = text.rfind("(", max(0, anchor - 12), anchor)
    if qualifier > 0 and _QUALIFIER.match(text, qualifier) and _QUALIFIER.match(text, qualifier).end() < anchor:
        head = left_start(text, qualifier, max_len=8, allowed=AGENCY_WORDS)
        if head < qualifier:
            return head
    start = left_start(text, anchor, max_len=22, allowed=AGENCY_WORDS)
    # an administrative prefix inside the window starts the name (开启区人民医院 -> 区人民医院,
    # 服务宁波东方理工大学 -> 宁波东方理工大学)
    region = next((r for r in _region_table()[0].finditer(text, start, anchor) if _is_prefix_region(r.group())), None)
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
    return True


_PARTY_AND_GOVERNMENT = re.compile(r"([区市县省镇])委\1?政府|[区市县省镇](?:委|政府)")


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
    r"镇|乡|村)"
    r"(?!办|党|委|居委|政府|级|民|集体|庄|干部|书记)"
)
_PLACE_MAX = {"镇": 3, "乡": 3, "村": 3, "街道": 4, "社区": 4}
_PLACE_GENERIC_HEAD = re.compile(
    r"^(?:重点|重大|重要|更新|相关|各|全域|全|城市|城镇|农村|乡村|行政|美丽|未来|低碳|工业|旅游|科创|智能|示范|试点|特色|"
    r"省级|市级|区级|新建|河湖|田园|小微|老旧|垃圾分类|完整|单点|清廉|水美|科学家|乡镇|镇街|街道)"
)
# a stretch described by its position or size is no named place (奥体北侧240亩地块)
_DESCRIPTIVE = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:亩|平方公里|平方米|公顷)|(?:以北|以南|以东|以西|北侧|南侧|东侧|西侧|周边|附近|沿线)")
_ADMIN_INNER = re.compile(r"(?:街道|[区县市镇乡])(?=[\u4e00-\u9fff]{2})")
_ADMIN_SPLIT = re.compile(rf"^([{HAN}]{{2,4}}(?:街道|镇|乡))([{HAN}]{{2,4}}(?:社区|村))$")


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
    r"颐养中心|康养中心|医疗中心|文化中心|活动中心|健身中心|科创中心|综合体|广场|湿地|景区|管廊|食堂|停车场|堆场|"
    r"物流园|码头|泊位|变电站|排涝站|加氢站|服务站|实践站|卫生院|医院|学校|中学|小学|幼儿园|校区|商业街|街区|酒店|"
    r"产业园|工业园(?!区)|小微园|急救中心|公寓|中小学校|九年一贯制学校|宝殿|殿|阁|庵|寺|祠|"
    r"陵园|采石场|展览温室|驿站|司机之家|邻里中心|专管|安置房|物流基地|总部基地|"
    r"(?:养老|卫生|便民|照料|托育|文化|活动|健身|邻里)服务中心)"
)
_ROAD_END = re.compile(_ROAD.pattern + "$")
_PROJECT = FastPattern(rf"{_PROJECT_SUFFIX}(?:{PHASE})?(?:{RANGE})?(?:(?<!工程)(?<!项目)(?:工程|项目))?")
_TOWN_HEAD = re.compile(rf"[{HAN}]{{2,4}}(?:街道|镇|乡)(?=[{HAN}]{{2}})")
_PROJECT_GENERIC_HEAD = re.compile(
    r"^(?:全国|全省|全市|全区|全县|重大|重点|示范|民生|借款|住宅|商品房|开发|在建|相关|有关|各类|各项|部分|全部|配套|基础设施|城市更新|更新|"
    r"改造|提升|工程|项目|安全|监控|智能|专项|试点|两重|两新|超规模|危大|房屋|市政|公共|收益|良心|实事|产业|招商|投资|"
    r"优质|高质量|房地产|社会|政府|国家|省级|市级|区级|县级|本地|当地|居家|社区|农村|城市|城乡|口袋|体育|街道|乡村|"
    r"托育|养老|文化|城镇|生活|污水|雨污|垃圾|数字|湿地|标准化)"
)


_PROJECT_VERB = re.compile(r"(?:建设|新建|改建|扩建|迁建|续建|改造|提升|开工|启动|完成|推进|加快|扫尾|实施|建成|打造|开放)+")
# a 项目/工程 is a named one when its name holds a place, road or facility word, or a number
_PROJECT_NAMED = re.compile(
    r"[0-9A-Za-z#]|[一二三四五六七八九十]期|路|桥|站|园|馆|院|校|场|厂|港|湾|山|河|湖|江|塘|城|府|苑|里|村|区|街|楼|厦|中心|基地|"
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
        if _PROJECT_GENERIC_HEAD.match(name) or re.search(r"[0-9]+[个项批]", name):
            continue
        if m.group().startswith(("工程", "项目")) and (len(name) < 4 or not _PROJECT_NAMED.search(name)):
            continue
        if m.group().startswith("项目") and _ROAD_END.search(name):
            continue  # 宏图路南延项目 names the road; the road grammar finds it
        if m.group() == "项目" and start > 0 and text[start - 1] == "、":
            # X、Y项目: the 项目 governs the whole list, Y is named without it
            yield _Candidate(start, m.start(), "Project", 1)
            continue
        yield _Candidate(start, m.end(), "Project", 1)


# --- lists, units and selection --------------------------------------------------------------

_LIST_HEAD = re.compile(rf"等[{HAN}]{{0,4}}?(?:片区|区块|地块)")
_LIST_CHAR = re.compile(rf"[{HAN}A-Za-z0-9#\-]")


def _list_candidates(text: str) -> Iterator[_Candidate]:
    """Names coordinated under a head noun: ``A、B、C等重点片区`` makes A, B and C places."""
    for head in _LIST_HEAD.finditer(text):
        items: list[tuple[int, int]] = []
        end = head.start()
        while True:
            start = end
            while start > 0 and start > end - 16 and _LIST_CHAR.match(text[start - 1]):
                start -= 1
            if end - start < 2:
                break
            items.append((start, end))
            if start == 0 or text[start - 1] != "、":
                break
            end = start - 1
        if len(items) < 2:
            continue
        for k, (start, end) in enumerate(reversed(items)):
            if k == 0:
                start = left_start(text, end, min_len=2)
            if end - start >= 2:
                yield _Candidate(start, end, "Place", 6)


def _unit_candidates(text: str, assignments: Iterable[Assignment]) -> Iterator[_Candidate]:
    """Every unit named in an assignment is an agency (a named 街道/社区/镇 is a place)."""
    for a in assignments:
        for unit in a.lead + a.support:
            pos = text.find(unit, a.start, a.end + 1)
            if pos >= 0:
                place = re.search(r"(?:街道|社区|镇|乡)$", unit) and not is_collective(unit)
                yield _Candidate(pos, pos + len(unit), "Place" if place else "Agency", 9)


def _short_town_candidates(text: str, candidates: list[_Candidate]) -> Iterator[_Candidate]:
    """A town or street named in full (前江街道, 澥浦镇) is also a place under its bare name (前江, 澥浦)."""
    stems = set()
    for c in candidates:
        m = re.fullmatch(rf"([{HAN}]{{2,4}})(?:街道|镇|乡)", text[c.start : c.end])
        if c.type == "Place" and m:
            stems.add(m.group(1))
    if not stems:
        return
    pattern = re.compile("|".join(map(re.escape, sorted(stems, key=len, reverse=True))))
    for m in pattern.finditer(text):
        if text[m.end() : m.end() + 1] not in _GEO_NEXT:
            yield _Candidate(m.start(), m.end(), "Place", 0)


def _select(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Assignment units first, then longest first (ties: priority, position); no overlaps."""
    chosen: list[_Candidate] = []
    taken: set[int] = set()
    ordered = sorted(set(candidates), key=lambda c: (c.priority < 9, -c.length, -c.priority, c.start, c.type))
    for c in ordered:
        span = range(c.start, c.end)
        if any(i in taken for i in span):
            continue
        taken.update(span)
        chosen.append(c)
    return sorted(chosen, key=lambda c: (c.start, c.end))


def _derived(surface: str, c: _Candidate) -> Iterator[Mention]:
    """A name with a range in parentheses is also listed without it; its endpoints are roads or places."""
    m = re.search(r"\(([^()]{1,16})[-—~至]([^()]{1,16})\)", surface)
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
    candidates.extend(_short_town_candidates(text, candidates))
    admin_places = {
        c.start: c for c in candidates if c.type == "Place" and re.search(r"(?:社区|村|街道|镇|乡)$", text[c.start : c.end])
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
        mentions.extend(_derived(surface, c))
        place = admin_places.get(c.start)
        if c.type in ("Project", "Road") and place and place.end < c.end:
            # a project named after its place also names the place (长兴社区卫生服务站)
            mentions.append(Mention(text[place.start : place.end], "Place", place.start, place.end))
    return tuple(mentions)


