"""Graph store -> responsibility records: tasks, their lead and support units, agents, places, documents.

Reads the persisted store (``kg build --out DIR`` writes ``DIR/store``) with the SPARQL in
``kg/sparql/*.rq`` and returns plain frozen records that the network analysis
(:mod:`kg.analysis`) and the department maps (:mod:`kg.department`) share. Scoping by
jurisdiction or document happens here, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kg.errors import KGError

__all__ = [
    "AGENT_KINDS",
    "Agent",
    "Place",
    "DocumentInfo",
    "Feature",
    "Task",
    "Responsibilities",
    "UnknownScopeError",
    "open_graph",
    "read_responsibilities",
    "read_places",
    "load_sparql",
    "scope_tasks",
    "place_matches",
]

#: Kinds of agents as the store types them; ``collective`` (各街道, …成员单位) is not one body.
AGENT_KINDS = ("agency", "taskforce", "collective", "place")


class UnknownScopeError(KGError):
    """A --jurisdiction or --document names nothing in the graph."""

    def __init__(self, what: str, value: str, known: Iterable[str]) -> None:
        self.what = what
        self.value = value
        self.known = tuple(known)
        shown = "、".join(self.known[:20]) + ("…" if len(self.known) > 20 else "")
        super().__init__(f"no {what} in the graph matches {value!r}; known: {shown or '(none)'}")


@dataclass(frozen=True)
class Place:
    """An administrative area or zone; ``name`` is its full name (宁波市北仑区)."""

    iri: str
    name: str
    labels: tuple[str, ...]  # prefLabel first, then altLabels
    parent: str | None


@dataclass(frozen=True)
class Agent:
    """A unit named on tasks: an agency, a task force, a collective unit or a place acting as one."""

    iri: str
    label: str
    alt_labels: tuple[str, ...]
    kind: str  # one of AGENT_KINDS
    place: str | None  # IRI of its jurisdiction

    @property
    def collective(self) -> bool:
        """True for 各街道, 相关部门, …成员单位: a set of bodies, not one."""
        return self.kind == "collective"


@dataclass(frozen=True)
class DocumentInfo:
    """A source document: title, date (成文日期 or 发布日期), file name, publisher, jurisdiction."""

    iri: str
    title: str | None
    issued: str | None
    file: str | None
    publisher: str | None
    place: str | None


@dataclass(frozen=True)
class Feature:
    """A road, rail line, housing programme, project or place a task involves."""

    iri: str
    type: str  # Road, RailLine, HousingProgramme, Project, Place
    label: str


@dataclass(frozen=True)
class Task:
    """One assigned task: its text, units in the order written, source, and what it involves."""

    iri: str
    label: str
    leads: tuple[str, ...]  # agent IRIs
    supports: tuple[str, ...]
    document: str | None
    place: str | None
    quote: str | None
    span: tuple[int, int] | None
    features: tuple[Feature, ...]


@dataclass(frozen=True)
class Responsibilities:
    """Everything the analyses read from one graph, keyed by IRI; tasks in document and text order."""

    tasks: tuple[Task, ...]
    agents: Mapping[str, Agent]
    places: Mapping[str, Place]
    documents: Mapping[str, DocumentInfo]

    def place_name(self, iri: str | None) -> str:
        """The full name of a place, or '' when unknown."""
        place = self.places.get(iri or "")
        return place.name if place else ""

    def jurisdiction_of(self, agent_iri: str) -> str:
        """The full name of an agent's jurisdiction, or ''."""
        agent = self.agents.get(agent_iri)
        return self.place_name(agent.place) if agent else ""

    def label_of(self, agent_iri: str) -> str:
        """An agent's preferred label (its IRI when it has none)."""
        agent = self.agents.get(agent_iri)
        return agent.label if agent else agent_iri


@cache
def load_sparql(name: str) -> str:
    """The text of ``kg/sparql/<name>.rq``.

    >>> "kg:Task" in load_sparql("tasks")
    True
    """
    return (files("kg") / "sparql" / f"{name}.rq").read_text(encoding="utf-8")


def open_graph(source: Any) -> Any:
    """A pyoxigraph store for ``source``: a graph folder, a store, or an rdflib Graph or Dataset.

    An rdflib graph is copied into an in-memory store (its named graphs kept), so that the same
    SPARQL runs on hand-built test graphs and on the persisted store.

    Raises:
        GraphNotBuiltError: ``source`` is a folder without a store.
    """
    import pyoxigraph

    if isinstance(source, pyoxigraph.Store):
        return source
    if isinstance(source, (str, Path)):
        from kg.store import open_store

        return open_store(Path(source))
    from rdflib import Dataset

    store = pyoxigraph.Store()
    if isinstance(source, Dataset):
        data, fmt = source.serialize(format="nquads"), pyoxigraph.RdfFormat.N_QUADS
    else:
        data, fmt = source.serialize(format="nt"), pyoxigraph.RdfFormat.N_TRIPLES
    store.bulk_load(data.encode("utf-8"), format=fmt)
    return store


def _rows(store: Any, name: str) -> list[dict[str, str]]:
    """Run ``kg/sparql/<name>.rq`` over all graphs; each row maps variable -> lexical value."""
    solutions = store.query(load_sparql(name), use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [
        {n: term.value for n, term in zip(names, solution, strict=True) if term is not None}
        for solution in solutions
    ]


def read_responsibilities(source: Any) -> Responsibilities:
    """Read tasks, agents, places and documents from a built graph.

    Args:
        source: a graph folder (``kg build --out``), an open pyoxigraph store, or an rdflib
            Graph/Dataset.

    Raises:
        GraphNotBuiltError: ``source`` is a folder without a store.
    """
    store = open_graph(source)
    places = read_places(store)
    agents = _read_agents(_rows(store, "agents"), _rows(store, "summary_names"))
    documents = {
        r["document"]: DocumentInfo(
            r["document"], r.get("title"), r.get("issued"), r.get("file"), r.get("publisher"), r.get("place")
        )
        for r in sorted(_rows(store, "documents"), key=lambda r: sorted(r.items()))
    }
    return Responsibilities(
        _read_tasks(store), MappingProxyType(agents), MappingProxyType(places), MappingProxyType(documents)
    )


def read_places(source: Any) -> Mapping[str, Place]:
    """Every place of a built graph by IRI, with its full name (宁波市北仑区) and its labels.

    Args:
        source: as for :func:`read_responsibilities`.
    """
    return MappingProxyType(_read_places(_rows(open_graph(source), "places")))


def _read_places(rows: list[dict[str, str]]) -> dict[str, Place]:
    pref: dict[str, set[str]] = {}
    alt: dict[str, set[str]] = {}
    notation: dict[str, str] = {}
    parent: dict[str, str] = {}
    for r in rows:
        iri = r["place"]
        pref.setdefault(iri, set())
        alt.setdefault(iri, set())
        if "label" in r:
            (pref if r.get("labelType") == "pref" else alt)[iri].add(r["label"])
        if "notation" in r:
            notation[iri] = r["notation"]
        if "parent" in r:
            parent[iri] = min(r["parent"], parent.get(iri, r["parent"]))
    places = {}
    for iri in sorted(pref):
        label = min(pref[iri], default=None) or min(alt[iri], default=iri)
        names = [label, *sorted((pref[iri] | alt[iri]) - {label})]
        places[iri] = Place(iri, _full_name(notation.get(iri), label), tuple(names), parent.get(iri))
    return places


def _full_name(code: str | None, label: str) -> str:
    """宁波市北仑区 for the division 北仑区 (its code's full name); a named zone keeps its label."""
    if code is None:
        return label
    from kg.regions import UnknownRegionError, full_name

    try:
        return full_name(code)
    except UnknownRegionError:
        return label


def _read_agents(rows: list[dict[str, str]], names: Iterable[Mapping[str, str]] = ()) -> dict[str, Agent]:
    """The agents of the rows; an agent the corpus summary (:mod:`kg.summary`) names is called
    by that name (its most common one over the documents), others by their first label."""
    kinds: dict[str, str] = {}
    pref: dict[str, Counter[str]] = {}
    alt: dict[str, set[str]] = {}
    place: dict[str, str] = {}
    rank = {kind: n for n, kind in enumerate(AGENT_KINDS)}
    summary = {r["agent"]: r["label"] for r in names}
    for r in rows:
        iri = r["agent"]
        # one IRI typed differently in two documents: the more specific kind wins, by AGENT_KINDS order
        kinds[iri] = min(kinds.get(iri, r["kind"]), r["kind"], key=rank.__getitem__)
        pref.setdefault(iri, Counter())
        alt.setdefault(iri, set())
        if "label" in r:
            if r.get("labelType") == "pref":
                pref[iri][r["label"]] += 1
            else:
                alt[iri].add(r["label"])
        if "place" in r:
            place[iri] = min(r["place"], place.get(iri, r["place"]))
    agents = {}
    for iri in sorted(kinds):
        # the summary's name (most common over the documents); without a summary, the label read
        # most often, ties by code point
        ranked = sorted(pref[iri].items(), key=lambda kv: (-kv[1], kv[0]))
        label = summary.get(iri) or (ranked[0][0] if ranked else min(alt[iri], default=iri))
        others = sorted((set(pref[iri]) | alt[iri]) - {label})
        agents[iri] = Agent(iri, label, tuple(others), kinds[iri], place.get(iri))
    return agents


def _read_tasks(store: Any) -> tuple[Task, ...]:
    units: dict[str, dict[str, list[tuple[int, str]]]] = {}
    for r in _rows(store, "assignments"):
        position = int(r.get("position", 0))
        units.setdefault(r["task"], {"lead": [], "support": []})[r["role"]].append((position, r["agent"]))
    features: dict[str, set[Feature]] = {}
    for r in _rows(store, "involves"):
        features.setdefault(r["task"], set()).add(
            Feature(r["feature"], r["type"], r.get("label", r["feature"]))
        )
    tasks = []
    for r in _rows(store, "tasks"):
        iri = r["task"]
        roles = units.get(iri, {"lead": [], "support": []})
        span = (int(r["start"]), int(r["end"])) if "start" in r and "end" in r else None
        tasks.append(
            Task(
                iri=iri,
                label=r.get("label", ""),
                leads=_ordered(roles["lead"]),
                supports=_ordered(roles["support"]),
                document=r.get("document"),
                place=r.get("place"),
                quote=r.get("quote"),
                span=span,
                features=tuple(sorted(features.get(iri, ()), key=lambda f: (f.type, f.label, f.iri))),
            )
        )
    # one row per task is expected; a task with two labels or spans keeps the first in sort order
    unique = {t.iri: t for t in sorted(tasks, key=_task_key, reverse=True)}
    return tuple(sorted(unique.values(), key=_task_key))


def _ordered(units: list[tuple[int, str]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for _, iri in sorted(units):
        seen.setdefault(iri, None)
    return tuple(seen)


def _task_key(task: Task) -> tuple[Any, ...]:
    start = task.span[0] if task.span else -1
    return (task.document or "", start, task.iri, task.label, task.quote or "")


def _place_names(resp: Responsibilities, iri: str | None) -> list[str]:
    """Every name a place answers to, and those of the places that contain it."""
    names: list[str] = []
    seen: set[str] = set()
    while iri and iri in resp.places and iri not in seen:
        seen.add(iri)
        place = resp.places[iri]
        names.extend((place.name, *place.labels))
        iri = place.parent
    return names


def _document_names(info: DocumentInfo) -> set[str]:
    names = {info.iri, info.iri.rsplit("/", 1)[-1]}
    if info.file:
        names |= {info.file, Path(info.file).stem}
    return names


def scope_tasks(
    resp: Responsibilities, *, jurisdiction: str | None = None, document: str | None = None
) -> tuple[Task, ...]:
    """The tasks of one jurisdiction (and the places inside it) and/or one document.

    Args:
        resp: what :func:`read_responsibilities` returned.
        jurisdiction: a place name or part of one: ``北仑`` matches ``宁波市北仑区`` and the
            街道 inside it; ``宁波市`` matches every district of the city.
        document: a document's file name, file stem or IRI.

    Raises:
        UnknownScopeError: no place or document matches.
    """
    tasks = resp.tasks
    if jurisdiction:
        wanted = jurisdiction.strip()
        inside = {iri for iri in resp.places if place_matches(resp, iri, wanted)}
        if not inside:
            scoped = {t.place for t in resp.tasks} | {d.place for d in resp.documents.values()}
            raise UnknownScopeError(
                "jurisdiction", wanted, sorted({resp.place_name(p) for p in scoped} - {""})
            )
        tasks = tuple(t for t in tasks if t.place in inside)
    if document:
        wanted = document.strip()
        docs = {iri for iri, info in resp.documents.items() if wanted in _document_names(info)}
        if not docs:
            known = sorted(info.file or iri for iri, info in resp.documents.items())
            raise UnknownScopeError("document", wanted, known)
        tasks = tuple(t for t in tasks if t.document in docs)
    return tasks


def place_matches(resp: Responsibilities, place_iri: str | None, jurisdiction: str) -> bool:
    """True when the place, or a place containing it, answers to ``jurisdiction`` (substring)."""
    wanted = jurisdiction.strip()
    return any(wanted in name for name in _place_names(resp, place_iri))
