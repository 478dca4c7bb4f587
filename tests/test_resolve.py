"""Tests for kg.resolve: prefixes, abbreviations, collective units, ids, aliases, entities."""

from __future__ import annotations

import doctest
import re

import pytest

from kg import agency_names, resolve
from kg.models import Entity, Mention
from kg.resolve import (
    agency_id,
    base_name,
    canonical_agency_name,
    document_aliases,
    entity_id,
    is_collective_unit,
    link_base_entities,
    resolve_entities,
    split_prefix,
)


def test_doctests() -> None:
    assert doctest.testmod(resolve).failed == 0


def test_table_rows_are_well_formed() -> None:
    table = agency_names._table()
    assert len(table.kinds) >= 80
    assert set(table.kinds.values()) <= {
        "government", "office", "bureau", "committee", "center", "party", "military",
        "legislature", "cppcc", "judicial", "brigade", "mass", "cooperative", "collective",
    }  # fmt: skip
    # every full name is its own canonical form
    assert all(canonical_agency_name(full) == full for full in table.kinds)


def test_table_rejects_a_malformed_row() -> None:
    with pytest.raises(ValueError, match="line 2"):
        agency_names._parse_table("full\tabbreviations\tkind\n教育局\tbureau\n")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("区交通运输局", ("区", "交通运输局")),
        ("镇海区住房和建设交通局", ("镇海区", "住房和建设交通局")),
        ("市公交公司", ("市", "公交公司")),
        ("开发区商务局", ("开发区", "商务局")),
        ("团区委", ("区", "团委")),
        ("团市委", ("市", "团委")),
        ("北仑区外国语学校", ("北仑区", "外国语学校")),
        ("杭州市西湖区城市管理局", ("杭州市西湖区", "城市管理局")),
        ("成都市武侯区卫健局", ("成都市武侯区", "卫健局")),
        ("成都高新区管委会", ("成都高新区", "管委会")),
        ("安吉县农业农村局", ("安吉县", "农业农村局")),
        ("县教育局", ("县", "教育局")),
        ("白峰镇人民政府", ("白峰镇", "人民政府")),
        ("区委组织部", ("区委", "组织部")),
        ("中共宁波市委宣传部", ("中共宁波市委", "宣传部")),
        ("区委办", ("区", "委办")),
        ("镇党委办公室", ("镇", "党委办公室")),
        # the whole name is a department: 市 and 住房和城乡 are not prefixes here
        ("市场监督管理局", ("", "市场监督管理局")),
        ("住房和城乡建设局", ("", "住房和城乡建设局")),
        ("区市场监管局", ("区", "市场监管局")),
        # 市场 is a word, not 市 + 场…
        ("市场发展服务中心", ("", "市场发展服务中心")),
        # a place-like head before a non-agency rest is not a prefix
        ("九龙大道", ("", "九龙大道")),
        ("", ("", "")),
    ],
)
def test_split_prefix(name: str, expected: tuple[str, str]) -> None:
    assert split_prefix(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("区发改局", "区发展和改革局"),
        ("区住建局", "区住房和城乡建设局"),
        ("区卫健局", "区卫生健康局"),
        ("卫健局", "卫生健康局"),  # no prefix is invented
        ("市发改委", "市发展和改革委员会"),
        ("杭州市西湖区人社局", "杭州市西湖区人力资源和社会保障局"),
        ("成都市武侯区市监局", "成都市武侯区市场监督管理局"),
        ("县退役军人局", "县退役军人事务局"),
        ("区文化与广电旅游体育局", "区文化广电旅游体育局"),
        ("区文广旅体局", "区文化广电旅游体育局"),
        ("区府办", "区人民政府办公室"),
        ("区委办", "区委办公室"),
        ("区委政法委", "区委政法委员会"),
        ("区直机关工委", "区直属机关工作委员会"),
        ("市供销社", "市供销合作社联合社"),
        ("区团委", "团区委"),
        ("团县委", "团县委"),
        ("区交通运输局", "区交通运输局"),
        ("  区应急局 ", "区应急管理局"),
    ],
)
def test_canonical_agency_name_expands(name: str, expected: str) -> None:
    assert canonical_agency_name(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "区凤凰城建设指挥部",  # unknown department
        "开发区开发建设综合局",
        "区建设局",  # 建设局 is listed for two departments: ambiguous
        "宁波市城市建设投资集团有限公司",
        "区公共项目建设管理中心",
    ],
)
def test_canonical_agency_name_keeps_unknown_and_ambiguous(name: str) -> None:
    assert canonical_agency_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "各街道",
        "相关街道",
        "各镇(街道)",
        "各乡镇",
        "相关部门",
        "各成员单位",
        "区社会救助工作领导小组成员单位",
        "各有关单位",
        "相关单位",
        "各区县(市)",
        "区级各部门",
        "市级有关部门",
        "属地街道",
    ],
)
def test_collective_units(name: str) -> None:
    assert is_collective_unit(name)


@pytest.mark.parametrize(
    "name", ["区民政局", "大碶街道", "团区委", "区社会救助工作领导小组", "大碶街道办事处"]
)
def test_single_units_are_not_collective(name: str) -> None:
    assert not is_collective_unit(name)


def test_agency_ids_are_stable_and_scoped() -> None:
    beilun = agency_id("区发改局", "宁波市北仑区")
    assert re.fullmatch(r"agency-[0-9a-f]{16}", beilun)
    assert beilun == agency_id("区发展和改革局", "宁波市北仑区")
    assert beilun == agency_id("北仑区发展和改革局", "宁波市北仑区")
    assert beilun == "agency-" + resolve.hashlib.sha1(
        "Agency|宁波市北仑区|区发展和改革局".encode()
    ).hexdigest()[:16]
    assert beilun != agency_id("区发改局", "杭州市西湖区")
    assert agency_id("区发改局", None) != beilun
    assert agency_id("卫健局", None) == agency_id("卫生健康局", None)
    # a zone keeps its name: 高新区X is not rewritten to 区X
    assert agency_id("高新区建设局", "宁波国家高新区") != agency_id("区建设局", "宁波国家高新区")


def test_entity_ids() -> None:
    road = entity_id("Road", "中官路", "宁波市镇海区")
    assert re.fullmatch(r"road-[0-9a-f]{16}", road)
    assert road == entity_id("Road", "中官路", "宁波市镇海区")
    assert road != entity_id("Road", "中官路", "宁波市北仑区")
    assert road != entity_id("Project", "中官路", "宁波市镇海区")
    assert entity_id("RailLine", "轨道交通7号线", None).startswith("railline-")
    assert entity_id("Agency", "区住建局", "成都市武侯区") == agency_id("区住房和城乡建设局", "成都市武侯区")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("由建设和交通管理局(以下简称建设局)牵头。", {"建设局": "建设和交通管理局"}),
        (
            '根据宁波市北仑区住房和城乡建设局(以下简称"区住建局")的通知,',
            {"区住建局": "宁波市北仑区住房和城乡建设局"},
        ),
        ("成都市武侯区人民政府办公室(简称“区府办”)", {"区府办": "成都市武侯区人民政府办公室"}),
        ("宁波市轨道交通集团有限公司,简称轨道集团,负责", {"轨道集团": "宁波市轨道交通集团有限公司"}),
        ("杭甬高速复线(下文称复线)", {"复线": "杭甬高速复线"}),
        ("建设和交通管理局(生态环境局)", {}),  # two names of one body: the caller's business
        ("《关于加快发展的意见》(以下简称《意见》)", {}),
        ("区建设局简称建设局负责", {}),  # unquoted and unbracketed: its end is not sure
    ],
)
def test_document_aliases(text: str, expected: dict[str, str]) -> None:
    assert document_aliases(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("中官路(金川路-镇骆东路)拓宽改造工程", "中官路"),
        ("九龙大道(一期)", "九龙大道"),
        ("西大河公园二期", "西大河公园"),
        ("建设和交通管理局(生态环境局)", None),
        ("杭甬高速复线", None),
    ],
)
def test_base_name(name: str, expected: str | None) -> None:
    assert base_name(name) == expected


def _mentions(*pairs: tuple[str, str]) -> list[Mention]:
    return [Mention(text, type_, 0, len(text)) for text, type_ in pairs]


def test_resolve_entities_groups_agencies() -> None:
    jurisdiction = "杭州市西湖区"
    mentions = _mentions(
        ("区发改局", "Agency"),
        ("区发展和改革局", "Agency"),
        ("西湖区发展和改革局", "Agency"),
        ("交通运输局", "Agency"),
        ("区交通运输局", "Agency"),
        ("市交通运输局", "Agency"),
        ("各街道", "Agency"),
        ("各街道", "Agency"),
        ("团区委", "Agency"),
    )
    assert resolve_entities(mentions, jurisdiction=jurisdiction) == (
        Entity(agency_id("区交通运输局", jurisdiction), "Agency", "区交通运输局", jurisdiction,
               ("交通运输局", "区交通运输局")),
        Entity(agency_id("区发改局", jurisdiction), "Agency", "区发展和改革局", jurisdiction,
               ("区发展和改革局", "区发改局", "西湖区发展和改革局")),
        Entity(agency_id("各街道", jurisdiction), "Agency", "各街道", jurisdiction, ("各街道",),
               collective=True),
        Entity(agency_id("团区委", jurisdiction), "Agency", "团区委", jurisdiction, ("团区委",)),
        Entity(agency_id("市交通运输局", jurisdiction), "Agency", "市交通运输局", jurisdiction,
               ("市交通运输局",)),
    )  # fmt: skip


def test_unprefixed_agency_is_not_merged_when_unsure() -> None:
    # two county-level candidates, or a prefix of another level: keep apart
    mentions = _mentions(("交通运输局", "Agency"), ("县交通运输局", "Agency"), ("市交通运输局", "Agency"))
    names = [e.name for e in resolve_entities(mentions, jurisdiction=None)]
    assert names == ["交通运输局", "县交通运输局", "市交通运输局"]
    in_county = resolve_entities(mentions, jurisdiction="杭州市淳安县")
    assert [e.surfaces for e in in_county] == [("交通运输局", "县交通运输局"), ("市交通运输局",)]


def test_resolve_entities_applies_document_aliases() -> None:
    text = "宁波市北仑区建设和交通管理局(以下简称建设局)负责"
    mentions = _mentions(
        ("建设局", "Agency"), ("区建设局", "Agency"), ("宁波市北仑区建设和交通管理局", "Agency")
    )
    aliases = document_aliases(text)
    entities = resolve_entities(mentions, jurisdiction="宁波市北仑区", aliases=aliases)
    assert [(e.name, e.surfaces) for e in entities] == [
        ("区建设和交通管理局", ("区建设局", "宁波市北仑区建设和交通管理局", "建设局")),
    ]
    # without the document's word 建设局 stays ambiguous
    plain = resolve_entities(mentions[1:2], jurisdiction="宁波市北仑区")
    assert [e.name for e in plain] == ["区建设局"]


def test_rail_lines_merge_and_ranges_stay_apart() -> None:
    jurisdiction = "成都市"
    mentions = _mentions(
        ("轨道交通7号线", "RailLine"),
        ("7号线", "RailLine"),
        ("7号线一期", "RailLine"),
        ("地铁十八号线", "RailLine"),
        ("18号线", "RailLine"),
        ("中官路", "Road"),
        ("中官路(金川路-镇骆东路)拓宽改造工程", "Project"),
    )
    entities = resolve_entities(mentions, jurisdiction=jurisdiction)
    assert [(e.type, e.name, e.surfaces) for e in entities] == [
        ("Project", "中官路(金川路-镇骆东路)拓宽改造工程", ("中官路(金川路-镇骆东路)拓宽改造工程",)),
        ("RailLine", "7号线一期", ("7号线一期",)),
        ("RailLine", "地铁十八号线", ("18号线", "地铁十八号线")),
        ("RailLine", "轨道交通7号线", ("7号线", "轨道交通7号线")),
        ("Road", "中官路", ("中官路",)),
    ]
    ids = {e.name: e.id for e in entities}
    assert link_base_entities(entities) == tuple(
        sorted(
            [
                (ids["中官路(金川路-镇骆东路)拓宽改造工程"], ids["中官路"]),
                (ids["7号线一期"], ids["轨道交通7号线"]),
            ]
        )
    )


def test_resolve_entities_is_deterministic() -> None:
    mentions = _mentions(
        ("区住建局", "Agency"), ("7号线", "RailLine"), ("保障性租赁住房", "HousingProgramme")
    )
    first = resolve_entities(mentions, jurisdiction="宁波市镇海区")
    assert first == resolve_entities(reversed(mentions), jurisdiction="宁波市镇海区")
    assert [e.type for e in first] == ["Agency", "HousingProgramme", "RailLine"]
    assert resolve_entities([], jurisdiction=None) == ()


def test_contraction_aliases_link_short_and_variant_names_of_one_body():
    from kg.resolve import contraction_aliases

    found = contraction_aliases(["规划局", "规划与自然资源局"], publisher="规划和自然资源局(林业局)")
    assert found == {"林业局": "规划和自然资源局", "规划与自然资源局": "规划和自然资源局", "规划局": "规划和自然资源局"}


def test_contraction_aliases_refuse_ambiguous_short_names():
    from kg.resolve import contraction_aliases

    assert contraction_aliases(["交通局", "交通运输局", "交通建设局"]) == {}
