"""The RDF stage: vocabulary, one document's graph, SHACL conformance, store replacement."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kg.extract import extract_document
from kg.models import Document
from kg.namespaces import KG
from kg.normalize import normalize_text
from kg.rdf import build_dataset, document_graph, document_iri

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_NS = "https://w3id.org/kg-gov/ontology#"

TABLE = (
    "索引号: | 11330106002482215X/2024-00001 | 发布机构: | 区林水局 |\n"
    "成文日期: | 2024-03-01 |\n"
    "杭州市西湖区林业水利局2024年重点任务分解\n"
    "序号\n\n目标任务\n\n牵头单位\n\n配合单位\n\n"
    "1\n\n新建城北绿道8公里。\n\n区林水局\n\n各街道\n\n"
    "2\n\n推进文一路(古翠路-学院路)提升改造工程。\n\n区城投集团有限公司\n\n区林水局"
)


def make_document(text: str, name: str = "plan.txt") -> Document:
    normal, offsets = normalize_text(text)
    return Document(Path(name), name, text, normal, offsets, "utf-8", "txt")


def test_ontology_and_namespace_declare_the_same_terms():
    ontology = Graph().parse(ROOT / "ontology.ttl")
    declared = {str(s)[len(ONTOLOGY_NS) :] for s in ontology.subjects() if str(s).startswith(ONTOLOGY_NS)}
    mirrored = {name for name in KG.__annotations__}
    assert declared == mirrored


def test_every_ontology_term_has_chinese_and_english_labels_and_a_comment():
    ontology = Graph().parse(ROOT / "ontology.ttl")
    for term in {s for s in ontology.subjects() if str(s).startswith(ONTOLOGY_NS)}:
        langs = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, term
        assert list(ontology.objects(term, RDFS.comment)) or term == KG.RoleScheme, term


def test_namespace_is_closed():
    with pytest.raises(AttributeError):
        _ = KG.leadUnitt


def test_document_graph_of_a_one_row_table_is_exactly_this():
    doc = make_document("序号\n\n目标任务\n\n牵头单位\n\n配合单位\n\n1\n\n新建城北绿道8公里。\n\n区林水局\n\n", "t.txt")
    part = document_graph(extract_document(doc), doc)
    expected = Graph().parse(
        data="""
        @prefix kg: <https://w3id.org/kg-gov/ontology#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        @prefix id: <https://w3id.org/kg-gov/id/> .
        <https://w3id.org/kg-gov/id/task/t/1> a kg:Task ;
            rdfs:label "新建城北绿道8公里"@zh ;
            kg:quote "新建城北绿道8公里。 | 区林水局"@zh ;
            kg:layout "table" ; kg:spanStart 22 ; kg:spanEnd 41 ;
            kg:sourceDocument <https://w3id.org/kg-gov/id/doc/t> ;
            dcterms:spatial <https://w3id.org/kg-gov/id/place/unknown-t> ;
            kg:leadUnit ?agency ;
            prov:qualifiedAssociation <https://w3id.org/kg-gov/id/task/t/1/lead/1> .
        <https://w3id.org/kg-gov/id/task/t/1/lead/1> a prov:Association ;
            prov:agent ?agency ; prov:hadRole kg:LeadRole ; kg:position 1 ;
            kg:sourceDocument <https://w3id.org/kg-gov/id/doc/t> .
        ?agency a kg:Agency, prov:Agent ; skos:prefLabel "区林水局"@zh ;
            dcterms:spatial <https://w3id.org/kg-gov/id/place/unknown-t> .
        <https://w3id.org/kg-gov/id/doc/t#m37-41> a kg:Mention ; kg:mentionOf ?agency ;
            kg:quote "区林水局"@zh ; kg:spanStart 37 ; kg:spanEnd 41 ;
            kg:sourceDocument <https://w3id.org/kg-gov/id/doc/t> .
        """.replace("?agency", f"<{next(part.graph.subjects(RDF.type, KG.Agency))}>"),
        format="turtle",
    )
    assert isomorphic(part.graph, expected)


def test_lead_and_support_come_from_one_code_path():
    doc = make_document(TABLE)
    graph = document_graph(extract_document(doc), doc).graph
    for task in graph.subjects(RDF.type, KG.Task):
        for shortcut, role in ((KG.leadUnit, KG.LeadRole), (KG.supportUnit, KG.SupportRole)):
            direct = set(graph.objects(task, shortcut))
            qualified = {
                graph.value(a, URIRef("http://www.w3.org/ns/prov#agent"))
                for a in graph.objects(task, URIRef("http://www.w3.org/ns/prov#qualifiedAssociation"))
                if graph.value(a, URIRef("http://www.w3.org/ns/prov#hadRole")) == role
            }
            assert direct == qualified


def test_collective_units_and_roads_are_typed_and_tasks_involve_their_roads():
    doc = make_document(TABLE)
    graph = document_graph(extract_document(doc), doc).graph
    labels = {str(graph.value(s, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))): s for s in graph.subjects()}
    assert (labels["各街道"], RDF.type, KG.CollectiveUnit) in graph
    assert (labels["各街道"], RDF.type, KG.Agency) not in graph
    road = labels["文一路(古翠路-学院路)提升改造工程"]
    assert (road, RDF.type, KG.Road) in graph
    task2 = URIRef("https://w3id.org/kg-gov/id/task/plan/2")
    assert (task2, KG.involves, road) in graph


def test_document_metadata_and_places_go_to_the_default_graph():
    doc = make_document(TABLE)
    part = document_graph(extract_document(doc), doc)
    iri = document_iri("plan.txt")
    assert (iri, RDF.type, KG.Document) in part.metadata
    assert (iri, URIRef("http://purl.org/dc/terms/issued"), Literal("2024-03-01", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))) in part.metadata
    xihu = URIRef("https://w3id.org/kg-gov/id/place/330106")
    assert (xihu, URIRef("http://www.w3.org/2004/02/skos/core#notation"), Literal("330106")) in part.metadata
    assert (xihu, URIRef("https://schema.org/containedInPlace"), URIRef("https://w3id.org/kg-gov/id/place/330100")) in part.metadata
    assert not list(part.graph.triples((iri, RDF.type, None)))


def _validate(data: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    shapes = Graph().parse(ROOT / "shapes.ttl")
    ontology = Graph().parse(ROOT / "ontology.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    return bool(conforms), text


def test_sample_graph_conforms_to_the_shapes(tmp_path: Path):
    from kg.pipeline import build

    build([ROOT / "data" / "samples"], tmp_path)
    conforms, text = _validate(Graph().parse(tmp_path / "graph.ttl"))
    assert conforms, text


def test_shapes_catch_a_task_without_lead_and_a_unit_in_both_roles():
    doc = make_document(TABLE)
    part = document_graph(extract_document(doc), doc)
    graph = Graph()
    for triple in part.graph:
        graph.add(triple)
    for triple in part.metadata:
        graph.add(triple)
    task1, task2 = (URIRef(f"https://w3id.org/kg-gov/id/task/plan/{n}") for n in (1, 2))
    graph.remove((task1, KG.leadUnit, None))
    lead2 = graph.value(task2, KG.leadUnit)
    graph.add((task2, KG.supportUnit, lead2))
    conforms, text = _validate(graph)
    assert not conforms
    assert "at least one lead unit" in text
    assert "both lead and support" in text


def test_build_dataset_keeps_one_named_graph_per_document():
    parts = [document_graph(extract_document(make_document(TABLE, n)), None) for n in ("a.txt", "b.txt")]
    dataset = build_dataset(parts)
    names = sorted(str(g.identifier) for g in dataset.graphs() if len(g) and "doc/" in str(g.identifier))
    assert names == [str(document_iri("a.txt")), str(document_iri("b.txt"))]


def test_replacing_one_document_graph_leaves_the_others(tmp_path: Path):
    import pyoxigraph

    from kg.serialize import to_nquads
    from kg.store import load_store, replace_document_graph

    parts = [document_graph(extract_document(make_document(TABLE, n)), None) for n in ("a.txt", "b.txt")]
    store = load_store(to_nquads(build_dataset(parts)), tmp_path)
    del store
    store = pyoxigraph.Store(str(tmp_path / "store"))
    b = pyoxigraph.NamedNode(str(document_iri("b.txt")))
    before_b = sorted(str(q) for q in store.quads_for_pattern(None, None, None, b))
    new_a = document_graph(extract_document(make_document(TABLE.replace("8公里", "9公里"), "a.txt")), None)
    replace_document_graph(store, new_a.graph)
    after_b = sorted(str(q) for q in store.quads_for_pattern(None, None, None, b))
    a_labels = [str(q.object) for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(new_a.iri)))]
    assert after_b == before_b
    assert any("9公里" in label for label in a_labels)
    assert not any("8公里" in label for label in a_labels)


def test_graph_files_are_byte_identical_under_different_hash_seeds(tmp_path: Path):
    script = (
        "import sys; from pathlib import Path; from kg.pipeline import build; "
        "build([Path(sys.argv[1])], Path(sys.argv[2]))"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        subprocess.run(
            [sys.executable, "-c", script, str(ROOT / "data" / "samples"), str(out)],
            check=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, cwd=ROOT,
        )  # fmt: skip
        outputs.append({name: (out / name).read_bytes() for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld")})
    assert outputs[0] == outputs[1]
