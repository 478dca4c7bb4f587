"""Extractions -> RDF: one named graph per document, its metadata and the places in the default graph.

A document's graph is built as N-Triples lines (:class:`Lines`), not as an rdflib Graph: a build
writes thousands of them and only ever serialises them, which rdflib makes several times slower.
:attr:`DocumentGraph.graph` and :attr:`DocumentGraph.metadata` parse the lines into rdflib graphs
for callers that want to query them in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.models import Document, Entity, Extraction
from kg.namespaces import DCTERMS, KG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.summary import UnitFacts

__all__ = [
    "DEFAULT_BASE",
    "DocumentGraph",
    "Lines",
    "document_graph",
    "build_dataset",
    "document_iri",
    "bind_prefixes",
    "ntriples_literal",
]

#: Where minted IRIs live unless the caller names another base (``kg build --base``).
DEFAULT_BASE = "https://w3id.org/kg-gov/id/"
ZH = "zh"

_TASK_FORCE = re.compile(r"(?:指挥部|领导小组|工作组|专班)$")
_TYPE_PATHS = {"Agency": "agency", "Road": "road", "RailLine": "rail", "HousingProgramme": "housing",
               "Project": "project", "Place": "place"}

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _n(iri: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{iri}>"


def ntriples_literal(value: object, *, lang: str | None = None, datatype: str | None = None) -> str:
    r"""A literal as an N-Triples term, in the lexical form rdflib gives the same Python value.

    >>> ntriples_literal('说"明"\n', lang="zh"), ntriples_literal(3), ntriples_literal(True)
    ('"说\\"明\\"\\n"@zh', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')
    """
    if isinstance(value, bool):
        text, datatype = ("true" if value else "false"), str(XSD.boolean)
    elif isinstance(value, int):
        text, datatype = str(value), str(XSD.integer)
    else:
        text = str(value)
    quoted = '"' + text.translate(_ESCAPES) + '"'
    if lang:
        return f"{quoted}@{lang}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


def _zh(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"@zh'


# the vocabulary as N-Triples terms
_A = _n(RDF.type)
_PREF, _ALT, _NOTATION = _n(SKOS.prefLabel), _n(SKOS.altLabel), _n(SKOS.notation)
_SPATIAL, _LABEL = _n(DCTERMS.spatial), _n(RDFS.label)
_SOURCE, _QUOTE, _START, _END = _n(KG.sourceDocument), _n(KG.quote), _n(KG.spanStart), _n(KG.spanEnd)
_PLACE, _ADMIN, _CONTAINED = _n(KG.Place), _n(SCHEMA.AdministrativeArea), _n(SCHEMA.containedInPlace)
_FEATURE_TYPES = {"Road": _n(KG.Road), "RailLine": _n(KG.RailLine), "HousingProgramme": _n(KG.HousingProgramme),
                  "Project": _n(KG.Project), "Place": _PLACE}


@dataclass
class Lines:
    """A graph as a set of N-Triples lines (terms already in N-Triples form)."""

    lines: set[str] = field(default_factory=set)

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.add(f"{s} {p} {o} .")

    def __contains__(self, triple: tuple[str, str, str]) -> bool:
        return "{} {} {} .".format(*triple) in self.lines

    def sorted(self) -> tuple[str, ...]:
        return tuple(sorted(self.lines))


def _rdflib_graph(lines: Iterable[str], identifier: URIRef | None) -> Graph:
    graph = Graph(identifier=identifier)
    text = "\n".join(lines)
    if text:
        graph.parse(data=text + "\n", format="nt")
    return graph


@dataclass(frozen=True)
class DocumentGraph:
    """One document's statements (its named graph) and what it adds to the default graph,
    each as sorted N-Triples lines."""

    iri: URIRef
    lines: tuple[str, ...]  # the named graph: tasks, associations, entities, mentions
    metadata_lines: tuple[str, ...]  # default-graph triples: the document node and its places
    units: UnitFacts = field(default_factory=UnitFacts, compare=False)  # for the corpus summary

    @cached_property
    def graph(self) -> Graph:
        """The named graph as an rdflib Graph (identified by the document's IRI)."""
        return _rdflib_graph(self.lines, self.iri)

    @cached_property
    def metadata(self) -> Graph:
        """The default-graph triples as an rdflib Graph."""
        return _rdflib_graph(self.metadata_lines, None)


def document_iri(doc_name: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of a document (and of its named graph), from its file stem.

    >>> str(document_iri("003_b31d.txt"))
    'https://w3id.org/kg-gov/id/doc/003_b31d'
    """
    return URIRef(f"{base}doc/{_slug(Path(doc_name).stem)}")


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_\-.\u4e00-\u9fff]", "_", text)


def _entity_iri(entity_id: str, type_: str, base: str) -> str:
    """An entity's IRI as an N-Triples term."""
    # resolve ids look like "agency-3e8d…"; the hex part is enough under a per-type path
    return f"<{base}{_TYPE_PATHS[type_]}/{entity_id.rsplit('-', 1)[-1]}>"


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    """Bind the vocabulary prefixes and the data base (``id:``) on a graph or dataset."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("id", base, override=True, replace=True)


class _Places:
    """IRIs and hierarchy triples of the places a document is scoped to."""

    def __init__(self, base: str, metadata: Lines) -> None:
        self.base = base
        self.metadata = metadata
        self.labels: dict[str, str] = {}  # place term -> its preferred label

    def region(self, code: str) -> str:
        """A GB/T 2260 division, with its parents up to the province."""
        from kg.regions import region_by_code

        iri = f"<{self.base}place/{code}>"
        region = region_by_code(code)
        if region is None or iri in self.labels:
            return iri
        self.labels[iri] = region.name
        self.metadata.add(iri, _A, _PLACE)
        self.metadata.add(iri, _A, _ADMIN)
        self.metadata.add(iri, _PREF, _zh(region.name))
        self.metadata.add(iri, _NOTATION, ntriples_literal(code))
        if region.parent:
            self.metadata.add(iri, _CONTAINED, self.region(region.parent))
        return iri

    def label(self, iri: str) -> str | None:
        """The preferred label already given to a place."""
        return self.labels.get(iri)

    def jurisdiction(self, name: str | None, code: str | None, doc_stem: str) -> str:
        """The jurisdiction's place: its division, or a named unit inside it (街道, 高新区).

        An unknown jurisdiction is a place of its own, scoped to the document, so that nothing
        is said to belong to a government the document does not name.
        """
        from kg.regions import full_name
        from kg.resolve import entity_id

        if name is None:
            iri = f"<{self.base}place/unknown-{_slug(doc_stem)}>"
            self.metadata.add(iri, _A, _PLACE)
            self.labels[iri] = label = f"未识别辖区({doc_stem})"
            self.metadata.add(iri, _PREF, _zh(label))
            return iri
        if code is None:
            return self._named_place(name, None)
        division = self.region(code)
        division_name = full_name(code)
        if name == division_name:
            return division
        iri = _entity_iri(entity_id("Place", name, None), "Place", self.base)
        self._describe(iri, name, name.removeprefix(division_name) or name, division)
        return iri

    def _named_place(self, name: str, parent: str | None) -> str:
        from kg.resolve import entity_id

        iri = _entity_iri(entity_id("Place", name, None), "Place", self.base)
        self._describe(iri, name, name, parent)
        return iri

    def _describe(self, iri: str, full: str, short: str, parent: str | None) -> None:
        self.labels[iri] = full
        self.metadata.add(iri, _A, _PLACE)
        self.metadata.add(iri, _A, _ADMIN)
        self.metadata.add(iri, _PREF, _zh(full))
        if short != full:
            self.metadata.add(iri, _ALT, _zh(short))
        if parent is not None:
            self.metadata.add(iri, _CONTAINED, parent)


def _division(entity: Entity, code: str | None) -> str | None:
    """The GB/T 2260 code a place entity names, when its name picks out one division near the
    document's own (same province), or any one division when the document's is unknown."""
    from kg.regions import regions_named

    found = regions_named(entity.name)
    if code:
        found = [r for r in found if r.code[:2] == code[:2]]
    return found[0].code if len(found) == 1 else None


_COLLECTIVE, _TASK_FORCE_CLASS, _AGENCY = _n(KG.CollectiveUnit), _n(KG.TaskForce), _n(KG.Agency)
_KINDS = {_COLLECTIVE: "collective", _TASK_FORCE_CLASS: "taskforce", _AGENCY: "agency", _PLACE: "place"}


def _agent_class(entity: Entity) -> str:
    if entity.collective:
        return _COLLECTIVE
    if entity.type == "Place":
        return _PLACE
    return _TASK_FORCE_CLASS if _TASK_FORCE.search(entity.name) else _AGENCY


_MENTION, _MENTION_OF, _AGENT = _n(KG.Mention), _n(KG.mentionOf), _n(PROV.Agent)
_TASK, _LAYOUT, _INVOLVES = _n(KG.Task), _n(KG.layout), _n(KG.involves)
_QUALIFIED, _ASSOCIATION, _PROV_AGENT = _n(PROV.qualifiedAssociation), _n(PROV.Association), _n(PROV.agent)
_HAD_ROLE, _POSITION = _n(PROV.hadRole), _n(KG.position)
_ROLES = (("lead", _n(KG.leadUnit), _n(KG.LeadRole)), ("support", _n(KG.supportUnit), _n(KG.SupportRole)))


def _mention(graph: Lines, mention: str, target: str, doc: str, text: str, start: int, end: int) -> None:
    graph.add(mention, _A, _MENTION)
    graph.add(mention, _MENTION_OF, target)
    graph.add(mention, _SOURCE, doc)
    graph.add(mention, _QUOTE, _zh(text))
    graph.add(mention, _START, ntriples_literal(start))
    graph.add(mention, _END, ntriples_literal(end))


def document_graph(
    extraction: Extraction, doc: Document | None = None, *, base: str = DEFAULT_BASE
) -> DocumentGraph:
    """Build one document's named graph and its default-graph metadata.

    Args:
        extraction: what was extracted from the document.
        doc: the normalised document, to map spans back to the original file (without it, spans
            are offsets in the normalised text).
        base: namespace of minted IRIs.
    """
    from kg.resolve import agency_id, is_collective_unit

    doc_ref = document_iri(extraction.doc, base)
    doc_iri = _n(doc_ref)
    stem = Path(extraction.doc).stem
    graph, metadata = Lines(), Lines()
    units = UnitFacts(document=str(doc_ref))
    places = _Places(base, metadata)
    scope = places.jurisdiction(extraction.jurisdiction, extraction.jurisdiction_code, stem)

    def span(start: int, end: int) -> tuple[int, int]:
        return doc.source_span(start, end) if doc is not None else (start, end)

    # entities
    by_surface: dict[tuple[str, str], str] = {}
    for entity in extraction.entities:
        division = _division(entity, extraction.jurisdiction_code) if entity.type == "Place" else None
        if division is not None:
            # a GB/T 2260 division named in the text is the division itself (北仑 -> place/330206)
            iri = places.region(division)
            for surface in entity.surfaces:
                by_surface[(surface, entity.type)] = iri
                if surface != places.label(iri):
                    graph.add(iri, _ALT, _zh(surface))
            graph.add(iri, _A, _PLACE)
            continue
        iri = _entity_iri(entity.id, entity.type, base)
        for surface in entity.surfaces:
            by_surface[(surface, entity.type)] = iri
        kind = _agent_class(entity) if entity.type == "Agency" else _FEATURE_TYPES[entity.type]
        graph.add(iri, _A, kind)
        if kind == _TASK_FORCE_CLASS:  # materialised, so that "?x a kg:Agency" finds task forces too
            graph.add(iri, _A, _AGENCY)
        if entity.type == "Place":
            graph.add(iri, _A, _ADMIN)
        graph.add(iri, _PREF, _zh(entity.name))
        for surface in entity.surfaces:
            if surface != entity.name:
                graph.add(iri, _ALT, _zh(surface))
        graph.add(iri, _SPATIAL, scope)
        if entity.type == "Agency":
            units.unit(iri[1:-1], _KINDS[kind], entity.name, scope[1:-1], entity.surfaces)

    # mentions
    for m in extraction.mentions:
        target = by_surface.get((m.text, m.type))
        if target is None:
            continue
        start, end = span(m.start, m.end)
        _mention(graph, f"<{doc_ref}#m{start}-{end}>", target, doc_iri, m.text, start, end)

    def agent(unit: str) -> str:
        for type_ in ("Agency", "Place"):
            if (unit, type_) in by_surface:
                iri = by_surface[(unit, type_)]
                graph.add(iri, _A, _AGENT)
                if type_ == "Place" and iri[1:-1] not in units.units:
                    division = places.label(iri) is not None  # a division has no jurisdiction of its own
                    units.unit(iri[1:-1], "place", places.label(iri) or unit, "" if division else scope[1:-1])
                return iri
        # a unit no mention covers: mint it the way resolution would
        iri = _entity_iri(agency_id(unit, extraction.jurisdiction), "Agency", base)
        kind = _COLLECTIVE if is_collective_unit(unit) else _AGENCY
        graph.add(iri, _A, kind)
        graph.add(iri, _PREF, _zh(unit))
        graph.add(iri, _SPATIAL, scope)
        units.unit(iri[1:-1], _KINDS[kind], unit, scope[1:-1])
        return iri

    # tasks and their qualified associations (the shortcut properties come from the same loop)
    features = [m for m in extraction.mentions if m.type != "Agency" and (m.text, m.type) in by_surface]
    for n, a in enumerate(extraction.assignments, start=1):
        task_ref = f"{base}task/{_slug(stem)}/{n}"
        task = _n(task_ref)
        start, end = span(a.start, a.end)
        graph.add(task, _A, _TASK)
        graph.add(task, _LABEL, _zh(a.task))
        graph.add(task, _SOURCE, doc_iri)
        graph.add(task, _QUOTE, _zh(a.quote or a.task))
        graph.add(task, _START, ntriples_literal(start))
        graph.add(task, _END, ntriples_literal(end))
        graph.add(task, _LAYOUT, ntriples_literal(a.layout))
        graph.add(task, _SPATIAL, scope)
        roles: tuple[list[str], list[str]] = ([], [])
        for (role, shortcut, concept), named, found in zip(_ROLES, (a.lead, a.support), roles):
            for k, unit in enumerate(named, start=1):
                who = agent(unit)
                found.append(who[1:-1])
                association = f"<{task_ref}/{role}/{k}>"
                graph.add(task, shortcut, who)
                graph.add(task, _QUALIFIED, association)
                graph.add(association, _A, _ASSOCIATION)
                graph.add(association, _PROV_AGENT, who)
                graph.add(association, _HAD_ROLE, concept)
                graph.add(association, _POSITION, ntriples_literal(k))
                graph.add(association, _SOURCE, doc_iri)
        units.task(*roles)
        for m in features:
            if a.start <= m.start and m.end <= a.end:
                graph.add(task, _INVOLVES, by_surface[(m.text, m.type)])

    # the document itself, in the default graph
    h = extraction.header
    metadata.add(doc_iri, _A, _n(KG.Document))
    metadata.add(doc_iri, _A, _n(PROV.Entity))
    metadata.add(doc_iri, _n(KG.sourceFile), ntriples_literal(extraction.doc))
    metadata.add(doc_iri, _SPATIAL, scope)
    if h.title:
        metadata.add(doc_iri, _n(DCTERMS.title), _zh(h.title))
    if h.date:
        metadata.add(doc_iri, _n(DCTERMS.issued), ntriples_literal(h.date, datatype=str(XSD.date)))
    if h.publisher:
        metadata.add(doc_iri, _n(KG.publisherName), _zh(h.publisher))
        named = re.sub(r"\([^()]*\)$", "", h.publisher)  # 建设和交通管理局(生态环境局): one body, two names
        publisher = next(
            (by_surface[(n, t)] for n in (h.publisher, named) for t in ("Agency", "Place") if (n, t) in by_surface),
            None,
        )
        if publisher is not None:
            metadata.add(doc_iri, _n(DCTERMS.publisher), publisher)
    if h.index_no:
        metadata.add(doc_iri, _n(KG.indexNumber), ntriples_literal(h.index_no))
    if h.doc_number:
        metadata.add(doc_iri, _n(KG.documentNumber), ntriples_literal(h.doc_number))
    if h.topic:
        metadata.add(doc_iri, _n(DCTERMS.subject), _zh(h.topic))
    if extraction.family and extraction.family != extraction.doc:
        # an attachment is part of the web notice that published it
        metadata.add(doc_iri, _n(DCTERMS.isPartOf), _n(document_iri(extraction.family, base)))
    _add_outcomes(graph, extraction, doc_iri=doc_ref, base=base, scope=scope, by_surface=by_surface, span=span)
    return DocumentGraph(doc_ref, graph.sorted(), metadata.sorted(), units)


# --- project statuses, completion-report rows, targets and results ------------------------------

_STATUS_CONCEPTS = {
    "planned": KG.Planned, "preparatory": KG.Preparatory, "started": KG.Started,
    "under_construction": KG.UnderConstruction, "opened": KG.Opened, "completed": KG.Completed,
}
_OUTCOME_CONCEPTS = {"met": KG.TargetMet, "not_met": KG.TargetNotMet, "not_comparable": KG.NotComparable}
_YEAR = _n(KG.year)


def _decimal(value: Decimal) -> str:
    """An xsd:decimal in its canonical form (1500.0, 1.08), as Turtle writes it back."""
    text = format(value, "f")
    return ntriples_literal(text if "." in text else f"{text}.0", datatype=str(XSD.decimal))


def _add_outcomes(
    graph: Lines,
    extraction: Extraction,
    *,
    doc_iri: str,
    base: str,
    scope: str,
    by_surface: dict[tuple[str, str], str],
    span: Callable[[int, int], tuple[int, int]],
) -> None:
    """Status statements, report rows and their target and result figures, each with its source.

    A status names the feature of its surface; a surface no entity has (a list item only the status
    reader found, a university read as a project) becomes a feature of its own, scoped like the
    others, with a mention.
    """
    from kg.resolve import city_scope, entity_id

    stem = _slug(Path(extraction.doc).stem)
    doc = _n(doc_iri)
    spans_taken = {(m.start, m.end) for m in extraction.mentions}

    def feature(surface: str, type_: str, start: int, end: int) -> str:
        if (surface, type_) in by_surface:
            return by_surface[(surface, type_)]
        iri = _entity_iri(entity_id(type_, surface, city_scope(extraction.jurisdiction)), type_, base)
        graph.add(iri, _A, _FEATURE_TYPES[type_])
        graph.add(iri, _PREF, _zh(surface))
        graph.add(iri, _SPATIAL, scope)
        by_surface[(surface, type_)] = iri
        if (start, end) not in spans_taken:
            a, b = span(start, end)
            _mention(graph, f"<{doc_iri}#m{a}-{b}>", iri, doc, surface, a, b)
            spans_taken.add((start, end))
        return iri

    def provenance(node: str, quote: str, start: int, end: int) -> None:
        a, b = span(start, end)
        graph.add(node, _SOURCE, doc)
        graph.add(node, _QUOTE, _zh(quote))
        graph.add(node, _START, ntriples_literal(a))
        graph.add(node, _END, ntriples_literal(b))

    for n, s in enumerate(extraction.statuses, start=1):
        node = f"<{base}status/{stem}/{n}>"
        graph.add(node, _A, _n(KG.StatusStatement))
        graph.add(node, _n(KG.statusOf), feature(s.entity, s.type, s.start, s.end))
        graph.add(node, _n(KG.status), _n(_STATUS_CONCEPTS[s.status]))
        if s.year is not None:
            graph.add(node, _YEAR, ntriples_literal(s.year))
        graph.add(node, _n(KG.reported), ntriples_literal(s.reported))
        graph.add(node, _n(KG.hedged), ntriples_literal(s.hedged))
        graph.add(node, _n(KG.cue), ntriples_literal(s.cue))
        provenance(node, s.evidence, s.quote_start, s.quote_end)

    tasks = [(a.start, a.end, f"<{base}task/{stem}/{n}>") for n, a in enumerate(extraction.assignments, start=1)]
    for n, p in enumerate(extraction.progress, start=1):
        item_ref = f"{base}progress/{stem}/{n}"
        item = _n(item_ref)
        graph.add(item, _A, _n(KG.ProgressItem))
        graph.add(item, _LABEL, _zh(p.task))
        graph.add(item, _n(KG.reportedText), _zh(p.reported))
        graph.add(item, _n(KG.outcome), _n(_OUTCOME_CONCEPTS[p.outcome]))
        graph.add(item, _SPATIAL, scope)
        if p.ratio is not None:
            graph.add(item, _n(KG.ratio), _decimal(p.ratio))
        year = next((q.year for q in p.targets + p.results if q.year is not None), None)
        if year is not None:
            graph.add(item, _YEAR, ntriples_literal(year))
        provenance(item, f"{p.task_text} | {p.result_text}", p.start, p.end)
        for start, end, task in tasks:
            if start < p.end and p.start < end:  # the row is also an assignment: its units are the task's
                graph.add(item, _n(KG.forTask), task)
        nodes: dict[tuple[int, int], str] = {}
        for role, figures, kind, link in (("target", p.targets, KG.Target, KG.hasTarget),
                                          ("result", p.results, KG.Result, KG.hasResult)):
            for k, q in enumerate(figures, start=1):
                node = f"<{item_ref}/{role}/{k}>"
                nodes[(q.start, q.end)] = node
                graph.add(item, _n(link), node)
                graph.add(node, _A, _n(kind))
                graph.add(node, _A, _n(KG.Quantity))  # materialised: "?q a kg:Quantity" finds both
                graph.add(node, _n(KG.value), _decimal(q.value))
                graph.add(node, _n(KG.unit), ntriples_literal(q.unit))
                if q.counts:
                    graph.add(node, _n(KG.counts), _zh(q.counts))
                if q.bound:
                    graph.add(node, _n(KG.bound), ntriples_literal(q.bound))
                if q.year is not None:
                    graph.add(node, _YEAR, ntriples_literal(q.year))
                provenance(node, q.text, q.start, q.end)
        for c in p.comparisons:
            target = nodes.get((c.target.start, c.target.end))
            if target is None:
                continue
            # a summed result (70家+160家) compares each of its figures
            parts = [nodes[(q.start, q.end)] for q in p.results
                     if (q.start, q.end) in nodes and c.result.start <= q.start and q.end <= c.result.end
                     and q.text in c.result.text.split("+")]
            for result in parts:
                graph.add(result, _n(KG.meetsTarget if c.outcome == "met" else KG.fallsShortOf), target)
                if c.ratio is not None and len(parts) == 1:
                    graph.add(result, _n(KG.ratio), _decimal(c.ratio))


def build_dataset(parts: Iterable[DocumentGraph], *, base: str = DEFAULT_BASE) -> Dataset:
    """Assemble a Dataset: each document's named graph, all metadata in the default graph."""
    dataset = Dataset()
    bind_prefixes(dataset, base)
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    for part in parts:
        named = dataset.graph(part.iri)
        for triple in part.graph:
            named.add(triple)
        for triple in part.metadata:
            default.add(triple)
    return dataset
