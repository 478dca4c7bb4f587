"""The persisted graph store (Oxigraph, embedded) under the output folder: N-Quads -> store -> queries.

``kg build`` loads the sorted N-Quads into ``<out>/store``; every command that reads the graph
(query, serve, centrality, export ...) opens that store instead of re-parsing the files. The
store is rebuilt in a sibling folder and swapped in, so a failed build leaves the old one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg.errors import KGError

__all__ = ["STORE_DIR", "GraphNotBuiltError", "load_store", "open_store", "replace_document_graph"]

STORE_DIR = "store"


class GraphNotBuiltError(KGError):
    """The graph folder holds no store: ``kg build`` has not been run for it."""

    def __init__(self, graph_dir: Path) -> None:
        self.graph_dir = graph_dir
        super().__init__(
            f"{graph_dir}: no graph store found ({graph_dir / STORE_DIR} is missing); "
            f"run 'kg build --out {graph_dir}' first, or pass --graph DIR"
        )


def load_store(nquads: str, graph_dir: Path):  # noqa: ANN201 - pyoxigraph.Store, imported lazily
    """Bulk-load N-Quads into ``graph_dir/store``, replacing the previous store atomically."""
    import pyoxigraph

    target = graph_dir / STORE_DIR
    fresh = graph_dir / f".{STORE_DIR}.new"
    old = graph_dir / f".{STORE_DIR}.old"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    store = pyoxigraph.Store(str(fresh))
    store.bulk_load(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    del store
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return open_store(graph_dir)


def open_store(graph_dir: Path, *, read_only: bool = True):  # noqa: ANN201 - pyoxigraph.Store
    """Open the store ``kg build`` wrote under ``graph_dir``.

    Raises:
        GraphNotBuiltError: there is no store there.
    """
    import pyoxigraph

    path = Path(graph_dir) / STORE_DIR
    if not path.is_dir():
        raise GraphNotBuiltError(Path(graph_dir))
    return pyoxigraph.Store.read_only(str(path)) if read_only else pyoxigraph.Store(str(path))


def replace_document_graph(store, graph) -> None:  # noqa: ANN001 - pyoxigraph.Store, rdflib.Graph
    """Replace exactly one document's named graph in ``store`` with ``graph`` (named by its identifier)."""
    import pyoxigraph

    name = pyoxigraph.NamedNode(str(graph.identifier))
    if store.contains_named_graph(name):
        store.remove_graph(name)
    triples = graph.serialize(format="nt").encode("utf-8")
    store.extend(
        pyoxigraph.Quad(t.subject, t.predicate, t.object, name)
        for t in pyoxigraph.parse(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    )
