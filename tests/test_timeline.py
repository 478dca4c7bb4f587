"""kg.timeline, ``kg timeline`` and the status queries (18-20) on a graph built from four snippets.

a.txt  镇海区 2023 plan: 力争东湖大道快速路二期开工 (planned), 南山隧道 前期 (preparatory),
       适时启动北河桥 (planned)
b.txt  镇海区 2024 review: 东湖大道二期 完工通车, 南山隧道 and 西湖大道提升改造工程 开工;
       2025 plan: 加快建设东湖大道二期 (under construction: behind the 2024 report),
       力争北河桥开工 (planned again)
c.txt  镇海区 2024 completion report with lead units: 2479 of 2400 套 (met), 8.5 of 10 公里 (not met)
d.txt  a 2024 completion report of no known jurisdiction, without unit columns: 4 of 5 个 (not met)
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import timeline as timeline_module
from kg.cli import cli
from kg.query import run_query
from kg.timeline import (
    AmbiguousProjectError,
    ProjectNotFoundError,
    format_timeline,
    is_abbreviation,
    project_timeline,
)

HEAD = "索引号: | 11330211002954449B/{year}-00000{n} | 发布机构: | {publisher} |\n成文日期: | {date} |\n"
DOCS = {
    "a.txt": HEAD.format(year=2023, n=1, publisher="区交通运输局", date="2023-02-01")
    + "镇海区交通运输局2023年工作计划\n一、2023年重点工作\n"
    "力争东湖大道快速路二期开工建设。推进南山隧道前期工作。适时启动北河桥项目建设。\n",
    "b.txt": HEAD.format(year=2025, n=2, publisher="区交通运输局", date="2025-02-10")
    + "镇海区交通运输局2024年工作总结及2025年工作思路\n一、2024年工作总结\n"
    "东湖大道二期完工通车,南山隧道开工建设,西湖大道提升改造工程开工。\n"
    "二、2025年重点工作\n加快建设东湖大道二期。力争北河桥开工建设。\n",
    "c.txt": HEAD.format(year=2025, n=3, publisher="区政府办公室", date="2025-01-20")
    + "镇海区2024年政府工作报告年度完成情况\n"
    "序号 | 目标任务 | 牵头单位 | 完成情况 |\n"
    "1 | 新增保障性租赁住房2400套。 | 区住建局 | 筹集保障性租赁住房2479套。 |\n"
    "2 | 新建城市绿道10公里。 | 区综合行政执法局 | 新建城市绿道8.5公里。 |\n"
    "3 | 推进东湖大道二期建设。 | 区交通运输局 | 东湖大道二期已完工通车。 |\n",
    "d.txt": HEAD.format(year=2025, n=4, publisher="区政府办公室", date="2025-01-22")
    + "2024年民生实事完成情况\n编号 | 目标任务 | 完成情况 |\n1 | 建成社区食堂5个。 | 建成社区食堂4个。 |\n",
}


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.pipeline import build

    root = tmp_path_factory.mktemp("timeline")
    (root / "corpus").mkdir()
    for name, text in DOCS.items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    report = build([root / "corpus"], root / "out")
    assert (report.documents, report.failed) == (4, 0)
    return root / "out"


def test_doctests() -> None:
    assert doctest.testmod(timeline_module).failed == 0


def rows(t) -> list[tuple]:  # noqa: ANN001
    return [(e.year, e.status, e.reported, e.name, e.source_file) for e in t.entries]


def test_a_timeline_gathers_the_project_under_its_names_across_documents(graph_dir: Path) -> None:
    t = project_timeline(graph_dir, "东湖大道二期")
    assert (t.name, t.type, t.aliases) == ("东湖大道二期", "Road", ("东湖大道快速路二期",))
    assert rows(t) == [
        (2023, "planned", False, "东湖大道快速路二期", "a.txt"),
        (2024, "under_construction", False, "东湖大道二期", "c.txt"),
        (2024, "completed", True, "东湖大道二期", "c.txt"),
        (2024, "completed", True, "东湖大道二期", "b.txt"),
        (2025, "under_construction", False, "东湖大道二期", "b.txt"),
    ]
    assert [(y, t.state(y)) for y in t.by_year()] == [
        (2023, "planned"),
        (2024, "completed"),
        (2025, "under_construction"),
    ]


@pytest.mark.parametrize("name", ["东湖大道快速路二期", "快速路", " 东湖大道二期 "])
def test_an_alias_or_a_unique_part_finds_the_same_project(graph_dir: Path, name: str) -> None:
    t = project_timeline(graph_dir, name)
    assert {t.name, *t.aliases} == {"东湖大道二期", "东湖大道快速路二期"}
    assert len(t.entries) == 5


def test_an_ambiguous_part_and_an_unknown_name_are_errors(graph_dir: Path) -> None:
    with pytest.raises(AmbiguousProjectError, match="东湖大道二期, 西湖大道提升改造工程"):
        project_timeline(graph_dir, "湖大道")
    with pytest.raises(ProjectNotFoundError, match="'中河路'"):
        project_timeline(graph_dir, "中河路")


def test_the_json_timeline_is_year_status_sources(graph_dir: Path) -> None:
    record = json.loads(format_timeline(project_timeline(graph_dir, "北河桥"), "json"))
    assert record["project"] == "北河桥"
    assert {year: v["state"] for year, v in record["timeline"].items()} == {
        "2023": "planned",
        "2025": "planned",
    }
    (source,) = record["timeline"]["2025"]["statuses"]["planned"]
    assert (source["document"], source["hedged"], source["reported"]) == ("b.txt", True, False)


def test_the_table_has_a_line_per_year_and_per_statement(graph_dir: Path) -> None:
    lines = format_timeline(project_timeline(graph_dir, "南山隧道")).splitlines()
    assert lines[0] == "南山隧道 (Road)"
    assert lines[1] == "2023: preparatory"
    assert lines[2].split()[:3] == ["preparatory", "planned", "a.txt"]
    assert lines[3] == "2024: started"


def test_kg_timeline(graph_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["timeline", "东湖大道二期", "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("东湖大道二期 (Road)\n  also named: 东湖大道快速路二期\n2023: planned\n")
    result = CliRunner().invoke(
        cli, ["timeline", "东湖大道二期", "--graph", str(graph_dir), "--format", "json"]
    )
    assert json.loads(result.stdout)["timeline"]["2025"]["state"] == "under_construction"


def test_kg_timeline_errors(graph_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["timeline", "中河路", "--graph", str(graph_dir)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: no road, rail line, housing programme or project is named '中河路'"
    )
    result = CliRunner().invoke(cli, ["timeline", "东湖大道二期", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert "no graph store found" in result.stderr
    result = CliRunner().invoke(cli, ["timeline", "东湖大道二期", "--format", "xml"])
    assert result.exit_code == 2


ROAD = "https://w3id.org/kg-gov/id/road/"


def test_query_status_regressions(graph_dir: Path) -> None:
    result = run_query("18_status_regressions", graph_dir)
    assert [row[:12] for row in result.rows] == [
        (
            "东湖大道二期",
            "road",
            2024,
            "completed",
            True,
            "b.txt",
            2025,
            "under_construction",
            False,
            "b.txt",
            "东湖大道二期完工通车",
            "加快建设东湖大道二期",
        ),
        (
            "东湖大道二期",
            "road",
            2024,
            "completed",
            True,
            "c.txt",
            2025,
            "under_construction",
            False,
            "b.txt",
            "东湖大道二期已完工通车",
            "加快建设东湖大道二期",
        ),
    ]
    assert all(str(row[12]).startswith(ROAD) for row in result.rows)


def test_query_projects_planned_over_a_year(graph_dir: Path) -> None:
    result = run_query("19_projects_planned_over_a_year", graph_dir)
    assert [row[:7] for row in result.rows] == [("北河桥", "road", 2023, 2025, 2, 2, 2)]


def test_query_targets_not_met_by_agency(graph_dir: Path) -> None:
    result = run_query("20_targets_not_met_by_agency", graph_dir)
    assert [row[:5] for row in result.rows] == [
        ("区人民政府办公室", "publisher", 1, 1, "建成社区食堂5个"),  # no unit column: the publisher
        ("区综合行政执法局", "lead unit", 1, 1, "新建城市绿道10公里"),
    ]


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("杭甬复线三期", "杭甬高速复线三期", True),
        ("东湖大道二期", "东湖大道快速路二期", True),
        ("东湖大道", "东湖大道快速路二期", False),  # the phase differs
        ("西湖大道二期", "东湖大道二期", False),  # another road
        ("湖大道二期", "东湖大道快速路二期", False),  # it must start alike
        ("8号线一期", "轨道交通8号线一期", True),
        ("东湖大道二期", "东湖大道二期", False),  # the same name is no abbreviation
    ],
)
def test_is_abbreviation(short: str, full: str, expected: bool) -> None:
    assert is_abbreviation(short, full) is expected
