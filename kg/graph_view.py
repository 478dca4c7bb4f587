"""Graph store -> the drawable view: tasks, the units that lead or support them, the features they involve.

``load_viz_graph`` reads the store ``kg build`` wrote (SPARQL in kg/sparql/viz_*.rq);
``select_view`` keeps one jurisdiction, one unit's neighbourhood or some node types; and
``reduce_view`` shrinks a view too large to draw smoothly, saying what it left out.
kg.render turns a view into the HTML page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from kg.errors import KGError
from kg.namespaces import KG

__all__ = [
    "MAX_NODES",
    "TYPE_LABELS",
    "ROLE_LABELS",
    "FEATURE_TYPES",
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
    "PlaceNames",
    "load_viz_graph",
    "full_view",
    "select_view",
    "node_sizes",
    "reduce_view",
]

#: Above this many nodes a view is reduced before drawing. bench/bench_viz.py, headless Chromium
#: on 2 cores: a stable layout in 0.7 s at 100 nodes, 3.4 s at 1,000 (18 ms a frame), 5.6 s at
#: 1,500, 21 s at 5,000 (200 ms a frame: panning stutters).
MAX_NODES = 1000
#: Node types in legend order (the values of ``kg viz --types``) and their Chinese names.
TYPE_LABELS: dict[str, str] = {
    "agency": "机构",
    "collective": "集合单位",
    "task": "任务",
    "road": "道路",
    "rail": "轨道交通线路",
    "housing": "住房保障项目",
    "project": "项目",
    "place": "地点",
}
#: A task's links: to its lead units, its support units and the features it involves.
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "support": "配合", "involves": "涉及"}
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
    """A drawable node: a unit, a task or a feature (``type`` is a key of ``TYPE_LABELS``)."""

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
        {
            VizEdge(r["task"], r["target"], r["role"], r["doc"], int(r.get("position", 0)))
            for r in _query(store, "viz_edges")
        },
        key=lambda e: (e.task, list(ROLE_LABELS).index(e.role), e.position, e.other, e.document),
    )
    tasks = {
        r["task"]: VizTask(r["task"], r["label"], r.get("quote", ""), r.get("doc", ""), r.get("place", ""))
        for r in _query(store, "viz_tasks")
    }
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
    nodes = [
        VizNode(t.id, "task", t.label, jurisdictions=(t.jurisdiction,) if t.jurisdiction else ())
        for t in tasks.values()
    ]
    for iri in sorted(linked - tasks.keys()):
        type_, kind = next((_CLASSES[c] for c in _CLASSES if c in classes[iri]), ("agency", "机构"))
        label = min(labels[iri]) if labels[iri] else iri.rsplit("/", 1)[-1]
        nodes.append(
            VizNode(iri, type_, label, kind, tuple(sorted(alts[iri] - {label})), tuple(sorted(spatial[iri])))
        )
    documents = [
        VizDocument(r["doc"], r.get("title", ""), r.get("issued", ""), r.get("file", ""), r.get("place", ""))
        for r in _query(store, "viz_documents")
    ]
    place_alts: dict[str, set[str]] = defaultdict(set)
    place_rows: dict[str, dict[str, str]] = {}
    for r in _query(store, "viz_places"):
        place_rows.setdefault(r["place"], r)
        place_alts[r["place"]].update([r["alt"]] if "alt" in r else [])
    places = [
        VizPlace(p, r["label"], tuple(sorted(place_alts[p])), r.get("code", ""), r.get("parent", ""))
        for p, r in sorted(place_rows.items())
    ]
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


class PlaceNames:
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
        names = {
            p.id: {p.label, p.code, *p.alt_labels, self.full_name(p.id), self.display(p.id)} - {""}
            for p in self.by_id.values()
        }
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
        types: node types to keep (keys of ``TYPE_LABELS``); None keeps all.

    Raises:
        UnknownJurisdictionError, UnknownFocusError: nothing has that name.
    """
    view = full_view(graph)
    ids, notes, by_id = set(view.node_ids), list(view.notes), {n.id: n for n in graph.nodes}
    if jurisdiction:
        places = PlaceNames(graph.places)
        wanted = set(places.find(jurisdiction))
        if not wanted:
            known = "、".join(sorted({places.display(p) for p in places.by_id}))
            raise UnknownJurisdictionError(f"no jurisdiction named {jurisdiction!r}; the graph has: {known}")
        ids = {
            n.id
            for n in graph.nodes
            if n.id in ids and wanted & {a for j in n.jurisdictions for a in places.ancestors(j)}
        }
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
        unknown = chosen - TYPE_LABELS.keys()
        if unknown:
            raise VizError(f"unknown node types {sorted(unknown)}; choose from {', '.join(TYPE_LABELS)}")
        ids = {n.id for n in graph.nodes if n.id in ids and n.type in chosen}
        notes.append("类型: 只显示" + "、".join(TYPE_LABELS[t] for t in TYPE_LABELS if t in chosen))
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


def reduce_view(
    view: VizView, *, max_nodes: int = MAX_NODES, sizes: Mapping[str, float] | None = None
) -> VizView:
    """Shrink a view above ``max_nodes``, saying in a note what was left out.

    Features go first; then tasks, those with the fewest units first; and if the units alone
    are too many, only the largest units (by ``sizes``, default degree) stay: agencies only.
    """
    if len(view.node_ids) <= max_nodes:
        return view
    by_id = {n.id: n for n in view.graph.nodes}
    ids = {i for i in view.node_ids if by_id[i].type not in FEATURE_TYPES}
    if len(ids) > max_nodes:
        degree = node_sizes(view.graph)
        weight = {
            i: (sizes or degree).get(i, 0.0) if by_id[i].type != "task" else degree.get(i, 0.0) for i in ids
        }
        ranked = sorted(ids, key=lambda i: (by_id[i].type == "task", -weight[i], i))
        ids = set(ranked[:max_nodes])
    left_out: dict[str, int] = defaultdict(int)
    for i in view.node_ids - ids:
        left_out[by_id[i].type] += 1
    counts = "、".join(f"{TYPE_LABELS[t]} {left_out[t]} 个" for t in TYPE_LABELS if left_out[t])
    note = (
        f"图共 {len(view.node_ids)} 个节点，超过流畅显示的上限 {max_nodes} 个：未画出 {counts}"
        "（先略去道路等要素，再略去单位最少的任务；用 --jurisdiction、--types 或 --focus 查看其余部分）"
    )
    return VizView(view.graph, frozenset(ids), (*view.notes, note))
