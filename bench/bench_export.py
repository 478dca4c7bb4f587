"""Wall-clock time of ``kg export`` on the built sample graph, through the CLI as a user runs it.

    python bench/bench_export.py [DEPARTMENT] [--graph DIR] [--format FMT] [--repeat N]

Each run is a fresh ``python -m kg export ...`` subprocess (interpreter start, imports, opening
the store, the report), so the figure is what a planner waits for. Without ``--graph`` the
sample corpus is built into a temporary folder first (untimed). Prints every run and the median;
the target is under one second.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
TARGET_SECONDS = 1.0


def time_export(department: str, graph: Path, fmt: str, repeat: int) -> list[float]:
    """Run the export ``repeat`` times after one untimed warm-up; return the seconds of each run."""
    command = [sys.executable, "-m", "kg", "export", department, "--graph", str(graph), "--format", fmt]

    def run() -> float:
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(
                f"kg export failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace')}"
            )
        return seconds

    run()  # warm the file cache and the bytecode cache
    return [run() for _ in range(repeat)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("department", nargs="?", default="区住房和城乡建设局", help="agency to export")
    parser.add_argument("--graph", type=Path, help="a built graph folder (default: build data/samples)")
    parser.add_argument("--format", default="md", choices=["md", "csv", "json", "html"], help="export format")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs (default 7)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        graph = args.graph
        if graph is None:
            from kg.pipeline import build

            graph = Path(tmp) / "graph"
            build([SAMPLES], graph)
        times = time_export(args.department, graph, args.format, args.repeat)

    median = statistics.median(times)
    print(
        f"kg export {args.department} --format {args.format}: {len(times)} runs, "
        f"median {median * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )
    print("  runs (ms): " + " ".join(f"{t * 1000:.0f}" for t in times))
    print(f"  target < {TARGET_SECONDS:.1f} s: {'met' if median < TARGET_SECONDS else 'NOT met'}")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
