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
