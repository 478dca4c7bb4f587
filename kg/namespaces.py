"""The ontology's terms as a closed rdflib namespace (mirrors ontology.ttl), plus the reused ones."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["KG", "CV", "GEO", "SCHEMA", "DCTERMS", "ORG", "PROV", "RDF", "RDFS", "SKOS", "XSD", "PREFIXES"]


class KG(DefinedNamespace):
    """kg-gov ontology terms; an unknown term is an error (``KG.nope`` raises AttributeError)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg-gov/ontology#")

    # classes
    Agency: URIRef
    TaskForce: URIRef
    CollectiveUnit: URIRef
    Task: URIRef
    Role: URIRef
    Road: URIRef
    RailLine: URIRef
    HousingProgramme: URIRef
    Project: URIRef
    Place: URIRef
    Document: URIRef
    Mention: URIRef
    # individuals
    RoleScheme: URIRef
    LeadRole: URIRef
    SupportRole: URIRef
    # properties
    leadUnit: URIRef
    supportUnit: URIRef
    position: URIRef
    involves: URIRef
    sourceDocument: URIRef
    mentionOf: URIRef
    quote: URIRef
    spanStart: URIRef
    spanEnd: URIRef
    layout: URIRef
    sourceFile: URIRef
    indexNumber: URIRef
    documentNumber: URIRef
    publisherName: URIRef
    # collaboration network measures
    Community: URIRef
    inCommunity: URIRef
    tasksLed: URIRef
    tasksSupported: URIRef
    CorpusSummary: URIRef
    taskCount: URIRef
    leadShare: URIRef
    weightedOutDegree: URIRef
    weightedInDegree: URIRef
    betweenness: URIRef
    closeness: URIRef
    eigenvector: URIRef
    pageRank: URIRef
    # issue 7: project statuses, targets and results
    StatusStatement: URIRef
    ProjectStatus: URIRef
    StatusScheme: URIRef
    Planned: URIRef
    Preparatory: URIRef
    Started: URIRef
    UnderConstruction: URIRef
    Opened: URIRef
    Completed: URIRef
    statusOf: URIRef
    status: URIRef
    stage: URIRef
    year: URIRef
    reported: URIRef
    hedged: URIRef
    cue: URIRef
    Quantity: URIRef
    Target: URIRef
    Result: URIRef
    value: URIRef
    unit: URIRef
    counts: URIRef
    bound: URIRef
    ProgressItem: URIRef
    reportedText: URIRef
    forTask: URIRef
    hasTarget: URIRef
    hasResult: URIRef
    comparedWith: URIRef
    meetsTarget: URIRef
    fallsShortOf: URIRef
    ratio: URIRef
    Outcome: URIRef
    OutcomeScheme: URIRef
    TargetMet: URIRef
    TargetNotMet: URIRef
    NotComparable: URIRef
    outcome: URIRef


CV = Namespace("http://data.europa.eu/m8g/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SCHEMA = Namespace("https://schema.org/")

#: Prefixes bound in every serialisation and offered to every query.
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "cv": str(CV),
    "geo": str(GEO),
    "schema": str(SCHEMA),
}
