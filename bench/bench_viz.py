"""Time to a stable layout of the graph page in headless Chromium, for generated graphs of N nodes.

    python bench/bench_viz.py [--sizes 100 1000 5000] [--repeat R] [--keep DIR]

Each graph is made like the corpus' graphs (about 15% agencies, 2% collective units, 50% tasks
with one lead, up to three support units and up to two features, a few hubs that lead many
tasks), rendered by kg.render without reduction, and opened from a file in Debian's Chromium
(/usr/bin/chromium) with the network blocked. Reported, as the median of R runs:

- render: Python time to build the HTML;
- stable: page navigation to the end of the layout (physics stopped), in the page's own clock;
- frame: one redraw of the whole canvas after the layout (what panning and zooming cost);
- filter: applying a type filter (hiding all tasks) through the page's filter code.

The page reduces graphs above kg.graph_view.MAX_NODES; the figures printed here are what that bound
was chosen from.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FEATURES = ("road", "rail", "housing", "project", "place")


def make_graph(n: int, seed: int = 1):  # noqa: ANN201 - kg.graph_view.VizGraph
    """A graph of ``n`` nodes shaped like the corpus' graphs (deterministic for a seed)."""
    from kg.graph_view import VizDocument, VizEdge, VizGraph, VizNode, VizPlace, VizTask

    rng = random.Random(seed)
    place = "p:1"
    n_agency, n_collective = max(2, n * 15 // 100), max(1, n * 2 // 100)
    n_task = max(1, n // 2)
    n_feature = max(1, n - n_agency - n_collective - n_task)
    agencies = [
        VizNode(f"a:{k:05d}", "agency", f"区机构{k}局", jurisdictions=(place,)) for k in range(n_agency)
    ]
    collectives = [
        VizNode(f"c:{k:05d}", "collective", f"各街道{k}", jurisdictions=(place,)) for k in range(n_collective)
    ]
    features = [
        VizNode(f"f:{k:05d}", FEATURES[k % 5], f"要素{k}号工程", jurisdictions=(place,))
        for k in range(n_feature)
    ]
    units = agencies + collectives
    weights = [1.0 / (k + 1) ** 0.8 for k in range(len(units))]  # a few hubs, a long tail
    tasks, nodes, edges = [], [*units, *features], []
    for k in range(n_task):
        tid, doc = f"t:{k:05d}", f"d:{k % 20}"
        tasks.append(
            VizTask(tid, f"推进第{k}项重点工作任务落实", f"推进第{k}项重点工作任务落实。", doc, place)
        )
        nodes.append(VizNode(tid, "task", f"推进第{k}项重点工作任务落实", jurisdictions=(place,)))
        chosen = rng.choices(units, weights, k=1 + rng.randint(0, 3))
        for pos, unit in enumerate(dict.fromkeys(chosen), start=1):
            edges.append(VizEdge(tid, unit.id, "lead" if pos == 1 else "support", doc, pos))
        for feature in rng.sample(features, k=min(len(features), rng.randint(0, 2))):
            edges.append(VizEdge(tid, feature.id, "involves", doc))
    documents = tuple(VizDocument(f"d:{k}", f"文件{k}", "2024-01-01", f"{k}.txt", place) for k in range(20))
    return VizGraph(
        tuple(sorted(nodes, key=lambda x: x.id)),
        tuple(edges),
        tuple(tasks),
        documents,
        (VizPlace(place, "北仑区", code="330206"),),
    )


def measure(page, url: str) -> dict[str, float]:  # noqa: ANN001 - playwright Page
    """Open the page and return its stable, frame and filter times in milliseconds."""
    page.goto(url)
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=900_000)
    stable = page.evaluate("window.kgViz.stableMs")
    frame = page.evaluate(
        """() => new Promise(resolve => {
            const net = window.kgViz.network, t0 = performance.now();
            net.once("afterDrawing", () => resolve(performance.now() - t0));
            net.redraw();
        })"""
    )
    filter_ms = page.evaluate(
        """() => { const box = document.querySelector('.kg-type[value=task]'); const t0 = performance.now();
                   box.checked = false; window.kgViz.applyView(); const t = performance.now() - t0;
                   box.checked = true; window.kgViz.applyView(); return t; }"""
    )
    return {"stable": stable, "frame": frame, "filter": filter_ms}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated pages in")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from kg.graph_view import full_view
    from kg.render import render_html

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench_viz_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'nodes':>6} {'edges':>6} {'render s':>9} {'stable s':>9} {'frame ms':>9} {'filter ms':>9}")
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 900},
        )
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
        )
        page = context.new_page()
        for n in args.sizes:
            graph = make_graph(n)
            start = time.perf_counter()
            html = render_html(full_view(graph))
            render_s = time.perf_counter() - start
            path = folder / f"graph_{n}.html"
            path.write_text(html, encoding="utf-8")
            runs = [measure(page, path.as_uri()) for _ in range(args.repeat)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(
                f"{len(graph.nodes):>6} {len(graph.edges):>6} {render_s:>9.2f} {med['stable'] / 1000:>9.2f} "
                f"{med['frame']:>9.1f} {med['filter']:>9.1f}",
                flush=True,
            )
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
