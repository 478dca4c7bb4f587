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
from typing import TYPE_CHECKING, Any

from kg.graph_view import (
    MAX_NODES,
    ROLE_LABELS,
    TYPE_LABELS,
    PlaceNames,
    VizError,
    VizNode,
    VizView,
    node_sizes,
)

if TYPE_CHECKING:
    from kg.graph_slice import TaskReader

__all__ = ["FONT_STACK", "NODE_TYPES", "ROLES", "NodeStyle", "VizReport", "render_html", "write_graph_html"]

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


#: How each node type (kg.graph_view.TYPE_LABELS, in legend order) is drawn.
NODE_TYPES: dict[str, NodeStyle] = {
    "agency": NodeStyle(TYPE_LABELS["agency"], "dot", "#2b6cb0"),
    "collective": NodeStyle(TYPE_LABELS["collective"], "dot", "#805ad5", dashed=True),
    "task": NodeStyle(TYPE_LABELS["task"], "square", "#718096"),
    "road": NodeStyle(TYPE_LABELS["road"], "triangle", "#dd6b20"),
    "rail": NodeStyle(TYPE_LABELS["rail"], "triangleDown", "#c53030"),
    "housing": NodeStyle(TYPE_LABELS["housing"], "diamond", "#2f855a"),
    "project": NodeStyle(TYPE_LABELS["project"], "star", "#b7791f"),
    "place": NodeStyle(TYPE_LABELS["place"], "hexagon", "#319795"),
}
#: Edge roles: Chinese label, colour, dash pattern (False: solid lines for lead).
ROLES: dict[str, tuple[str, str, list[int] | bool]] = {
    "lead": (ROLE_LABELS["lead"], "#2b6cb0", False),
    "support": (ROLE_LABELS["support"], "#b7791f", [8, 5]),
    "involves": (ROLE_LABELS["involves"], "#a0aec0", [2, 4]),
}


@dataclass(frozen=True)
class VizReport:
    """What ``write_graph_html`` wrote."""

    path: Path
    nodes: int
    edges: int
    total_nodes: int
    notes: tuple[str, ...]


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
        label = (
            n.label
            if n.type != "task" or len(n.label) <= _TASK_LABEL_CHARS
            else n.label[:_TASK_LABEL_CHARS] + "…"
        )
        item = {
            "id": index[n.id],
            "label": label,
            "shape": style.shape,
            "color": style.color,
            "size": pixels[n.id],
        }
        if style.dashed:
            item["shapeProperties"] = {"borderDashes": [4, 3]}
            item["color"] = {"background": "#e9d8fd", "border": style.color}
        items.append(item)
    edges, seen = [], set()
    for e in view.graph.edges:
        if e.task in index and e.other in index and (e.task, e.other, e.role) not in seen:
            seen.add((e.task, e.other, e.role))
            ends = (
                (index[e.task], index[e.other]) if e.role == "involves" else (index[e.other], index[e.task])
            )
            label, color, dashes = ROLES[e.role]
            edges.append(
                {
                    "from": ends[0],
                    "to": ends[1],
                    "label": label,
                    "color": color,
                    "dashes": dashes,
                    "width": 2 if e.role == "lead" else 1,
                    "role": e.role,
                }
            )
    return items, edges, index


def _page_data(view: VizView, index: dict[str, int]) -> dict[str, Any]:
    """Everything the hover cards, the search and the filters need, keyed by node index."""
    graph, places = view.graph, PlaceNames(view.graph.places)
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
        entry = {
            "iri": n.id,
            "name": n.label,
            "type": n.type,
            "kind": n.kind or NODE_TYPES[n.type].label,
            "alt": list(n.alt_labels),
            "jur": list(n.jurisdictions),
            "within": within,
            "docs": sorted(docs_of[n.id]),
            "links": [] if n.type == "task" else _unique(links[n.id]),
        }
        counted = graph.link_counts.get(n.id, {})
        if sum(counted.values()) > len(entry["links"]):  # not all its tasks were read: the card says so
            entry["counts"] = {role: counted[role] for role in ROLE_LABELS if counted.get(role)}
        used_tasks.update([n.id] if n.type == "task" else [t for t, _ in entry["links"]])
        nodes[str(index[n.id])] = entry
    task_data = {}
    for t in sorted(used_tasks & tasks.keys()):
        units = [[names.get(o, o), role, index.get(o, -1)] for o, role in _unique(links[t])]
        task_data[t] = {
            "label": tasks[t].label,
            "quote": tasks[t].quote,
            "doc": tasks[t].document,
            "units": units,
        }
    documents = {d.id: {"title": d.title, "issued": d.issued, "file": d.file} for d in graph.documents}
    edge_docs = [e.document for e in graph.edges if e.task in index and e.other in index]
    return {
        "nodes": nodes,
        "tasks": task_data,
        "docs": documents,
        "docOptions": sorted(set(edge_docs), key=lambda d: (documents.get(d, {}).get("issued", ""), d)),
        "places": {p: places.display(p) for p in sorted(used_places)},
        "roles": dict(ROLE_LABELS),
    }


def _unique(pairs: list[list[str]]) -> list[list[str]]:
    """The pairs without repeats, in their first order.

    >>> _unique([["t1", "lead"], ["t2", "support"], ["t1", "lead"]])
    [['t1', 'lead'], ['t2', 'support']]
    """
    return [list(pair) for pair in dict.fromkeys(tuple(pair) for pair in pairs)]


def _script_json(value: Any) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' can end the element or open a comment.

    >>> _script_json({"a": "</script><img src=x>"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
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
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 90,
                "springConstant": 0.08,
                "avoidOverlap": 0.3,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 1000 if count <= 300 else 400,
                "updateInterval": 25,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": count > 1000,
            "multiselect": False,
        },
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "color": "#1a202c"}, "borderWidth": 1.5},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"face": FONT_STACK, "size": 11, "align": "middle", "color": "#4a5568", "strokeWidth": 3},
        },
    }


def render_html(
    view: VizView, *, sizes: Mapping[str, float] | None = None, title: str = "政府文件责任关系图"
) -> str:
    """The page of a view as one HTML string with vis-network, its CSS and the page script inlined.

    Args:
        view: the nodes to draw (``full_view``, ``select_view``, ``reduce_view``).
        sizes: a measure per node IRI (e.g. centrality) that sets node size; default: degree.
        title: the page heading.
    """
    from jinja2 import DictLoader, Environment, select_autoescape
    from pyvis.network import Network

    if sizes is None:
        sizes = view.degree if view.degree is not None else node_sizes(view.graph)
    nodes, edges, index = _vis_items(view, sizes)
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
        counts={"nodes": len(nodes), "edges": len(edges), "total": view.total_nodes},
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
    max_nodes: int | None = None,
    title: str = "政府文件责任关系图",
    tasks: TaskReader | None = None,
) -> VizReport:
    """Write the graph page for the store under ``graph_dir`` (default: ``graph_dir/graph.html``).

    The view is chosen and reduced on the store's outline (``kg.graph_slice.load_view``, as
    ``select_view`` and ``reduce_view`` would), and only what it draws is read; the file is written
    as UTF-8 through a temporary file and a rename.

    Args:
        graph_dir: the folder ``kg build --out`` wrote (its ``store/`` is read).
        out_path: the HTML file to write.
        focus, depth, jurisdiction, types: see ``kg.graph_view.select_view``.
        sizes: a measure per node IRI (e.g. centrality) for node sizes and for what a reduction
            keeps; nodes it lacks get the smallest size. Default: degree.
        max_nodes: reduce above this many nodes (default ``MAX_NODES``).
        title: the page heading.
        tasks: reads the drawn tasks' texts and links (a build passes the ones it kept).

    Raises:
        GraphNotBuiltError: no store under ``graph_dir``.
        VizError: an unknown focus, jurisdiction or type.
        OutputError: the file cannot be written.
    """
    from kg.export import write_atomic
    from kg.graph_slice import load_view
    from kg.store import open_store

    view = load_view(
        open_store(Path(graph_dir)),
        focus=focus,
        depth=depth,
        jurisdiction=jurisdiction,
        types=types,
        max_nodes=MAX_NODES if max_nodes is None else max_nodes,
        sizes=sizes,
        tasks=tasks,
    )
    target = Path(out_path) if out_path is not None else Path(graph_dir) / "graph.html"
    html = render_html(view, sizes=sizes, title=title)
    write_atomic(target, html)
    drawn = {(e.task, e.other, e.role) for e in view.graph.edges if {e.task, e.other} <= view.node_ids}
    return VizReport(target, len(view.node_ids), len(drawn), view.total_nodes, view.notes)
