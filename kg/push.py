"""Graph store -> a remote triple store, one graph per request (SPARQL 1.1 Graph Store Protocol).

``kg push --endpoint URL`` sends every graph of the store ``kg build`` wrote: the default graph
(document metadata and places) with ``PUT URL?default``, and each named graph (one per
document, and ``graph/metrics``) with ``PUT URL?graph=<iri>``, as N-Triples. PUT replaces the
graph, so pushing again leaves the remote store as it was. Graphs the remote store has and the
local one does not (documents removed since an earlier push) are left alone.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from kg.errors import KGError
from kg.store import open_store

__all__ = ["PushError", "PushReport", "push_graphs", "graph_url"]

#: Seconds one request may take (a document's graph is a few megabytes at most).
TIMEOUT = 120.0


class PushError(KGError):
    """A graph could not be sent: names the graph, the URL and the server's answer."""


@dataclass(frozen=True)
class PushReport:
    """What a push sent: graphs (the default graph counted) and triples."""

    endpoint: str
    graphs: int
    triples: int


def graph_url(endpoint: str, iri: str | None) -> str:
    """The Graph Store Protocol URL of a graph (None: the default graph).

    >>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/kg-gov/id/doc/a")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fkg-gov%2Fid%2Fdoc%2Fa'
    >>> graph_url("http://h/ds/data?x=1", None)
    'http://h/ds/data?x=1&default'
    """
    joiner = "&" if "?" in endpoint else "?"
    return f"{endpoint}{joiner}default" if iri is None else f"{endpoint}{joiner}graph={quote(iri, safe='')}"


def push_graphs(
    graph_dir: Path,
    endpoint: str,
    *,
    timeout: float = TIMEOUT,
    on_graph: Callable[[str | None, int], None] | None = None,
) -> PushReport:
    """PUT every graph of the store under ``graph_dir`` to the Graph Store Protocol ``endpoint``.

    Args:
        graph_dir: the folder ``kg build --out`` wrote (it holds ``store/``).
        endpoint: the graph store URL, e.g. ``http://localhost:7878/store`` (Oxigraph),
            ``http://localhost:3030/ds/data`` (Fuseki).
        timeout: seconds each request may take.
        on_graph: called with each graph's IRI (None: default graph) and triples once sent.

    Raises:
        GraphNotBuiltError: no store under ``graph_dir``.
        PushError: the endpoint is not an http(s) URL, cannot be reached or refuses a graph.
    """
    import pyoxigraph

    if urlsplit(endpoint).scheme not in ("http", "https"):
        raise PushError(
            f"{endpoint}: not an http(s) URL; give the graph store's URL, e.g. http://localhost:7878/store"
        )
    store = open_store(Path(graph_dir))
    names: list[str | None] = [
        None,
        *sorted(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode)),
    ]
    graphs = triples = 0
    for iri in names:
        graph = pyoxigraph.DefaultGraph() if iri is None else pyoxigraph.NamedNode(iri)
        statements = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
        body = pyoxigraph.serialize(statements, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        _put(graph_url(endpoint, iri), body, iri, timeout)
        graphs += 1
        triples += len(statements)
        if on_graph is not None:
            on_graph(iri, len(statements))
    return PushReport(endpoint, graphs, triples)


def _put(url: str, body: bytes, iri: str | None, timeout: float) -> None:
    """One PUT; any 2xx answer is success."""
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "application/n-triples; charset=utf-8"}
    )
    what = "the default graph" if iri is None else f"graph <{iri}>"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise PushError(
            f"{url}: the server refused {what} ({exc.code} {exc.reason}{': ' + detail if detail else ''}); "
            "check that the URL is the Graph Store Protocol endpoint and that it accepts writes"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"{url}: cannot send {what} ({reason}); check that the server is running") from None
