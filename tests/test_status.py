"""kg.extract.status and kg.extract.sections: one snippet per wording class, section and year rules.

The names are invented; each snippet sits in a review (一、2024年工作总结) or a plan
(二、2025年重点工作) section, the way work reports are written.
"""

from __future__ import annotations

import doctest

import pytest

from kg.extract import sections, status
from kg.extract.entities import extract_mentions
from kg.extract.sections import Periods, find_sections, heading_kind
from kg.extract.status import classify_clause, extract_statuses, yearly_statuses
from kg.models import Mention

REVIEW = "一、2024年工作总结\n"
PLAN = "二、2025年重点工作\n"


def test_doctests() -> None:
    assert doctest.testmod(status).failed == 0
    assert doctest.testmod(sections).failed == 0


def statuses(
    text: str, mentions: list[Mention] | None = None
) -> list[tuple[str, str, int | None, bool, bool]]:
    found = mentions if mentions is not None else list(extract_mentions(text))
    return [
        (s.entity, s.status, s.year, s.reported, s.hedged)
        for s in extract_statuses(text, found, find_sections(text, doc_year=2025))
    ]


def one(text: str) -> tuple[str, str, int | None, bool, bool]:
    (found,) = statuses(text)
    return found


# --- wording classes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "entity", "expected"),
    [
        # preparatory work
        ("推进东湖大道二期等项目前期工作。", "东湖大道二期", "preparatory"),
        ("完成轨道交通9号线一期工程征地签约。", "轨道交通9号线一期工程", "preparatory"),
        ("适时启动南山路北延拆迁。", "南山路北延", "preparatory"),
        ("加快枫林社区卫生服务站选址建设。", "枫林社区卫生服务站", "preparatory"),
        ("翠湖安置房地块已出让完成。", "翠湖安置房", "preparatory"),
        # under construction
        ("加快建设东湖大道二期。", "东湖大道二期", "under_construction"),
        ("持续推进轨道交通9号线建设。", "轨道交通9号线", "under_construction"),
        ("推进实施清溪湿地公园等项目。", "清溪湿地公园", "under_construction"),
        ("加快扫尾西岭泵站改造工程。", "西岭泵站改造工程", "under_construction"),
        ("配合做好9号线施工保障工作。", "9号线", "under_construction"),
        ("东湖大道二期正抓紧建设。", "东湖大道二期", "under_construction"),
        # completion as a plan's target
        ("东湖大道二期完工通车。", "东湖大道二期", "completed"),
        ("建成投用清溪湿地公园。", "清溪湿地公园", "completed"),
        ("创建完成滨江驿站。", "滨江驿站", "completed"),
        # opening without completion
        ("确保南山大桥年内通车。", "南山大桥", "opened"),
    ],
)
def test_plan_wording(body: str, entity: str, expected: str) -> None:
    name, found, year, reported, _ = one(PLAN + body)
    assert (name, found, year, reported) == (entity, expected, 2025, False)


@pytest.mark.parametrize(
    ("body", "entity", "expected"),
    [
        ("东湖大道二期、南山路北延开工建设。", "东湖大道二期", "started"),
        ("启动西岭排涝站修复项目。", "西岭排涝站修复项目", "started"),
        ("东湖大道二期先后完工通车。", "东湖大道二期", "completed"),
        ("清溪湿地公园已竣工验收并投入使用。", "清溪湿地公园", "completed"),
        ("120套翠湖安置房已结算并交房。", "翠湖安置房", "completed"),
        ("轨道交通9号线一期顺利通车运营。", "轨道交通9号线一期", "opened"),
        ("枫林大厦等在建项目形成投资放量。", "枫林大厦", "under_construction"),
    ],
)
def test_review_wording(body: str, entity: str, expected: str) -> None:
    found = statuses(REVIEW + body)
    assert found[0] == (entity, expected, 2024, True, False)


@pytest.mark.parametrize(
    ("body", "entity", "expected"),
    [
        ("力争东湖大道二期开工建设。", "东湖大道二期", "planned"),  # a hedged start
        ("适时启动南山路北延项目建设。", "南山路北延", "planned"),
        ("开工建设枫林中学。", "枫林中学", "planned"),  # a plan's start is intended
        ("促进枫林社区托育服务站尽快落地。", "枫林社区托育服务站", "planned"),
        ("争取建成滨江驿站。", "滨江驿站", "completed"),  # a hedged completion stays the target
    ],
)
def test_intended_wording(body: str, entity: str, expected: str) -> None:
    name, found, _, reported, _ = one(PLAN + body)
    assert (name, found, reported) == (entity, expected, False)


def test_hedges_are_flagged() -> None:
    assert one(PLAN + "力争东湖大道二期开工建设。")[4] is True
    assert one(PLAN + "加快建设东湖大道二期。")[4] is False


# --- what a verb is about ------------------------------------------------------------------------


def test_a_condition_or_a_part_is_not_the_whole() -> None:
    assert one(REVIEW + "南山大桥已初步具备通车条件,预计年内实现通车。")[1] == "under_construction"
    assert one(REVIEW + "枫林中学主体结构结顶。")[1] == "under_construction"


def test_subjectless_clauses_go_on_about_the_names_before_them() -> None:
    # the later clause reports the further state
    assert one(REVIEW + "西岭排涝站修复工程已完成前期招投标,现已进场施工。")[1] == "started"
    # an intention does not outweigh what is done
    assert one(PLAN + "加快建设枫林老年食堂,力争6月底完成建设。")[1] == "under_construction"
    # a clause with an object of its own is about that object
    assert one(PLAN + "加快枫林中学建设,建成3个社区食堂。")[1] == "under_construction"


def test_names_of_places_and_side_matters_take_no_status() -> None:
    assert statuses(PLAN + "适时启动南山大桥以东约300亩土地指标报批。") == []
    assert statuses(REVIEW + "完成东湖大道二期所涉2万方拆迁。") == []
    assert statuses(REVIEW + "《清溪湿地公园可行性研究报告》编制工作有序推进。") == []


def test_a_participle_is_no_verb() -> None:
    assert statuses(PLAN + "稳步推进存量已建成商品房、闲置安置房转化为保障性住房。") == []


def test_housing_schemes_take_no_status() -> None:
    assert statuses(REVIEW + "加快推进城中村改造,新建成未来社区3个。") == []


def test_list_items_no_extractor_found_are_named_with_the_list() -> None:
    text = PLAN + "东湖大道二期、南山路北延、滨江绿廊项目开工建设。"
    assert [s[0] for s in statuses(text)] == ["东湖大道二期", "南山路北延", "滨江绿廊"]
    text = PLAN + "推进实施清溪湿地公园、一园两廊等城市更新项目。"
    assert [s[0] for s in statuses(text)] == ["清溪湿地公园", "一园两廊"]


def test_a_place_built_as_a_project_and_an_agency_said_to_be_one() -> None:
    text = PLAN + "争取建成数字创新街区和数字共享社区。"
    mentions = [Mention("数字共享社区", "Place", len(PLAN) + 11, len(PLAN) + 17)]
    assert [s[:2] for s in statuses(text, mentions)] == [
        ("数字创新街区", "completed"),
        ("数字共享社区", "completed"),
    ]
    text = REVIEW + "积极服务宁波滨江大学(暂名)等重点项目建设。"
    start = text.index("宁波")
    mentions = [Mention("宁波滨江大学(暂名)", "Agency", start, start + 10)]
    assert statuses(text, mentions) == [("宁波滨江大学", "under_construction", 2024, True, False)]


def test_the_evidence_is_verbatim_and_short() -> None:
    text = (
        REVIEW
        + "东湖大道二期(北环路-滨江路)、南山路北延(西环路-东环路)、"
        + "滨江大道三期(南环路-北环路)等项目提速建设。"
    )
    found = extract_statuses(text, extract_mentions(text), find_sections(text))
    assert found[0].evidence == "东湖大道二期(北环路-滨江路)…等项目提速建设"
    assert all(len(s.evidence) <= 40 for s in found)
    for s in found:
        for piece in s.evidence.split("…"):
            assert piece in text


# --- sections, years, one statement per surface and year -------------------------------------------


def test_review_and_plan_sections_give_kind_and_year() -> None:
    text = (
        "区交通局2024年工作总结及2025年工作思路\n"
        + REVIEW
        + "东湖大道二期完工通车。\n"
        + PLAN
        + "加快建设南山大桥。"
    )
    assert [(s.kind, s.year) for s in find_sections(text, doc_year=2025)] == [
        ("", 2025),
        ("review", 2024),
        ("plan", 2025),
    ]
    assert statuses(text) == [
        ("东湖大道二期", "completed", 2024, True, False),
        ("南山大桥", "under_construction", 2025, False, False),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、2022年上半年工作回顾", ("review", 2022)),
        ("二、下半年重点工作", ("plan", 2023)),
        ("三、明年工作打算", ("plan", 2024)),
        ("2024年政府工作报告年度完成情况", ("review", 2024)),
        ("组配分类: | 计划总结", None),
        ("下一步,我们将推进东湖大道二期建设,确保年内完工。", None),
    ],
)
def test_heading_kind(line: str, expected: tuple[str, int] | None) -> None:
    assert heading_kind(line, doc_year=2023) == expected


def test_overrides_make_report_cells_reviews_and_task_cells_plans() -> None:
    text = "2025年重点工作\n| 加快建设东湖大道二期。 | 东湖大道二期已完工通车。 |"
    task, result = text.index("加快"), text.index("东湖大道二期已")
    overrides = [(task, result - 3, "plan"), (result, len(text) - 2, "review")]
    found = extract_statuses(
        text, extract_mentions(text), find_sections(text, doc_year=2025), overrides=overrides
    )
    assert [(s.status, s.reported) for s in found] == [("under_construction", False), ("completed", True)]
    periods = Periods(find_sections(text, doc_year=2025), overrides)
    assert (periods.kind(task), periods.kind(result), periods.kind(0)) == ("plan", "review", "plan")


def test_yearly_statuses_prefer_a_report_over_a_plan() -> None:
    text = (
        REVIEW
        + "清溪湿地公园装修已竣工验收。\n二、2024年下半年重点工作\n加快清溪湿地公园展陈落地,力争6月投入使用。"
    )
    found = extract_statuses(text, extract_mentions(text), find_sections(text, doc_year=2024))
    assert [(s.status, s.reported) for s in found] == [("completed", True), ("under_construction", False)]
    assert [(s.entity, s.status, s.year) for s in yearly_statuses(found)] == [
        ("清溪湿地公园", "completed", 2024)
    ]


def test_classify_clause_prefers_preparatory_work_unless_a_later_start_follows() -> None:
    assert classify_clause("加快◆选址建设")[0] == "preparatory"
    assert classify_clause("◆已完成前期工作并开工建设")[0] == "started"
