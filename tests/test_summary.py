"""kg.summary: per-document unit facts added up into corpus totals, and their triples."""

from __future__ import annotations

import itertools
from pathlib import Path

from kg.extract import extract_document
from kg.models import Document
from kg.namespaces import KG
from kg.normalize import normalize_text
from kg.rdf import document_graph
from kg.summary import SummaryBuilder, UnitFacts, merge_facts, summary_lines

BASE = "https://example.org/id/"
A, B, C, D = (f"{BASE}agency/{x}" for x in "abcd")
PLACE = f"{BASE}place/420106"


def _facts() -> list[UnitFacts]:
    one = UnitFacts()
    one.unit(A, "agency", "区住房和城乡建设局", PLACE, ["区住建局"])
    one.unit(B, "agency", "区交通运输局", PLACE)
    one.unit(C, "collective", "各街道", PLACE)
    one.task([A], [B, C])
    one.task([A, B], [B, C])  # B leads and supports the same task: it counts as led only
    two = UnitFacts()
    two.unit(A, "agency", "区住建局", PLACE)
    two.unit(B, "agency", "区交通运输局", PLACE)
    two.unit(D, "taskforce", "区轨道交通建设指挥部", PLACE)
    two.unit(D, "agency", "区轨道交通建设指挥部", PLACE)
    two.task([A], [B])
    two.task([D], [A])
    three = UnitFacts()
    three.unit(A, "agency", "区住房和城乡建设局", "")
    return [one, two, three]


def test_totals_count_tasks_once_per_unit_and_support_without_lead() -> None:
    summary = merge_facts(_facts())
    units = {u.iri: u for u in summary.units}
    assert (units[A].led, units[A].supported) == (3, 1)
    assert (units[B].led, units[B].supported) == (1, 2)
    assert (units[C].led, units[C].supported) == (0, 2)
    assert (units[D].led, units[D].supported) == (1, 0)


def test_a_unit_takes_its_most_common_name_and_keeps_the_others() -> None:
    units = {u.iri: u for u in merge_facts(_facts()).units}
    assert units[A].name == "区住房和城乡建设局"  # two documents against one
    assert units[A].others == ("区住建局",)
    assert units[A].place == PLACE  # a document without one does not erase it


def test_the_more_specific_kind_wins() -> None:
    units = {u.iri: u for u in merge_facts(_facts()).units}
    assert units[D].kind == "taskforce"
    assert units[C].kind == "collective"


def test_the_totals_do_not_depend_on_the_order_of_documents() -> None:
    facts = _facts()
    first = merge_facts(facts)
    for order in itertools.permutations(facts):
        assert merge_facts(order) == first


def test_summary_lines_type_the_graph_and_describe_each_unit_once() -> None:
    lines = summary_lines(merge_facts(_facts()), BASE)
    assert f"<{BASE}graph/corpus> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{KG.CorpusSummary}> ." in lines
    labels = [line for line in lines if line.startswith(f"<{A}> <http://www.w3.org/2004/02/skos/core#prefLabel>")]
    assert labels == [f'<{A}> <http://www.w3.org/2004/02/skos/core#prefLabel> "区住房和城乡建设局"@zh .']
    assert f'<{A}> <{KG.tasksLed}> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .' in lines
    assert len([line for line in lines if f"<{KG.tasksLed}>" in line]) == 4  # A, B, C, D


def test_facts_survive_the_cache_as_json() -> None:
    builder = SummaryBuilder()
    for facts in _facts():
        builder.add(UnitFacts.from_json(facts.to_json()))
    assert builder.summary() == merge_facts(_facts())


TABLE = """武汉市江岸区2025年重点工作任务分解表
序号
重点任务
牵头单位
配合单位
1
推进解放大道改造
区住建局
区交通运输局、各街道
2
推进黄浦路整治
区交通运输局
区住建局
"""


def test_document_graph_reports_the_units_of_each_task() -> None:
    normal, offsets = normalize_text(TABLE)
    doc = Document(Path("jiangan.txt"), "jiangan.txt", TABLE, normal, offsets, "utf-8", "txt")
    part = document_graph(extract_document(doc), doc, base=BASE)
    units = part.units.units
    names = {iri: facts[1] for iri, facts in units.items()}
    assert len(part.units.tasks) == 2
    (lead1, support1), (lead2, support2) = part.units.tasks
    assert [names[i] for i in lead1] == ["区住房和城乡建设局"]
    assert sorted(names[i] for i in support1) == ["区交通运输局", "各街道"]
    assert [names[i] for i in lead2] == ["区交通运输局"] and support2 == lead1
    collective = [facts for facts in units.values() if facts[1] == "各街道"]
    assert collective[0][0] == "collective"


def test_each_document_states_its_number_of_tasks() -> None:
    one, two, three = _facts()
    one.document, two.document, three.document = (f"{BASE}doc/{n}" for n in ("one", "two", "three"))
    summary = merge_facts([one, two, three])
    assert summary.documents == ((f"{BASE}doc/one", 2), (f"{BASE}doc/three", 0), (f"{BASE}doc/two", 2))
    lines = summary_lines(summary, BASE)
    assert f'<{BASE}doc/three> <{KG.taskCount}> "0"^^<http://www.w3.org/2001/XMLSchema#integer> .' in lines
    assert UnitFacts.from_json(one.to_json()) == one
