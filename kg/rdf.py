"""Extractions -> RDF: one named graph per document, its metadata and the places in the default graph."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable  # Callable: issue 7
from dataclasses import dataclass
from decimal import Decimal  # issue 7
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.models import Document, Entity, Extraction
from kg.namespaces import DCTERMS, KG, PREFIXES, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

__all__ = ["DEFAULT_BASE", "DocumentGraph", "document_graph", "build_dataset", "document_iri", "bind_prefixes"]

#: Where minted IRIs live unless the caller names another base (``kg build --base``).
DEFAULT_BASE = "https://w3id.org/kg-gov/id/"
ZH = "zh"

_TASK_FORCE = re.compile(r"(?:指挥部|领导小组|工作组|专班)$")
_FEATURE_TYPES = {"Road": KG.Road, "RailLine": KG.RailLine, "HousingProgramme": KG.HousingProgramme,
                  "Project": KG.Project, "Place": KG.Place}
_TYPE_PATHS = {"Agency": "agency", "Road": "road", "RailLine": "rail", "HousingProgramme": "housing",
               "Project": "project", "Place": "place"}


@dataclass(frozen=True)
class DocumentGraph:
    """One document's statements (its named graph) and what it adds to the default graph."""

    iri: URIRef
    graph: Graph  # the named graph: tasks, associations, entities, mentions
    metadata: Graph  # default-graph triples: the document node and its places


def document_iri(doc_name: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of a document (and of its named graph), from its file stem.

    >>> str(document_iri("003_b31d.txt"))
    'https://w3id.org/kg-gov/id/doc/003_b31d'
    """
    return URIRef(f"{base}doc/{_slug(Path(doc_name).stem)}")


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_\-.\u4e00-\u9fff]", "_", text)


def _entity_iri(entity_id: str, type_: str, base: str) -> URIRef:
    # resolve ids look like "agency-3e8d…"; the hex part is enough under a per-type path
    return URIRef(f"{base}{_TYPE_PATHS[type_]}/{entity_id.rsplit('-', 1)[-1]}")


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    """Bind the vocabulary prefixes and the data base (``id:``) on a graph or dataset."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.bind("id", base, override=True, replace=True)


class _Places:
    """IRIs and hierarchy triples of the places a document is scoped to."""

    def __init__(self, base: str, metadata: Graph) -> None:
        self.base = base
        self.metadata = metadata

    def region(self, code: str) -> URIRef:
        """A GB/T 2260 division, with its parents up to the province."""
        from kg.regions import region_by_code

        iri = URIRef(f"{self.base}place/{code}")
        region = region_by_code(code)
        if region is None or (iri, RDF.type, KG.Place) in self.metadata:
            return iri
        self.metadata.add((iri, RDF.type, KG.Place))
        self.metadata.add((iri, RDF.type, SCHEMA.AdministrativeArea))
        self.metadata.add((iri, SKOS.prefLabel, Literal(region.name, lang=ZH)))
        self.metadata.add((iri, SKOS.notation, Literal(code)))
        if region.parent:
            self.metadata.add((iri, SCHEMA.containedInPlace, self.region(region.parent)))
        return iri

    def label(self, iri: URIRef) -> str | None:
        """The preferred label already given to a place."""
        value = self.metadata.value(iri, SKOS.prefLabel)
        return str(value) if value is not None else None

    def jurisdiction(self, name: str | None, code: str | None, doc_stem: str) -> URIRef:
        """The jurisdiction's place: its division, or a named unit inside it (街道, 高新区).

        An unknown jurisdiction is a place of its own, scoped to the document, so that nothing
        is said to belong to a government the document does not name.
        """
        from kg.regions import full_name
        from kg.resolve import entity_id

        if name is None:
            iri = URIRef(f"{self.base}place/unknown-{_slug(doc_stem)}")
            self.metadata.add((iri, RDF.type, KG.Place))
            self.metadata.add((iri, SKOS.prefLabel, Literal(f"未识别辖区({doc_stem})", lang=ZH)))
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

    def _named_place(self, name: str, parent: URIRef | None) -> URIRef:
        from kg.resolve import entity_id

        iri = _entity_iri(entity_id("Place", name, None), "Place", self.base)
        self._describe(iri, name, name, parent)
        return iri

    def _describe(self, iri: URIRef, full: str, short: str, parent: URIRef | None) -> None:
        self.metadata.add((iri, RDF.type, KG.Place))
        self.metadata.add((iri, RDF.type, SCHEMA.AdministrativeArea))
        self.metadata.add((iri, SKOS.prefLabel, Literal(full, lang=ZH)))
        if short != full:
            self.metadata.add((iri, SKOS.altLabel, Literal(short, lang=ZH)))
        if parent is not None:
            self.metadata.add((iri, SCHEMA.containedInPlace, parent))


def _division(entity: Entity, code: str | None) -> str | None:
    """The GB/T 2260 code a place entity names, when its name picks out one division near the
    document's own (same province), or any one division when the document's is unknown."""
    from kg.regions import regions_named

    found = regions_named(entity.name)
    if code:
        found = [r for r in found if r.code[:2] == code[:2]]
    return found[0].code if len(found) == 1 else None


def _agent_class(entity: Entity) -> URIRef:
    if entity.collective:
        return KG.CollectiveUnit
    if entity.type == "Place":
        return KG.Place
    return KG.TaskForce if _TASK_FORCE.search(entity.name) else KG.Agency


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

    doc_iri = document_iri(extraction.doc, base)
    stem = Path(extraction.doc).stem
    graph, metadata = Graph(identifier=doc_iri), Graph()
    places = _Places(base, metadata)
    scope = places.jurisdiction(extraction.jurisdiction, extraction.jurisdiction_code, stem)

    def span(start: int, end: int) -> tuple[int, int]:
        return doc.source_span(start, end) if doc is not None else (start, end)

    # entities
    by_surface: dict[tuple[str, str], URIRef] = {}
    for entity in extraction.entities:
        division = _division(entity, extraction.jurisdiction_code) if entity.type == "Place" else None
        if division is not None:
            # a GB/T 2260 division named in the text is the division itself (北仑 -> place/330206)
            iri = places.region(division)
            for surface in entity.surfaces:
                by_surface[(surface, entity.type)] = iri
                if surface != places.label(iri):
                    graph.add((iri, SKOS.altLabel, Literal(surface, lang=ZH)))
            graph.add((iri, RDF.type, KG.Place))
            continue
        iri = _entity_iri(entity.id, entity.type, base)
        for surface in entity.surfaces:
            by_surface[(surface, entity.type)] = iri
        kind = _agent_class(entity) if entity.type == "Agency" else _FEATURE_TYPES[entity.type]
        graph.add((iri, RDF.type, kind))
        if kind == KG.TaskForce:  # materialised, so that "?x a kg:Agency" finds task forces too
            graph.add((iri, RDF.type, KG.Agency))
        if entity.type == "Place":
            graph.add((iri, RDF.type, SCHEMA.AdministrativeArea))
        graph.add((iri, SKOS.prefLabel, Literal(entity.name, lang=ZH)))
        for surface in entity.surfaces:
            if surface != entity.name:
                graph.add((iri, SKOS.altLabel, Literal(surface, lang=ZH)))
        graph.add((iri, DCTERMS.spatial, scope))

    # mentions
    for m in extraction.mentions:
        target = by_surface.get((m.text, m.type))
        if target is None:
            continue
        start, end = span(m.start, m.end)
        mention = URIRef(f"{doc_iri}#m{start}-{end}")
        graph.add((mention, RDF.type, KG.Mention))
        graph.add((mention, KG.mentionOf, target))
        graph.add((mention, KG.sourceDocument, doc_iri))
        graph.add((mention, KG.quote, Literal(m.text, lang=ZH)))
        graph.add((mention, KG.spanStart, Literal(start)))
        graph.add((mention, KG.spanEnd, Literal(end)))

    def agent(unit: str) -> URIRef:
        for type_ in ("Agency", "Place"):
            if (unit, type_) in by_surface:
                iri = by_surface[(unit, type_)]
                graph.add((iri, RDF.type, PROV.Agent))
                return iri
        # a unit no mention covers: mint it the way resolution would
        iri = _entity_iri(agency_id(unit, extraction.jurisdiction), "Agency", base)
        graph.add((iri, RDF.type, KG.CollectiveUnit if is_collective_unit(unit) else KG.Agency))
        graph.add((iri, SKOS.prefLabel, Literal(unit, lang=ZH)))
        graph.add((iri, DCTERMS.spatial, scope))
        return iri

    # tasks and their qualified associations (the shortcut properties come from the same loop)
    features = [m for m in extraction.mentions if m.type != "Agency" and (m.text, m.type) in by_surface]
    for n, a in enumerate(extraction.assignments, start=1):
        task = URIRef(f"{base}task/{_slug(stem)}/{n}")
        start, end = span(a.start, a.end)
        graph.add((task, RDF.type, KG.Task))
        graph.add((task, RDFS.label, Literal(a.task, lang=ZH)))
        graph.add((task, KG.sourceDocument, doc_iri))
        graph.add((task, KG.quote, Literal(a.quote or a.task, lang=ZH)))
        graph.add((task, KG.spanStart, Literal(start)))
        graph.add((task, KG.spanEnd, Literal(end)))
        graph.add((task, KG.layout, Literal(a.layout)))
        graph.add((task, DCTERMS.spatial, scope))
        for role, shortcut, units in (("lead", KG.leadUnit, a.lead), ("support", KG.supportUnit, a.support)):
            concept = KG.LeadRole if role == "lead" else KG.SupportRole
            for k, unit in enumerate(units, start=1):
                who = agent(unit)
                association = URIRef(f"{task}/{role}/{k}")
                graph.add((task, shortcut, who))
                graph.add((task, PROV.qualifiedAssociation, association))
                graph.add((association, RDF.type, PROV.Association))
                graph.add((association, PROV.agent, who))
                graph.add((association, PROV.hadRole, concept))
                graph.add((association, KG.position, Literal(k)))
                graph.add((association, KG.sourceDocument, doc_iri))
        for m in features:
            if a.start <= m.start and m.end <= a.end:
                graph.add((task, KG.involves, by_surface[(m.text, m.type)]))

    # the document itself, in the default graph
    h = extraction.header
    metadata.add((doc_iri, RDF.type, KG.Document))
    metadata.add((doc_iri, RDF.type, PROV.Entity))
    metadata.add((doc_iri, KG.sourceFile, Literal(extraction.doc)))
    metadata.add((doc_iri, DCTERMS.spatial, scope))
    if h.title:
        metadata.add((doc_iri, DCTERMS.title, Literal(h.title, lang=ZH)))
    if h.date:
        metadata.add((doc_iri, DCTERMS.issued, Literal(h.date, datatype=XSD.date)))
    if h.publisher:
        metadata.add((doc_iri, KG.publisherName, Literal(h.publisher, lang=ZH)))
        named = re.sub(r"\([^()]*\)$", "", h.publisher)  # 建设和交通管理局(生态环境局): one body, two names
        publisher = next(
            (by_surface[(n, t)] for n in (h.publisher, named) for t in ("Agency", "Place") if (n, t) in by_surface),
            None,
        )
        if publisher is not None:
            metadata.add((doc_iri, DCTERMS.publisher, publisher))
    if h.index_no:
        metadata.add((doc_iri, KG.indexNumber, Literal(h.index_no)))
    if h.doc_number:
        metadata.add((doc_iri, KG.documentNumber, Literal(h.doc_number)))
    if h.topic:
        metadata.add((doc_iri, DCTERMS.subject, Literal(h.topic, lang=ZH)))
    if extraction.family and extraction.family != extraction.doc:
        # an attachment is part of the web notice that published it
        metadata.add((doc_iri, DCTERMS.isPartOf, document_iri(extraction.family, base)))
    # issue 7: statuses, report rows, targets and results
    _add_outcomes(graph, extraction, doc_iri=doc_iri, base=base, scope=scope, by_surface=by_surface,
                  span=span)
    return DocumentGraph(doc_iri, graph, metadata)




# --- issue 7: project statuses, completion-report rows, targets and results --------------------

_STATUS_CONCEPTS = {
    "planned": KG.Planned, "preparatory": KG.Preparatory, "started": KG.Started,
    "under_construction": KG.UnderConstruction, "opened": KG.Opened, "completed": KG.Completed,
}
_OUTCOME_CONCEPTS = {"met": KG.TargetMet, "not_met": KG.TargetNotMet, "not_comparable": KG.NotComparable}


def _decimal(value: Decimal) -> Literal:
    """An xsd:decimal in its canonical form (1500.0, 1.08), as Turtle writes it back."""
    text = format(value, "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


def _add_outcomes(
    graph: Graph,
    extraction: Extraction,
    *,
    doc_iri: URIRef,
    base: str,
    scope: URIRef,
    by_surface: dict[tuple[str, str], URIRef],
    span: Callable[[int, int], tuple[int, int]],
) -> None:
    """Status statements, report rows and their target and result figures, each with its source.

    A status names the feature of its surface; a surface no entity has (a list item only the status
    reader found, 宁波东方理工大学 read as a project) becomes a feature of its own, scoped like the
    others, with a mention.
    """
    from kg.resolve import city_scope, entity_id

    stem = _slug(Path(extraction.doc).stem)
    spans_taken = {(m.start, m.end) for m in extraction.mentions}

    def feature(surface: str, type_: str, start: int, end: int) -> URIRef:
        if (surface, type_) in by_surface:
            return by_surface[(surface, type_)]
        iri = _entity_iri(entity_id(type_, surface, city_scope(extraction.jurisdiction)), type_, base)
        graph.add((iri, RDF.type, _FEATURE_TYPES[type_]))
        graph.add((iri, SKOS.prefLabel, Literal(surface, lang=ZH)))
        graph.add((iri, DCTERMS.spatial, scope))
        by_surface[(surface, type_)] = iri
        if (start, end) not in spans_taken:
            a, b = span(start, end)
            mention = URIRef(f"{doc_iri}#m{a}-{b}")
            for triple in (
                (RDF.type, KG.Mention), (KG.mentionOf, iri), (KG.sourceDocument, doc_iri),
                (KG.quote, Literal(surface, lang=ZH)), (KG.spanStart, Literal(a)), (KG.spanEnd, Literal(b)),
            ):
                graph.add((mention, *triple))
            spans_taken.add((start, end))
        return iri

    def provenance(node: URIRef, quote: str, start: int, end: int) -> None:
        a, b = span(start, end)
        graph.add((node, KG.sourceDocument, doc_iri))
        graph.add((node, KG.quote, Literal(quote, lang=ZH)))
        graph.add((node, KG.spanStart, Literal(a)))
        graph.add((node, KG.spanEnd, Literal(b)))

    for n, s in enumerate(extraction.statuses, start=1):
        node = URIRef(f"{base}status/{stem}/{n}")
        graph.add((node, RDF.type, KG.StatusStatement))
        graph.add((node, KG.statusOf, feature(s.entity, s.type, s.start, s.end)))
        graph.add((node, KG.status, _STATUS_CONCEPTS[s.status]))
        if s.year is not None:
            graph.add((node, KG.year, Literal(s.year)))
        graph.add((node, KG.reported, Literal(s.reported)))
        graph.add((node, KG.hedged, Literal(s.hedged)))
        graph.add((node, KG.cue, Literal(s.cue)))
        provenance(node, s.evidence, s.quote_start, s.quote_end)

    assignments = enumerate(extraction.assignments, start=1)
    tasks = [(a.start, a.end, URIRef(f"{base}task/{stem}/{n}")) for n, a in assignments]
    for n, p in enumerate(extraction.progress, start=1):
        item = URIRef(f"{base}progress/{stem}/{n}")
        graph.add((item, RDF.type, KG.ProgressItem))
        graph.add((item, RDFS.label, Literal(p.task, lang=ZH)))
        graph.add((item, KG.reportedText, Literal(p.reported, lang=ZH)))
        graph.add((item, KG.outcome, _OUTCOME_CONCEPTS[p.outcome]))
        graph.add((item, DCTERMS.spatial, scope))
        if p.ratio is not None:
            graph.add((item, KG.ratio, _decimal(p.ratio)))
        year = next((q.year for q in p.targets + p.results if q.year is not None), None)
        if year is not None:
            graph.add((item, KG.year, Literal(year)))
        provenance(item, f"{p.task_text} | {p.result_text}", p.start, p.end)
        for start, end, task in tasks:
            if start < p.end and p.start < end:  # the row is also an assignment: its units are the task's
                graph.add((item, KG.forTask, task))
        nodes: dict[tuple[int, int], URIRef] = {}
        for role, figures, kind, link in (("target", p.targets, KG.Target, KG.hasTarget),
                                          ("result", p.results, KG.Result, KG.hasResult)):
            for k, q in enumerate(figures, start=1):
                node = URIRef(f"{item}/{role}/{k}")
                nodes[(q.start, q.end)] = node
                graph.add((item, link, node))
                graph.add((node, RDF.type, kind))
                graph.add((node, RDF.type, KG.Quantity))  # materialised: "?q a kg:Quantity" finds both
                graph.add((node, KG.value, _decimal(q.value)))
                graph.add((node, KG.unit, Literal(q.unit)))
                if q.counts:
                    graph.add((node, KG.counts, Literal(q.counts, lang=ZH)))
                if q.bound:
                    graph.add((node, KG.bound, Literal(q.bound)))
                if q.year is not None:
                    graph.add((node, KG.year, Literal(q.year)))
                provenance(node, q.text, q.start, q.end)
        for c in p.comparisons:
            target = nodes.get((c.target.start, c.target.end))
            # a summed result (70家+160家) compares each of its figures
            parts = [nodes[(q.start, q.end)] for q in p.results
                     if (q.start, q.end) in nodes and c.result.start <= q.start and q.end <= c.result.end
                     and q.text in c.result.text.split("+")]
            for result in parts:
                graph.add((result, KG.meetsTarget if c.outcome == "met" else KG.fallsShortOf, target))
                if c.ratio is not None and len(parts) == 1:
                    graph.add((result, KG.ratio, _decimal(c.ratio)))


# --- end issue 7 -------------------------------------------------------------------------------


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
