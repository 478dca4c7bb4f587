"""Entity grammars on hand-made snippets (other cities than the samples, every type)."""

from __future__ import annotations

import pytest

from kg.extract.entities import extract_mentions
from kg.extract.lexicon import left_start
from kg.models import Assignment

HANGZHOU_XIHU = "330106"
CHENGDU_WUHOU = "510107"


def pairs(text: str, code: str | None = None, assignments: tuple[Assignment, ...] = ()) -> list[tuple[str, str]]:
    return [(m.text, m.type) for m in extract_mentions(text, assignments, jurisdiction_code=code)]


def test_road_with_range_lists_base_name_and_endpoints():
    text = "加快建设文一路(古翠路-学院路)提升改造工程,力争年内完工。"
    assert pairs(text) == [
        ("文一路(古翠路-学院路)提升改造工程", "Road"),
        ("文一路", "Road"),
        ("古翠路", "Road"),
        ("学院路", "Road"),
    ]


def test_roads_with_phases_sections_and_expressways():
    text = "推进机场快速路二期、紫之隧道北段、杭绍甬高速复线绍兴段一期、320国道改建工程建设。"
    assert pairs(text) == [
        ("机场快速路二期", "Road"),
        ("紫之隧道北段", "Road"),
        ("杭绍甬高速复线绍兴段一期", "Road"),
        ("320国道改建工程", "Road"),
    ]


def test_generic_road_words_and_quoted_brands_are_not_roads():
    text = "完善城市道路和农村公路,打造“幸福回家路”品牌,优化公交线路和工作思路。"
    assert [p for p in pairs(text) if p[1] == "Road"] == []


def test_rail_lines():
    text = "地铁3号线一期建成通车,配合做好19号线、轨道交通10号线二期工程施工保障。"
    assert pairs(text) == [("地铁3号线一期", "RailLine"), ("19号线", "RailLine"), ("轨道交通10号线二期工程", "RailLine")]


def test_housing_programmes_strip_inner_quotes():
    text = "建立“配租型”保障性住房体系,筹集公租房300套,推进老旧小区改造和既有住宅加装电梯。"
    assert pairs(text) == [
        ("配租型保障性住房", "HousingProgramme"),
        ("公租房", "HousingProgramme"),
        ("老旧小区改造", "HousingProgramme"),
        ("既有住宅加装电梯", "HousingProgramme"),
    ]


def test_agencies_with_prefixes_and_back_to_back_names():
    text = "由西湖区住房和城乡建设局牵头,会同区教育局卫健局、市规划和自然资源局开展联合检查。"
    assert pairs(text, HANGZHOU_XIHU) == [
        ("西湖区住房和城乡建设局", "Agency"),
        ("区教育局", "Agency"),
        ("卫健局", "Agency"),
        ("市规划和自然资源局", "Agency"),
    ]


def test_party_and_government_and_task_forces():
    text = "在区委区政府的领导下,成立防汛工作专班和城西指挥部,省政府办公厅通报表扬。"
    assert pairs(text) == [
        ("区委区政府", "Agency"),
        ("防汛工作专班", "Agency"),
        ("城西指挥部", "Agency"),
        ("省政府办公厅", "Agency"),
    ]


def test_words_ending_like_agencies_are_not_agencies():
    text = "面对复杂局面,统筹全局,部署工作,干部队伍这支队伍很强,开新局。"
    assert [p for p in pairs(text) if p[1] == "Agency"] == []


def test_places_from_the_region_table_and_local_units():
    text = "成都市武侯区玉林街道芳草社区和簇桥村开展共建,武侯片区联动。"
    assert pairs(text, CHENGDU_WUHOU) == [
        ("成都市", "Place"),
        ("武侯区", "Place"),
        ("玉林街道", "Place"),
        ("芳草社区", "Place"),
        ("簇桥村", "Place"),
        ("武侯片区", "Place"),
    ]


def test_short_county_name_counts_only_in_its_own_city():
    text = "推动西湖与滨江协同发展。"
    assert ("西湖", "Place") in pairs(text, HANGZHOU_XIHU)
    assert ("西湖", "Place") not in pairs(text, CHENGDU_WUHOU)


def test_town_named_in_full_is_also_a_place_by_its_bare_name():
    text = "双浦镇开展清洁行动。双浦要加快发展。"
    assert ("双浦", "Place") in pairs(text)


def test_listed_areas_under_a_head_noun_are_places():
    text = "加快推进东站枢纽、大城西、申花等重点片区建设。"
    assert pairs(text) == [("东站枢纽", "Place"), ("大城西", "Place"), ("申花", "Place")]


def test_projects_drop_leading_verbs_and_keep_phase_and_work_suffix():
    text = "新建城北体育公园二期,加快建设之江文化中心,完成湘湖排涝站水毁修复项目。"
    assert pairs(text) == [
        ("城北体育公园二期", "Project"),
        ("之江文化中心", "Project"),
        ("湘湖排涝站水毁修复项目", "Project"),
    ]


def test_generic_projects_are_not_named_projects():
    text = "谋划重大项目30个,实施民生工程,做好信息化项目和招商项目。"
    assert [p for p in pairs(text) if p[1] == "Project"] == []


def test_project_named_after_its_community_names_the_community_too():
    text = "打造翠苑社区居民会客厅示范点。"
    assert pairs(text) == [("翠苑社区居民会客厅示范点", "Project"), ("翠苑社区", "Place")]


def test_units_of_assignments_are_agencies_or_places():
    text = "新建绿道8公里。\n区林水局\n区城投集团有限公司、各街道、转塘街道"
    a = Assignment("新建绿道8公里", ("区林水局",), ("区城投集团有限公司", "各街道", "转塘街道"), 0, len(text), "table")
    got = pairs(text, assignments=(a,))
    assert ("区林水局", "Agency") in got
    assert ("区城投集团有限公司", "Agency") in got
    assert ("各街道", "Agency") in got
    assert ("转塘街道", "Place") in got


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("加快推进杭甬高速", "高速", "杭甬"),
        ("全力开展城西指挥部", "指挥部", "城西"),
        ("新建3个口袋公园", "口袋公园", ""),
    ],
)
def test_left_start_stops_at_boundary_words_and_counts(text, suffix, expected):
    anchor = text.index(suffix)
    assert text[left_start(text, anchor) : anchor] == expected


def test_development_zone_stands_alone_unless_a_region_names_it():
    assert pairs("紧扣高新区发展定位,推进宁波高新区建设。", "330200") == [("高新区", "Place"), ("宁波高新区", "Place")]


def test_stretches_described_by_position_or_size_are_not_places():
    assert pairs("推进体育馆北侧120亩地块出让。") == []


def test_a_future_community_is_a_housing_programme_not_a_community():
    assert pairs("新建成未来社区5个。") == [("未来社区", "HousingProgramme")]


# --- lists: a head noun after 、-coordinated names types every item ----------------------------


def test_items_listed_before_a_project_head_are_projects():
    text = "推进实施望江楼滨水空间、三江一岸、光华科创C区等城市更新项目20个以上。"
    assert pairs(text) == [("望江楼滨水空间", "Project"), ("三江一岸", "Project"), ("光华科创C区", "Project")]


def test_a_project_word_written_once_governs_the_whole_list():
    assert pairs("推进锦绣华庭、天府悦府二期项目420套房源建设。") == [
        ("锦绣华庭", "Project"),
        ("天府悦府二期", "Project"),
    ]


def test_a_counted_head_types_the_items_and_each_item_keeps_its_own_ending():
    assert pairs("已打造太古里夜市、春熙步行街两条特色街区。") == [("太古里夜市", "Project"), ("春熙步行街", "Road")]


@pytest.mark.parametrize(
    "text",
    [
        "集成电路、生物医药等领域重大项目加快落地。",  # fields, not things
        "持续对接华光电子、蓝海科技等优质项目。",  # firms courted
        "立项化工行业项目5个、智能制造改造项目12个。",  # kinds of project, counted
        "分设“光谷芯城”集成电路类项目、综合类项目。",  # categories
        "谋划环卫车辆更新、园区道路养护等项目。",  # tasks ending in a verb
    ],
)
def test_lists_of_fields_firms_categories_and_tasks_are_not_projects(text):
    assert [p for p in pairs(text) if p[1] == "Project"] == []


def test_heritage_sites_listed_under_a_head_are_places():
    assert pairs("加强磨盘山、凤凰台等文化遗址保护利用。") == [("磨盘山", "Place"), ("凤凰台", "Place")]


# --- counts, generic heads and abstract projects ----------------------------------------------


def test_facilities_followed_or_preceded_by_a_count_are_kinds_not_names():
    text = "新增共享泊位600个,整治集装箱堆场12处、集卡停车场8处,创建绿色低碳园区1个。"
    assert pairs(text) == []


def test_a_count_after_a_list_counts_the_list_not_a_kind():
    text = "汇芯小微园、江城智能产业园、东湖智能工业园3个已建成投用。"
    assert pairs(text) == [("汇芯小微园", "Project"), ("江城智能产业园", "Project"), ("东湖智能工业园", "Project")]


def test_a_count_inside_a_project_name_is_no_name():
    assert not any("四个" in t for t, _ in pairs("随着四个城中村改造项目顺利推进。"))


@pytest.mark.parametrize(
    "text",
    [
        "获批全省首张加氢站经营许可证。",
        "实现所有景区免费开放。",
        "深入推进特色学校打造。",
        "推进闲置安置房转化为保障性住房。",
        "实现标准型镇街便民服务中心全覆盖。",
        "做好地方政府专项债券项目申报,加强小区公共收益项目监督。",
        "完成五家国有企业信息化项目排摸。",
    ],
)
def test_generic_heads_and_money_projects_are_not_named_projects(text):
    assert [p for p in pairs(text) if p[1] == "Project"] == []


def test_a_stage_of_the_works_belongs_to_the_project_before_it():
    text = "完成白沙洲危化品堆场主体工程,紫荆康养中心土建工程完成。"
    assert pairs(text) == [("白沙洲危化品堆场", "Project"), ("紫荆康养中心", "Project")]


def test_phase_and_type_qualifiers_in_parentheses_stay_in_project_names():
    text = "完成锦城中学东湖校区(一期)新建,推进天府保税物流中心(B型)扩容。"
    assert pairs(text) == [
        ("锦城中学东湖校区(一期)", "Project"),
        ("锦城中学东湖校区", "Project"),
        ("天府保税物流中心(B型)", "Project"),
    ]


def test_junior_middle_schools_are_projects():
    assert pairs("开工建设桂溪规划初中。") == [("桂溪规划初中", "Project")]


def test_a_project_after_its_district_and_bare_town_name_is_named_without_them():
    text = "双流区簇桥镇开展治理。双流簇桥牛王庙采石场已启动治理。"
    got = pairs(text, CHENGDU_WUHOU)
    assert ("牛王庙采石场", "Project") in got
    assert not any(t.endswith("采石场") and t != "牛王庙采石场" for t, _ in got)


def test_a_project_named_after_its_area_names_the_area_too():
    assert pairs("桂溪东片区居家养老服务中心已启动运营。") == [
        ("桂溪东片区居家养老服务中心", "Project"),
        ("桂溪东片区", "Place"),
    ]


# --- roads, places and agencies ---------------------------------------------------------------


def test_kinds_of_link_and_campaign_labels_are_not_roads():
    text = "完善区际快速路网,拓展城际外联通道,推进过江通道前期,国省道沿线绿化,打造最美上学路、暖心就医路,推广彩虹桥式调解。"
    assert [p for p in pairs(text) if p[1] == "Road"] == []


def test_generic_stretches_of_land_and_kinds_of_village_are_not_places():
    text = "走访区内成熟地块,盘活闲置地块,改造城中村50万平方米,实现标准型镇街全覆盖。"
    assert [p for p in pairs(text) if p[1] == "Place"] == []


def test_a_quarter_named_by_its_direction_is_a_place():
    assert pairs("高标准建设天府城东片。") == [("天府城东片", "Place")]


def test_verbs_of_emphasis_end_a_name_on_its_left():
    text = "紧扣智能网联先导区建设要求,做精片区规划。"
    assert [p for p in pairs(text) if p[1] == "Place"] == []


def test_a_qualifier_in_parentheses_joins_an_agency_name_only_when_it_ends_the_name():
    assert pairs("已支持东湖理工大学(暂名)申报全省重点实验室。") == [("东湖理工大学(暂名)", "Agency")]


def test_hospital_grades_are_not_hospitals():
    text = "市第一医院创成三甲医院,区人民医院成功创建三级乙等综合医院。"
    assert pairs(text) == [("市第一医院", "Agency"), ("区人民医院", "Agency")]


def test_vocational_education_centres_are_agencies():
    assert pairs("区职教中心开展培训。") == [("区职教中心", "Agency")]


@pytest.mark.parametrize(
    ("text", "suffix", "expected"),
    [
        ("加快市三院迁建项目前期和区妇幼保健院扩建", "扩建", "区妇幼保健院"),  # 项目前期 hides no 目前
        ("完成汉阳可回收物分拣中心", "中心", "汉阳可回收物分拣"),  # 可 + verb is an adjective
    ],
)
def test_left_start_reads_nouns_whole_and_keeps_able_adjectives(text, suffix, expected):
    anchor = text.index(suffix)
    assert text[left_start(text, anchor, max_len=20) : anchor] == expected
