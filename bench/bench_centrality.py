"""Network measures benchmark: seconds per measure at growing network sizes.

    python bench/bench_centrality.py GRAPH_DIR [--copies 1,3,10] [--cross 0.01] [--networkx]

GRAPH_DIR is a folder ``kg build --out`` wrote (e.g. a build of 1,000 generated documents:
``bench/generate_corpus.py --docs 1000``). The store is read once (timed: the SPARQL of
:func:`kg.responsibilities.read_responsibilities`), then for each N of ``--copies`` the networks
are its tasks N times over, every agency renamed per copy, plus, for each copy after the first,
``--cross`` x its tasks extra tasks that join a random agency of that copy to one of an earlier
copy (seed 1), so that the copies do not stay apart. Agencies being scoped to a jurisdiction,
10 copies of a 1,000-document network are about the network of 10,000 documents.

Printed per size: agencies, co-assignment edges, connected groups (largest), then the seconds
of building the networks and of each measure as :func:`kg.analysis.compute_metrics` computes
it, the total, and the peak resident memory so far. ``--networkx`` adds networkx's own
betweenness, closeness and eigenvector centrality for comparison (slow: minutes past 2,000
agencies).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(label: str, run: Callable[[], object], times: dict[str, float]) -> object:
    start = time.perf_counter()
    result = run()
    times[label] = time.perf_counter() - start
    return result


def copied(resp, copies: int, cross: float, seed: int = 1):  # noqa: ANN001, ANN201 - Responsibilities
    """``resp`` with its tasks ``copies`` times (agents renamed per copy) and cross-copy tasks."""
    from types import MappingProxyType

    from kg.responsibilities import Agent, Task

    if copies == 1:
        return resp
    rng = random.Random(seed)
    agents = dict(resp.agents)
    tasks = list(resp.tasks)
    for k in range(1, copies):

        def name(iri: str, k: int = k) -> str:
            return f"{iri}~{k}"

        for iri, agent in resp.agents.items():
            agents[name(iri)] = Agent(name(iri), f"{agent.label}~{k}", (), agent.kind, agent.place)
        for task in resp.tasks:
            tasks.append(
                replace(
                    task,
                    iri=name(task.iri),
                    leads=tuple(map(name, task.leads)),
                    supports=tuple(map(name, task.supports)),
                )
            )
        units = sorted({u for t in resp.tasks for u in (*t.leads, *t.supports)})
        for j in range(int(cross * len(resp.tasks))):
            lead, support = rng.choice(units), rng.choice(units)
            other = rng.randrange(k)
            target = f"{support}~{other}" if other else support
            tasks.append(
                Task(f"urn:cross:{k}:{j}", "cross", (name(lead),), (target,), None, None, None, None, ())
            )
    return replace(resp, tasks=tuple(tasks), agents=MappingProxyType(agents))


def _converged(run: Callable[..., object], *args: object) -> object:
    import networkx as nx

    try:
        return run(*args)
    except nx.PowerIterationFailedConvergence:
        print("  (eigenvector: power iteration did not converge)", flush=True)
        return None


def measure(resp, *, with_networkx: bool) -> dict[str, float]:  # noqa: ANN001 - Responsibilities
    import networkx as nx

    from kg import analysis, centrality

    times: dict[str, float] = {}
    networks = timed("build networks", lambda: analysis.build_networks(resp), times)
    graph = networks.coassignment
    n = graph.number_of_nodes()
    groups = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    print(
        f"  {n} agencies, {graph.number_of_edges()} co-assignment edges, "
        f"{len(groups)} connected groups (largest {groups[:3]})",
        flush=True,
    )
    sample = analysis.BETWEENNESS_SAMPLE if n > analysis.EXACT_BETWEENNESS_MAX_NODES else None
    pivots = analysis.CLOSENESS_SAMPLE if n > analysis.EXACT_CLOSENESS_MAX_NODES else None
    adj = timed("sparse arrays", lambda: centrality.adjacency(graph), times)
    timed(f"betweenness (sample {sample})", lambda: analysis._betweenness(adj, sample, analysis.SEED), times)
    timed(
        f"closeness (pivots {pivots})",
        lambda: centrality.closeness(adj, sample=pivots, seed=analysis.SEED),
        times,
    )
    notes: list[str] = []
    timed("eigenvector (ARPACK if need be)", lambda: analysis._eigenvector(adj, notes), times)
    for note in notes:
        print(f"  ({note})", flush=True)
    timed("pagerank (networkx)", lambda: nx.pagerank(networks.lead_support, weight="weight"), times)
    timed("louvain (networkx)", lambda: analysis._communities(graph, analysis.SEED), times)
    times["compute_metrics total"] = sum(times.values())
    timed("compute_metrics (check)", lambda: analysis.compute_metrics(networks), times)
    if with_networkx:
        timed(
            f"networkx betweenness (k={sample})",
            lambda: nx.betweenness_centrality(graph, k=sample, weight="distance", seed=analysis.SEED),
            times,
        )
        timed("networkx closeness", lambda: nx.closeness_centrality(graph, distance="distance"), times)
        timed(
            "networkx eigenvector",
            lambda: _converged(nx.eigenvector_centrality, graph, 1000, 1e-9, None, "weight"),
            times,
        )
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph_dir", type=Path)
    parser.add_argument("--copies", default="1,3,10", help="comma-separated copy counts (default 1,3,10)")
    parser.add_argument("--cross", type=float, default=0.01, help="cross-copy tasks per task (default 0.01)")
    parser.add_argument("--networkx", action="store_true", help="also time networkx's own measures")
    args = parser.parse_args(argv)

    from kg.responsibilities import read_responsibilities
    from kg.store import open_store

    start = time.perf_counter()
    resp = read_responsibilities(open_store(args.graph_dir))
    print(f"read_responsibilities: {time.perf_counter() - start:.2f} s, {len(resp.tasks)} tasks", flush=True)
    for copies in (int(c) for c in args.copies.split(",")):
        print(f"x{copies}:", flush=True)
        times = measure(copied(resp, copies, args.cross), with_networkx=args.networkx)
        for label, seconds in times.items():
            print(f"  {label:<32} {seconds:8.2f} s", flush=True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {'peak memory':<32} {peak:8.0f} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
