"""Corpus-wide figures the canned queries read instead of aggregating every document's graph.

Counting a unit's tasks, or the tasks two units share, over all named graphs takes seconds at a
thousand documents and minutes at ten thousand. A build therefore gathers, per document, the
units it names and the units of each task (:class:`UnitFacts`, made by :func:`kg.rdf.document_graph`
and kept in the build cache), adds them up here (:func:`merge_facts`) and writes the totals
(:func:`summary_lines`) into the named graph ``{base}graph/corpus`` (typed ``kg:CorpusSummary``
within itself, so that a query finds it with ``GRAPH ?m { ?m a kg:CorpusSummary }``):

each unit once: its kind (``a kg:Agency`` / ``kg:TaskForce`` / ``kg:CollectiveUnit`` /
``kg:Place``), one ``skos:prefLabel`` (its most common name, ties by code point), its other names
as ``skos:altLabel``, its jurisdiction (``dcterms:spatial``), and, for units named on tasks,
``kg:tasksLed`` and ``kg:tasksSupported`` (as :mod:`kg.analysis` counts them); and each
document's number of tasks (``kg:taskCount``).

Lead/support pairs are not written: at a thousand documents they are ten times as many as the
units, and their counts are the edge weights ``kg network`` exports. The build keeps each task's
units in memory (:attr:`Summary.tasks`) and computes the network measures from them
(:func:`kg.analysis.summary_metrics`) instead of reading every task back from the store.

A rebuild after one document changed re-reads only that document's facts; the merge is a pass
over small dictionaries, and the store is patched with the lines that changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.namespaces import DCTERMS, KG, RDF, SKOS

__all__ = ["KIND_CLASSES", "UnitFacts", "Unit", "Roles", "Summary", "SummaryBuilder", "merge_facts", "summary_lines"]

#: Unit kinds, the more specific first (a unit typed two ways in two documents takes the first).
KIND_CLASSES = {
    "collective": str(KG.CollectiveUnit),
    "taskforce": str(KG.TaskForce),
    "agency": str(KG.Agency),
    "place": str(KG.Place),
}
_RANK = {kind: n for n, kind in enumerate(KIND_CLASSES)}


@dataclass
class UnitFacts:
    """What one document says about units: who they are, and who leads and supports each task.

    ``units`` maps a unit's IRI to ``[kind, preferred name, jurisdiction IRI or "", other names]``;
    ``tasks`` holds one ``[lead IRIs, support IRIs]`` per task, in the order written; ``document``
    is the document's IRI. Plain lists and strings, so that the build cache stores them as JSON.
    """

    units: dict[str, list] = field(default_factory=dict)
    tasks: list[list[list[str]]] = field(default_factory=list)
    document: str = ""

    def unit(self, iri: str, kind: str, name: str, place: str | None, names: Iterable[str] = ()) -> None:
        """Record a unit (again: its names are added, the more specific kind kept)."""
        known = self.units.get(iri)
        others = sorted(set(names) - {name})
        if known is None:
            self.units[iri] = [kind, name, place or "", others]
            return
        if _RANK[kind] < _RANK[known[0]]:
            known[0] = kind
        known[3] = sorted(set(known[3]) | set(others) | ({name} - {known[1]}))

    def task(self, leads: Iterable[str], supports: Iterable[str]) -> None:
        self.tasks.append([list(dict.fromkeys(leads)), list(dict.fromkeys(supports))])

    def to_json(self) -> dict:
        return {"units": self.units, "tasks": self.tasks, "document": self.document}

    @classmethod
    def from_json(cls, data: Mapping | None) -> UnitFacts:
        if not data:
            return cls()
        return cls(dict(data.get("units", {})), list(data.get("tasks", [])), str(data.get("document", "")))


@dataclass(frozen=True)
class Unit:
    """One unit over the whole corpus."""

    iri: str
    kind: str
    name: str
    others: tuple[str, ...]
    place: str
    led: int
    supported: int


#: One task's units: its lead IRIs and its support IRIs, each in the order written.
Roles = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Summary:
    """Every unit the documents name, by IRI, and the units of every task (sorted).

    The tasks' roles are what the network measures (:mod:`kg.analysis`) are computed from; they
    are not written to the summary graph.
    """

    units: tuple[Unit, ...]
    tasks: tuple[Roles, ...] = ()
    documents: tuple[tuple[str, int], ...] = ()  # each document's IRI and number of tasks


class SummaryBuilder:
    """Adds up documents' facts as they come (in any order: the totals do not depend on it)."""

    def __init__(self) -> None:
        self.kinds: dict[str, str] = {}
        self.names: dict[str, Counter[str]] = {}
        self.others: dict[str, set[str]] = {}
        self.places: dict[str, str] = {}
        self.led: Counter[str] = Counter()
        self.supported: Counter[str] = Counter()
        self.tasks: list[Roles] = []
        self.documents: dict[str, int] = {}
        self._iris: dict[str, str] = {}  # one string per IRI, however many tasks name it

    def add(self, facts: UnitFacts) -> None:
        """Count one document's units and tasks."""
        for iri, (kind, name, place, alts) in facts.units.items():
            self.kinds[iri] = min(self.kinds.get(iri, kind), kind, key=_RANK.__getitem__)
            self.names.setdefault(iri, Counter())[name] += 1
            self.others.setdefault(iri, set()).update(alts)
            if place:
                self.places[iri] = min(self.places.get(iri, place), place)
        if facts.document:
            self.documents[facts.document] = len(facts.tasks)
        iris = self._iris
        for leads, supports in facts.tasks:
            self.led.update(set(leads))
            self.supported.update(set(supports) - set(leads))
            roles = tuple(tuple(iris.setdefault(iri, iri) for iri in units) for units in (leads, supports))
            self.tasks.append(roles)  # type: ignore[arg-type]

    def summary(self) -> Summary:
        units = []
        for iri in sorted(self.kinds):
            name = min(self.names[iri].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            alts = tuple(sorted((self.others[iri] | set(self.names[iri])) - {name}))
            place = self.places.get(iri, "")
            units.append(Unit(iri, self.kinds[iri], name, alts, place, self.led[iri], self.supported[iri]))
        return Summary(tuple(units), tuple(sorted(self.tasks)), tuple(sorted(self.documents.items())))


def merge_facts(documents: Iterable[UnitFacts]) -> Summary:
    """Add up the facts of every document."""
    builder = SummaryBuilder()
    for facts in documents:
        builder.add(facts)
    return builder.summary()


def summary_lines(summary: Summary, base: str) -> list[str]:
    """The summary as N-Triples lines (unsorted), for the named graph ``{base}graph/corpus``
    (which they type ``kg:CorpusSummary``)."""
    from kg.rdf import ntriples_literal

    a, pref, alt, spatial = f"<{RDF.type}>", f"<{SKOS.prefLabel}>", f"<{SKOS.altLabel}>", f"<{DCTERMS.spatial}>"
    lines: list[str] = [f"<{base}graph/corpus> {a} <{KG.CorpusSummary}> ."]
    for unit in summary.units:
        s = f"<{unit.iri}>"
        lines.append(f"{s} {a} <{KIND_CLASSES[unit.kind]}> .")
        lines.append(f"{s} {pref} {ntriples_literal(unit.name, lang='zh')} .")
        lines.extend(f"{s} {alt} {ntriples_literal(other, lang='zh')} ." for other in unit.others)
        if unit.place:
            lines.append(f"{s} {spatial} <{unit.place}> .")
        if unit.led or unit.supported:
            lines.append(f"{s} <{KG.tasksLed}> {ntriples_literal(unit.led)} .")
            lines.append(f"{s} <{KG.tasksSupported}> {ntriples_literal(unit.supported)} .")
    lines.extend(f"<{iri}> <{KG.taskCount}> {ntriples_literal(count)} ." for iri, count in summary.documents)
    return lines
