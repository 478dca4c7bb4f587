"""Tests for kg.extract.jurisdiction: credit codes, named districts, zones, 街道, ambiguity."""

from __future__ import annotations

import pytest

from kg.extract.jurisdiction import infer_jurisdiction

# Unified social credit codes with valid check characters; characters 3-8 are the region.
BEILUN = "11330206002954449B/2024-198521"  # 330206 宁波市北仑区
JIANGBEI_NB = "113302050029543007/2022-1"  # 330205 宁波市江北区
XIHU_HZ = "113301060024821506/2024-7"  # 330106 杭州市西湖区
ZONE_NB = "11330208591592633B/2025-29185"  # 330208: a Ningbo development zone's code, not in GB/T 2260
ORG_CODE = "736956697/2025-225485"  # organisation code: says nothing about the region


def infer(
    text: str = "", *, index_no: str | None = None, publisher: str | None = None, title: str | None = None
) -> tuple[str | None, str | None]:
    """infer_jurisdiction with every header field optional."""
    return infer_jurisdiction(text, index_no=index_no, publisher=publisher, title=title)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # The region in the 索引号 wins over what the text talks about.
        (
            {"index_no": BEILUN, "publisher": "区府办", "text": "镇海区、镇海区、全区"},
            ("宁波市北仑区", "330206"),
        ),
        ({"index_no": XIHU_HZ, "publisher": "区政府办公室"}, ("杭州市西湖区", "330106")),
        # 住房和城乡建设局 is not a 乡.
        ({"index_no": BEILUN, "publisher": "住房和城乡建设局"}, ("宁波市北仑区", "330206")),
    ],
)
def test_exact_region_code(kwargs: dict, expected: tuple[str, str]) -> None:
    assert infer(**kwargs) == expected


def test_development_zone_code_falls_back_to_city_and_text_zone() -> None:
    text = "为高新区打造世界一流高科技园区提供支撑。全区新建道路5条,高新区管网改造。"
    assert infer(text, index_no=ZONE_NB, publisher="建设和交通管理局(生态环境局)") == (
        "宁波市高新区",
        "330200",
    )


def test_development_zone_code_without_zone_in_text_is_the_city() -> None:
    assert infer("推进道路建设。", index_no=ZONE_NB, publisher="建设局") == ("宁波市", "330200")


def test_zone_named_by_publisher() -> None:
    assert infer("全区", index_no=ZONE_NB, publisher="高新区管委会") == ("宁波市高新区", "330200")
    assert infer("全区", publisher="宁波杭州湾新区管委会") == ("宁波市杭州湾新区", "330200")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A district body: the most-mentioned district of the city the text names.
        ("宁波市镇海区召开会议。我区与北仑区合作,镇海新城建设。全区经济增长。", ("宁波市镇海区", "330211")),
        # 江北 is a district of 宁波 and of 重庆: the city named decides.
        ("重庆市江北区全区经济平稳。江北嘴金融城加快建设。", ("重庆市江北区", "500105")),
        ("宁波江北区全区经济平稳,江北。", ("宁波市江北区", "330205")),
        ("杭州市西湖区:全区推进西湖区文化建设。", ("杭州市西湖区", "330106")),
        ("南昌市西湖区:全区推进西湖区老城改造。", ("南昌市西湖区", "360103")),
    ],
)
def test_district_body_named_in_text(text: str, expected: tuple[str, str]) -> None:
    assert infer(text, index_no=ORG_CODE, publisher="区府办") == expected


@pytest.mark.parametrize(
    "text",
    [
        "江北区全区经济平稳。",  # 江北区 of which city?
        "西湖区全区推进文化建设。",  # 杭州 or 南昌?
        "全区推进碳中和。",  # 中和 (新北市中和区) is a word here, not a place
        "宁波市镇海区、北仑区全区协同。",  # a tie between two districts
        "今年工作总结。",
        "",
    ],
)
def test_unsettled_district_is_none(text: str) -> None:
    assert infer(text, index_no=ORG_CODE, publisher="区府办") == (None, None)


@pytest.mark.parametrize(
    ("publisher", "text", "expected"),
    [
        ("武侯区发展和改革局", "加快建设。", ("成都市武侯区", "510107")),
        ("北京市朝阳区人民政府", "全区", ("北京市朝阳区", "110105")),
        ("江北区人民政府", "重庆两江协同,全区推进。重庆", ("重庆市江北区", "500105")),
        ("慈溪市人民政府", "我市", ("宁波市慈溪市", "330282")),
        ("宁波市住房和城乡建设局", "全市", ("宁波市", "330200")),
        ("市政府办公室", "宁波市我市经济。宁波,慈溪。全市", ("宁波市", "330200")),
        ("区府办", "上海市浦东新区全区推进浦东新区建设。", ("上海市浦东新区", "310115")),
    ],
)
def test_publisher_names_or_implies_the_region(publisher: str, text: str, expected: tuple[str, str]) -> None:
    assert infer(text, publisher=publisher) == expected


def test_title_names_the_issuing_district() -> None:
    title = "镇海区住房和建设交通局2024年工作总结及2025年工作思路"
    assert infer("全市第1。", title=title) == ("宁波市镇海区", "330211")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"publisher": "前江街道", "text": "在区委区政府领导下,全区第一。代表江北形象,宁波未来城。"},
            ("宁波市江北区前江街道", "330205"),
        ),
        ({"publisher": "前江街道", "index_no": JIANGBEI_NB}, ("宁波市江北区前江街道", "330205")),
        ({"publisher": "宁波市江北区前江街道办事处"}, ("宁波市江北区前江街道", "330205")),
        ({"publisher": "高新区管委会", "index_no": ZONE_NB}, ("宁波市高新区", "330200")),
        (
            {"title": "九龙湖镇2024年工作总结", "text": "宁波市镇海区。全区"},
            ("宁波市镇海区九龙湖镇", "330211"),
        ),
        # The district is unknown: the 街道 alone is no jurisdiction.
        ({"publisher": "前江街道", "text": "全区经济平稳。"}, (None, None)),
    ],
)
def test_subdistrict_publisher(kwargs: dict, expected: tuple) -> None:
    assert infer(**kwargs) == expected


def test_deterministic_on_repeated_calls() -> None:
    text = "宁波江北区全区经济平稳,江北。" * 200
    results = {infer(text, publisher="区府办") for _ in range(3)}
    assert results == {("宁波市江北区", "330205")}


def test_subdistrict_of_a_zone() -> None:
    assert infer(index_no=ZONE_NB, publisher="高新区梅墟街道") == ("宁波市高新区梅墟街道", "330200")


def test_city_named_with_subdistrict_finds_the_district_in_text() -> None:
    text = "在区委领导下,全区第一。代表江北形象。"
    assert infer(text, publisher="宁波前江街道") == ("宁波市江北区前江街道", "330205")


def test_town_of_a_city_without_districts() -> None:
    assert infer("东莞市虎门镇推进", publisher="虎门镇人民政府") == ("东莞市虎门镇", "441900")
