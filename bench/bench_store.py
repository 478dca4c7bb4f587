"""Oxigraph (embedded) vs rdflib's in-memory store: load time and the canned queries, same graph.

    python bench/bench_store.py [--copies N ...] [--repeat R] [--timeout S]

The graph is the sample corpus's ``graph.nq`` (built into a temporary folder), and for the large
sizes that graph copied N times with every minted IRI renamed per copy (the vocabulary stays
shared), so that queries see N times the agencies, tasks and documents. Each query of
``queries/*.rq`` runs ``--repeat`` times on both stores; the median is reported with the ratio
rdflib/Oxigraph (above 1: Oxigraph is faster). A query past ``--timeout`` seconds on a store is
reported as ``>S`` and not repeated.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/kg-gov/id/"


def sample_nquads() -> str:
    from kg.pipeline import build

    with tempfile.TemporaryDirectory() as tmp:
        build([ROOT / "data" / "samples"], Path(tmp))
        return (Path(tmp) / "graph.nq").read_text(encoding="utf-8")


def copies(nquads: str, n: int) -> str:
    """The graph ``n`` times, minted IRIs renamed per copy (copy 0 keeps its names)."""
    if n == 1:
        return nquads
    parts = [nquads]
    for k in range(1, n):
        parts.append(nquads.replace(BASE, f"{BASE}c{k}/"))
    return "".join(parts)


def timed(run: Callable[[], object], timeout: float) -> float | None:
    """Seconds ``run`` took, or None when it ran past ``timeout`` (left to finish in the background)."""
    done: list[float] = []

    def target() -> None:
        start = time.perf_counter()
        run()
        done.append(time.perf_counter() - start)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(timeout)
    return done[0] if done else None


def median_time(run: Callable[[], object], repeat: int, timeout: float) -> float | None:
    first = timed(run, timeout)
    if first is None:
        return None
    times = [first] + [t for t in (timed(run, timeout) for _ in range(repeat - 1)) if t is not None]
    return statistics.median(times)


def load_oxigraph(nquads: str):  # noqa: ANN201
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def load_rdflib(nquads: str):  # noqa: ANN201
    from rdflib import Dataset

    dataset = Dataset(default_union=False)
    dataset.parse(data=nquads, format="nquads")
    return dataset


def queries() -> list[tuple[str, str]]:
    """(name, text) of the canned queries that need no parameter."""
    found = []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^#\s*param:", text, re.M):
            continue
        found.append((path.stem, text))
    return found


def fmt(seconds: float | None, timeout: float) -> str:
    return f">{timeout:g}s" if seconds is None else f"{seconds * 1000:.1f}"


def run_size(nquads: str, label: str, repeat: int, timeout: float) -> None:
    triples = nquads.count("\n")
    print(f"\n== {label}: {triples:,} quads")
    holder: dict[str, object] = {}
    ox_load = timed(lambda: holder.__setitem__("ox", load_oxigraph(nquads)), timeout * 20)
    rd_load = timed(lambda: holder.__setitem__("rd", load_rdflib(nquads)), timeout * 20)
    print(f"  load (s)          oxigraph {fmt(ox_load, timeout * 20) if ox_load is None else f'{ox_load:.2f}'}"
          f"   rdflib {fmt(rd_load, timeout * 20) if rd_load is None else f'{rd_load:.2f}'}")
    ox, rd = holder.get("ox"), holder.get("rd")
    print(f"  {'query':<40} {'rdflib ms':>10} {'oxigraph ms':>12} {'ratio':>8}")
    for name, text in queries():
        ox_t = median_time(lambda: list(ox.query(text)), repeat, timeout) if ox is not None else None
        rd_t = median_time(lambda: list(rd.query(text)), repeat, timeout) if rd is not None else None
        ratio = f"{rd_t / ox_t:.1f}x" if ox_t and rd_t else "-"
        print(f"  {name:<40} {fmt(rd_t, timeout):>10} {fmt(ox_t, timeout):>12} {ratio:>8}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="*", default=[1, 128],
                        help="graph sizes as copies of the sample graph (default: 1 and 128, about 1M quads)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median reported)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a query counts as too slow")
    args = parser.parse_args(argv)
    if not queries():
        print("no parameter-free queries in queries/", file=sys.stderr)
        return 1
    base = sample_nquads()
    for n in args.copies:
        run_size(copies(base, n), f"{n} cop{'y' if n == 1 else 'ies'} of the sample graph", args.repeat, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
