"""Graph store -> the part of the graph the page draws: an outline of all nodes, then texts of the kept.

A large store holds hundreds of thousands of tasks and the page draws at most ``MAX_NODES`` nodes.
``load_outline`` reads every node's type, places and degree with one-pattern queries (Oxigraph
answers those from its indexes; a join across every document graph took minutes), the view is
chosen and reduced on that outline (kg.graph_view), and only then are texts read, node by node:
the drawn tasks, and for each drawn unit its link counts and its first ``CARD_TASKS`` tasks, which
its card lists. SPARQL in kg/sparql/viz_*.rq.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from kg.graph_view import (
    CLASSES,
    MAX_NODES,
    ROLE_LABELS,
    Outline,
    VizDocument,
    VizEdge,
    VizGraph,
    VizNode,
    VizPlace,
    VizTask,
    VizView,
    choose_nodes,
    reduce_nodes,
)
from kg.namespaces import DCTERMS, KG, PROV, RDF, RDFS, SCHEMA, SKOS

__all__ = [
    "CARD_TASKS",
    "VIEW_PREDICATES",
    "VIEW_CLASSES",
    "view_digest",
    "TaskDetails",
    "TaskReader",
    "load_outline",
    "load_view",
    "load_graph",
]

#: Tasks read for the card of a drawn unit that is not drawn with all its tasks (the hover card
#: shows 3, the panel all that were read, and the counts of all).
CARD_TASKS = 10
_ROLES = {str(KG.leadUnit): "lead", str(KG.supportUnit): "support", str(KG.involves): "involves"}
_POSITION_ROLES = {str(KG.LeadRole): "lead", str(KG.SupportRole): "support"}
_CLASS_RANK = {iri: rank for rank, iri in enumerate(CLASSES)}


#: Every property the page's queries (kg/sparql/viz_*.rq) read, and every class they look for
#: (tests/test_graph_view_slice.py checks the queries name no other).
VIEW_PREDICATES = frozenset(
    str(term)
    for term in (
        RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.notation, DCTERMS.spatial,
        DCTERMS.title, DCTERMS.issued, SCHEMA.containedInPlace, KG.leadUnit, KG.supportUnit,
        KG.involves, KG.quote, KG.sourceDocument, KG.sourceFile, KG.position,
        PROV.qualifiedAssociation, PROV.agent, PROV.hadRole,
    )
)  # fmt: skip
VIEW_CLASSES = frozenset({*CLASSES, str(KG.Task), str(KG.Document)})


def view_digest(lines: Iterable[str]) -> str:
    """A digest of what the page can read of a graph given as N-Triples lines: the statements,
    in :data:`VIEW_PREDICATES`, about the things it draws (typed in :data:`VIEW_CLASSES`) and
    about the tasks' lead/support associations. Two graphs with the same digest draw the same
    page; text mentions, spans and figures do not count.
    """
    import hashlib

    a, qualified = f"<{RDF.type}>", f"<{PROV.qualifiedAssociation}>"
    read = {f"<{p}>" for p in VIEW_PREDICATES}
    rows = [row for row in (line.split(" ", 2) for line in lines) if row[1] in read]
    drawn = {s for s, p, o in rows if p == a and o[1:-3] in VIEW_CLASSES}  # o is "<IRI> ."
    drawn |= {o[:-2] for s, p, o in rows if p == qualified}
    kept = sorted(f"{s} {p} {o}" for s, p, o in rows if s in drawn and (p != a or o[1:-3] in VIEW_CLASSES))
    return hashlib.sha256("\n".join(kept).encode("utf-8")).hexdigest()


@cache
def _text(name: str) -> str:
    return resources.files("kg").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")


def _values(store: Any, name: str, **bound: str) -> Iterator[tuple[str | None, ...]]:
    """Run ``kg/sparql/<name>.rq``, its variables bound to the IRIs ``bound``; rows of lexical values."""
    import pyoxigraph

    substitutions = {pyoxigraph.Variable(k): pyoxigraph.NamedNode(v) for k, v in bound.items()}
    for row in store.query(_text(name), substitutions=substitutions or None):
        yield tuple(None if term is None else term.value for term in row)


#: What the page reads of one task: its text (none when the store lacks it) and its links.
TaskDetails = tuple[tuple[VizTask, ...], frozenset[VizEdge]]


class TaskReader:
    """Reads the drawn tasks' texts and links, taking those a rebuild kept (``known``) as they are.

    A task's details come from its document's graph alone, so a build keeps them for the tasks of
    the documents whose :func:`view_digest` did not change. ``read`` holds every task's details
    this page used, for the next build.
    """

    def __init__(self, known: Mapping[str, TaskDetails] | None = None) -> None:
        self.known = dict(known or {})
        self.read: dict[str, TaskDetails] = {}

    def details(self, store: Any, task: str) -> TaskDetails:
        found = self.known.get(task)
        if found is None:
            found = (tuple(_read_task(store, task)), frozenset(_read_task_links(store, task)))
        self.read[task] = found
        return found


def load_outline(store: Any) -> Outline:
    """The outline of the graph in a store: every task and linked unit or feature, no texts but names.

    Args:
        store: a ``pyoxigraph.Store`` as written by ``kg build`` (see ``kg.store.open_store``).
    """
    ids = [task for (task,) in _values(store, "viz_tasks")]
    tasks = len(ids)
    index = {iri: k for k, iri in enumerate(ids)}
    degree = [0] * tasks
    rank: dict[str, int] = {}  # entity -> its first class in CLASSES order
    for entity, class_ in _values(store, "viz_classes"):
        rank[entity] = min(rank.get(entity, len(CLASSES)), _CLASS_RANK[class_])
    linked = 0
    for target, count in _values(store, "viz_target_degrees"):
        linked += 1
        if target not in index:
            index[target] = len(ids)
            ids.append(target)
            degree.append(int(count))
    for task, count in _values(store, "viz_task_degrees"):
        if index.get(task, tasks) < tasks:
            degree[index[task]] = int(count)
    kinds = list(CLASSES.values())
    types = ["task"] * tasks + [kinds[rank[iri]][0] if iri in rank else "agency" for iri in ids[tasks:]]
    labels: dict[int, str] = {}
    named: set[str] = set()  # the entities no task links to that have a name: the note counts them
    for entity, label in _values(store, "viz_labels"):
        k = index.get(entity, -1)
        if k >= tasks:
            labels[k] = min(labels[k], label) if k in labels else label
        elif k < 0 and entity in rank:
            named.add(entity)
    alts: dict[int, set[str]] = defaultdict(set)
    for entity, alt in _values(store, "viz_alt_labels"):
        k = index.get(entity, -1)
        if k >= tasks:
            alts[k].add(alt)
    spatial: dict[int, list[str]] = defaultdict(list)
    for node, place in _values(store, "viz_spatial"):
        if node in index:
            spatial[index[node]].append(place)
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # a few distinct place lists for many nodes
    places = [
        shared.setdefault(key, key) for key in (tuple(sorted(spatial.get(k, ()))) for k in range(len(ids)))
    ]
    jurisdictions = _places(store)
    place_labels = {p.id: p.label for p in jurisdictions}  # a jurisdiction is named in the default graph
    names = {}
    for k in range(tasks, len(ids)):
        label = labels.get(k) or place_labels.get(ids[k]) or ids[k].rsplit("/", 1)[-1]
        kind = kinds[rank[ids[k]]][1] if ids[k] in rank else "机构"
        names[k] = (label, tuple(sorted(alts.get(k, set()) - {label})), kind)

    def links() -> Iterator[tuple[int, int]]:
        for task, target in _values(store, "viz_links"):
            if task in index and target in index:
                yield index[task], index[target]

    return Outline(ids, types, places, degree, names, links, jurisdictions, len(named))


def _places(store: Any) -> tuple[VizPlace, ...]:
    alts: dict[str, set[str]] = defaultdict(set)
    rows: dict[str, tuple[str | None, ...]] = {}
    for place, label, alt, code, parent in _values(store, "viz_places"):
        rows.setdefault(place, (label, code, parent))
        alts[place].update([alt] if alt else [])
    return tuple(
        VizPlace(p, label or "", tuple(sorted(alts[p])), code or "", parent or "")
        for p, (label, code, parent) in sorted(rows.items())
    )


def load_view(
    store: Any,
    *,
    focus: str | None = None,
    depth: int = 2,
    jurisdiction: str | None = None,
    types: Iterable[str] | None = None,
    max_nodes: int = MAX_NODES,
    sizes: Mapping[str, float] | None = None,
    card_tasks: int = CARD_TASKS,
    tasks: TaskReader | None = None,
) -> VizView:
    """The view to draw, read from the store: chosen and reduced on the outline, then the texts it shows.

    Args:
        store: a ``pyoxigraph.Store`` as written by ``kg build``.
        focus, depth, jurisdiction, types: see ``kg.graph_view.select_view``.
        max_nodes, sizes: see ``kg.graph_view.reduce_view``.
        card_tasks: tasks read for the card of a unit whose tasks are not all drawn.
        tasks: reads the tasks' details (default: all from the store).

    Returns:
        A view whose graph holds the drawn nodes, the tasks their cards list and the units of
        those tasks; ``total`` counts the whole graph and ``degree`` the drawn nodes' links in it.

    Raises:
        UnknownJurisdictionError, UnknownFocusError, VizError: see ``select_view``.
    """
    outline = load_outline(store)
    ids, notes = choose_nodes(outline, focus=focus, depth=depth, jurisdiction=jurisdiction, types=types)
    kept, note = reduce_nodes(outline, ids, max_nodes=max_nodes, sizes=sizes)
    graph = _read_slice(store, outline, kept, card_tasks=card_tasks, reader=tasks or TaskReader())
    return VizView(
        graph,
        frozenset(outline.ids[k] for k in kept),
        (*notes, note) if note else notes,
        total=len(outline.ids),
        degree={outline.ids[k]: float(outline.degree[k]) for k in sorted(kept, key=lambda k: outline.ids[k])},
    )


def load_graph(store: Any) -> VizGraph:
    """Every task, link, unit, feature, document and place of the store (for small graphs and tests)."""
    outline = load_outline(store)
    return _read_slice(store, outline, set(range(len(outline.ids))), card_tasks=0, reader=TaskReader())


def _read_slice(store: Any, outline: Outline, kept: set[int], *, card_tasks: int, reader: TaskReader) -> VizGraph:
    """The kept nodes with their texts, the tasks the kept units' cards list, and those tasks' units."""
    drawn_tasks = {outline.ids[k] for k in kept if outline.types[k] == "task"}
    included = set(drawn_tasks)
    counts: dict[str, dict[str, int]] = {}
    if len(drawn_tasks) < outline.types.count("task"):  # some units have tasks not drawn
        for unit in sorted(outline.ids[k] for k in kept if outline.types[k] != "task"):
            counts[unit] = {_ROLES[p]: int(n) for _, p, n in _values(store, "viz_unit_counts", unit=unit)}
            first: dict[str, None] = {}
            for _, task, _, _ in _values(store, "viz_unit_links", unit=unit):
                first.setdefault(task)
                if len(first) >= card_tasks:
                    break  # the rows come unordered: stop reading a large unit early
            included.update(first)
    tasks: list[VizTask] = []
    edges: set[VizEdge] = set()
    for task in sorted(included):
        texts, links = reader.details(store, task)
        tasks.extend(texts)
        edges.update(links)
    index = {iri: k for k, iri in enumerate(outline.ids)}
    shown = sorted({outline.ids[k] for k in kept} | included | {e.other for e in edges})
    labels = {t.id: t.label for t in tasks}
    nodes = []
    for iri in shown:
        k = index[iri]
        if outline.types[k] == "task":
            nodes.append(VizNode(iri, "task", labels.get(iri, ""), jurisdictions=outline.places[k]))
        else:
            label, alts, kind = outline.names[k]
            nodes.append(VizNode(iri, outline.types[k], label, kind, alts, outline.places[k]))
    cited = {t.document for t in tasks} | {e.document for e in edges}
    documents = [
        VizDocument(doc or "", title or "", issued or "", file or "", place or "")
        for doc, title, issued, file, place in _values(store, "viz_documents")
        if doc in cited
    ]
    return VizGraph(
        nodes=tuple(nodes),
        edges=tuple(
            sorted(
                edges,
                key=lambda e: (e.task, list(ROLE_LABELS).index(e.role), e.position, e.other, e.document),
            )
        ),
        tasks=tuple(sorted(tasks, key=lambda t: t.id)),
        documents=tuple(sorted(documents, key=lambda d: d.id)),
        places=outline.jurisdictions,
        unlinked=outline.unlinked,
        link_counts={u: counts[u] for u in sorted(counts)},
    )


def _read_task(store: Any, task: str) -> list[VizTask]:
    for _, label, quote, doc, place in _values(store, "viz_task", task=task):
        return [VizTask(task, label or "", quote or "", doc or "", place or "")]
    return []


def _read_task_links(store: Any, task: str) -> set[VizEdge]:
    positions: dict[tuple[str, str], int] = {}
    for _, agent, role, position in _values(store, "viz_task_positions", task=task):
        if role in _POSITION_ROLES and position is not None:
            key = (agent or "", _POSITION_ROLES[role])
            positions[key] = min(positions.get(key, int(position)), int(position))
    return {
        VizEdge(task, target or "", _ROLES[p], doc or "", positions.get((target or "", _ROLES[p]), 0))
        for _, doc, p, target in _values(store, "viz_task_links", task=task)
    }
