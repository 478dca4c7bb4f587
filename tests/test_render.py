"""Tests for kg.graph_view, kg.render and ``kg viz``: graph read from the store, views, reduction, page."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg import graph_slice, graph_view
from kg.cli import cli
from kg.export import OutputError
from kg.graph_view import (
    UnknownFocusError,
    UnknownJurisdictionError,
    VizError,
    VizGraph,
    full_view,
    load_viz_graph,
    reduce_view,
    select_view,
)
from kg.render import NODE_TYPES, render_html, write_graph_html
from kg.store import GraphNotBuiltError, load_store

EVIL = "<img src=x onerror=alert(1)>"
EVIL_SCRIPT = "</script><script>alert(2)</script>"

# Two documents: 北仑区 (two tasks) and 镇海区 (one task, an agency of the same name as 北仑's).
TRIG = """\
@prefix kg: <https://w3id.org/kg-gov/ontology#> .
@prefix id: <https://w3id.org/kg-gov/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:place\\/330000 a kg:Place ; skos:prefLabel "浙江省"@zh ; skos:notation "330000" .
id:place\\/330200 a kg:Place ; skos:prefLabel "宁波市"@zh ; skos:notation "330200" ;
    schema:containedInPlace id:place\\/330000 .
id:place\\/330206 a kg:Place ; skos:prefLabel "北仑区"@zh ; skos:notation "330206" ;
    schema:containedInPlace id:place\\/330200 .
id:place\\/330211 a kg:Place ; skos:prefLabel "镇海区"@zh ; skos:notation "330211" ;
    schema:containedInPlace id:place\\/330200 .
id:doc\\/d1 a kg:Document ; dcterms:title "北仑区2024年任务分解"@zh ; dcterms:issued "2024-04-01"^^xsd:date ;
    kg:sourceFile "d1.txt" ; dcterms:spatial id:place\\/330206 .
id:doc\\/d2 a kg:Document ; dcterms:title "镇海区2025年工作思路"@zh ; dcterms:issued "2025-03-13"^^xsd:date ;
    kg:sourceFile "d2.txt" ; dcterms:spatial id:place\\/330211 .

id:doc\\/d1 {
    id:agency\\/a1 a kg:Agency , prov:Agent ;
        skos:prefLabel "区住房和城乡建设局"@zh ; skos:altLabel "区住建局"@zh ;
        dcterms:spatial id:place\\/330206 .
    id:agency\\/b1 a kg:Agency , prov:Agent ; skos:prefLabel "区财政局"@zh ;
        dcterms:spatial id:place\\/330206 .
    id:agency\\/c1 a kg:CollectiveUnit , prov:Agent ; skos:prefLabel "各街道"@zh ;
        dcterms:spatial id:place\\/330206 .
    id:agency\\/f1 a kg:Agency , kg:TaskForce , prov:Agent ; skos:prefLabel "区城建指挥部"@zh ;
        dcterms:spatial id:place\\/330206 .
    id:road\\/r1 a kg:Road ; skos:prefLabel "明州大道"@zh ; dcterms:spatial id:place\\/330206 .
    id:project\\/p1 a kg:Project ; skos:prefLabel "中心公园"@zh ; dcterms:spatial id:place\\/330206 .
    id:project\\/u1 a kg:Project ; skos:prefLabel "只被提及的项目"@zh ; dcterms:spatial id:place\\/330206 .
    id:task\\/d1\\/1 a kg:Task ; rdfs:label "推进明州大道改造"@zh ;
        kg:quote "推进明州大道改造。 | 区住建局 | 区财政局、各街道"@zh ;
        kg:sourceDocument id:doc\\/d1 ; dcterms:spatial id:place\\/330206 ;
        kg:leadUnit id:agency\\/a1 ; kg:supportUnit id:agency\\/b1 , id:agency\\/c1 ;
        kg:involves id:road\\/r1 , id:project\\/p1 ;
        prov:qualifiedAssociation id:task\\/d1\\/1\\/lead\\/1 , id:task\\/d1\\/1\\/support\\/1 ,
            id:task\\/d1\\/1\\/support\\/2 .
    id:task\\/d1\\/1\\/lead\\/1 prov:agent id:agency\\/a1 ; prov:hadRole kg:LeadRole ; kg:position 1 .
    id:task\\/d1\\/1\\/support\\/1 prov:agent id:agency\\/b1 ; prov:hadRole kg:SupportRole ; kg:position 1 .
    id:task\\/d1\\/1\\/support\\/2 prov:agent id:agency\\/c1 ; prov:hadRole kg:SupportRole ; kg:position 2 .
    id:task\\/d1\\/2 a kg:Task ; rdfs:label "完成老旧小区改造20个"@zh ; kg:quote "完成老旧小区改造20个。"@zh ;
        kg:sourceDocument id:doc\\/d1 ; dcterms:spatial id:place\\/330206 ;
        kg:leadUnit id:agency\\/f1 ; kg:supportUnit id:agency\\/a1 .
}

id:doc\\/d2 {
    id:agency\\/a2 a kg:Agency , prov:Agent ; skos:prefLabel "区住房和城乡建设局"@zh ;
        dcterms:spatial id:place\\/330211 .
    id:task\\/d2\\/1 a kg:Task ; rdfs:label "新建保障性租赁住房1000套"@zh ;
        kg:quote "新建保障性租赁住房1000套。"@zh ;
        kg:sourceDocument id:doc\\/d2 ; dcterms:spatial id:place\\/330211 ; kg:leadUnit id:agency\\/a2 .
}
"""
ID = "https://w3id.org/kg-gov/id/"


@pytest.fixture
def graph_dir(tmp_path: Path) -> Path:
    """A graph folder with the store of TRIG, as ``kg build --out`` leaves it."""
    quads = pyoxigraph.parse(TRIG.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    folder = tmp_path / "graph"
    folder.mkdir()
    load_store(pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8"), folder)
    return folder


@pytest.fixture
def graph(graph_dir: Path) -> VizGraph:
    from kg.store import open_store

    return load_viz_graph(open_store(graph_dir))


def labels(view) -> set[str]:  # noqa: ANN001
    return {n.label for n in view.graph.nodes if n.id in view.node_ids}


def vis_items(html: str, name: str) -> list[dict]:
    """The node or edge items the page hands to vis-network (``kgNodeItems`` / ``kgEdgeItems``)."""
    match = re.search(rf"var {name} = (\[.*?\]);\n", html)
    assert match is not None
    return json.loads(match.group(1))


def by_iri(data: dict, iri: str) -> int:
    """The page's node index of an IRI under ID."""
    return next(int(k) for k, n in data["nodes"].items() if n["iri"] == ID + iri)


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match.group(1))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


# --- the graph read from the store ----------------------------------------------------------------


def test_load_reads_tasks_units_features_and_their_links(graph: VizGraph) -> None:
    types = {n.id.removeprefix(ID): (n.type, n.kind) for n in graph.nodes}
    assert types == {
        "agency/a1": ("agency", "机构"),
        "agency/a2": ("agency", "机构"),
        "agency/b1": ("agency", "机构"),
        "agency/c1": ("collective", "集合单位"),
        "agency/f1": ("agency", "临时机构"),
        "project/p1": ("project", "项目"),
        "road/r1": ("road", "道路"),
        "task/d1/1": ("task", ""),
        "task/d1/2": ("task", ""),
        "task/d2/1": ("task", ""),
    }
    edges = {(e.task.removeprefix(ID), e.other.removeprefix(ID), e.role, e.position) for e in graph.edges}
    assert edges == {
        ("task/d1/1", "agency/a1", "lead", 1),
        ("task/d1/1", "agency/b1", "support", 1),
        ("task/d1/1", "agency/c1", "support", 2),
        ("task/d1/1", "road/r1", "involves", 0),
        ("task/d1/1", "project/p1", "involves", 0),
        ("task/d1/2", "agency/f1", "lead", 0),
        ("task/d1/2", "agency/a1", "support", 0),
        ("task/d2/1", "agency/a2", "lead", 0),
    }
    a1 = next(n for n in graph.nodes if n.id == ID + "agency/a1")
    assert a1.alt_labels == ("区住建局",) and a1.jurisdictions == (ID + "place/330206",)
    assert graph.unlinked == 1  # 只被提及的项目
    assert [d.title for d in graph.documents] == ["北仑区2024年任务分解", "镇海区2025年工作思路"]
    task = next(t for t in graph.tasks if t.id == ID + "task/d1/1")
    assert task.quote.startswith("推进明州大道改造。") and task.document == ID + "doc/d1"


def test_viz_queries_have_title_and_description() -> None:
    folder = resources.files("kg").joinpath("sparql")
    names = sorted(p.name for p in folder.iterdir() if p.name.startswith("viz_"))
    code = Path(graph_slice.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'_values\(store, "(viz_\w+)"', code))
    assert names == sorted(f"{name}.rq" for name in used)  # every query is used, and exists
    for name in names:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        assert text.startswith("# title: ") and "\n# description: " in text


# --- views ----------------------------------------------------------------------------------------


def test_full_view_notes_the_entities_no_task_links_to(graph: VizGraph) -> None:
    view = full_view(graph)
    assert len(view.node_ids) == 10
    assert view.notes == ("另有 1 个只被提及、未与任务关联的实体未画出",)


@pytest.mark.parametrize("name", ["北仑区", "宁波市北仑区", "330206", "北仑"])
def test_jurisdiction_keeps_the_place_by_any_of_its_names(graph: VizGraph, name: str) -> None:
    view = select_view(graph, jurisdiction=name)
    assert ID + "agency/a2" not in view.node_ids
    assert len(view.node_ids) == 8
    assert view.notes[-1] == f"辖区: 只显示{name}"


def test_jurisdiction_keeps_the_places_inside_it(graph: VizGraph) -> None:
    assert len(select_view(graph, jurisdiction="宁波市").node_ids) == 10


def test_unknown_jurisdiction_names_the_known_ones(graph: VizGraph) -> None:
    with pytest.raises(UnknownJurisdictionError, match="西湖区.*宁波市北仑区、宁波市镇海区"):
        select_view(graph, jurisdiction="西湖区")


def test_focus_by_abbreviation_and_depth(graph: VizGraph) -> None:
    one = select_view(graph, focus="区住建局", depth=1)
    assert labels(one) == {"区住房和城乡建设局", "推进明州大道改造", "完成老旧小区改造20个"}
    two = select_view(graph, focus="区住建局", depth=2)
    assert labels(two) == labels(one) | {"区财政局", "各街道", "明州大道", "中心公园", "区城建指挥部"}
    assert two.notes[-1] == "聚焦: 区住房和城乡建设局（1 个节点）及其 2 层邻域"


def test_focus_on_a_shared_name_takes_every_unit_of_that_name(graph: VizGraph) -> None:
    view = select_view(graph, focus="区住房和城乡建设局", depth=1)
    assert {ID + "agency/a1", ID + "agency/a2", ID + "task/d2/1"} <= view.node_ids
    scoped = select_view(graph, focus="区住房和城乡建设局", depth=1, jurisdiction="镇海区")
    assert scoped.node_ids == {ID + "agency/a2", ID + "task/d2/1"}


def test_unknown_focus_suggests_names(graph: VizGraph) -> None:
    with pytest.raises(UnknownFocusError, match="区交通局"):
        select_view(graph, focus="区交通局")
    with pytest.raises(UnknownFocusError, match="did you mean 区住房和城乡建设局、区城建指挥部、区财政局"):
        select_view(graph, focus="区", jurisdiction="北仑区")


def test_types_keep_only_those_types(graph: VizGraph) -> None:
    view = select_view(graph, types=["agency", "task"])
    assert {n.type for n in graph.nodes if n.id in view.node_ids} == {"agency", "task"}
    assert view.notes[-1] == "类型: 只显示机构、任务"
    with pytest.raises(VizError, match="unknown node types \\['ship'\\]"):
        select_view(graph, types=["ship"])


def test_reduce_drops_features_then_tasks_then_small_units(graph: VizGraph) -> None:
    view = full_view(graph)
    assert reduce_view(view, max_nodes=10) is view
    no_features = reduce_view(view, max_nodes=8)
    assert {n.type for n in graph.nodes if n.id in no_features.node_ids} == {"agency", "collective", "task"}
    assert "未画出 道路 1 个、项目 1 个" in no_features.notes[-1]
    units = {ID + u for u in ("agency/a1", "agency/a2", "agency/b1", "agency/c1", "agency/f1")}
    fewer_tasks = reduce_view(view, max_nodes=7)
    assert fewer_tasks.node_ids == units | {ID + "task/d1/1", ID + "task/d1/2"}  # d2/1 has one unit
    assert "未画出 任务 1 个、道路 1 个、项目 1 个" in fewer_tasks.notes[-1]
    small = reduce_view(view, max_nodes=3)
    assert small.node_ids == {ID + "agency/a1", ID + "agency/a2", ID + "agency/b1"}  # a1: two tasks
    assert "超过流畅显示的上限 3 个" in small.notes[-1]
    chosen = reduce_view(view, max_nodes=1, sizes={ID + "agency/b1": 0.9})
    assert chosen.node_ids == {ID + "agency/b1"}


# --- the page -------------------------------------------------------------------------------------


def test_page_is_self_contained(graph: VizGraph) -> None:
    html = render_html(full_view(graph))
    for tag, attrs in tags(html):
        for key in ("src", "href"):
            assert not (attrs.get(key) or "").lower().startswith(("http:", "https:", "//")), (tag, attrs)
        assert tag not in ("link", "iframe", "img"), tag
        assert not (tag == "script" and "src" in attrs)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap", "tom-select", "googleapis"):
        assert cdn not in html.lower()
    vis = (resources.files("pyvis") / "templates/lib/vis-9.1.2/vis-network.min.js").read_text(
        encoding="utf-8"
    )
    assert vis.strip() in html  # vis-network inlined, whole
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html


def test_page_draws_types_roles_and_sizes(graph: VizGraph) -> None:
    html = render_html(full_view(graph))
    nodes, edges = vis_items(html, "kgNodeItems"), vis_items(html, "kgEdgeItems")
    assert len(nodes) == 10 and len(edges) == 8
    data = page_data(html)
    by_name = {data["nodes"][str(n["id"])]["name"]: n for n in nodes if n["id"] != by_iri(data, "agency/a2")}
    assert by_name["明州大道"]["shape"] == NODE_TYPES["road"].shape
    assert by_name["区财政局"]["color"] == NODE_TYPES["agency"].color
    assert by_name["各街道"]["shapeProperties"] == {"borderDashes": [4, 3]}
    styles = {(e["role"], e["label"], json.dumps(e["dashes"])) for e in edges}
    assert styles == {
        ("lead", "牵头", "false"),
        ("support", "配合", "[8, 5]"),
        ("involves", "涉及", "[2, 4]"),
    }
    lead = next(e for e in edges if e["role"] == "lead")
    assert data["nodes"][str(lead["from"])]["type"] != "task"  # unit -> task
    # degree: 区住房和城乡建设局 (2 tasks) is larger than 区财政局 (1 task)
    assert by_name["区住房和城乡建设局"]["size"] > by_name["区财政局"]["size"]
    sized = vis_items(render_html(full_view(graph), sizes={ID + "agency/b1": 5.0}), "kgNodeItems")
    assert max(sized, key=lambda n: n["size"])["id"] == by_name["区财政局"]["id"]


def test_page_data_holds_the_card_contents(graph: VizGraph) -> None:
    data = page_data(render_html(full_view(graph)))
    a1 = next(n for n in data["nodes"].values() if n["iri"] == ID + "agency/a1")
    assert a1["alt"] == ["区住建局"] and a1["kind"] == "机构"
    assert a1["links"] == [[ID + "task/d1/1", "lead"], [ID + "task/d1/2", "support"]]
    assert data["places"][ID + "place/330206"] == "宁波市北仑区"
    assert ID + "place/330200" in a1["within"]
    task = data["tasks"][ID + "task/d1/1"]
    assert task["doc"] == ID + "doc/d1" and task["quote"].startswith("推进明州大道改造")
    assert [u[:2] for u in task["units"]][:3] == [
        ["区住房和城乡建设局", "lead"],
        ["区财政局", "support"],
        ["各街道", "support"],
    ]
    assert data["docs"][ID + "doc/d1"] == {
        "title": "北仑区2024年任务分解",
        "issued": "2024-04-01",
        "file": "d1.txt",
    }


def test_malicious_labels_are_escaped_in_the_page(graph: VizGraph) -> None:
    nodes = [
        replace(n, label=EVIL, alt_labels=(EVIL_SCRIPT,)) if n.id == ID + "agency/b1" else n
        for n in graph.nodes
    ]
    tasks = [replace(t, label=EVIL_SCRIPT, quote=EVIL) for t in graph.tasks]
    docs = [replace(d, title=EVIL_SCRIPT) for d in graph.documents]
    evil = replace(graph, nodes=tuple(nodes), tasks=tuple(tasks), documents=tuple(docs))
    html = render_html(full_view(evil), title=EVIL)
    assert EVIL not in html and EVIL_SCRIPT not in html
    assert "<img" not in html and "<script>alert" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # the label is in the data, as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the heading, escaped by the template
    script_tags = [t for t, _ in tags(html) if t == "script"]
    assert len(script_tags) == 4  # vis-network, the data, the items, the page script: nothing added
    assert any(n["name"] == EVIL and n["alt"] == [EVIL_SCRIPT] for n in page_data(html)["nodes"].values())


def test_page_script_never_uses_innerhtml() -> None:
    script = (resources.files("kg") / "viz_assets" / "viz.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script
    assert "textContent" in script


def test_legend_lists_every_type_and_both_roles(graph: VizGraph) -> None:
    html = render_html(full_view(graph))
    legend = html[
        html.index('<section id="kg-legend"') : html.index(
            "</section>", html.index('<section id="kg-legend"')
        )
    ]
    for key, style in NODE_TYPES.items():
        assert f'value="{key}"' in legend and f"<span>{style.label}</span>" in legend
    assert (
        "<span>牵头</span>" in legend and "<span>配合</span>" in legend and 'stroke-dasharray="8 5"' in legend
    )
    assert '"Noto Sans CJK SC"' in html and '"Microsoft YaHei"' in html


def test_page_is_deterministic(graph: VizGraph) -> None:
    assert render_html(full_view(graph)) == render_html(full_view(graph))


def test_page_of_an_empty_graph() -> None:
    html = render_html(full_view(VizGraph((), ())))
    assert vis_items(html, "kgNodeItems") == [] and '显示 <span id="kg-count">0</span> 个节点' in html


# --- writing --------------------------------------------------------------------------------------


def test_write_graph_html_writes_utf8(graph_dir: Path) -> None:
    report = write_graph_html(graph_dir)
    assert report.path == graph_dir / "graph.html"
    assert (report.nodes, report.edges, report.total_nodes) == (10, 8, 10)
    text = report.path.read_bytes().decode("utf-8")
    assert "区住房和城乡建设局" in text
    assert sorted(p.name for p in graph_dir.iterdir()) == ["graph.html", "store"]  # no temporary file left


def test_write_graph_html_is_atomic(graph_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = graph_dir / "page.html"
    out.write_text("old page", encoding="utf-8")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="page.html"):
        write_graph_html(graph_dir, out)
    assert out.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in graph_dir.iterdir()) == ["page.html", "store"]


def test_write_graph_html_options(graph_dir: Path, tmp_path: Path) -> None:
    report = write_graph_html(
        graph_dir,
        tmp_path / "f.html",
        focus="区住建局",
        depth=1,
        jurisdiction="北仑区",
        types=["agency", "task"],
        max_nodes=2,
    )
    assert report.nodes == 2 and report.path.exists()
    assert report.notes[1:] == (
        "辖区: 只显示北仑区",
        "聚焦: 区住房和城乡建设局（1 个节点）及其 1 层邻域",
        "类型: 只显示机构、任务",
        "图共 3 个节点，超过流畅显示的上限 2 个：未画出 任务 1 个"
        "（先略去道路等要素，再略去单位最少的任务；用 --jurisdiction、--types 或 --focus 查看其余部分）",
    )


def test_write_graph_html_without_store(tmp_path: Path) -> None:
    with pytest.raises(GraphNotBuiltError):
        write_graph_html(tmp_path)


# --- kg viz ---------------------------------------------------------------------------------------


def test_cli_viz_writes_the_page(graph_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "g.html"
    result = CliRunner().invoke(
        cli,
        [
            "viz",
            "--graph",
            str(graph_dir),
            "--out",
            str(out),
            "--types",
            "agency,task",
            "--types",
            "road",
            "-j",
            "北仑区",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out}\n"
    assert (
        "Note: 类型: 只显示机构、任务、道路" in result.stderr
        and "6 of 10 nodes, 5 links drawn" in result.stderr
    )
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_viz_default_path(graph_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["viz", "--graph", str(graph_dir), "--focus", "区财政局", "--depth", "1"]
    )
    assert result.exit_code == 0, result.stderr
    assert (graph_dir / "graph.html").exists() and "2 of 10 nodes, 1 links drawn" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--focus", "区交通局"], 1, "Error: no unit or feature named '区交通局'"),
        (["-j", "西湖区"], 1, "Error: no jurisdiction named '西湖区'"),
        (["--types", "agency,ship"], 2, "unknown type ship"),
        (["--depth", "-1"], 2, "Invalid value for '--depth'"),
    ],
)
def test_cli_viz_errors(graph_dir: Path, args: list[str], code: int, message: str) -> None:
    result = CliRunner().invoke(cli, ["viz", "--graph", str(graph_dir), *args])
    assert result.exit_code == code
    assert message in result.stderr


def test_cli_viz_without_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["viz", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert "no graph store found" in result.stderr and "kg build --out" in result.stderr


def test_max_nodes_is_what_the_benchmark_chose() -> None:
    assert graph_view.MAX_NODES == 1000
