"""Time and peak memory of writing the graph page (kg.render.write_graph_html) for growing graphs.

    python bench/bench_page.py GRAPH_DIR [GRAPH_DIR ...]
    python bench/bench_page.py --docs 100 1000 [--jobs 2] [--keep DIR]

The first form measures folders ``kg build --out`` already wrote; the second generates corpora of
N documents (bench/generate_corpus.py, seed 1), builds them, then measures. Each page is written
in a fresh process, so its peak resident memory is the page step's alone; printed per graph:
documents, nodes of the graph, nodes drawn, seconds, peak MB and the page's size.

Reference, 2 shared cores (the page reads an outline of the store, then only what it draws):
1,000 documents 6.6 s, 285 MB, page 10 MB; before that change 98 s, 667 MB, page 21 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run in the child: write the page, report what the parent prints.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from kg.render import write_graph_html
graph, page = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
report = write_graph_html(graph, page)
print(json.dumps({
    "seconds": round(time.perf_counter() - start, 2),
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    "page_mb": round(page.stat().st_size / 1e6, 1),
    "nodes": report.total_nodes,
    "drawn": report.nodes,
}))
"""


def measure(graph_dir: Path, page: Path) -> dict:
    """Write the page of ``graph_dir`` in a child process; its seconds, peak MB, page MB and nodes."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(graph_dir), str(page)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(docs: int, folder: Path, jobs: int) -> Path:
    """Generate and build a corpus of ``docs`` documents under ``folder``; the graph folder."""
    corpus, out = folder / f"corpus{docs}", folder / f"out{docs}"
    if not out.joinpath("store").is_dir():
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "generate_corpus.py"), "--docs", str(docs), "--out",
             str(corpus), "--seed", "1"],
            check=True,
            cwd=REPO,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--jobs", str(jobs)],
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphs", nargs="*", type=Path, help="folders 'kg build --out' wrote")
    parser.add_argument(
        "--docs", nargs="*", type=int, default=[], help="generate and build corpora of N docs"
    )
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="folder for generated corpora and builds (reused)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_page_"))
    folder.mkdir(parents=True, exist_ok=True)
    graphs = [*args.graphs, *(build(n, folder, args.jobs) for n in args.docs)]
    if not graphs:
        parser.error("give graph folders or --docs N")
    print(f"{'graph':40s} {'docs':>6s} {'nodes':>8s} {'drawn':>6s} {'s':>7s} {'peak MB':>8s} {'page MB':>8s}")
    for graph in graphs:
        docs = (
            json.loads((graph / "build_report.json").read_text(encoding="utf-8")).get("documents", "?")
            if (graph / "build_report.json").is_file()
            else "?"
        )
        row = measure(graph, folder / f"{graph.name}.html")
        print(
            f"{str(graph)[-40:]:40s} {docs!s:>6s} {row['nodes']:8d} {row['drawn']:6d} {row['seconds']:7.1f}"
            f" {row['peak_mb']:8d} {row['page_mb']:8.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
