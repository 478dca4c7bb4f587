"""kg.extract.progress: completion-report rows, target/result comparison, their JSON and RDF."""

from __future__ import annotations

import doctest
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.export import extraction_record
from kg.extract import extract_document, progress
from kg.extract.progress import (
    compare_figures,
    extract_progress,
    read_outcomes,
    reported_sentence,
    task_sentence,
)
from kg.extract.quantities import extract_quantities
from kg.models import Document
from kg.normalize import normalize_text
from kg.rdf import document_graph

REPORT = (
    "2024年政府工作报告年度完成情况\n"
    "编号 | 目标任务 | 完成情况 |\n"
    "1 | 新增公共租赁住房1500套。加快解决青年人住房困难。 | 筹集公共租赁住房1620套。超额完成。 |\n"
    "2 | 新建城市绿道10公里;提升滨水步道。 | 新建城市绿道8.5公里;提升滨水步道3公里。 |\n"
    "3 | 办好全民运动会。 | 圆满举办全民运动会。 |\n"
    "4 | 城镇调查失业率控制在5%以内。 | 城镇调查失业率4.2%。 |\n"
    "5 | 整治低效企业、落后产能企业100家以上。 | 整治低效企业60家,落后产能企业55家。 |"
)


def make_document(text: str, name: str = "report.txt") -> Document:
    normal, offsets = normalize_text(text)
    return Document(Path(name), name, text, normal, offsets, "utf-8", "txt")


def test_doctests() -> None:
    assert doctest.testmod(progress).failed == 0


def test_each_row_links_its_result_to_its_target() -> None:
    items = extract_progress(REPORT)
    assert [(p.number, p.task, p.reported) for p in items] == [
        ("1", "新增公共租赁住房1500套", "筹集公共租赁住房1620套"),
        ("2", "新建城市绿道10公里", "新建城市绿道8.5公里;提升滨水步道3公里"),  # ';' ends a task, not a report
        ("3", "办好全民运动会", "圆满举办全民运动会"),
        ("4", "城镇调查失业率控制在5%以内", "城镇调查失业率4.2%"),
        ("5", "整治低效企业、落后产能企业100家以上", "整治低效企业60家,落后产能企业55家"),
    ]
    assert [(p.outcome, p.ratio) for p in items] == [
        ("met", Decimal("1.08")),
        ("not_met", Decimal("0.85")),
        ("not_comparable", None),
        ("met", Decimal("0.84")),  # a cap is met below it
        ("met", Decimal("1.15")),  # a target over two kinds against the sum of both
    ]


def test_a_comparison_names_the_figures_it_compares() -> None:
    (first, second, *_) = extract_progress(REPORT)
    (c,) = first.comparisons
    assert (c.target.text, c.result.text, c.target.counts) == ("1500套", "1620套", "公共租赁住房")
    (c,) = second.comparisons  # 滨水步道3公里 has no target figure
    assert (c.target.text, c.result.text, c.outcome) == ("10公里", "8.5公里", "not_met")


def test_sentences_as_the_gold_reads_them() -> None:
    assert task_sentence("完成A;完成B。另一句") == "完成A"
    assert reported_sentence("完成A;完成B。另一句") == "完成A;完成B"
    assert reported_sentence("没有句号的整格") == "没有句号的整格"


def test_figures_of_another_kind_are_not_compared() -> None:
    targets = extract_quantities("新增公共租赁住房1500套", role="target")
    results = extract_quantities("发放租赁补贴1600户", role="result")
    assert compare_figures(targets, results) == ((), "not_comparable")


def test_a_flattened_table_with_unit_columns() -> None:
    text = "\n".join(
        [
            "序号",
            "目标任务",
            "牵头单位",
            "完成情况",
            "1",
            "新建城市绿道10公里。",
            "区林水局",
            "新建城市绿道12公里。",
            "2",
            "建成社区食堂5个。",
            "区民政局",
            "建成社区食堂4个。",
        ]
    )
    items = extract_progress(text)
    assert [(p.task, p.lead, p.outcome) for p in items] == [
        ("新建城市绿道10公里", ("区林水局",), "met"),
        ("建成社区食堂5个", ("区民政局",), "not_met"),
    ]


def test_a_table_without_a_result_column_is_no_report() -> None:
    assert extract_progress("序号 | 目标任务 | 牵头单位 |\n1 | 新建城市绿道10公里 | 区林水局 |") == ()


def test_read_outcomes_gives_report_cells_the_result_role_and_task_cells_the_target_role() -> None:
    text = normalize_text(REPORT)[0]
    quantities, statuses, items = read_outcomes(text, mentions=(), date="2025-01-20")
    roles = {q.text: (q.role, q.year) for q in quantities}
    assert roles["1500套"] == ("target", 2024)
    assert roles["1620套"] == ("result", 2024)
    assert statuses == ()
    assert len(items) == 5


def test_the_extraction_record_has_progress_quantities_and_statuses_in_the_gold_format() -> None:
    doc = make_document("一、2024年工作总结\n东湖大道二期完工通车,新增公共租赁住房1500套。\n" + REPORT)
    record = extraction_record(extract_document(doc), doc)
    assert record["projects_status"] == [
        {
            "entity": "东湖大道二期",
            "status": "completed",
            "year": 2024,
            "evidence": "东湖大道二期完工通车",
            "type": "Road",
            "cue": "完工通车",
            "reported": True,
            "hedged": False,
            "span": [12, 18],
        }
    ]
    row = record["progress"][0]
    assert {k: row[k] for k in ("task", "reported", "comparison", "ratio", "evidence")} == {
        "task": "新增公共租赁住房1500套",
        "reported": "筹集公共租赁住房1620套",
        "comparison": "met",
        "ratio": 1.08,
        "evidence": ["1620套 vs 1500套 (公共租赁住房): met, 108%"],
    }
    start = doc.text.index("1500套")
    assert record["quantities"][0] == {
        "text": "1500套",
        "value": 1500,
        "unit": "套",
        "counts": "公共租赁住房",
        "role": "result",
        "year": 2024,
        "span": [start, start + 5],
    }


def test_a_document_without_figures_has_none_of_the_new_keys() -> None:
    doc = make_document("区林水局工作动态\n推进河道保洁。")
    record = extraction_record(extract_document(doc), doc)
    assert not {"projects_status", "progress", "quantities"} & set(record)


def test_report_rows_targets_and_results_in_rdf() -> None:
    text = (
        "2024年政府工作报告年度完成情况\n编号 | 目标任务 | 完成情况 |\n"
        "1 | 新增公共租赁住房1500套。 | 筹集公共租赁住房1620套。 |\n"
    )
    doc = make_document(text, "r.txt")
    graph = document_graph(extract_document(doc), doc).graph
    ours = Graph()
    for triple in graph:
        if "/progress/" in str(triple[0]):
            ours.add(triple)
    expected = Graph().parse(
        data="""
        @prefix kg: <https://w3id.org/kg-gov/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix id: <https://w3id.org/kg-gov/id/> .
        @prefix doc: <https://w3id.org/kg-gov/id/doc/> .
        <https://w3id.org/kg-gov/id/progress/r/1> a kg:ProgressItem ;
            rdfs:label "新增公共租赁住房1500套"@zh ; kg:reportedText "筹集公共租赁住房1620套"@zh ;
            kg:quote "新增公共租赁住房1500套。 | 筹集公共租赁住房1620套。"@zh ;
            kg:outcome kg:TargetMet ; kg:ratio 1.08 ; kg:year 2024 ;
            kg:spanStart 37 ; kg:spanEnd 74 ; kg:sourceDocument doc:r ;
            dcterms:spatial <https://w3id.org/kg-gov/id/place/unknown-r> ;
            kg:hasTarget <https://w3id.org/kg-gov/id/progress/r/1/target/1> ;
            kg:hasResult <https://w3id.org/kg-gov/id/progress/r/1/result/1> .
        <https://w3id.org/kg-gov/id/progress/r/1/target/1> a kg:Target, kg:Quantity ;
            kg:value 1500.0 ; kg:unit "套" ; kg:counts "公共租赁住房"@zh ; kg:year 2024 ;
            kg:quote "1500套"@zh ; kg:spanStart 49 ; kg:spanEnd 54 ; kg:sourceDocument doc:r .
        <https://w3id.org/kg-gov/id/progress/r/1/result/1> a kg:Result, kg:Quantity ;
            kg:value 1620.0 ; kg:unit "套" ; kg:counts "公共租赁住房"@zh ; kg:year 2024 ;
            kg:meetsTarget <https://w3id.org/kg-gov/id/progress/r/1/target/1> ; kg:ratio 1.08 ;
            kg:quote "1620套"@zh ; kg:spanStart 66 ; kg:spanEnd 71 ; kg:sourceDocument doc:r .
        """,
        format="turtle",
    )
    assert isomorphic(ours, expected)


@pytest.mark.parametrize("name", ["r.txt"])
def test_a_row_that_is_also_an_assignment_points_at_its_task(name: str) -> None:
    text = "序号 | 目标任务 | 牵头单位 | 完成情况 |\n1 | 新建城市绿道10公里 | 区林水局 | 新建城市绿道8公里 |"
    doc = make_document(text, name)
    graph = document_graph(extract_document(doc), doc).graph
    from kg.namespaces import KG

    (task,) = graph.objects(None, KG.forTask)
    assert str(task) == "https://w3id.org/kg-gov/id/task/r/1"
    assert (None, KG.fallsShortOf, None) in graph
