"""The sparse-array measures against networkx's own, on small random weighted graphs."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from kg import centrality


def weighted(n: int, p: float, seed: int, max_weight: int) -> nx.Graph:
    """A random graph (maybe disconnected) with integer weights, nodes in shuffled order."""
    rng = random.Random(seed)
    shape = nx.gnp_random_graph(n, p, seed=seed)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(shape, key=lambda _: rng.random()))
    for u, v in shape.edges:
        graph.add_edge(u, v, weight=rng.randint(1, max_weight))
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1 / data["weight"]
    return graph


# sizes, densities and weights that give ties (weight 1: many equally short paths), fractions
# that add up unevenly (1/3 + 1/6 against 1/2), single nodes and several groups
CASES = [
    (n, p, seed, w)
    for seed, (n, p, w) in enumerate(
        [(3, 0.9, 1), (12, 0.3, 1), (25, 0.15, 2), (30, 0.5, 6), (40, 0.05, 3), (60, 0.08, 12), (80, 0.2, 4)]
    )
]


@pytest.mark.parametrize(("n", "p", "seed", "max_weight"), CASES)
def test_betweenness_equals_networkx(n, p, seed, max_weight):
    graph = weighted(n, p, seed, max_weight)
    adj = centrality.adjacency(graph)
    expected = nx.betweenness_centrality(graph, weight="distance", normalized=False)
    got = dict(
        zip(adj.nodes, centrality.betweenness(adj) / 2, strict=True)
    )  # networkx halves undirected sums
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("n", "p", "seed", "max_weight"), CASES)
def test_betweenness_from_some_sources_equals_networkx_from_the_same(n, p, seed, max_weight):
    graph = weighted(n, p, seed, max_weight)
    adj = centrality.adjacency(graph)
    sources = random.Random(seed).sample(range(n), max(1, n // 3))
    expected = nx.betweenness_centrality_subset(
        graph, [adj.nodes[s] for s in sources], list(graph), weight="distance", normalized=False
    )
    got = dict(zip(adj.nodes, centrality.betweenness(adj, sources) / 2, strict=True))
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("n", "p", "seed", "max_weight"), CASES)
def test_closeness_equals_networkx(n, p, seed, max_weight):
    graph = weighted(n, p, seed, max_weight)
    adj = centrality.adjacency(graph)
    figures, estimated = centrality.closeness(adj)
    assert estimated == 0
    assert dict(zip(adj.nodes, figures, strict=True)) == pytest.approx(
        nx.closeness_centrality(graph, distance="distance")
    )


@pytest.mark.parametrize(("n", "p", "seed", "max_weight"), CASES)
def test_eigenvector_equals_networkx(n, p, seed, max_weight):
    graph = weighted(n, p, seed, max_weight)
    adj = centrality.adjacency(graph)
    try:
        expected = nx.eigenvector_centrality(graph, max_iter=1000, tol=1e-9, weight="weight")
    except nx.PowerIterationFailedConvergence:
        with pytest.raises(nx.PowerIterationFailedConvergence):
            centrality.eigenvector(adj)
    else:
        assert dict(zip(adj.nodes, centrality.eigenvector(adj), strict=True)) == pytest.approx(
            expected, abs=1e-12
        )


@pytest.mark.parametrize(("n", "p", "seed", "max_weight"), CASES[2:])
def test_lanczos_finds_the_eigenvector_the_power_iteration_converges_to(n, p, seed, max_weight):
    graph = weighted(n, p, seed, max_weight)
    graph = graph.subgraph(max(nx.connected_components(graph), key=len))  # one group: a unique vector
    adj = centrality.adjacency(graph)
    assert centrality.eigenvector_lanczos(adj) == pytest.approx(centrality.eigenvector(adj), abs=1e-7)


def test_eigenvector_that_does_not_converge_raises_as_networkx_does():
    adj = centrality.adjacency(weighted(30, 0.5, 3, 6))
    with pytest.raises(nx.PowerIterationFailedConvergence):
        centrality.eigenvector(adj, max_iter=2)


def test_groups_are_the_connected_components_largest_first():
    graph = nx.Graph()
    graph.add_nodes_from("abcdef")
    graph.add_edges_from([("e", "f"), ("a", "c"), ("c", "d")], weight=1)
    adj = centrality.adjacency(graph)
    assert [[adj.nodes[i] for i in group] for group in adj.groups] == [["a", "c", "d"], ["e", "f"], ["b"]]


def test_sampled_closeness_is_seeded_keeps_pivots_exact_and_estimates_the_rest():
    # one group of 120 agencies, one of 6: only the large one is sampled
    graph = nx.disjoint_union(weighted(120, 0.08, 7, 5), weighted(6, 0.9, 8, 2))
    assert nx.number_connected_components(graph) == 2
    adj = centrality.adjacency(graph)
    exact, _ = centrality.closeness(adj)
    sampled, estimated = centrality.closeness(adj, sample=30, seed=42)  # 120 > 2 x 30: sampled
    assert estimated == 120 - 30
    assert np.array_equal(
        sampled, centrality.closeness(adj, sample=30, seed=42)[0]
    )  # same seed, same figures
    assert not np.array_equal(sampled, centrality.closeness(adj, sample=30, seed=1)[0])
    kept = np.isclose(sampled, exact, rtol=1e-12)
    assert kept.sum() >= 30 + 6  # the pivots and the small group keep their exact figure
    assert np.allclose(sampled, exact, rtol=0.15)  # and the estimates are near the truth
    assert np.array_equal(centrality.closeness(adj, sample=60)[0], exact)  # 120 agencies, 2 x 60: exact


def test_empty_and_single_node_graphs():
    single = nx.Graph()
    single.add_node("a")
    adj = centrality.adjacency(single)
    assert centrality.betweenness(adj).tolist() == [0.0]
    assert centrality.closeness(adj)[0].tolist() == [0.0]
    assert centrality.eigenvector(adj).tolist() == [1.0]
    assert centrality.adjacency(nx.Graph()).groups == ()
