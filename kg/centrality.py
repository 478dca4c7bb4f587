"""Weighted co-assignment network -> betweenness, closeness and eigenvector centrality on sparse arrays.

networkx computes these measures in pure Python, one heap operation at a time: minutes for a
few thousand agencies. Here the shortest paths come from scipy's compiled Dijkstra and the rest
is sparse linear algebra, so that a network of 10,000 documents is measured in seconds. The
figures are networkx's (``betweenness_centrality(weight=...)``, ``closeness_centrality(distance=...)``,
``eigenvector_centrality(weight=...)``) up to the last bits of floating point, which the rounding
of :mod:`kg.analysis` hides; tests compare the two on random graphs.

* **Betweenness** (Brandes 2001): for each source, the shortest-path DAG is read off the
  distances (an edge u -> v is on a shortest path when ``d[u] + len(u, v) == d[v]``, the very
  float test networkx makes), the path counts solve a lower-triangular system in distance
  order and the dependencies an upper-triangular one.
* **Closeness**: summed distances from Dijkstra, per connected group; in a group of more than
  twice the pivot sample, estimated from the distances to ``sample`` pivot agencies drawn in it
  (Eppstein & Wang 2004): sum ≈ group size x the mean distance to the pivots.
* **Eigenvector**: networkx's own power iteration on ``A + I`` (same start, norm and stopping
  rule), with a sparse product per step; where it does not converge (two groups of agencies
  almost as central as each other), ARPACK's Lanczos solver finds the same leading eigenvector.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import networkx as nx
    from scipy.sparse import csr_array

__all__ = [
    "Adjacency",
    "adjacency",
    "betweenness",
    "closeness",
    "eigenvector",
    "eigenvector_lanczos",
]

#: Sources (or pivots) whose distance rows are held at once: rows x agencies floats, ~32 MB.
_BLOCK_CELLS = 1 << 22


@dataclass(frozen=True)
class Adjacency:
    """An undirected weighted graph as CSR arrays, nodes in the graph's order.

    ``weight`` holds the edge weights, ``distance`` their inverses (same sparsity pattern),
    ``groups`` the node indices of each connected component, largest first (ties: first node).
    """

    nodes: tuple[str, ...]
    weight: csr_array
    distance: csr_array
    groups: tuple[np.ndarray, ...]


def adjacency(graph: nx.Graph, *, weight: str = "weight") -> Adjacency:
    """The CSR form of an undirected graph whose edges carry a positive ``weight``."""
    from scipy.sparse import csgraph, csr_array

    nodes = tuple(graph)
    if not nodes:
        empty = csr_array((0, 0))
        return Adjacency(nodes, empty, empty, ())
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array([(index[u], index[v], w) for u, v, w in graph.edges(data=weight)], dtype=float).reshape(
        -1, 3
    )
    ends, data = edges[:, :2].astype(np.intp), edges[:, 2]
    weights = csr_array(
        (
            np.concatenate([data, data]),
            (np.concatenate([ends[:, 0], ends[:, 1]]), np.concatenate([ends[:, 1], ends[:, 0]])),
        ),
        shape=(len(nodes), len(nodes)),
    )
    weights.sort_indices()
    distance = csr_array((1.0 / weights.data, weights.indices, weights.indptr), shape=weights.shape)
    _, labels = csgraph.connected_components(weights, directed=False)
    order = np.argsort(labels, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)
    groups.sort(key=lambda members: (-len(members), members[0]))
    return Adjacency(nodes, weights, distance, tuple(groups))


def betweenness(adj: Adjacency, sources: Sequence[int] | None = None) -> np.ndarray:
    """Brandes' dependencies summed over ``sources`` (all nodes when None), not yet rescaled.

    Each unordered pair is counted from both ends, as networkx does before it rescales.

    >>> import networkx as nx
    >>> path = nx.path_graph(3)
    >>> nx.set_edge_attributes(path, 1, "weight")
    >>> betweenness(adjacency(path)).tolist()
    [0.0, 2.0, 0.0]
    """
    from scipy.sparse.csgraph import dijkstra

    n = len(adj.nodes)
    total = np.zeros(n)
    chosen = None if sources is None else np.zeros(n, dtype=bool)
    if chosen is not None:
        chosen[list(sources)] = True
    for members in adj.groups:
        if len(members) < 3:
            continue  # no agency lies between two others
        local = np.arange(len(members)) if chosen is None else np.flatnonzero(chosen[members])
        if not len(local):
            continue
        sub = _subgraph(adj.distance, members)
        rows = np.repeat(np.arange(len(members)), np.diff(sub.indptr))
        for block in _blocks(local, len(members)):
            for source, dist in zip(block, dijkstra(sub, indices=block), strict=True):
                total[members] += _dependencies(dist, source, rows, sub.indices, sub.data)
    return total


def _dependencies(
    dist: np.ndarray, source: int, rows: np.ndarray, cols: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """One source's dependency on every node of a connected graph (Brandes' delta, source at 0)."""
    from scipy.sparse import csr_array
    from scipy.sparse.linalg import spsolve_triangular

    n = len(dist)
    on_path = dist[rows] + lengths == dist[cols]  # networkx's test for an equally short path
    tail, head = rows[on_path], cols[on_path]
    order = np.argsort(dist, kind="stable")
    rank = np.empty(n, dtype=np.intp)
    rank[order] = np.arange(n)
    # paths: sigma[v] = sum of sigma[u] over DAG edges u -> v, sigma[source] = 1; in distance
    # order the DAG is strictly lower triangular, so (I - P) sigma = e is a triangular solve
    steps = csr_array((-np.ones(len(tail)), (rank[head], rank[tail])), shape=(n, n))
    start = np.zeros(n)
    start[0] = 1.0
    sigma = spsolve_triangular(steps, start, lower=True, unit_diagonal=True)[rank]
    # dependencies: delta[u] = sigma[u] * sum over DAG edges u -> v of (1 + delta[v]) / sigma[v];
    # y = (1 + delta) / sigma solves (I - P^T) y = 1 / sigma, again triangular (upper)
    back = csr_array((-np.ones(len(tail)), (rank[tail], rank[head])), shape=(n, n))
    y = spsolve_triangular(back, 1.0 / sigma[order], lower=False, unit_diagonal=True)[rank]
    delta = sigma * np.bincount(tail, weights=y[head], minlength=n)
    delta[source] = 0.0
    return delta


def closeness(adj: Adjacency, *, sample: int | None = None, seed: int = 0) -> tuple[np.ndarray, int]:
    """networkx's closeness (``wf_improved``): (r - 1)² / ((n - 1) · summed distance to the r - 1
    agencies reachable).

    Args:
        adj: the graph, ``distance`` being the length of an edge.
        sample: in a connected group of more than ``2 * sample`` agencies (where the pivots
            cost less than half the exact figures), the summed distances are estimated from
            ``sample`` pivot agencies drawn in the group (seeded): group size x the mean
            distance to the pivots; the pivots keep their exact figure. None: all exact.
        seed: seed of the pivot draw.

    Returns:
        The figures, and the number of agencies whose figure was estimated.

    >>> import networkx as nx
    >>> path = nx.path_graph(3)
    >>> nx.set_edge_attributes(path, 2, "weight")
    >>> closeness(adjacency(path))[0].tolist()
    [1.3333333333333333, 2.0, 1.3333333333333333]
    """
    from scipy.sparse.csgraph import dijkstra

    n = len(adj.nodes)
    figures = np.zeros(n)
    rng = random.Random(seed)
    estimated = 0
    for members in adj.groups:
        size = len(members)
        if size < 2:
            continue
        sub = _subgraph(adj.distance, members)
        summed = np.empty(size)
        if sample is None or size <= 2 * sample:
            for block in _blocks(np.arange(size), size):
                summed[block] = dijkstra(sub, indices=block).sum(axis=1)
        else:
            pivots = np.array(sorted(rng.sample(range(size), sample)))
            pivot_sums = np.zeros(size)
            for block in _blocks(pivots, size):
                rows = dijkstra(sub, indices=block)
                pivot_sums += rows.sum(axis=0)
                summed[block] = rows.sum(axis=1)
            others = np.ones(size, dtype=bool)
            others[pivots] = False
            summed[others] = pivot_sums[others] * size / sample
            estimated += size - sample
        figures[members] = (size - 1) / summed * (size - 1) / (n - 1)
    return figures, estimated


def eigenvector(adj: Adjacency, *, max_iter: int = 1000, tol: float = 1e-9) -> np.ndarray:
    """networkx's eigenvector centrality: power iteration on ``W + I`` from the uniform vector,
    scaled to unit length each step, stopped when the L1 change is below ``n * tol``.

    Raises:
        networkx.PowerIterationFailedConvergence: not converged after ``max_iter`` steps.

    >>> import networkx as nx
    >>> path = nx.path_graph(3)
    >>> nx.set_edge_attributes(path, 1, "weight")
    >>> eigenvector(adjacency(path)).round(6).tolist()
    [0.5, 0.707107, 0.5]
    """
    import networkx as nx

    n = len(adj.nodes)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + adj.weight @ last
        x /= float(np.linalg.norm(x)) or 1.0
        if float(np.abs(x - last).sum()) < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector_lanczos(adj: Adjacency, *, tol: float = 1e-12) -> np.ndarray:
    """The leading eigenvector of the weights (unit length, positive sum) by ARPACK's Lanczos
    iteration from the uniform vector: what :func:`eigenvector` converges to, found in a few
    hundred products where the power iteration needs many thousands.

    Raises:
        scipy.sparse.linalg.ArpackNoConvergence: ARPACK did not converge either.

    >>> import networkx as nx
    >>> path = nx.path_graph(3)
    >>> nx.set_edge_attributes(path, 1, "weight")
    >>> eigenvector_lanczos(adjacency(path)).round(6).tolist()
    [0.5, 0.707107, 0.5]
    """
    from scipy.sparse.linalg import eigsh

    n = len(adj.nodes)
    if n < 3:  # ARPACK needs k < n; the power iteration is exact enough here
        return eigenvector(adj, max_iter=10_000)
    _, vectors = eigsh(adj.weight, k=1, which="LA", v0=np.ones(n), tol=tol)
    x = vectors[:, 0]
    x = -x if x.sum() < 0 else x
    return np.abs(x) / float(np.linalg.norm(x))  # entries of a Perron vector are >= 0: no "-0.0"


def _subgraph(matrix: csr_array, members: np.ndarray) -> csr_array:
    """The rows and columns of ``members`` (the whole matrix when they are all its nodes)."""
    if len(members) == matrix.shape[0]:
        return matrix
    return matrix[members][:, members]


def _blocks(indices: np.ndarray, width: int) -> list[np.ndarray]:
    """``indices`` in runs of rows that fit in the memory of one block of ``width`` columns."""
    step = max(1, _BLOCK_CELLS // max(width, 1))
    return [indices[i : i + step] for i in range(0, len(indices), step)]
