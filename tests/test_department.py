"""Department maps and the RACI matrix: the sample's 区住房和城乡建设局, ambiguous names, formats, CLI."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.department import (
    AgencyNotFoundError,
    AmbiguousAgencyError,
    DepartmentReport,
    TaskEntry,
    department_report,
    find_agency,
    responsibility_matrix,
)
from kg.department_export import REPORT_FORMATS, render_matrix, render_report, report_record
from kg.pipeline import build
from kg.responsibilities import UnknownScopeError, read_responsibilities

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
SAMPLE_DOC = "003_b31d4c8d9ca6cfbf.txt"
SAMPLE_TITLE = "2024年区政府工作主要任务分解(部分)"

# Two districts of 杭州, each with its own 区交通运输局 (jurisdiction read from the 索引号 code).
XIHU = """\
杭州市西湖区2024年交通重点任务分解表
索引号: | 11330106002482215X/2024-00001 | 发布机构: | 西湖区交通运输局 |
成文日期: | 2024-03-01 |
序号
目标任务
牵头单位
配合单位
1
推进文三路综合整治工程
区交通运输局
区住建局、各街道
2
完成<公交>站点改造&提升20个
区住建局
区交通运输局
"""
BINJIANG = """\
杭州市滨江区2024年交通重点任务分解表
索引号: | 11330108002482215X/2024-00002 | 发布机构: | 滨江区交通运输局 |
成文日期: | 2024-04-01 |
序号
目标任务
牵头单位
配合单位
1
推进江南大道提升改造
区交通运输局
区财政局
"""


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    build([SAMPLES], out)
    return out


@pytest.fixture(scope="module")
def sample_resp(samples):
    return read_responsibilities(samples)


@pytest.fixture(scope="module")
def housing(samples, sample_resp) -> DepartmentReport:
    return department_report(samples, "区住房和城乡建设局", resp=sample_resp)


@pytest.fixture(scope="module")
def districts(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "xihu.txt").write_text(XIHU, encoding="utf-8")
    (corpus / "binjiang.txt").write_text(BINJIANG, encoding="utf-8")
    out = tmp_path_factory.mktemp("districts")
    build([corpus], out)
    return out


# --- the sample's 区住房和城乡建设局 ---------------------------------------------------------------


def test_sample_housing_bureau_leads_seven_tasks_and_supports_two(housing):
    assert housing.name == "区住房和城乡建设局" and housing.jurisdiction == "宁波市北仑区"
    assert len(housing.led) == 7 and len(housing.supported) == 2
    assert housing.led[0].task.startswith("推进人居环境整治提升")
    assert [e.task[:6] for e in housing.supported] == ["制定新一轮提", "建设全域美丽"]
    assert all(e.role == "lead" and "区住房和城乡建设局" in e.leads for e in housing.led)
    assert all("区住房和城乡建设局" in e.supports and e.leads == ("区农业农村局",) for e in housing.supported)


def test_sample_sources_are_the_task_decomposition_with_date_quote_and_span(housing):
    for entry in (*housing.led, *housing.supported):
        assert entry.document == SAMPLE_TITLE and entry.document_file == SAMPLE_DOC
        assert entry.date == "2024-04-01"
        assert entry.span is not None and entry.span[0] < entry.span[1]
    first = housing.led[0]
    assert first.quote.startswith(first.task) and "| 区住房和城乡建设局 |" in first.quote
    text = (SAMPLES / SAMPLE_DOC).read_text(encoding="utf-8")
    assert first.task in text[first.span[0] : first.span[1]]  # the span covers the table row


def test_sample_partners_ranked_by_shared_tasks(housing):
    top = [(p.label, p.shared_tasks) for p in housing.partners[:4]]
    assert top == [("区农业农村局", 4), ("各街道", 4), ("自然资源和规划分局", 4), ("区交通运输局", 3)]
    agri = housing.partners[0]
    assert (agri.it_supports, agri.it_leads) == (2, 2)  # it supports 2 of ours, we support 2 of its
    counts = [p.shared_tasks for p in housing.partners]
    assert counts == sorted(counts, reverse=True)
    assert next(p for p in housing.partners if p.label == "各街道").collective


def test_sample_features_roads_and_housing_programmes(housing):
    by_type = {}
    for use in housing.features:
        by_type.setdefault(use.type, set()).add(use.label)
    assert {"富春江快速路", "恒山路", "环城南路东延"} <= by_type["Road"]
    assert {"保障性租赁住房", "未来社区", "老旧小区"} <= by_type["HousingProgramme"]
    assert list(by_type) == ["Road", "HousingProgramme", "Project", "Place"]  # report order


def test_sample_centrality_figures_are_those_of_its_jurisdiction(housing):
    assert housing.metrics_scope == "宁波市北仑区"
    m = housing.metrics
    assert (m.tasks_led, m.tasks_supported) == (7, 2)
    assert m.weighted_out_degree == 22  # support units (not collective) over its 7 tasks
    assert 0 < m.betweenness < 1 and m.community >= 1


# --- finding the agency --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "区住房和城乡建设局",
        "区住建局",
        "住房和城乡建设局",
        "住建局",
        "北仑区住建局",
        "宁波市北仑区住房和城乡建设局",
    ],
)
def test_find_by_full_name_abbreviation_part_or_with_its_place(sample_resp, name):
    assert find_agency(sample_resp, name).label == "区住房和城乡建设局"


def test_a_part_two_agencies_share_is_ambiguous(sample_resp):
    with pytest.raises(AmbiguousAgencyError) as caught:
        find_agency(sample_resp, "住房")
    assert {(c.label, c.jurisdiction) for c in caught.value.candidates} == {
        ("区住房和城乡建设局", "宁波市北仑区"),
        ("区住房和建设交通局", "宁波市镇海区"),
    }
    assert find_agency(sample_resp, "住房", jurisdiction="北仑").label == "区住房和城乡建设局"


def test_two_districts_with_the_same_bureau_need_a_jurisdiction(districts):
    resp = read_responsibilities(districts)
    with pytest.raises(AmbiguousAgencyError) as caught:
        find_agency(resp, "区交通运输局")
    assert [c.jurisdiction for c in caught.value.candidates] == ["杭州市滨江区", "杭州市西湖区"]
    assert find_agency(resp, "区交通运输局", jurisdiction="西湖").alt_labels == ("西湖区交通运输局",)
    # the district's name in front picks its own bureau
    assert find_agency(resp, "滨江区交通运输局") == find_agency(resp, "区交通运输局", jurisdiction="滨江")


def test_unknown_agency(sample_resp):
    with pytest.raises(AgencyNotFoundError, match="no agency named '区气候局'"):
        find_agency(sample_resp, "区气候局")
    with pytest.raises(AgencyNotFoundError, match="in '镇海'"):
        find_agency(sample_resp, "区农业农村局", jurisdiction="镇海")


# --- formats -------------------------------------------------------------------------------------


def _hostile_report() -> DepartmentReport:
    entry = TaskEntry(
        iri="https://w3id.org/kg-gov/id/task/x/1",
        role="lead",
        task='建设<script>alert("x")</script>&路',
        leads=("区甲局",),
        supports=("区乙局|丙",),
        document="文件<b>",
        document_file="x.txt",
        date="2024-01-01",
        quote="原文 <img src=x onerror=alert(1)> | 区甲局",
        span=(0, 9),
        features=(("Road", "<路>"),),
    )
    return DepartmentReport(
        iri="https://w3id.org/kg-gov/id/agency/x",
        name="区甲局<i>",
        alt_labels=(),
        kind="agency",
        jurisdiction="东区",
        led=(entry,),
        supported=(),
        partners=(),
        features=(),
        metrics=None,
        metrics_scope="",
        warnings=(),
    )


def test_html_is_self_contained_and_escapes_document_text():
    page = render_report(_hostile_report(), "html")
    assert "<script" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;路" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    for external in ("src=", "href=", "<link", "@import", "url("):
        assert external not in page.replace("&lt;img src=x", "")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


def test_markdown_escapes_table_pipes_and_csv_keeps_text(housing):
    md = render_report(housing, "md")
    assert (
        md.startswith("# 区住房和城乡建设局 责任清单")
        and "| 区农业农村局 | 宁波市北仑区 | 4 | 2 | 2 | 0 |" in md
    )
    rows = list(csv.DictReader(io.StringIO(render_report(housing, "csv"))))
    assert [r["role"] for r in rows] == ["lead"] * 7 + ["support"] * 2
    assert rows[0]["document_file"] == SAMPLE_DOC and rows[0]["quote"] == housing.led[0].quote


def test_json_report_carries_tasks_partners_features_and_measures(housing):
    record = json.loads(render_report(housing, "json"))
    assert record == json.loads(json.dumps(report_record(housing), ensure_ascii=False))
    assert len(record["led"]) == 7 and record["partners"][0]["label"] == "区农业农村局"
    assert record["metrics"]["tasks_led"] == 7 and set(record["metrics"]) == set(record["measures"])


def test_xlsx_report_has_its_sheets_and_is_byte_identical(housing):
    from openpyxl import load_workbook

    data = render_report(housing, "xlsx")
    assert data == render_report(housing, "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # no clock in the file
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z</dcterms:modified>" in archive.read("docProps/core.xml")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "概况 summary",
        "牵头 led",
        "配合 supported",
        "合作单位 partners",
        "涉及 involves",
    ]
    assert book["牵头 led"].max_row == 8 and book["牵头 led"]["B2"].value == housing.led[0].task


def test_every_format_renders_deterministically(housing):
    for fmt in REPORT_FORMATS:
        assert render_report(housing, fmt) == render_report(housing, fmt)
    with pytest.raises(ValueError, match="unknown format"):
        render_report(housing, "pdf")


# --- matrix --------------------------------------------------------------------------------------


def test_matrix_marks_lead_and_support(districts):
    m = responsibility_matrix(districts, jurisdiction="西湖")
    assert [label for _, label in m.agencies] == ["区交通运输局", "区住房和城乡建设局"]
    assert [t.label for t in m.tasks] == ["推进文三路综合整治工程", "完成<公交>站点改造&提升20个"]
    assert m.cells == (("L", "S"), ("S", "L"))
    with_collective = responsibility_matrix(districts, jurisdiction="西湖", collective=True)
    assert [label for _, label in with_collective.agencies][-1] == "各街道"
    rows = list(csv.reader(io.StringIO(render_matrix(m, "csv"))))
    assert rows[0] == ["task", "document", "task_iri", "区交通运输局", "区住房和城乡建设局"]
    assert rows[1][1] == "xihu.txt" and rows[1][3:] == ["L", "S"]
    with pytest.raises(UnknownScopeError):
        responsibility_matrix(districts, jurisdiction="北仑")


def test_matrix_xlsx(districts):
    from openpyxl import load_workbook

    data = render_matrix(responsibility_matrix(districts, jurisdiction="滨江"), "xlsx")
    sheet = load_workbook(io.BytesIO(data))["矩阵 matrix"]
    assert [c.value for c in sheet[1]] == ["task", "document", "task_iri", "区交通运输局", "区财政局"]
    assert [c.value for c in sheet[2]][3:] == ["L", "S"]


# --- CLI -----------------------------------------------------------------------------------------


def test_cli_export_markdown_to_stdout(samples):
    result = CliRunner().invoke(cli, ["export", "区住建局", "--graph", str(samples)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# 区住房和城乡建设局 责任清单")
    assert "牵头任务 (tasks led): 7" in result.stdout and SAMPLE_DOC in result.stdout


def test_cli_export_html_and_xlsx_files(samples, tmp_path):
    runner = CliRunner()
    page = tmp_path / "zjj.html"
    result = runner.invoke(
        cli, ["export", "住房和城乡建设局", "--format", "html", "--out", str(page), "--graph", str(samples)]
    )
    assert result.exit_code == 0 and f"wrote {page}" in result.stderr
    assert "区住房和城乡建设局" in page.read_text(encoding="utf-8")
    book = tmp_path / "zjj.xlsx"
    assert (
        runner.invoke(
            cli, ["export", "区住建局", "--format", "xlsx", "--out", str(book), "--graph", str(samples)]
        ).exit_code
        == 0
    )
    assert book.read_bytes()[:2] == b"PK"


def test_cli_export_ambiguous_name_lists_both_and_exits_2(districts):
    result = CliRunner().invoke(cli, ["export", "区交通运输局", "--graph", str(districts)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "2 agencies answer to '区交通运输局'" in result.stderr and "--jurisdiction" in result.stderr
    assert "区交通运输局  (杭州市滨江区)" in result.stderr and "区交通运输局  (杭州市西湖区)" in result.stderr
    chosen = CliRunner().invoke(
        cli, ["export", "区交通运输局", "-j", "西湖", "--format", "json", "--graph", str(districts)]
    )
    assert chosen.exit_code == 0 and json.loads(chosen.stdout)["jurisdiction"] == "杭州市西湖区"


def test_cli_export_errors(samples, tmp_path):
    runner = CliRunner()
    unknown = runner.invoke(cli, ["export", "区气候局", "--graph", str(samples)])
    assert unknown.exit_code == 1 and "Error: no agency named '区气候局'" in unknown.stderr
    no_store = runner.invoke(cli, ["export", "区住建局", "--graph", str(tmp_path / "none")])
    assert no_store.exit_code == 1 and "no graph store found" in no_store.stderr
    xlsx = runner.invoke(cli, ["export", "区住建局", "--format", "xlsx", "--graph", str(samples)])
    assert xlsx.exit_code == 2 and "give --out FILE" in xlsx.stderr


def test_cli_matrix(districts, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["matrix", "--jurisdiction", "西湖", "--graph", str(districts)])
    assert result.exit_code == 0 and result.stdout.splitlines()[1].endswith(",L,S")
    assert "2 tasks x 2 agencies" in result.stderr
    missing = runner.invoke(cli, ["matrix", "--graph", str(districts)])
    assert missing.exit_code == 2 and "--jurisdiction" in missing.stderr
    unknown = runner.invoke(cli, ["matrix", "-j", "北仑", "--graph", str(districts)])
    assert unknown.exit_code == 1 and "no jurisdiction in the graph matches '北仑'" in unknown.stderr
    out = tmp_path / "m.xlsx"
    assert (
        runner.invoke(
            cli, ["matrix", "-j", "西湖", "--format", "xlsx", "--out", str(out), "--graph", str(districts)]
        ).exit_code
        == 0
    )
    assert out.read_bytes()[:2] == b"PK"
