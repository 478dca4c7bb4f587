"""Graph -> the drawable view: tasks, the units that lead or support them, the features they involve.

The choice works on an ``Outline`` (every node's type, places and degree, the names of units and
features, the links only on demand): ``choose_nodes`` keeps one jurisdiction, one unit's
neighbourhood or some node types, and ``reduce_nodes`` shrinks a choice too large to draw smoothly,
saying what it left out. ``select_view`` and ``reduce_view`` do the same on a ``VizGraph`` held in
memory; kg.graph_slice reads an outline and then only the drawn part from the store, and kg.render
turns a view into the HTML page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    "Outline",
    "PlaceNames",
    "load_viz_graph",
    "outline_of",
    "choose_nodes",
    "reduce_nodes",
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
# rdf:type -> (node type, Chinese class name); the first class of this order wins (kg.graph_slice).
CLASSES: dict[str, tuple[str, str]] = {
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
    # links per node IRI and role in the whole graph, for the units whose links are not all here
    link_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class VizView:
    """The nodes of a graph chosen for drawing, and notes on what was chosen or left out."""

    graph: VizGraph
    node_ids: frozenset[str]
    notes: tuple[str, ...] = ()
    total: int | None = None  # nodes of the whole graph when ``graph`` holds only part of it
    degree: Mapping[str, float] | None = None  # and the drawn nodes' degree in the whole graph

    @property
    def total_nodes(self) -> int:
        """Nodes of the whole graph the view was chosen from."""
        return len(self.graph.nodes) if self.total is None else self.total


@dataclass(frozen=True)
class Outline:
    """Every node of a graph with what choosing a view needs, and no texts of tasks or documents.

    Node k has the IRI ``ids[k]``, the type ``types[k]`` (a key of ``TYPE_LABELS``), the
    jurisdictions ``places[k]`` and ``degree[k]`` distinct neighbours; a unit or feature also has
    ``names[k]``: its label, alternative labels and Chinese class name. ``links()`` yields the
    (task, other) node pairs; a store outline reads them only when a focus needs them.
    """

    ids: Sequence[str]
    types: Sequence[str]
    places: Sequence[tuple[str, ...]]
    degree: Sequence[int]
    names: Mapping[int, tuple[str, tuple[str, ...], str]]
    links: Callable[[], Iterable[tuple[int, int]]]
    jurisdictions: tuple[VizPlace, ...] = ()
    unlinked: int = 0


def load_viz_graph(store: Any) -> VizGraph:
    """Read every task, link, unit, feature, document and place from an Oxigraph store.

    For small graphs and tests; the page reads only what it draws (``kg.graph_slice.load_view``).

    Args:
        store: a ``pyoxigraph.Store`` as written by ``kg build`` (see ``kg.store.open_store``).
    """
    from kg.graph_slice import load_graph

    return load_graph(store)


def outline_of(graph: VizGraph) -> Outline:
    """The outline of a graph held in memory (node k: the k-th node of ``graph.nodes``)."""
    index = {n.id: k for k, n in enumerate(graph.nodes)}
    degree = node_sizes(graph)
    pairs = [(index[e.task], index[e.other]) for e in graph.edges if e.task in index and e.other in index]
    return Outline(
        ids=[n.id for n in graph.nodes],
        types=[n.type for n in graph.nodes],
        places=[n.jurisdictions for n in graph.nodes],
        degree=[int(degree.get(n.id, 0)) for n in graph.nodes],
        names={k: (n.label, n.alt_labels, n.kind) for k, n in enumerate(graph.nodes) if n.type != "task"},
        links=lambda: pairs,
        jurisdictions=graph.places,
        unlinked=graph.unlinked,
    )


def _unlinked_notes(outline: Outline) -> list[str]:
    return [f"另有 {outline.unlinked} 个只被提及、未与任务关联的实体未画出"] if outline.unlinked else []


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


def choose_nodes(
    outline: Outline,
    *,
    focus: str | None = None,
    depth: int = 2,
    jurisdiction: str | None = None,
    types: Iterable[str] | None = None,
) -> tuple[set[int], tuple[str, ...]]:
    """The nodes (indices into ``outline.ids``) of one jurisdiction, one unit's neighbourhood, some types.

    See ``select_view`` for the arguments; returns the nodes and the notes saying what was chosen.

    Raises:
        UnknownJurisdictionError, UnknownFocusError: nothing has that name.
        VizError: an unknown node type.
    """
    ids, notes = set(range(len(outline.ids))), _unlinked_notes(outline)
    if jurisdiction:
        places = PlaceNames(outline.jurisdictions)
        wanted = set(places.find(jurisdiction))
        if not wanted:
            known = "、".join(sorted({places.display(p) for p in places.by_id}))
            raise UnknownJurisdictionError(f"no jurisdiction named {jurisdiction!r}; the graph has: {known}")
        inside: dict[tuple[str, ...], bool] = {}  # many nodes share their places: decide once
        for k in list(ids):
            within = outline.places[k]
            if within not in inside:
                inside[within] = bool(wanted & {a for j in within for a in places.ancestors(j)})
            if not inside[within]:
                ids.discard(k)
        notes.append(f"辖区: 只显示{jurisdiction}")
    if focus:
        roots = _find_focus(outline, focus, ids)
        adjacent: dict[int, set[int]] = defaultdict(set)
        for task, other in outline.links():
            if task in ids and other in ids:
                adjacent[task].add(other)
                adjacent[other].add(task)
        keep, frontier, ring = set(roots), set(roots), 0
        while frontier and ring < depth:
            frontier = {m for n in frontier for m in adjacent[n]} - keep
            keep |= frontier
            ring += 1
        ids = keep
        named = "、".join(sorted({outline.names[r][0] for r in roots}))
        notes.append(f"聚焦: {named}（{len(roots)} 个节点）及其 {depth} 层邻域")
    if types is not None:
        chosen = set(types)
        unknown = chosen - TYPE_LABELS.keys()
        if unknown:
            raise VizError(f"unknown node types {sorted(unknown)}; choose from {', '.join(TYPE_LABELS)}")
        ids = {k for k in ids if outline.types[k] in chosen}
        notes.append("类型: 只显示" + "、".join(TYPE_LABELS[t] for t in TYPE_LABELS if t in chosen))
    return ids, tuple(notes)


def _find_focus(outline: Outline, focus: str, ids: set[int]) -> list[int]:
    candidates = sorted((k for k in outline.names if k in ids), key=lambda k: outline.ids[k])
    exact = [
        k
        for k in candidates
        if focus == outline.ids[k] or focus in (outline.names[k][0], *outline.names[k][1])
    ]
    if exact:
        return exact
    partial = [
        k for k in candidates if focus in outline.names[k][0] or any(focus in a for a in outline.names[k][1])
    ]
    if len(partial) == 1:
        return partial
    hint = "、".join(sorted({outline.names[k][0] for k in partial})[:8])
    raise UnknownFocusError(
        f"no unit or feature named {focus!r} in the graph" + (f"; did you mean {hint}?" if partial else "")
    )


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
    outline = outline_of(graph)
    ids, notes = choose_nodes(outline, focus=focus, depth=depth, jurisdiction=jurisdiction, types=types)
    return VizView(graph, frozenset(outline.ids[k] for k in ids), notes)


def node_sizes(graph: VizGraph) -> dict[str, float]:
    """Degree of every node: the number of distinct nodes it is linked to.

    >>> node_sizes(VizGraph((), (VizEdge("t", "a", "lead", "d"), VizEdge("t", "b", "support", "d"))))
    {'a': 1.0, 'b': 1.0, 't': 2.0}
    """
    adjacent = _adjacency(graph, frozenset({e.task for e in graph.edges} | {e.other for e in graph.edges}))
    return {n: float(len(m)) for n, m in sorted(adjacent.items())}


def reduce_nodes(
    outline: Outline, ids: set[int], *, max_nodes: int = MAX_NODES, sizes: Mapping[str, float] | None = None
) -> tuple[set[int], str | None]:
    """Shrink a choice of nodes above ``max_nodes``; returns the nodes kept and a note on the rest.

    Features go first; then tasks, those with the fewest links first; and if the units alone
    are too many, only the largest units (by ``sizes``, default degree) stay: agencies only.
    Returns ``ids`` itself and no note when it is small enough.
    """
    if len(ids) <= max_nodes:
        return ids, None
    kept = {k for k in ids if outline.types[k] not in FEATURE_TYPES}
    if len(kept) > max_nodes:
        weight = {
            k: (sizes.get(outline.ids[k], 0.0) if sizes and outline.types[k] != "task" else outline.degree[k])
            for k in kept
        }
        ranked = sorted(kept, key=lambda k: (outline.types[k] == "task", -weight[k], outline.ids[k]))
        kept = set(ranked[:max_nodes])
    left_out: dict[str, int] = defaultdict(int)
    for k in ids - kept:
        left_out[outline.types[k]] += 1
    counts = "、".join(f"{TYPE_LABELS[t]} {left_out[t]} 个" for t in TYPE_LABELS if left_out[t])
    note = (
        f"图共 {len(ids)} 个节点，超过流畅显示的上限 {max_nodes} 个：未画出 {counts}"
        "（先略去道路等要素，再略去单位最少的任务；用 --jurisdiction、--types 或 --focus 查看其余部分）"
    )
    return kept, note


def reduce_view(
    view: VizView, *, max_nodes: int = MAX_NODES, sizes: Mapping[str, float] | None = None
) -> VizView:
    """Shrink a view above ``max_nodes``, saying in a note what was left out (see ``reduce_nodes``)."""
    if len(view.node_ids) <= max_nodes:
        return view
    outline = outline_of(view.graph)
    ids = {k for k, iri in enumerate(outline.ids) if iri in view.node_ids}
    kept, note = reduce_nodes(outline, ids, max_nodes=max_nodes, sizes=sizes)
    notes = (*view.notes, note) if note else view.notes
    return replace(view, node_ids=frozenset(outline.ids[k] for k in kept), notes=notes)
