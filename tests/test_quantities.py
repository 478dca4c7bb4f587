"""kg.extract.quantities: figures with units, what they count, bounds; same-kind comparison."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from kg.extract import quantities
from kg.extract.quantities import compare, extract_quantities, parse_number, same_kind
from kg.models import Quantity


def test_doctests() -> None:
    assert doctest.testmod(quantities).failed == 0


def figures(text: str) -> list[tuple[str, Decimal, str, str]]:
    return [(q.text, q.value, q.unit, q.counts) for q in extract_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the counted thing before the number, the verb dropped
        ("新增公共租赁住房1500套", [("1500套", Decimal(1500), "套", "公共租赁住房")]),
        ("完成农村公路养护里程36.5公里", [("36.5公里", Decimal("36.5"), "公里", "农村公路养护里程")]),
        # magnitude words multiplied out, the unit kept
        ("完成社会投资88.6亿元", [("88.6亿元", Decimal(8860000000), "元", "社会投资")]),
        ("整治低效用地2.4万亩", [("2.4万亩", Decimal(24000), "亩", "低效用地")]),
        ("新增储能装机3.5万千瓦", [("3.5万千瓦", Decimal(35000), "千瓦", "储能装机")]),
        # Chinese numerals
        ("新建二十个口袋花园", [("二十个", Decimal(20), "个", "口袋花园")]),
        ("改造两座人行天桥", [("两座", Decimal(2), "座", "人行天桥")]),
        # the counted thing after a classifier when the verb is all there is before it
        ("建成5个社区食堂", [("5个", Decimal(5), "个", "社区食堂")]),
        # 千米 is kilometres
        ("新建慢行道12千米", [("12千米", Decimal(12), "公里", "慢行道")]),
    ],
)
def test_figures_with_units_and_counted_things(
    text: str, expected: list[tuple[str, Decimal, str, str]]
) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    ("text", "bound", "verb"),
    [
        ("工业增加值增长8%左右", "approx", "增长"),
        ("新增就业岗位3000个以上", "min", ""),
        ("完成改造4000余户", "min", ""),
        ("城镇调查失业率控制在5%以内", "max", "控制在"),
        ("PM2.5浓度不超过30微克", None, None),  # 微克 is no unit here: nothing is read
        ("新建停车位不少于200个", "min", ""),
        ("居民满意率达95%", "", "达"),  # a level reached: read as at least it, like any target
    ],
)
def test_bounds_and_relation_verbs(text: str, bound: str | None, verb: str | None) -> None:
    found = extract_quantities(text)
    if bound is None:
        assert found == ()
        return
    (q,) = found
    assert (q.bound, q.verb) == (bound, verb)


def test_a_share_after_a_figure_counts_the_same_thing() -> None:
    (volume, share) = extract_quantities("其中集装箱吞吐量为120万标准箱,占比35.5%")
    assert (volume.counts, volume.unit) == ("集装箱吞吐量", "标准箱")
    assert (share.counts, share.verb, share.value) == ("集装箱吞吐量", "占比", Decimal("35.5"))


def test_a_measure_noun_after_a_list_item_is_of_that_item() -> None:
    (_, stock) = extract_quantities("已筹集人才公寓项目5个、房源1260套")
    assert (stock.counts, stock.value) == ("人才公寓项目房源", Decimal(1260))


@pytest.mark.parametrize(
    "text",
    [
        "深化“一件事”改革",  # a slogan in quotes
        "进一步优化营商环境",  # a numeral inside a word
        "排名全省第一",  # an ordinal
        "建设“四个一”工程",
        "镇海港区24#-26#泊位",  # a berth number
        "2024年6月28日通车",  # a date is no figure
        "推进轨道交通8号线一期",  # a line number and a phase
    ],
)
def test_words_that_hold_numerals_are_no_figures(text: str) -> None:
    assert extract_quantities(text) == ()


def test_role_year_and_span() -> None:
    text = "一、目标\n新增公共租赁住房1500套。"
    (q,) = extract_quantities(text, 5, len(text), role="target", year=2025)
    assert (q.role, q.year, text[q.start : q.end]) == ("target", 2025, "1500套")
    (q,) = extract_quantities(text, role_at=lambda pos: "result")
    assert q.role == "result"


def test_parse_number() -> None:
    assert [parse_number(x) for x in ("12", "0.5", "十二", "一百零五", "三千")] == [
        Decimal(12),
        Decimal("0.5"),
        Decimal(12),
        Decimal(105),
        Decimal(3000),
    ]


def quantity(value: str, unit: str, counts: str, *, bound: str = "", verb: str = "") -> Quantity:
    return Quantity(f"{value}{unit}", Decimal(value), unit, counts, 0, 1, bound=bound, verb=verb)


def test_same_kind_needs_the_same_unit_and_an_overlapping_counted_thing() -> None:
    target = quantity("1500", "套", "公共租赁住房")
    assert same_kind(target, quantity("1620", "套", "公共租赁住房房源")) == 1.0
    assert same_kind(target, quantity("1620", "户", "公共租赁住房")) == 0.0
    assert same_kind(target, quantity("1620", "套", "商品房")) == 0.0
    assert same_kind(target, quantity("1620", "套", "")) == 0.0
    # a short generic word is not enough
    assert same_kind(quantity("8", "家", "小巨人企业"), quantity("3", "家", "企业")) == 0.0
    # a growth rate is no share
    rate = quantity("6", "%", "工业增加值", verb="增长")
    assert same_kind(rate, quantity("30", "%", "工业增加值", verb="占比")) == 0.0


@pytest.mark.parametrize(
    ("target", "result", "outcome", "ratio"),
    [
        (quantity("1500", "套", "x"), quantity("1620", "套", "x"), "met", Decimal("1.08")),
        (quantity("10", "公里", "x"), quantity("8.5", "公里", "x"), "not_met", Decimal("0.85")),
        (quantity("5", "%", "x", bound="max"), quantity("4.2", "%", "x"), "met", Decimal("0.84")),
        (quantity("5", "%", "x", bound="max"), quantity("5.5", "%", "x"), "not_met", Decimal("1.1")),
        (quantity("8", "%", "x", bound="approx"), quantity("7.7", "%", "x"), "met", Decimal("0.9625")),
        (quantity("8", "%", "x", bound="approx"), quantity("7", "%", "x"), "not_met", Decimal("0.875")),
        (quantity("0", "个", "x"), quantity("3", "个", "x"), "met", None),
    ],
)
def test_compare(target: Quantity, result: Quantity, outcome: str, ratio: Decimal | None) -> None:
    assert compare(target, result) == (outcome, ratio)
