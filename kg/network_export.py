"""Networks and their figures -> text: centrality tables (table, CSV, JSON), GraphML, GEXF, edge lists.

In the network files node ids are IRIs and ``label`` holds the Chinese name, written as UTF-8
characters (networkx's string generators would escape them as ``&#21306;``). The figures of
:mod:`kg.analysis` are node attributes, so that a tool can size nodes by PageRank or colour
them by community.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import TYPE_CHECKING

from kg.analysis import MEASURES, AgencyMetrics, NetworkMetrics, rank_agencies

if TYPE_CHECKING:
    import networkx as nx

    from kg.analysis import Networks

__all__ = [
    "CENTRALITY_FORMATS",
    "NETWORK_KINDS",
    "NETWORK_FORMATS",
    "metrics_csv",
    "metrics_json",
    "metrics_table",
    "render_centrality",
    "select_network",
    "network_text",
    "network_file",
]

#: The networks one can export, by name.
NETWORK_KINDS = ("lead-support", "co-assignment", "bipartite")
NETWORK_FORMATS = ("graphml", "gexf", "csv")

# GEXF carries the day it was written; left out so that the same graph gives the same file.
_GEXF_DATE = re.compile(r' lastmodifieddate="[^"]*"')


def select_network(networks: Networks, metrics: NetworkMetrics | None, kind: str) -> nx.Graph:
    """A copy of one of the networks, its agencies carrying their figures as attributes.

    Raises:
        ValueError: ``kind`` is not one of :data:`NETWORK_KINDS`.
    """
    graphs = {
        "lead-support": networks.lead_support,
        "co-assignment": networks.coassignment,
        "bipartite": networks.bipartite,
    }
    if kind not in graphs:
        raise ValueError(f"unknown network {kind!r}; choose one of {', '.join(NETWORK_KINDS)}")
    graph = graphs[kind].copy()
    for a in metrics.agencies if metrics is not None else ():
        if a.iri in graph:
            figures = {
                k: v for k, v in asdict(a).items() if k not in {"iri", "label", "kind", "jurisdiction"}
            }
            graph.nodes[a.iri].update({k: v for k, v in figures.items() if v is not None})
    if kind == "co-assignment":
        for _, _, data in graph.edges(data=True):
            data.pop("distance", None)  # derived from weight; a float per edge only adds noise
    return graph


def network_text(graph: nx.Graph, fmt: str) -> str:
    """The graph as GraphML, GEXF 1.2 or an edge-list CSV.

    The CSV has one row per edge: ``source, source_label, target, target_label, weight, role``
    (``role`` is lead or support in the bipartite graph, where the source is the agency).

    Raises:
        ValueError: ``fmt`` is not one of :data:`NETWORK_FORMATS`.
    """
    import networkx as nx

    if fmt == "csv":
        return _edge_csv(graph)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer, encoding="utf-8")
        return buffer.getvalue().decode("utf-8")
    if fmt == "gexf":
        nx.write_gexf(graph, buffer, encoding="utf-8")
        return _GEXF_DATE.sub("", buffer.getvalue().decode("utf-8"), count=1)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)}")


def _edge_csv(graph: nx.Graph) -> str:
    rows = []
    for u, v, data in graph.edges(data=True):
        if graph.nodes[u].get("type") == "task":  # bipartite: agency first
            u, v = v, u
        rows.append(
            [
                u,
                graph.nodes[u].get("label", u),
                v,
                graph.nodes[v].get("label", v),
                data.get("weight", 1),
                data.get("role", ""),
            ]
        )
    rows.sort(key=lambda r: (r[1], r[3], r[0], r[2]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "source_label", "target", "target_label", "weight", "role"])
    writer.writerows(rows)
    return buffer.getvalue()


def network_file(
    source: object,
    *,
    kind: str = "lead-support",
    fmt: str = "graphml",
    jurisdiction: str | None = None,
    document: str | None = None,
    collective: bool = False,
) -> tuple[str, nx.Graph]:
    """Read a graph and return one of its networks as GraphML, GEXF or CSV text, and the network.

    Args:
        source: a graph folder (``kg build --out``), a pyoxigraph store or an rdflib Graph/Dataset.
        kind: one of :data:`NETWORK_KINDS`.
        fmt: one of :data:`NETWORK_FORMATS`.
        jurisdiction, document, collective: the scope, as in :func:`kg.analysis.build_networks`.

    Raises:
        GraphNotBuiltError, UnknownScopeError: see :func:`kg.analysis.network_metrics`.
        ValueError: unknown kind or format.
    """
    from kg.analysis import build_networks, compute_metrics
    from kg.responsibilities import read_responsibilities

    resp = read_responsibilities(source)
    networks = build_networks(resp, jurisdiction=jurisdiction, document=document, collective=collective)
    graph = select_network(networks, compute_metrics(networks), kind)
    return network_text(graph, fmt), graph


#: Output formats of ``kg centrality``.
CENTRALITY_FORMATS = ("table", "csv", "json")


def render_centrality(
    metrics: NetworkMetrics, *, measure: str = "pagerank", top: int | None = None, fmt: str = "table"
) -> str:
    """The agencies ranked by ``measure`` (the first ``top``) as a text table, CSV or JSON.

    Raises:
        ValueError: unknown measure or format.
    """
    rows = rank_agencies(metrics, measure, top)
    if fmt == "table":
        return metrics_table(rows, measure)
    if fmt == "csv":
        return metrics_csv(rows)
    if fmt == "json":
        return metrics_json(metrics, rows)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(CENTRALITY_FORMATS)}")


def _columns() -> list[str]:
    return [f.name for f in fields(AgencyMetrics)]


def metrics_csv(rows: Sequence[AgencyMetrics]) -> str:
    """CSV with a header row (the field names of :class:`AgencyMetrics`), UTF-8 text, '\\n' line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_columns())
    for row in rows:
        writer.writerow(["" if v is None else v for v in asdict(row).values()])
    return buffer.getvalue()


def metrics_json(metrics: NetworkMetrics, rows: Sequence[AgencyMetrics]) -> str:
    """JSON: the network's size, warnings, the measures' meanings and the agencies given."""
    record = {
        "tasks": metrics.tasks,
        "agencies": len(metrics.agencies),
        "lead_support_edges": metrics.lead_support_edges,
        "coassignment_edges": metrics.coassignment_edges,
        "betweenness_sample": metrics.betweenness_sample,
        "warnings": list(metrics.warnings),
        "measures": MEASURES,
        "rows": [asdict(row) for row in rows],
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def metrics_table(rows: Sequence[AgencyMetrics], measure: str) -> str:
    """An aligned text table: rank, agency, jurisdiction, the chosen measure, then the task counts."""
    head = ["#", "agency", "jurisdiction", measure, "led", "supported", "community"]
    body = [
        [
            str(n),
            r.label,
            r.jurisdiction,
            _show(getattr(r, measure)),
            str(r.tasks_led),
            str(r.tasks_supported),
            str(r.community),
        ]
        for n, r in enumerate(rows, 1)
    ]
    widths = [max(_width(line[i]) for line in [head, *body]) for i in range(len(head))]
    numeric = {0, 3, 4, 5, 6}
    lines = []
    for line in [head, *body]:
        cells = [
            (" " * (w - _width(c)) + c) if i in numeric else (c + " " * (w - _width(c)))
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6f}"
    return "-" if value is None else str(value)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
