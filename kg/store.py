"""The persisted graph store (Oxigraph, embedded) under the output folder: N-Quads -> store -> queries.

``kg build`` loads the sorted N-Quads into ``<out>/store``; every command that reads the graph
(query, serve, centrality, export ...) opens that store instead of re-parsing the files. The
store is rebuilt in a sibling folder and swapped in, so a failed build leaves the old one.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from kg.errors import KGError

__all__ = [
    "STORE_DIR",
    "GraphNotBuiltError",
    "FreshStore",
    "BuildStore",
    "load_store",
    "open_store",
    "replace_graph",
    "replace_document_graph",
    "update_graph",
]

STORE_DIR = "store"


class GraphNotBuiltError(KGError):
    """The graph folder holds no store: ``kg build`` has not been run for it."""

    def __init__(self, graph_dir: Path) -> None:
        self.graph_dir = graph_dir
        super().__init__(
            f"{graph_dir}: no graph store found ({graph_dir / STORE_DIR} is missing); "
            f"run 'kg build --out {graph_dir}' first, or pass --graph DIR"
        )


class FreshStore:
    """A new store built in ``graph_dir/.store.new`` and swapped in whole by :meth:`commit`.

    Until then the previous store stays where it is (and readable); a build that stops midway
    leaves a ``.store.new`` that the next one clears.
    """

    def __init__(self, graph_dir: Path) -> None:
        import pyoxigraph

        self.graph_dir = Path(graph_dir)
        self.fresh = self.graph_dir / f".{STORE_DIR}.new"
        for leftover in (self.fresh, self.graph_dir / f".{STORE_DIR}.old"):
            shutil.rmtree(leftover, ignore_errors=True)
        self.store = pyoxigraph.Store(str(self.fresh))

    def load_file(self, path: Path) -> None:
        """Bulk-load an N-Quads file (streamed, not held in memory)."""
        import pyoxigraph

        self.store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)

    def commit(self) -> None:
        """Flush, close and put the new store in place of the old one."""
        target = self.graph_dir / STORE_DIR
        old = self.graph_dir / f".{STORE_DIR}.old"
        self.store.flush()
        self.store = None  # the last reference: RocksDB closes before its folder is renamed
        if target.exists():
            target.rename(old)
        self.fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)


class BuildStore:
    """The store a build writes: loaded whole into a fresh folder swapped in by :meth:`finish`,
    or the current one with a few graphs replaced in place (``mode`` says which)."""

    def __init__(self, store, mode: str, fresh: FreshStore | None = None) -> None:  # noqa: ANN001
        self.store = store
        self.mode = mode
        self.fresh = fresh

    @classmethod
    def load(cls, graph_dir: Path, nquads_file: Path) -> BuildStore:
        """A fresh store bulk-loaded from an N-Quads file."""
        fresh = FreshStore(graph_dir)
        fresh.load_file(nquads_file)
        return cls(fresh.store, "loaded", fresh)

    @classmethod
    def update(cls, graph_dir: Path, graphs: dict[str | None, str | bytes]) -> BuildStore:
        """The store under ``graph_dir``, each graph of ``graphs`` (IRI, None: default graph)
        replaced by its N-Quads (empty: removed)."""
        store = open_store(graph_dir, read_only=False)
        for iri, nquads in graphs.items():
            replace_graph(store, iri, nquads)
        return cls(store, f"updated {sum(iri is not None for iri in graphs)}")

    def replace(self, iri: str | None, nquads: str | bytes) -> None:
        """Replace one more graph."""
        replace_graph(self.store, iri, nquads)

    def patch(self, iri: str, old: Iterable[str], new: Iterable[str]) -> int:
        """Change one named graph from the lines ``old`` into ``new`` (see :func:`update_graph`)."""
        return update_graph(self.store, iri, old, new)

    def finish(self) -> None:
        """Swap the fresh store in, or flush the updated one; either way close it."""
        if self.fresh is not None:
            self.store = None
            self.fresh.commit()
        else:
            self.store.flush()
            self.store = None


def load_store(nquads: str, graph_dir: Path):  # noqa: ANN201 - pyoxigraph.Store, imported lazily
    """Bulk-load N-Quads into ``graph_dir/store``, replacing the previous store atomically."""
    import pyoxigraph

    fresh = FreshStore(graph_dir)
    fresh.store.bulk_load(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    fresh.commit()
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


def replace_graph(store, iri: str | None, nquads: str | bytes) -> None:  # noqa: ANN001 - pyoxigraph.Store
    """Replace one graph of ``store`` (None: the default graph) with the N-Quads ``nquads`` (its lines).

    Loaded with the bulk loader (several times faster than a transaction): callers write to a
    fresh store, or to one whose build manifest they removed first, so that a build stopped
    midway is followed by a whole reload.
    """
    import pyoxigraph

    if iri is None:
        store.clear_graph(pyoxigraph.DefaultGraph())
    else:
        name = pyoxigraph.NamedNode(iri)
        if store.contains_named_graph(name):
            store.remove_graph(name)
    if nquads:
        data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
        store.bulk_load(data, format=pyoxigraph.RdfFormat.N_QUADS)


def update_graph(store, iri: str, old: Iterable[str], new: Iterable[str]) -> int:  # noqa: ANN001 - pyoxigraph.Store
    """Turn the named graph ``iri`` of ``store`` from the N-Triples lines ``old`` into ``new``,
    removing and adding only the lines that differ; return how many did.

    Much faster than replacing a big graph of which a rebuild changes a few lines (the corpus
    summary after one document changed). ``old`` must be what the graph holds.
    """
    import pyoxigraph

    old, new = set(old), set(new)
    gone, added = sorted(old - new), sorted(new - old)
    graph = pyoxigraph.NamedNode(iri)
    if gone:
        text = ("\n".join(gone) + "\n").encode("utf-8")
        for triple in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES):
            store.remove(pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph))
    if added:
        text = ("\n".join(added) + "\n").encode("utf-8")
        quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)
                 for t in pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.N_TRIPLES)]  # fmt: skip
        store.extend(quads)
    return len(gone) + len(added)


def replace_document_graph(store, graph) -> None:  # noqa: ANN001 - pyoxigraph.Store, DocumentGraph or rdflib.Graph
    """Replace exactly one document's named graph in ``store`` with ``graph``: a
    :class:`kg.rdf.DocumentGraph`, or an rdflib Graph named by its identifier."""
    from kg.serialize import graph_text, ntriples_lines

    lines = getattr(graph, "lines", None)
    iri = str(getattr(graph, "iri", None) or graph.identifier)
    if lines is None:
        lines = ntriples_lines(graph)
    replace_graph(store, iri, graph_text(lines, iri, formats=("nquads",)).nquads)
