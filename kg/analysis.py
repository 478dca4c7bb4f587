"""Responsibility records -> agency networks (networkx) and centrality measures, as rows, CSV or RDF.

The networks come from :mod:`kg.networks` (re-exported here). Degrees and PageRank use the directed network; betweenness, closeness, eigenvector centrality
and communities use the co-assignment network, where more shared tasks mean a shorter
distance (1 / weight) for betweenness and closeness, and a stronger tie for the others.

Every figure is exact up to 2,000 agencies. Above, betweenness is estimated from 500 source
agencies, and closeness, in each connected group of more than 1,000 agencies, from the
distances to 500 pivot agencies of the group; both draws are seeded and stated in the warnings.
Betweenness, closeness and eigenvector centrality are computed on sparse arrays
(:mod:`kg.centrality`), PageRank and Louvain communities by networkx.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kg.networks import Assigned, Networks, TaskUnits, build_networks, unit_networks
from kg.responsibilities import Agent, Place, Responsibilities, read_responsibilities

if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Graph

    from kg.summary import Summary

__all__ = [
    "MEASURES",
    "SEED",
    "EXACT_BETWEENNESS_MAX_NODES",
    "BETWEENNESS_SAMPLE",
    "EXACT_CLOSENESS_MAX_NODES",
    "CLOSENESS_SAMPLE",
    "Networks",
    "AgencyMetrics",
    "NetworkMetrics",
    "Assigned",
    "TaskUnits",
    "build_networks",
    "unit_networks",
    "compute_metrics",
    "network_metrics",
    "summary_metrics",
    "rank_agencies",
    "write_centrality",
    "metrics_triples",
]

#: What each measure tells a planner, one line each (``kg centrality --help`` and the README).
MEASURES: dict[str, str] = {
    "tasks_led": "tasks the agency leads (牵头).",
    "tasks_supported": "tasks the agency supports (配合).",
    "lead_share": "share of its tasks the agency leads: 1 = always in charge, 0 = always helping.",
    "weighted_out_degree": "how often the agency calls on others to support the tasks it leads.",
    "weighted_in_degree": "how often other agencies call on this agency to support their tasks.",
    "betweenness": "agencies that connect otherwise separate groups of agencies (brokers between them); "
    "past 2,000 agencies estimated from 500 of them.",
    "closeness": "agencies a short chain of joint tasks away from all the others: news reaches them fast; "
    "past 2,000 agencies estimated in groups of over 1,000 from 500 pivots.",
    "eigenvector": "agencies that work with agencies that are themselves well connected: the core.",
    "pagerank": "agencies most in demand as supporters, above all by agencies that are in demand themselves.",
    "community": "group of agencies that mostly work with one another (Louvain; 1 = the largest group).",
}

#: Seed of every randomised step (Louvain, sampled betweenness and closeness): same graph, same figures.
SEED = 42
#: Above this many agencies betweenness is estimated from BETWEENNESS_SAMPLE source agencies:
#: exact betweenness costs one shortest-path search per agency, O(n·m log n) in all.
EXACT_BETWEENNESS_MAX_NODES = 2000
BETWEENNESS_SAMPLE = 500
#: Above this many agencies, closeness in a connected group of more than 2 x CLOSENESS_SAMPLE
#: agencies is estimated from CLOSENESS_SAMPLE pivot agencies of the group (Eppstein–Wang):
#: exact closeness also costs one shortest-path search per agency.
EXACT_CLOSENESS_MAX_NODES = 2000
CLOSENESS_SAMPLE = 500
_DIGITS = 6  # floats are rounded so that outputs compare equal across platforms


@dataclass(frozen=True)
class AgencyMetrics:
    """One agency's figures; ``eigenvector`` is None when the power iteration did not converge."""

    iri: str
    label: str
    kind: str
    jurisdiction: str
    tasks_led: int
    tasks_supported: int
    lead_share: float
    weighted_out_degree: int
    weighted_in_degree: int
    betweenness: float
    closeness: float
    eigenvector: float | None
    pagerank: float
    community: int


@dataclass(frozen=True)
class NetworkMetrics:
    """Every agency's figures (sorted by label), the network's size and what went wrong."""

    agencies: tuple[AgencyMetrics, ...]
    tasks: int
    lead_support_edges: int
    coassignment_edges: int
    betweenness_sample: int | None  # number of source agencies sampled, None when exact
    warnings: tuple[str, ...]
    closeness_sample: int | None = None  # pivots per large connected group, None when exact

    def get(self, iri: str) -> AgencyMetrics | None:
        """The figures of one agency, or None if it is not in the network."""
        return next((a for a in self.agencies if a.iri == iri), None)


def compute_metrics(
    networks: Networks,
    *,
    seed: int = SEED,
    exact_betweenness_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    betweenness_sample: int = BETWEENNESS_SAMPLE,
    exact_closeness_max_nodes: int = EXACT_CLOSENESS_MAX_NODES,
    closeness_sample: int = CLOSENESS_SAMPLE,
) -> NetworkMetrics:
    """Compute every measure in :data:`MEASURES` for every agency of the networks.

    Args:
        networks: what :func:`build_networks` returned.
        seed: seed of Louvain and of sampled betweenness and closeness.
        exact_betweenness_max_nodes: above this many agencies, betweenness is sampled.
        betweenness_sample: the number of source agencies betweenness samples then.
        exact_closeness_max_nodes: above this many agencies, closeness is sampled.
        closeness_sample: the number of pivot agencies drawn then in each connected group of
            more than twice as many agencies (smaller groups stay exact).
    """
    directed, undirected = networks.lead_support, networks.coassignment
    n = undirected.number_of_nodes()
    sample = betweenness_sample if n > exact_betweenness_max_nodes else None
    pivots = closeness_sample if n > exact_closeness_max_nodes else None
    figures, warnings = _centralities(networks, seed=seed, sample=sample, pivots=pivots)
    betweenness, (closeness, estimated), eigenvector, pagerank, communities = figures
    led, supported = _task_counts(networks.tasks)
    agencies = []
    for iri in sorted(undirected.nodes, key=lambda i: (undirected.nodes[i]["label"], i)):
        attrs = undirected.nodes[iri]
        total = led.get(iri, 0) + supported.get(iri, 0)
        agencies.append(
            AgencyMetrics(
                iri=iri,
                label=attrs["label"],
                kind=attrs["kind"],
                jurisdiction=attrs["jurisdiction"],
                tasks_led=led.get(iri, 0),
                tasks_supported=supported.get(iri, 0),
                lead_share=_round(led.get(iri, 0) / total if total else 0.0),
                weighted_out_degree=int(directed.out_degree(iri, weight="weight")),
                weighted_in_degree=int(directed.in_degree(iri, weight="weight")),
                betweenness=_round(betweenness[iri]),
                closeness=_round(closeness[iri]),
                eigenvector=None if eigenvector is None else _round(eigenvector[iri]),
                pagerank=_round(pagerank[iri]),
                community=communities[iri],
            )
        )
    return NetworkMetrics(
        tuple(agencies),
        len(networks.tasks),
        directed.number_of_edges(),
        undirected.number_of_edges(),
        sample,
        tuple(warnings),
        pivots if estimated else None,
    )


def _centralities(
    networks: Networks, *, seed: int, sample: int | None, pivots: int | None
) -> tuple[tuple[Any, ...], list[str]]:
    """Betweenness, closeness (and how many agencies' figure was estimated), eigenvector (None if
    it did not converge), PageRank, communities; and the warnings: what was estimated, what failed."""
    import networkx as nx

    from kg import centrality

    undirected = networks.coassignment
    n = undirected.number_of_nodes()
    if not n:
        return ({}, ({}, 0), {}, {}, {}), []
    warnings: list[str] = []
    adj = centrality.adjacency(undirected)
    betweenness = _betweenness(adj, sample, seed)
    if sample is not None:
        warnings.append(f"betweenness estimated from {sample} of {n} agencies (seed {seed})")
    closeness, estimated = centrality.closeness(adj, sample=pivots, seed=seed)
    if estimated:
        large = sum(len(g) > 2 * (pivots or 0) for g in adj.groups)
        warnings.append(
            f"closeness estimated for {estimated} of {n} agencies from {pivots} pivot agencies in each of "
            f"the {large} connected group(s) of more than {2 * (pivots or 0)} agencies (seed {seed})"
        )
    eigenvector = _eigenvector(adj, warnings)
    pagerank = nx.pagerank(networks.lead_support, weight="weight")
    closeness = dict(zip(adj.nodes, closeness.tolist(), strict=True))
    return (
        betweenness,
        (closeness, estimated),
        eigenvector,
        pagerank,
        _communities(undirected, seed),
    ), warnings


def _eigenvector(adj: Any, warnings: list[str]) -> dict[str, float] | None:
    """networkx's power iteration; where it does not converge, ARPACK (stated in the warnings);
    None, and a warning, when neither converges."""
    import networkx as nx
    from scipy.sparse.linalg import ArpackNoConvergence

    from kg import centrality

    try:
        figures = centrality.eigenvector(adj, max_iter=1000, tol=1e-9)
    except nx.PowerIterationFailedConvergence as exc:
        try:
            figures = centrality.eigenvector_lanczos(adj)
        except ArpackNoConvergence as arpack:
            warnings.append(
                f"eigenvector centrality did not converge ({exc}; {arpack}); its column is left empty"
            )
            return None
        warnings.append(
            "eigenvector centrality: the power iteration did not converge in 1000 steps; "
            "figures from ARPACK's Lanczos solver instead"
        )
    return dict(zip(adj.nodes, figures.tolist(), strict=True))


def _betweenness(adj: Any, sample: int | None, seed: int) -> dict[str, float]:
    """Betweenness normalised as networkx does (``normalized=True``, endpoints left out),
    from ``sample`` source agencies drawn as networkx draws them (same seed, same sources)."""
    import math
    import random

    import numpy as np

    from kg import centrality

    n = len(adj.nodes)
    sources = None if sample is None or sample >= n else random.Random(seed).sample(range(n), sample)
    raw = centrality.betweenness(adj, sources)
    pairs = n - 1  # networkx's N: endpoints are not counted
    if pairs < 2:
        scale: Any = 1.0
    elif sources is None:
        scale = 1 / (pairs * (pairs - 1))
    else:
        # a source cannot lie between itself and a target: it was seen from sample - 1 sources
        scale = np.full(n, 1 / (len(sources) * (pairs - 1)))
        scale[sources] = 1 / ((len(sources) - 1) * (pairs - 1)) if len(sources) > 1 else math.nan
    return dict(zip(adj.nodes, (raw * scale).tolist(), strict=True))


def _round(value: float) -> float:
    rounded = round(float(value), _DIGITS)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def _task_counts(tasks: Iterable[Assigned]) -> tuple[dict[str, int], dict[str, int]]:
    led: dict[str, int] = {}
    supported: dict[str, int] = {}
    for task in tasks:
        for iri in set(task.leads):
            led[iri] = led.get(iri, 0) + 1
        for iri in set(task.supports) - set(task.leads):
            supported[iri] = supported.get(iri, 0) + 1
    return led, supported


def _communities(graph: nx.Graph, seed: int) -> dict[str, int]:
    """Louvain communities numbered 1, 2, … by size (largest first), ties by their first label."""
    import networkx as nx

    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    labelled = [sorted((graph.nodes[i]["label"], i) for i in group) for group in found]
    labelled.sort(key=lambda members: (-len(members), members))
    return {iri: number for number, members in enumerate(labelled, 1) for _, iri in members}


def network_metrics(
    source: Any,
    *,
    jurisdiction: str | None = None,
    document: str | None = None,
    collective: bool = False,
    seed: int = SEED,
) -> NetworkMetrics:
    """Read a graph, build its networks in scope and compute every measure.

    Args:
        source: a graph folder (``kg build --out``), a pyoxigraph store or an rdflib Graph/Dataset.
        jurisdiction, document, collective: see :func:`build_networks`.
        seed: see :func:`compute_metrics`.

    Raises:
        GraphNotBuiltError: the folder holds no store.
        UnknownScopeError: the jurisdiction or document matches nothing.
    """
    resp = read_responsibilities(source)
    networks = build_networks(resp, jurisdiction=jurisdiction, document=document, collective=collective)
    return compute_metrics(networks, seed=seed)


def summary_metrics(summary: Summary, places: Mapping[str, Place], *, seed: int = SEED) -> NetworkMetrics:
    """Every measure from a build's corpus summary (:mod:`kg.summary`), as :func:`network_metrics`
    computes it from the store the build writes: the same agents, names, tasks and figures.

    Args:
        summary: the units of the corpus (kind, most common name, jurisdiction) and of every task.
        places: the places by IRI (:func:`kg.responsibilities.read_places`), for the agencies'
            jurisdiction names.
        seed: see :func:`compute_metrics`.
    """
    agents = {u.iri: Agent(u.iri, u.name, u.others, u.kind, u.place or None) for u in summary.units}
    resp = Responsibilities((), MappingProxyType(agents), places, MappingProxyType({}))
    tasks = [TaskUnits(leads, supports) for leads, supports in summary.tasks]
    return compute_metrics(unit_networks(resp, tasks), seed=seed)


def rank_agencies(metrics: NetworkMetrics, measure: str, top: int | None = None) -> list[AgencyMetrics]:
    """Agencies by ``measure``, highest first (communities: by number), ties by label.

    Raises:
        ValueError: ``measure`` is not a key of :data:`MEASURES`.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURES)}")
    if measure == "community":
        ranked = sorted(metrics.agencies, key=lambda a: (a.community, a.label, a.iri))
    else:
        missing = float("-inf")  # eigenvector left empty sorts last
        ranked = sorted(
            metrics.agencies,
            key=lambda a: (-(v if (v := getattr(a, measure)) is not None else missing), a.label, a.iri),
        )
    return ranked if top is None else ranked[:top]


def write_centrality(source: Any, out_path: Path) -> Path:
    """Write every agency's figures for the whole graph (collective units left out) as CSV.

    Args:
        source: a graph folder, an open pyoxigraph store or an rdflib Graph/Dataset.
        out_path: the CSV file to write (``output/centrality.csv`` in a build).

    Returns:
        ``out_path``.

    Raises:
        OutputError: the file cannot be written.
    """
    from kg.export import write_atomic
    from kg.network_export import metrics_csv

    metrics = network_metrics(source)
    write_atomic(Path(out_path), metrics_csv(rank_agencies(metrics, "pagerank")))
    return Path(out_path)


def metrics_triples(metrics: NetworkMetrics, base: str) -> Graph:
    """The figures as RDF: one triple per agency and measure; communities as resources.

    A community is minted from its members (``{base}community/<16 hex of sha1 of the sorted
    member IRIs>``), typed ``kg:Community``, labelled with its number, and linked from each
    member by ``kg:inCommunity``. Decimals are rounded ``xsd:decimal``; counts are integers.
    """
    import hashlib
    from decimal import Decimal

    from rdflib import Graph, Literal, URIRef

    from kg.namespaces import KG, RDF, RDFS, XSD
    from kg.rdf import bind_prefixes

    def term(name: str) -> URIRef:
        return KG[name]  # closed namespace: a misspelt measure fails here

    graph = Graph()
    bind_prefixes(graph, base)
    members: dict[int, list[str]] = {}
    for a in metrics.agencies:
        members.setdefault(a.community, []).append(a.iri)
    community_iri = {}
    for number, iris in members.items():
        digest = hashlib.sha1("\n".join(sorted(iris)).encode("utf-8")).hexdigest()[:16]
        iri = community_iri[number] = URIRef(f"{base}community/{digest}")
        graph.add((iri, RDF.type, term("Community")))
        graph.add((iri, RDFS.label, Literal(f"协作群组 {number}", lang="zh")))
        graph.add((iri, RDFS.label, Literal(f"community {number}", lang="en")))
    for a in metrics.agencies:
        agency = URIRef(a.iri)
        for name in ("tasksLed", "tasksSupported", "weightedOutDegree", "weightedInDegree"):
            graph.add((agency, term(name), Literal(getattr(a, _snake(name)))))
        for name in ("leadShare", "betweenness", "closeness", "eigenvector", "pageRank"):
            value = getattr(a, _snake(name))
            if value is not None:
                text = f"{value:.{_DIGITS}f}".rstrip("0").rstrip(".") or "0"
                graph.add((agency, term(name), Literal(Decimal(text), datatype=XSD.decimal)))
        graph.add((agency, term("inCommunity"), community_iri[a.community]))
    return graph


def _snake(name: str) -> str:
    """The AgencyMetrics field of an ontology term.

    >>> _snake("weightedOutDegree"), _snake("pageRank")
    ('weighted_out_degree', 'pagerank')
    """
    if name == "pageRank":
        return "pagerank"
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
