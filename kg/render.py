"""Graph store -> one self-contained HTML page (pyvis, vis-network inlined) of units, tasks and features.

The page draws agencies, collective units, tasks, roads, rail lines, housing programmes, projects
and places; lead (牵头) and support (配合) links from units to tasks, and the features a task
involves (涉及). Hovering or clicking a node shows its full name, type, jurisdiction, tasks and
the source sentences with their documents; a search box, filters and a focus view run in the page.
Every text from the documents reaches the page as JSON and is put into the DOM with textContent.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KGError
from kg.namespaces import KG

__all__ = [
    "MAX_NODES",
    "NODE_TYPES",
    "ROLES",
    "NodeStyle",
    "VizError",
    "UnknownFocusError",
    "UnknownJurisdictionError",
    "VizNode",
    "VizEdge",
    "VizTask",
    "VizDocument",
    "VizPlace",
    "VizGraph",
    "VizView",
    "VizReport",
    "load_viz_graph",
    "full_view",
    "select_view",
    "reduce_view",
    "node_sizes",
    "render_html",
    "write_graph_html",
]

#: Above this many nodes the graph is reduced before drawing. bench/bench_viz.py, headless Chromium
#: on 2 cores: stable layout in 0.7 s at 100 nodes, 3.4 s at 1,000 (18 ms a frame), 5.6 s at 1,500,
#: 21 s at 5,000 (200 ms a frame: panning stutters).
MAX_NODES = 1000
#: Font stack for CJK labels, used by the page and by the canvas that draws the labels.
FONT_STACK = (
    '"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",'
    '"WenQuanYi Micro Hei",sans-serif'
)
_VIS_DIR = "templates/lib/vis-9.1.2"
_TASK_LABEL_CHARS = 16


@dataclass(frozen=True)
class NodeStyle:
    """How a node type is drawn: its Chinese name, vis-network shape and colour."""

    label: str
    shape: str
    color: str
    dashed: bool = False  # dashed outline: a set of bodies, not one


#: Node types in legend order; the keys are the values of ``--types``.
NODE_TYPES: dict[str, NodeStyle] = {
    "agency": NodeStyle("机构", "dot", "#2b6cb0"),
    "collective": NodeStyle("集合单位", "dot", "#805ad5", dashed=True),
    "task": NodeStyle("任务", "square", "#718096"),
    "road": NodeStyle("道路", "triangle", "#dd6b20"),
    "rail": NodeStyle("轨道交通线路", "triangleDown", "#c53030"),
    "housing": NodeStyle("住房保障项目", "diamond", "#2f855a"),
    "project": NodeStyle("项目", "star", "#b7791f"),
    "place": NodeStyle("地点", "hexagon", "#319795"),
}
#: Edge roles: Chinese label, colour, dash pattern (False: solid).
ROLES: dict[str, tuple[str, str, list[int] | bool]] = {
    "lead": ("牵头", "#2b6cb0", False),
    "support": ("配合", "#b7791f", [8, 5]),
    "involves": ("涉及", "#a0aec0", [2, 4]),
}
FEATURE_TYPES = ("road", "rail", "housing", "project", "place")
# rdf:type -> (node type, Chinese class name); the first class of this order wins.
_CLASSES: dict[str, tuple[str, str]] = {
    str(KG.CollectiveUnit): ("collective", "集合单位"),
    str(KG.TaskForce): ("agency", "临时机构"),
    str(KG.Agency): ("agency", "机构"),
    str(KG.RailLine): ("rail", "轨道交通线路"),
    str(KG.Road): ("road", "道路"),
    str(KG.HousingProgramme): ("housing", "住房保障项目"),
    str(KG.Project): ("project", "项目"),
    str(KG.Place): ("place", "地点"),
}


class VizError(KGError):
    """The graph view cannot be made as asked."""


class UnknownFocusError(VizError):
    """No unit or feature has the name given to ``--focus``."""


class UnknownJurisdictionError(VizError):
    """No place of the graph has the name given to ``--jurisdiction``."""


@dataclass(frozen=True)
class VizNode:
    """A drawable node: a unit, a task or a feature (``type`` is a key of ``NODE_TYPES``)."""

    id: str  # IRI
    type: str
    label: str
    kind: str = ""  # Chinese class name (临时机构 ...); empty: the type's name
    alt_labels: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()  # place IRIs


@dataclass(frozen=True)
class VizEdge:
    """A task's link to a unit (lead, support) or to a feature (involves), read from one document."""

    task: str
    other: str
    role: str
    document: str
    position: int = 0  # the unit's place in its list as written (0: not recorded)


@dataclass(frozen=True)
class VizTask:
    """A task's text, source sentence, document and jurisdiction."""

    id: str
    label: str
    quote: str = ""
    document: str = ""
    jurisdiction: str = ""


@dataclass(frozen=True)
class VizDocument:
    """A document: title, date of issue, file name, jurisdiction."""

    id: str
    title: str = ""
    issued: str = ""
    file: str = ""
    jurisdiction: str = ""


@dataclass(frozen=True)
class VizPlace:
    """A jurisdiction: names, GB/T 2260 code and the place it lies in."""

    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    code: str = ""
    parent: str = ""


@dataclass(frozen=True)
class VizGraph:
    """Everything the page can show; ``unlinked`` counts entities that no task links to."""

    nodes: tuple[VizNode, ...]
    edges: tuple[VizEdge, ...]
    tasks: tuple[VizTask, ...] = ()
    documents: tuple[VizDocument, ...] = ()
    places: tuple[VizPlace, ...] = ()
    unlinked: int = 0


@dataclass(frozen=True)
class VizView:
    """The nodes of a graph chosen for drawing, and notes on what was chosen or left out."""

    graph: VizGraph
    node_ids: frozenset[str]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VizReport:
    """What ``write_graph_html`` wrote."""

    path: Path
    nodes: int
    edges: int
    total_nodes: int
    notes: tuple[str, ...]


def _query(store: Any, name: str) -> list[dict[str, str]]:
    """Run ``kg/sparql/<name>.rq`` on the store; each row maps variable -> lexical value."""
    text = resources.files("kg").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")
    result = store.query(text)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def load_viz_graph(store: Any) -> VizGraph:
    """Read tasks, their links, units, features, documents and places from an Oxigraph store.

    Args:
        store: a ``pyoxigraph.Store`` as written by ``kg build`` (see ``kg.store.open_store``).
    """
    edges = sorted(
        {VizEdge(r["task"], r["target"], r["role"], r["doc"], int(r.get("position", 0))) for r in _query(store, "viz_edges")},
        key=lambda e: (e.task, e.role, e.position, e.other, e.document),
    )  # fmt: skip
    tasks = {r["task"]: VizTask(r["task"], r["label"], r.get("quote", ""), r.get("doc", ""), r.get("place", ""))
             for r in _query(store, "viz_tasks")}  # fmt: skip
    classes: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, set[str]] = defaultdict(set)
    alts: dict[str, set[str]] = defaultdict(set)
    spatial: dict[str, set[str]] = defaultdict(set)
    for r in _query(store, "viz_entities"):
        e = r["entity"]
        classes[e].add(r["class"])
        labels[e].add(r["label"])
        alts[e].update([r["alt"]] if "alt" in r else [])
        spatial[e].update([r["place"]] if "place" in r else [])
    linked = {e.other for e in edges}
    nodes = [VizNode(t.id, "task", t.label, jurisdictions=(t.jurisdiction,) if t.jurisdiction else ()) for t in tasks.values()]
    for iri in sorted(linked - tasks.keys()):
        type_, kind = next((_CLASSES[c] for c in _CLASSES if c in classes[iri]), ("agency", "机构"))
        label = min(labels[iri]) if labels[iri] else iri.rsplit("/", 1)[-1]
        nodes.append(VizNode(iri, type_, label, kind, tuple(sorted(alts[iri] - {label})), tuple(sorted(spatial[iri]))))
    documents = [VizDocument(r["doc"], r.get("title", ""), r.get("issued", ""), r.get("file", ""), r.get("place", ""))
                 for r in _query(store, "viz_documents")]  # fmt: skip
    place_alts: dict[str, set[str]] = defaultdict(set)
    place_rows: dict[str, dict[str, str]] = {}
    for r in _query(store, "viz_places"):
        place_rows.setdefault(r["place"], r)
        place_alts[r["place"]].update([r["alt"]] if "alt" in r else [])
    places = [VizPlace(p, r["label"], tuple(sorted(place_alts[p])), r.get("code", ""), r.get("parent", ""))
              for p, r in sorted(place_rows.items())]  # fmt: skip
    return VizGraph(
        nodes=tuple(sorted(nodes, key=lambda n: n.id)),
        edges=tuple(edges),
        tasks=tuple(sorted(tasks.values(), key=lambda t: t.id)),
        documents=tuple(sorted(documents, key=lambda d: d.id)),
        places=tuple(places),
        unlinked=len(classes.keys() - linked),
    )


def full_view(graph: VizGraph) -> VizView:
    """All nodes of the graph, with a note on the entities that no task links to."""
    notes = (f"另有 {graph.unlinked} 个只被提及、未与任务关联的实体未画出",) if graph.unlinked else ()
    return VizView(graph, frozenset(n.id for n in graph.nodes), notes)


def _adjacency(graph: VizGraph, ids: frozenset[str]) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        if e.task in ids and e.other in ids:
            adjacent[e.task].add(e.other)
            adjacent[e.other].add(e.task)
    return adjacent


class _Places:
    """Place names and hierarchy: display names, lookup by any name, ancestors."""

    def __init__(self, places: Iterable[VizPlace]) -> None:
        self.by_id = {p.id: p for p in places}

    def ancestors(self, iri: str) -> list[str]:
        """The place and the places it lies in, innermost first."""
        chain: list[str] = []
        while iri and iri not in chain:
            chain.append(iri)
            iri = self.by_id[iri].parent if iri in self.by_id else ""
        return chain

    def full_name(self, iri: str) -> str:
        """浙江省宁波市北仑区: the labels of the chain, skipping a parent the label already holds."""
        chain = [self.by_id[p].label for p in self.ancestors(iri) if p in self.by_id]
        name = chain[0] if chain else iri.rsplit("/", 1)[-1]
        for parent in chain[1:]:
            name = name if parent in name else parent + name
        return name

    def display(self, iri: str) -> str:
        """The full name without the province, unless it is the province (宁波市北仑区, 宁波市)."""
        chain = [p for p in self.ancestors(iri) if p in self.by_id]
        name = self.full_name(iri)
        return name.removeprefix(self.by_id[chain[-1]].label) if len(chain) >= 2 else name

    def find(self, name: str) -> list[str]:
        """Places called ``name`` (label, alternative label, code, full name); else whose name holds it."""
        names = {p.id: {p.label, p.code, *p.alt_labels, self.full_name(p.id), self.display(p.id)} - {""}
                 for p in self.by_id.values()}  # fmt: skip
        exact = [p for p, known in names.items() if name in known]
        return exact or [p for p, known in names.items() if any(name in k for k in known)]


def select_view(
    graph: VizGraph,
    *,
    focus: str | None = None,
    depth: int = 2,
    jurisdiction: str | None = None,
    types: Iterable[str] | None = None,
) -> VizView:
    """Choose the part of the graph to draw: one jurisdiction, one unit's neighbourhood, some types.

    Args:
        graph: the loaded graph.
        focus: a unit's (or feature's) name, alternative name or IRI; keeps the nodes within
            ``depth`` links of it (of every node of that name, e.g. 区教育局 of several districts).
        depth: links from the focus (1: its tasks; 2: also the other units of those tasks).
        jurisdiction: a place name (北仑区, 宁波市北仑区, 330206); keeps nodes of that place or
            of places inside it.
        types: node types to keep (keys of ``NODE_TYPES``); None keeps all.

    Raises:
        UnknownJurisdictionError, UnknownFocusError: nothing has that name.
    """
    view = full_view(graph)
    ids, notes, by_id = set(view.node_ids), list(view.notes), {n.id: n for n in graph.nodes}
    if jurisdiction:
        places = _Places(graph.places)
        wanted = set(places.find(jurisdiction))
        if not wanted:
            known = "、".join(sorted({places.display(p) for p in places.by_id}))
            raise UnknownJurisdictionError(f"no jurisdiction named {jurisdiction!r}; the graph has: {known}")
        ids = {n.id for n in graph.nodes if n.id in ids and wanted & {a for j in n.jurisdictions for a in places.ancestors(j)}}
        notes.append(f"辖区: 只显示{jurisdiction}")
    if focus:
        roots = _find_focus(graph, focus, ids)
        adjacent, frontier, ring = _adjacency(graph, frozenset(ids)), set(roots), 0
        keep = set(roots)
        while frontier and ring < depth:
            frontier = {m for n in frontier for m in adjacent[n]} - keep
            keep |= frontier
            ring += 1
        ids = keep
        named = "、".join(sorted({by_id[r].label for r in roots}))
        notes.append(f"聚焦: {named}（{len(roots)} 个节点）及其 {depth} 层邻域")
    if types is not None:
        chosen = set(types)
        unknown = chosen - NODE_TYPES.keys()
        if unknown:
            raise VizError(f"unknown node types {sorted(unknown)}; choose from {', '.join(NODE_TYPES)}")
        ids = {n.id for n in graph.nodes if n.id in ids and n.type in chosen}
        notes.append("类型: 只显示" + "、".join(NODE_TYPES[t].label for t in NODE_TYPES if t in chosen))
    return VizView(graph, frozenset(ids), tuple(notes))


def _find_focus(graph: VizGraph, focus: str, ids: set[str]) -> list[str]:
    candidates = [n for n in graph.nodes if n.id in ids and n.type != "task"]
    exact = [n.id for n in candidates if focus in (n.id, n.label, *n.alt_labels)]
    if exact:
        return exact
    partial = [n for n in candidates if focus in n.label or any(focus in a for a in n.alt_labels)]
    if len(partial) == 1:
        return [partial[0].id]
    hint = "; did you mean " + "、".join(sorted({n.label for n in partial})[:8]) + "?" if partial else ""
    raise UnknownFocusError(f"no unit or feature named {focus!r} in the graph{hint}")


def node_sizes(graph: VizGraph) -> dict[str, float]:
    """Degree of every node: the number of distinct nodes it is linked to.

    >>> node_sizes(VizGraph((), (VizEdge("t", "a", "lead", "d"), VizEdge("t", "b", "support", "d"))))
    {'a': 1.0, 'b': 1.0, 't': 2.0}
    """
    adjacent = _adjacency(graph, frozenset({e.task for e in graph.edges} | {e.other for e in graph.edges}))
    return {n: float(len(m)) for n, m in sorted(adjacent.items())}


def reduce_view(view: VizView, *, max_nodes: int = MAX_NODES, sizes: Mapping[str, float] | None = None) -> VizView:
    """Shrink a view above ``max_nodes``: drop the features first, then keep the largest nodes.

    The notes say how many nodes of each type were left out and how to see them.
    """
    if len(view.node_ids) <= max_nodes:
        return view
    by_id = {n.id: n for n in view.graph.nodes}
    ids = {i for i in view.node_ids if by_id[i].type not in FEATURE_TYPES}
    if len(ids) > max_nodes:
        weight = sizes if sizes is not None else node_sizes(view.graph)
        ids = set(sorted(ids, key=lambda i: (-weight.get(i, 0.0), i))[:max_nodes])
    left_out: dict[str, int] = defaultdict(int)
    for i in view.node_ids - ids:
        left_out[by_id[i].type] += 1
    counts = "、".join(f"{NODE_TYPES[t].label} {left_out[t]} 个" for t in NODE_TYPES if left_out[t])
    note = (
        f"图共 {len(view.node_ids)} 个节点，超过流畅显示的上限 {max_nodes} 个：未画出 {counts}"
        "（保留中心度最高的节点；用 --jurisdiction、--types 或 --focus 查看其余部分）"
    )
    return VizView(view.graph, frozenset(ids), (*view.notes, note))


def _scale(sizes: Mapping[str, float], nodes: Iterable[VizNode]) -> dict[str, float]:
    """Node sizes in pixels by the square root of the min-max normalised measure.

    Units and features take 10 to 40 px; tasks, many and alike, 6 to 14 px.

    >>> _scale({"a": 4.0, "b": 1.0, "t": 4.0}, [VizNode("a", "agency", "A"), VizNode("b", "road", "B"),
    ...                                          VizNode("t", "task", "T")])
    {'a': 40.0, 'b': 10.0, 't': 14.0}
    """
    nodes = list(nodes)
    values = {n.id: float(sizes.get(n.id, 0.0)) for n in nodes}
    low, high = min(values.values(), default=0.0), max(values.values(), default=0.0)
    span = (high - low) or 1.0
    ranges = {n.id: (6, 8) if n.type == "task" else (10, 30) for n in nodes}
    return {i: round(ranges[i][0] + ranges[i][1] * math.sqrt((v - low) / span), 2) for i, v in values.items()}


def _vis_items(view: VizView, sizes: Mapping[str, float]) -> tuple[list[dict], list[dict], dict[str, int]]:
    """vis-network node and edge items (ids are indices) and the IRI -> index map."""
    nodes = sorted((n for n in view.graph.nodes if n.id in view.node_ids), key=lambda n: n.id)
    index = {n.id: k for k, n in enumerate(nodes)}
    pixels = _scale(sizes, nodes)
    items = []
    for n in nodes:
        style = NODE_TYPES[n.type]
        label = n.label if n.type != "task" or len(n.label) <= _TASK_LABEL_CHARS else n.label[:_TASK_LABEL_CHARS] + "…"
        item = {"id": index[n.id], "label": label, "shape": style.shape, "color": style.color, "size": pixels[n.id]}
        if style.dashed:
            item["shapeProperties"] = {"borderDashes": [4, 3]}
            item["color"] = {"background": "#e9d8fd", "border": style.color}
        items.append(item)
    edges, seen = [], set()
    for e in view.graph.edges:
        if e.task in index and e.other in index and (e.task, e.other, e.role) not in seen:
            seen.add((e.task, e.other, e.role))
            ends = (index[e.task], index[e.other]) if e.role == "involves" else (index[e.other], index[e.task])
            label, color, dashes = ROLES[e.role]
            edges.append({"from": ends[0], "to": ends[1], "label": label, "color": color, "dashes": dashes,
                          "width": 2 if e.role == "lead" else 1, "role": e.role})  # fmt: skip
    return items, edges, index


def _page_data(view: VizView, index: dict[str, int]) -> dict[str, Any]:
    """Everything the hover cards, the search and the filters need, keyed by node index."""
    graph, places = view.graph, _Places(view.graph.places)
    names = {n.id: n.label for n in graph.nodes}
    tasks = {t.id: t for t in graph.tasks}
    links: dict[str, list[list[str]]] = defaultdict(list)
    docs_of: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        links[e.other].append([e.task, e.role])
        links[e.task].append([e.other, e.role])
        docs_of[e.task].add(e.document)
        docs_of[e.other].add(e.document)
    nodes, used_tasks, used_places = {}, set(), set()
    for n in graph.nodes:
        if n.id not in index:
            continue
        within = sorted({a for j in n.jurisdictions for a in places.ancestors(j)})
        used_places.update(within)
        entry = {"iri": n.id, "name": n.label, "type": n.type, "kind": n.kind or NODE_TYPES[n.type].label,
                 "alt": list(n.alt_labels), "jur": list(n.jurisdictions), "within": within,
                 "docs": sorted(docs_of[n.id]), "links": [] if n.type == "task" else _unique(links[n.id])}  # fmt: skip
        used_tasks.update([n.id] if n.type == "task" else [t for t, _ in entry["links"]])
        nodes[str(index[n.id])] = entry
    task_data = {}
    for t in sorted(used_tasks & tasks.keys()):
        units = [[names.get(o, o), role, index.get(o, -1)] for o, role in _unique(links[t])]
        task_data[t] = {"label": tasks[t].label, "quote": tasks[t].quote, "doc": tasks[t].document, "units": units}
    documents = {d.id: {"title": d.title, "issued": d.issued, "file": d.file} for d in graph.documents}
    edge_docs = [e.document for e in graph.edges if e.task in index and e.other in index]
    return {
        "nodes": nodes,
        "tasks": task_data,
        "docs": documents,
        "docOptions": sorted(set(edge_docs), key=lambda d: (documents.get(d, {}).get("issued", ""), d)),
        "places": {p: places.display(p) for p in sorted(used_places | {t.jurisdiction for t in tasks.values()} - {""})},
        "types": {k: s.label for k, s in NODE_TYPES.items()},
        "roles": {k: r[0] for k, r in ROLES.items()},
        "notes": list(view.notes),
        "total": len(graph.nodes),
    }


def _unique(pairs: list[list[str]]) -> list[list[str]]:
    out: list[list[str]] = []
    for pair in pairs:
        if pair not in out:
            out.append(pair)
    return out


def _script_json(value: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element or open a comment.

    >>> _script_json({"a": "</script><img src=x>"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _asset(package: str, *parts: str) -> str:
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def _options(count: int) -> dict[str, Any]:
    """vis-network options: physics until stable (then stopped in the page), fewer iterations when large."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": count <= 150},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "springConstant": 0.08, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 1000 if count <= 300 else 400, "updateInterval": 25, "fit": True},
        },  # fmt: skip
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": count > 1000, "multiselect": False},
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "color": "#1a202c"}, "borderWidth": 1.5},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT_STACK, "size": 11, "align": "middle", "color": "#4a5568", "strokeWidth": 3},
        },
    }


def render_html(view: VizView, *, sizes: Mapping[str, float] | None = None, title: str = "政府文件责任关系图") -> str:
    """The page of a view as one HTML string with vis-network, its CSS and the page script inlined.

    Args:
        view: the nodes to draw (``full_view``, ``select_view``, ``reduce_view``).
        sizes: a measure per node IRI (e.g. centrality) that sets node size; default: degree.
        title: the page heading.
    """
    from jinja2 import DictLoader, Environment, select_autoescape
    from pyvis.network import Network

    nodes, edges, index = _vis_items(view, sizes if sizes is not None else node_sizes(view.graph))
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading=title)
    # pyvis' own template loads Bootstrap and tom-select from CDNs; ours inlines everything.
    env = Environment(
        loader=DictLoader({"viz.html": _asset("kg", "viz_assets", "viz.html")}),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    env.globals.update(
        vis_js=_asset("pyvis", _VIS_DIR, "vis-network.min.js"),
        vis_css=_asset("pyvis", _VIS_DIR, "vis-network.css"),
        app_js=_asset("kg", "viz_assets", "viz.js"),
        app_css=_asset("kg", "viz_assets", "viz.css").replace("__FONT_STACK__", FONT_STACK),
        data_json=_script_json(_page_data(view, index)),
        node_types=NODE_TYPES,
        roles=ROLES,
        notes=view.notes,
        counts={"nodes": len(nodes), "edges": len(edges), "total": len(view.graph.nodes)},
    )
    net.templateEnv, net.path = env, "viz.html"
    for item in nodes:
        net.add_node(item.pop("id"), **item)
    for item in edges:
        net.add_edge(item.pop("from"), item.pop("to"), **item)
    net.options = _options(len(nodes))
    for script in (env.globals["vis_js"], env.globals["app_js"]):
        if "</script" in script.lower():
            raise VizError("an inlined script contains '</script' and would end its element early")
    return net.generate_html(name="graph.html")


def write_graph_html(
    graph_dir: Path,
    out_path: Path | None = None,
    *,
    focus: str | None = None,
    depth: int = 2,
    jurisdiction: str | None = None,
    types: Iterable[str] | None = None,
    sizes: Mapping[str, float] | None = None,
    max_nodes: int = MAX_NODES,
    title: str = "政府文件责任关系图",
) -> VizReport:
    """Write the graph page for the store under ``graph_dir`` (default: ``graph_dir/graph.html``).

    The view is chosen by ``select_view`` (focus, depth, jurisdiction, types), then reduced to
    ``max_nodes`` by ``reduce_view``; the file is written as UTF-8 through a temporary file.

    Raises:
        GraphNotBuiltError: no store under ``graph_dir``.
        VizError: an unknown focus, jurisdiction or type.
        OutputError: the file cannot be written.
    """
    from kg.export import write_atomic
    from kg.store import open_store

    graph = load_viz_graph(open_store(Path(graph_dir)))
    view = reduce_view(
        select_view(graph, focus=focus, depth=depth, jurisdiction=jurisdiction, types=types),
        max_nodes=max_nodes,
        sizes=sizes,
    )
    target = Path(out_path) if out_path is not None else Path(graph_dir) / "graph.html"
    html = render_html(view, sizes=sizes, title=title)
    write_atomic(target, html)
    drawn = sum(1 for e in {(e.task, e.other, e.role) for e in graph.edges} if {e[0], e[1]} <= view.node_ids)
    return VizReport(target, len(view.node_ids), drawn, len(graph.nodes), view.notes)

