"""The agency networks and every measure, on small hand-built graphs whose answers are worked out here.

The main graph (TriG below): in 东区, five tasks among four agencies 甲 乙 丙 丁 and the
collective unit 各街道; in 西区, one task between 戊 and 己.

    t1  lead 甲, support 乙, 各街道
    t2  lead 甲, support 乙, 丙
    t3  lead 乙, support 丙
    t4  lead 丙, support 乙
    t5  lead 丙, support 丁
    w1  lead 戊, support 己            (西区, another document)

lead -> support (东区, collective left out): 甲->乙 2, 甲->丙 1, 乙->丙 1, 丙->乙 1, 丙->丁 1.
co-assignment: 甲-乙 2, 甲-丙 1, 乙-丙 3, 丙-丁 1; as distances 1/2, 1, 1/3, 1.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kg import analysis, centrality
from kg.analysis import (
    MEASURES,
    build_networks,
    compute_metrics,
    metrics_triples,
    network_metrics,
    rank_agencies,
    write_centrality,
)
from kg.cli import cli
from kg.network_export import network_file, network_text, render_centrality, select_network
from kg.responsibilities import UnknownScopeError, read_responsibilities, scope_tasks

ID = "https://w3id.org/kg-gov/id/"
KG = "https://w3id.org/kg-gov/ontology#"

TRIG = """
PREFIX kg: <https://w3id.org/kg-gov/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/kg-gov/id/>

{
    id:place-hai a kg:Place ; skos:prefLabel "海市"@zh .
    id:place-dong a kg:Place ; skos:prefLabel "东区"@zh ; schema:containedInPlace id:place-hai .
    id:place-xi a kg:Place ; skos:prefLabel "西区"@zh ; schema:containedInPlace id:place-hai .
    id:doc-d a kg:Document ; dcterms:title "东区任务分解"@zh ; dcterms:issued "2024-03-01"^^xsd:date ;
        kg:sourceFile "d.txt" ; dcterms:spatial id:place-dong .
    id:doc-w a kg:Document ; dcterms:title "西区任务分解"@zh ; kg:sourceFile "w.txt" ;
        dcterms:spatial id:place-xi .
}

id:doc-d {
    id:jia a kg:Agency, prov:Agent ; skos:prefLabel "区甲局"@zh ; skos:altLabel "甲局"@zh ;
        dcterms:spatial id:place-dong .
    id:yi a kg:Agency, prov:Agent ; skos:prefLabel "区乙局"@zh ; dcterms:spatial id:place-dong .
    id:bing a kg:Agency, prov:Agent ; skos:prefLabel "区丙局"@zh ; dcterms:spatial id:place-dong .
    id:ding a kg:TaskForce, prov:Agent ; skos:prefLabel "区丁指挥部"@zh ; dcterms:spatial id:place-dong .
    id:jd a kg:CollectiveUnit, prov:Agent ; skos:prefLabel "各街道"@zh ; dcterms:spatial id:place-dong .
    id:road a kg:Road ; skos:prefLabel "东大路"@zh .
    id:t1 a kg:Task ; rdfs:label "任务一"@zh ; kg:sourceDocument id:doc-d ; dcterms:spatial id:place-dong ;
        kg:quote "任务一 | 区甲局 | 区乙局、各街道"@zh ; kg:spanStart 10 ; kg:spanEnd 30 ;
        kg:involves id:road ;
        prov:qualifiedAssociation [ prov:agent id:jia ; prov:hadRole kg:LeadRole ; kg:position 1 ] ,
            [ prov:agent id:yi ; prov:hadRole kg:SupportRole ; kg:position 1 ] ,
            [ prov:agent id:jd ; prov:hadRole kg:SupportRole ; kg:position 2 ] .
    id:t2 a kg:Task ; rdfs:label "任务二"@zh ; kg:sourceDocument id:doc-d ; dcterms:spatial id:place-dong ;
        kg:spanStart 31 ; kg:spanEnd 50 ;
        prov:qualifiedAssociation [ prov:agent id:jia ; prov:hadRole kg:LeadRole ; kg:position 1 ] ,
            [ prov:agent id:yi ; prov:hadRole kg:SupportRole ; kg:position 1 ] ,
            [ prov:agent id:bing ; prov:hadRole kg:SupportRole ; kg:position 2 ] .
    id:t3 a kg:Task ; rdfs:label "任务三"@zh ; kg:sourceDocument id:doc-d ; dcterms:spatial id:place-dong ;
        kg:spanStart 51 ; kg:spanEnd 60 ;
        prov:qualifiedAssociation [ prov:agent id:yi ; prov:hadRole kg:LeadRole ; kg:position 1 ] ,
            [ prov:agent id:bing ; prov:hadRole kg:SupportRole ; kg:position 1 ] .
    id:t4 a kg:Task ; rdfs:label "任务四"@zh ; kg:sourceDocument id:doc-d ; dcterms:spatial id:place-dong ;
        kg:spanStart 61 ; kg:spanEnd 70 ;
        prov:qualifiedAssociation [ prov:agent id:bing ; prov:hadRole kg:LeadRole ; kg:position 1 ] ,
            [ prov:agent id:yi ; prov:hadRole kg:SupportRole ; kg:position 1 ] .
    id:t5 a kg:Task ; rdfs:label "任务五"@zh ; kg:sourceDocument id:doc-d ; dcterms:spatial id:place-dong ;
        kg:spanStart 71 ; kg:spanEnd 80 ;
        prov:qualifiedAssociation [ prov:agent id:bing ; prov:hadRole kg:LeadRole ; kg:position 1 ] ,
            [ prov:agent id:ding ; prov:hadRole kg:SupportRole ; kg:position 1 ] .
}

id:doc-w {
    id:wu a kg:Agency, prov:Agent ; skos:prefLabel "区戊局"@zh ; dcterms:spatial id:place-xi .
    id:ji a kg:Agency, prov:Agent ; skos:prefLabel "区己局"@zh ; dcterms:spatial id:place-xi .
    id:w1 a kg:Task ; rdfs:label "西区任务"@zh ; kg:sourceDocument id:doc-w ; dcterms:spatial id:place-xi ;
        prov:qualifiedAssociation [ prov:agent id:wu ; prov:hadRole kg:LeadRole ; kg:position 1 ] ,
            [ prov:agent id:ji ; prov:hadRole kg:SupportRole ; kg:position 1 ] .
}
"""

# rdflib's TriG parser still builds a ConjunctiveGraph internally
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

JIA, YI, BING, DING, JD, WU, JI = (ID + n for n in ("jia", "yi", "bing", "ding", "jd", "wu", "ji"))


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset()
    ds.parse(data=TRIG, format="trig")
    return ds


@pytest.fixture(scope="module")
def resp(dataset):
    return read_responsibilities(dataset)


@pytest.fixture(scope="module")
def dong(resp):
    """The 东区 figures, collective units left out."""
    return compute_metrics(build_networks(resp, jurisdiction="东区"))


def by_iri(metrics):
    return {a.iri: a for a in metrics.agencies}


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory, dataset) -> Path:
    """The hand-built graph persisted as a store, as 'kg build' would leave it."""
    from kg.store import load_store

    folder = tmp_path_factory.mktemp("graph")
    load_store(dataset.serialize(format="nquads"), folder)
    return folder


# --- records and scope ---------------------------------------------------------------------------


def test_records_keep_units_in_written_order_and_know_their_places(resp):
    t1 = next(t for t in resp.tasks if t.iri == ID + "t1")
    assert t1.leads == (JIA,) and t1.supports == (YI, JD)
    assert t1.span == (10, 30) and t1.quote.startswith("任务一")
    assert [(f.type, f.label) for f in t1.features] == [("Road", "东大路")]
    assert resp.agents[JIA].alt_labels == ("甲局",)
    assert resp.agents[JD].collective and resp.agents[DING].kind == "taskforce"
    assert resp.jurisdiction_of(JIA) == "东区"


def test_scope_by_jurisdiction_substring_parent_place_and_document(resp):
    assert {t.iri for t in scope_tasks(resp, jurisdiction="东")} == {ID + f"t{i}" for i in range(1, 6)}
    assert len(scope_tasks(resp, jurisdiction="海市")) == 6  # the city holds both districts
    assert [t.iri for t in scope_tasks(resp, document="w.txt")] == [ID + "w1"]
    assert [t.iri for t in scope_tasks(resp, document="w")] == [ID + "w1"]


def test_unknown_scope_names_what_is_known(resp):
    with pytest.raises(UnknownScopeError, match="北仑.*东区"):
        scope_tasks(resp, jurisdiction="北仑")
    with pytest.raises(UnknownScopeError, match="document"):
        scope_tasks(resp, document="nope.txt")


# --- the three networks --------------------------------------------------------------------------


def test_lead_support_network_weights_count_shared_tasks(resp):
    net = build_networks(resp, jurisdiction="东区")
    edges = {(u, v): d["weight"] for u, v, d in net.lead_support.edges(data=True)}
    assert edges == {(JIA, YI): 2, (JIA, BING): 1, (YI, BING): 1, (BING, YI): 1, (BING, DING): 1}
    assert net.lead_support.nodes[JIA]["label"] == "区甲局"


def test_coassignment_network_links_every_pair_of_a_task(resp):
    net = build_networks(resp, jurisdiction="东区")
    edges = {frozenset((u, v)): (d["weight"], d["distance"]) for u, v, d in net.coassignment.edges(data=True)}
    assert edges == {
        frozenset((JIA, YI)): (2, 0.5),
        frozenset((JIA, BING)): (1, 1.0),
        frozenset((YI, BING)): (3, 1 / 3),
        frozenset((BING, DING)): (1, 1.0),
    }


def test_bipartite_graph_has_agencies_tasks_and_roles(resp):
    net = build_networks(resp, jurisdiction="东区")
    b = net.bipartite
    agencies = {n for n, d in b.nodes(data=True) if d["bipartite"] == 0}
    tasks = {n for n, d in b.nodes(data=True) if d["bipartite"] == 1}
    assert agencies == {JIA, YI, BING, DING}
    assert tasks == {ID + f"t{i}" for i in range(1, 6)}
    assert b.number_of_edges() == 11  # 12 assignments less the collective unit's
    assert b[JIA][ID + "t1"]["role"] == "lead" and b[YI][ID + "t1"]["role"] == "support"


def test_collective_units_join_only_on_request(resp):
    without = build_networks(resp, jurisdiction="东区")
    with_them = build_networks(resp, jurisdiction="东区", collective=True)
    assert JD not in without.lead_support
    assert with_them.lead_support[JIA][JD]["weight"] == 1
    assert with_them.coassignment[YI][JD]["weight"] == 1


# --- every measure -------------------------------------------------------------------------------


def test_task_counts_and_lead_share(dong):
    got = {a.label: (a.tasks_led, a.tasks_supported, a.lead_share) for a in dong.agencies}
    assert got == {
        "区甲局": (2, 0, 1.0),
        "区乙局": (1, 3, 0.25),
        "区丙局": (2, 2, 0.5),
        "区丁指挥部": (0, 1, 0.0),
    }


def test_weighted_degrees(dong):
    got = {a.label: (a.weighted_out_degree, a.weighted_in_degree) for a in dong.agencies}
    assert got == {"区甲局": (3, 0), "区乙局": (1, 3), "区丙局": (2, 2), "区丁指挥部": (0, 1)}


def test_betweenness_uses_one_over_weight_as_distance(dong):
    # Shortest paths: 甲-丙 goes 甲-乙-丙 (1/2 + 1/3 < 1); 甲-丁 goes 甲-乙-丙-丁; 乙-丁 goes 乙-丙-丁.
    # 乙 lies on 甲-丙 and 甲-丁, 丙 on 甲-丁 and 乙-丁: 2 of the (4-1)(4-2)/2 = 3 pairs each.
    # (With the weight itself as distance 乙 would lie on no shortest path.)
    got = {a.label: a.betweenness for a in dong.agencies}
    assert got == {"区甲局": 0.0, "区乙局": round(2 / 3, 6), "区丙局": round(2 / 3, 6), "区丁指挥部": 0.0}


def test_closeness_is_agencies_over_summed_distance(dong):
    # distances from 甲: 乙 1/2, 丙 5/6, 丁 11/6 (sum 19/6); 乙: 1/2, 1/3, 4/3 (13/6);
    # 丙: 5/6, 1/3, 1 (13/6); 丁: 11/6, 4/3, 1 (25/6). closeness = 3 / sum.
    got = {a.label: a.closeness for a in dong.agencies}
    assert got == {
        "区甲局": round(18 / 19, 6),
        "区乙局": round(18 / 13, 6),
        "区丙局": round(18 / 13, 6),
        "区丁指挥部": round(18 / 25, 6),
    }


def test_eigenvector_is_the_positive_unit_eigenvector_of_the_weights(dong):
    labels = ["区甲局", "区乙局", "区丙局", "区丁指挥部"]
    w = [[0, 2, 1, 0], [2, 0, 3, 0], [1, 3, 0, 1], [0, 0, 1, 0]]
    x = [next(a.eigenvector for a in dong.agencies if a.label == label) for label in labels]
    # by hand: power iteration of (W + I) from the all-ones vector, normalised each step
    v = [1.0] * 4
    for _ in range(500):
        v = [v[i] + sum(w[i][j] * v[j] for j in range(4)) for i in range(4)]
        norm = math.sqrt(sum(c * c for c in v))
        v = [c / norm for c in v]
    assert x == [round(c, 6) for c in v]
    # and it is an eigenvector: W x = λ x with one λ for every agency
    ratios = [sum(w[i][j] * x[j] for j in range(4)) / x[i] for i in range(4)]
    assert max(ratios) - min(ratios) < 1e-4
    assert sum(c * c for c in x) == pytest.approx(1, abs=1e-5)


def test_pagerank_solves_its_equation_on_the_lead_support_network(dong):
    # PR(v) = (1-a)/N + a * (sum over u->v of PR(u) w(u,v)/out(u) + PR(丁)/N), 丁 has no out-link
    a, n = 0.85, 4
    pr = {x.label: x.pagerank for x in dong.agencies}
    edges = {
        ("区甲局", "区乙局"): 2,
        ("区甲局", "区丙局"): 1,
        ("区乙局", "区丙局"): 1,
        ("区丙局", "区乙局"): 1,
        ("区丙局", "区丁指挥部"): 1,
    }
    out = {"区甲局": 3, "区乙局": 1, "区丙局": 2, "区丁指挥部": 0}
    for v in pr:
        inflow = sum(pr[u] * w / out[u] for (u, t), w in edges.items() if t == v)
        assert pr[v] == pytest.approx((1 - a) / n + a * (inflow + pr["区丁指挥部"] / n), abs=1e-5)
    assert sum(pr.values()) == pytest.approx(1, abs=1e-5)
    assert pr["区甲局"] == pytest.approx((1 - a) / n + a * pr["区丁指挥部"] / n, abs=1e-6)  # nobody calls 甲


def test_communities_are_louvain_groups_numbered_by_size():
    # two triangles of agencies that work together twice, joined by one task between 3 and 4
    resp = read_responsibilities(_triangles())
    metrics = compute_metrics(build_networks(resp))
    got = {a.label: a.community for a in metrics.agencies}
    assert got == {"区一局": 1, "区二局": 1, "区三局": 1, "区四局": 2, "区五局": 2, "区六局": 2}
    assert compute_metrics(build_networks(resp)) == metrics  # seeded: same graph, same figures


def _triangles() -> Dataset:
    names = ["区一局", "区二局", "区三局", "区四局", "区五局", "区六局"]
    rows = [(0, (1, 2)), (1, (0, 2)), (3, (4, 5)), (4, (3, 5)), (2, (3,))]
    ds = Dataset()
    g = ds.graph(URIRef(ID + "doc-tri"))
    prov = "http://www.w3.org/ns/prov#"
    for i, name in enumerate(names):
        g.add((URIRef(ID + f"a{i}"), RDF.type, URIRef(KG + "Agency")))
        g.add(
            (
                URIRef(ID + f"a{i}"),
                URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
                Literal(name, lang="zh"),
            )
        )
    for n, (lead, supports) in enumerate(rows):
        task = URIRef(ID + f"tri{n}")
        g.add((task, RDF.type, URIRef(KG + "Task")))
        for role, who in [("LeadRole", lead), *(("SupportRole", s) for s in supports)]:
            assoc = URIRef(f"{task}/{role}/{who}")
            g.add((task, URIRef(prov + "qualifiedAssociation"), assoc))
            g.add((assoc, URIRef(prov + "agent"), URIRef(ID + f"a{who}")))
            g.add((assoc, URIRef(prov + "hadRole"), URIRef(KG + role)))
    return ds


def test_sampled_betweenness_above_the_node_limit_is_seeded_and_reported(resp):
    net = build_networks(resp, jurisdiction="东区")
    exact = compute_metrics(net)
    # sampling all 4 agencies as sources gives the exact figures back
    full_sample = compute_metrics(net, exact_betweenness_max_nodes=2, betweenness_sample=4)
    assert [a.betweenness for a in full_sample.agencies] == [a.betweenness for a in exact.agencies]
    assert full_sample.betweenness_sample == 4 and "estimated from 4 of 4" in full_sample.warnings[0]
    assert exact.betweenness_sample is None and exact.warnings == ()
    two = [compute_metrics(net, exact_betweenness_max_nodes=2, betweenness_sample=2) for _ in range(2)]
    assert two[0] == two[1]


def test_sampled_betweenness_is_networkx_sampled_betweenness(resp):
    net = build_networks(resp, jurisdiction="东区")
    metrics = compute_metrics(net, exact_betweenness_max_nodes=2, betweenness_sample=3)
    expected = nx.betweenness_centrality(net.coassignment, k=3, weight="distance", seed=analysis.SEED)
    assert {a.iri: a.betweenness for a in metrics.agencies} == {k: round(v, 6) for k, v in expected.items()}


def test_sampled_closeness_above_the_node_limit_is_seeded_and_reported():
    # one connected group of 7 agencies (the two triangles joined, with 区七局 on 区六局)
    ds = _triangles()
    g = ds.graph(URIRef(ID + "doc-tri"))
    prov = "http://www.w3.org/ns/prov#"
    g.add((URIRef(ID + "a6"), RDF.type, URIRef(KG + "Agency")))
    g.add((URIRef(ID + "tri9"), RDF.type, URIRef(KG + "Task")))
    for role, who in (("LeadRole", 5), ("SupportRole", 6)):
        assoc = URIRef(f"{ID}tri9/{role}")
        g.add((URIRef(ID + "tri9"), URIRef(prov + "qualifiedAssociation"), assoc))
        g.add((assoc, URIRef(prov + "agent"), URIRef(ID + f"a{who}")))
        g.add((assoc, URIRef(prov + "hadRole"), URIRef(KG + role)))
    net = build_networks(read_responsibilities(ds))
    exact = compute_metrics(net)
    assert exact.closeness_sample is None and not any("closeness" in w for w in exact.warnings)
    assert {a.iri: a.closeness for a in exact.agencies} == {
        k: round(v, 6) for k, v in nx.closeness_centrality(net.coassignment, distance="distance").items()
    }
    runs = [
        compute_metrics(net, exact_closeness_max_nodes=6, closeness_sample=3, seed=s) for s in (42, 42, 1)
    ]
    sampled = runs[0]
    assert runs[0] == runs[1] and runs[0] != runs[2]  # seeded
    assert sampled.closeness_sample == 3
    assert "closeness estimated for 4 of 7 agencies from 3 pivot agencies" in sampled.warnings[0]
    assert "(seed 42)" in sampled.warnings[0]
    kept = sum(a.closeness == b.closeness for a, b in zip(sampled.agencies, exact.agencies, strict=True))
    assert kept >= 3  # the pivots keep their exact figure
    # a group of no more than twice the pivots stays exact
    assert compute_metrics(net, exact_closeness_max_nodes=6, closeness_sample=4) == exact


def test_agents_places_and_features_restated_in_several_graphs_are_read_once():
    prefixes = TRIG.split("\n{")[0]
    ds = Dataset()
    ds.parse(
        data=prefixes
        + """
        id:g1 {
            id:x a kg:Agency, prov:Agent ; skos:prefLabel "区某局"@zh ; dcterms:spatial id:place-p .
            id:y a kg:Agency, prov:Agent ; skos:prefLabel "区某指挥部"@zh .
            id:z a prov:Agent ; skos:prefLabel "某镇"@zh .
            id:place-p a kg:Place ; skos:prefLabel "某区"@zh ; skos:altLabel "某"@zh .
            id:road a kg:Road ; skos:prefLabel "某路"@zh .
            id:t1 a kg:Task ; rdfs:label "一"@zh ; kg:involves id:road, id:place-p ;
                prov:qualifiedAssociation [ prov:agent id:x ; prov:hadRole kg:LeadRole ; kg:position 1 ] ,
                    [ prov:agent id:y ; prov:hadRole kg:SupportRole ; kg:position 1 ] .
        }
        id:g2 {
            id:x a kg:Agency, prov:Agent ; skos:prefLabel "区某局"@zh ; skos:altLabel "某局"@zh ;
                dcterms:spatial id:place-p .
            id:y a kg:TaskForce, prov:Agent ; skos:prefLabel "区某指挥部"@zh .
            id:z a prov:Agent ; skos:prefLabel "某镇"@zh .
            id:place-p a kg:Place ; skos:prefLabel "某区"@zh .
            id:road a kg:Road ; skos:prefLabel "某路"@zh .
            id:t2 a kg:Task ; rdfs:label "二"@zh ; kg:involves id:road ;
                prov:qualifiedAssociation [ prov:agent id:y ; prov:hadRole kg:LeadRole ; kg:position 1 ] .
        }
        """,
        format="trig",
    )
    got = read_responsibilities(ds)
    x, y, z = (got.agents[ID + n] for n in "xyz")
    assert (x.label, x.alt_labels, x.kind, x.place) == ("区某局", ("某局",), "agency", ID + "place-p")
    assert (y.kind, z.kind) == ("taskforce", "place")  # the more specific type wins
    assert got.places[ID + "place-p"].labels == ("某区", "某")
    t1 = next(t for t in got.tasks if t.iri == ID + "t1")
    assert [(f.type, f.label) for f in t1.features] == [("Place", "某区"), ("Road", "某路")]
    assert (t1.leads, t1.supports) == ((ID + "x",), (ID + "y",))


def test_eigenvector_the_power_iteration_misses_comes_from_arpack_and_is_reported(resp, dong, monkeypatch):
    def fail(*args, **kwargs):
        raise nx.PowerIterationFailedConvergence(1000)

    monkeypatch.setattr(centrality, "eigenvector", fail)
    metrics = compute_metrics(build_networks(resp, jurisdiction="东区"))
    assert "ARPACK" in metrics.warnings[0]
    assert [a.eigenvector for a in metrics.agencies] == pytest.approx(
        [a.eigenvector for a in dong.agencies], abs=2e-6
    )


def test_eigenvector_that_does_not_converge_is_reported_not_raised(resp, monkeypatch):
    from scipy.sparse.linalg import ArpackNoConvergence

    def fail(*args, **kwargs):
        raise nx.PowerIterationFailedConvergence(1000)

    def fail_too(*args, **kwargs):
        raise ArpackNoConvergence("no convergence", None, None)

    monkeypatch.setattr(centrality, "eigenvector", fail)
    monkeypatch.setattr(centrality, "eigenvector_lanczos", fail_too)
    metrics = compute_metrics(build_networks(resp, jurisdiction="东区"))
    assert all(a.eigenvector is None for a in metrics.agencies)
    assert "eigenvector centrality did not converge" in metrics.warnings[0]
    assert rank_agencies(metrics, "eigenvector")[0].eigenvector is None
    assert "-" in render_centrality(metrics, measure="eigenvector")


def test_an_empty_scope_gives_no_agencies_and_no_error(resp):
    metrics = compute_metrics(build_networks(resp, document="w.txt", collective=False))
    assert [a.label for a in metrics.agencies] == ["区己局", "区戊局"]
    empty = analysis.Networks(nx.DiGraph(), nx.Graph(), nx.Graph(), ())
    assert compute_metrics(empty).agencies == ()


# --- ranking, formats, RDF -----------------------------------------------------------------------


def test_measures_dict_has_one_line_per_measure_and_matches_the_fields():
    fields = set(analysis.AgencyMetrics.__dataclass_fields__) - {"iri", "label", "kind", "jurisdiction"}
    assert set(MEASURES) == fields
    assert all("\n" not in line and line for line in MEASURES.values())
    assert "separate groups" in MEASURES["betweenness"]


def test_rank_agencies_by_measure_with_ties_by_label(dong):
    assert [a.label for a in rank_agencies(dong, "tasks_led")] == ["区丙局", "区甲局", "区乙局", "区丁指挥部"]
    assert [a.label for a in rank_agencies(dong, "betweenness", top=2)] == ["区丙局", "区乙局"]
    with pytest.raises(ValueError, match="unknown measure"):
        rank_agencies(dong, "fame")


def test_centrality_csv_and_json(dong):
    rows = list(csv.DictReader(io.StringIO(render_centrality(dong, measure="tasks_led", fmt="csv"))))
    assert rows[0]["label"] == "区丙局" and rows[0]["tasks_led"] == "2" and rows[0]["jurisdiction"] == "东区"
    record = json.loads(render_centrality(dong, measure="pagerank", top=1, fmt="json"))
    assert record["agencies"] == 4 and record["tasks"] == 5 and len(record["rows"]) == 1
    assert record["measures"] == MEASURES


def test_write_centrality_is_deterministic(graph_dir, tmp_path):
    first = write_centrality(graph_dir, tmp_path / "a.csv").read_bytes()
    second = write_centrality(graph_dir, tmp_path / "b.csv").read_bytes()
    assert first == second
    rows = list(csv.DictReader(io.StringIO(first.decode("utf-8"))))
    assert {r["label"] for r in rows} == {"区甲局", "区乙局", "区丙局", "区丁指挥部", "区戊局", "区己局"}


def test_metrics_triples_state_each_measure(dong):
    g = metrics_triples(dong, ID)
    jia = URIRef(JIA)

    def value(name):
        return g.value(jia, URIRef(KG + name))

    assert value("tasksLed") == Literal(2) and value("tasksSupported") == Literal(0)
    assert value("weightedOutDegree") == Literal(3) and value("weightedInDegree") == Literal(0)
    assert value("leadShare") == Literal("1", datatype=XSD.decimal)
    assert float(value("closeness")) == pytest.approx(18 / 19, abs=1e-6)
    community = value("inCommunity")
    assert (community, RDF.type, URIRef(KG + "Community")) in g
    assert str(community).startswith(ID + "community/")
    assert len(set(g.predicates(jia))) == 10
    assert g.serialize(format="longturtle") == metrics_triples(dong, ID).serialize(format="longturtle")


# --- network files -------------------------------------------------------------------------------


def test_graphml_keeps_chinese_labels_weights_and_figures(resp, tmp_path):
    net = build_networks(resp, jurisdiction="东区")
    text = network_text(select_network(net, compute_metrics(net), "lead-support"), "graphml")
    assert "区甲局" in text and "&#" not in text
    path = tmp_path / "n.graphml"
    path.write_text(text, encoding="utf-8")
    back = nx.read_graphml(path)
    assert back[JIA][YI]["weight"] == 2 and back.nodes[JIA]["label"] == "区甲局"
    assert back.nodes[JIA]["tasks_led"] == 2


def test_gexf_is_stable_and_readable(resp, tmp_path):
    net = build_networks(resp, jurisdiction="东区")
    graph = select_network(net, compute_metrics(net), "co-assignment")
    text = network_text(graph, "gexf")
    assert "lastmodifieddate" not in text and "区乙局" in text
    path = tmp_path / "n.gexf"
    path.write_text(text, encoding="utf-8")
    back = nx.read_gexf(path)
    assert back.number_of_edges() == 4


def test_edge_list_csv_of_the_bipartite_graph_puts_agencies_first(dataset, resp):
    text, graph = network_file(dataset, kind="bipartite", fmt="csv", document="d.txt")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 11 and all(r["source"] in {JIA, YI, BING, DING} for r in rows)
    assert {(r["source_label"], r["target_label"], r["role"]) for r in rows} >= {("区甲局", "任务一", "lead")}
    with pytest.raises(ValueError, match="unknown network"):
        select_network(build_networks(resp), None, "tree")


# --- CLI -----------------------------------------------------------------------------------------


def test_cli_centrality_table_and_help(graph_dir):
    runner = CliRunner()
    result = runner.invoke(
        cli, ["centrality", "--graph", str(graph_dir), "-j", "东区", "-m", "betweenness", "--top", "2"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "betweenness" in lines[0] and "区丙局" in lines[1] and len(lines) == 3
    assert "4 agencies, 5 tasks" in result.stderr
    helped = runner.invoke(cli, ["centrality", "--help"])
    for name, meaning in MEASURES.items():
        assert f"{name}  " in helped.stdout and meaning in helped.stdout


def test_cli_centrality_errors(graph_dir, tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["centrality", "--graph", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "no graph store found" in missing.stderr
    unknown = runner.invoke(cli, ["centrality", "--graph", str(graph_dir), "-j", "北仑"])
    assert unknown.exit_code == 1 and "no jurisdiction in the graph matches '北仑'" in unknown.stderr
    bad = runner.invoke(cli, ["centrality", "--graph", str(graph_dir), "-m", "fame"])
    assert bad.exit_code == 2 and "fame" in bad.stderr


def test_cli_network_writes_files(graph_dir, tmp_path):
    runner = CliRunner()
    out = tmp_path / "net.gexf"
    result = runner.invoke(cli, ["network", "--format", "gexf", "--out", str(out), "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.stderr
    assert nx.read_gexf(out).number_of_nodes() == 6 and "6 nodes" in result.stderr
    csv_run = runner.invoke(
        cli,
        ["network", "--format", "csv", "--kind", "co-assignment", "-j", "西区", "--graph", str(graph_dir)],
    )
    assert csv_run.exit_code == 0 and "区戊局" in csv_run.stdout
    bad = runner.invoke(cli, ["network", "--format", "dot", "--graph", str(graph_dir)])
    assert bad.exit_code == 2 and "dot" in bad.stderr


def test_network_metrics_reads_a_graph_folder(graph_dir):
    metrics = network_metrics(graph_dir, jurisdiction="东区", collective=True)
    assert {a.label for a in metrics.agencies} == {"区甲局", "区乙局", "区丙局", "区丁指挥部", "各街道"}


def test_the_networks_do_not_depend_on_the_order_of_the_tasks(resp) -> None:
    forward = analysis.unit_networks(resp, resp.tasks)
    backward = analysis.unit_networks(resp, tuple(reversed(resp.tasks)))
    units = analysis.unit_networks(resp, [analysis.TaskUnits(t.leads, t.supports) for t in resp.tasks])
    for other in (backward, units):
        assert list(other.coassignment.edges(data=True)) == list(forward.coassignment.edges(data=True))
        assert list(other.lead_support.edges(data=True)) == list(forward.lead_support.edges(data=True))
        assert compute_metrics(other) == compute_metrics(forward)
    assert forward.bipartite is None and build_networks(resp).bipartite is not None
