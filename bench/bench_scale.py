"""Scale benchmark: generated corpora of 100 / 1,000 (/ 10,000) documents -> build figures side by side.

    python bench/bench_scale.py [--sizes 100,1000] [--with-10000] [--jobs 2] [--work DIR] [--json FILE]

For each size: a corpus from bench/generate_corpus.py (seed 1), then, each in its own process,

* a full build (``kg.pipeline.build``, cache on, ``--jobs``): wall time, documents per second,
  the stages' seconds, peak memory (ru_maxrss of the build process, and the largest sum of the
  resident memory of the build's process tree, its extraction workers included, sampled every
  0.2 s), triples;
* a rebuild with nothing changed, a rebuild after one document changed (a sentence appended that
  names no unit: the measures and graph.html are kept), and one after a task with a lead and a
  support unit was added to another (both are recomputed): time, and its share of the full build;
* every ``queries/*.rq`` without parameters on the persisted store (``kg.query.execute``, rows
  read), each in its own process: median of ``--repeat`` runs after one warm-up, or the warm-up
  alone when it took over 5 s; stopped after 60 s;
* ``kg.analysis.network_metrics`` on the store (what ``kg centrality`` computes).

Sizes above ``--rebuilds-up-to N`` skip the three rebuilds (each writes its graph files beside the
old ones, about 20 GB more at 10,000 documents).

Goals (issue 8): 10,000 documents built in under 10 minutes on 2 cores with peak memory under
4 GB; every canned query under 200 ms median at that size; a one-document rebuild under 5% of a
full build at 1,000 documents.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL_SECONDS_10K = 600
GOAL_MEMORY_MB = 4096
GOAL_QUERY_MS = 200
GOAL_INCREMENTAL = 0.05


# --------------------------------------------------------------------------- children


def child_build(corpus: Path, out: Path, jobs: int, formats: str, skip_measures: bool = False) -> dict:
    import kg.analysis
    from kg.pipeline import build

    if skip_measures:  # to time the rest of the build alone
        from kg.analysis import NetworkMetrics

        kg.analysis.summary_metrics = lambda summary, places: NetworkMetrics((), 0, 0, 0, None, ("skipped",))
    started = time.perf_counter()
    report = build([corpus], out, jobs=jobs, formats=formats.split(","))
    return {
        "seconds": time.perf_counter() - started,
        "documents": report.documents,
        "failed": report.failed,
        "triples": report.triples,
        "cached": report.cached,
        "store": report.store,
        "stages": dict(report.timings),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


#: Seconds one canned query may take (each runs in its own process, stopped past this).
QUERY_TIMEOUT = 60
#: A query slower than this on its first run is not repeated.
QUERY_SLOW = 5


def child_queries(out: Path, repeat: int) -> dict:
    """Each parameterless canned query in its own process, bounded by QUERY_TIMEOUT."""
    from kg.query import list_queries

    figures = {}
    for query in list_queries():
        if query.params:
            continue
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child-query",
            str(out),
            query.name,
            str(repeat),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=QUERY_TIMEOUT, check=True)
            figures[query.name] = json.loads(done.stdout)
        except subprocess.TimeoutExpired:
            figures[query.name] = {"median_ms": f"> {QUERY_TIMEOUT * 1000}", "rows": "?", "runs": 0}
    return figures


def child_query(out: Path, name: str, repeat: int) -> dict:
    """One query: a first run, then ``repeat`` more (median) unless the first took over QUERY_SLOW s."""
    from kg.query import execute, list_queries
    from kg.store import open_store

    store = open_store(out)
    query = next(q for q in list_queries() if q.name == name)
    started = time.perf_counter()
    rows = len(execute(query, store).rows)  # also the warm-up: caches, pages
    times = [(time.perf_counter() - started) * 1000]
    if times[0] < QUERY_SLOW * 1000:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(execute(query, store).rows)
            times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "rows": rows, "runs": len(times)}


#: Seconds the centrality child may take before it reports itself stopped.
CENTRALITY_BUDGET = int(os.environ.get("KG_BENCH_CENTRALITY_BUDGET", "900"))


class _OutOfTime(Exception):
    pass


def child_centrality(out: Path) -> dict:
    import signal

    from kg.analysis import network_metrics

    def stop(signum: int, frame: object) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(CENTRALITY_BUDGET)  # networkx runs Python code: the alarm interrupts it
    started = time.perf_counter()
    try:
        metrics = network_metrics(out)
    except _OutOfTime:
        return {"seconds": f"> {CENTRALITY_BUDGET} (stopped)", "agencies": "?", "tasks": "?"}
    signal.alarm(0)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "agencies": len(metrics.agencies),
        "tasks": metrics.tasks,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --------------------------------------------------------------------------- parent


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants (0 once it is gone)."""
    import psutil

    try:
        process = psutil.Process(pid)
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0


def run_child(*args: str, timeout: float | None = None) -> tuple[dict, float, float, float]:
    """Run this script in child mode; (its JSON, wall seconds, ru_maxrss MB, peak tree RSS MB).

    Raises:
        subprocess.TimeoutExpired: the child ran past ``timeout`` seconds (it is killed).
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, str(Path(__file__).resolve()), *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, cwd=REPO)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer is not None:
        timer.start()
    stdout = process.stdout.read() if process.stdout else b""
    if timer is not None:
        timer.cancel()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if timeout and seconds >= timeout and process.returncode != 0:
        raise subprocess.TimeoutExpired(command, timeout)
    if process.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} failed with exit status {process.returncode}")
    return json.loads(stdout), seconds, usage.ru_maxrss / 1024, peak[0] / 2**20


def corpus_for(size: int, work: Path) -> Path:
    folder = work / f"corpus-{size}"
    if not folder.is_dir() or len(list(folder.glob("*.txt"))) != size:
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "generate_corpus.py"), "--docs", str(size),
             "--out", str(folder),
             "--seed", "1"],
            check=True,
        )  # fmt: skip
    return folder


def touch_one(corpus: Path) -> Path:
    """Change one document's last line (a new sentence), as an edit of the source would."""
    path = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    data = path.read_bytes()
    marker = f"\n新建口袋公园{int(time.time()) % 97 + 2}个。\n"
    encoding = "gbk" if _is_gbk(data) else "utf-8"
    path.write_bytes(data + marker.encode(encoding))
    return path


def add_task(corpus: Path) -> Path:
    """Add a task with a lead and a support unit to another document: the network changes, so the
    measures and graph.html are recomputed (the new sentence of touch_one changes neither)."""
    paths = sorted(corpus.glob("*.txt"))
    path = paths[len(paths) // 3]
    data = path.read_bytes()
    row = f"\n新建社区食堂{int(time.time()) % 97 + 2}个。(牵头单位:区民政局;配合单位:区财政局)\n"
    path.write_bytes(data + row.encode("gbk" if _is_gbk(data) else "utf-8"))
    return path


def _is_gbk(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


def bench_size(
    size: int,
    work: Path,
    jobs: int,
    repeat: int,
    formats: str,
    skip_measures: bool,
    centrality_timeout: float,
    rebuilds: bool = True,
) -> dict:
    import shutil

    corpus = corpus_for(size, work)
    out = work / f"out-{size}"
    skip = "skip" if skip_measures else "measure"
    shutil.rmtree(out, ignore_errors=True)
    print(f"[{size}] full build ...", file=sys.stderr, flush=True)
    full, seconds, maxrss, tree = run_child("--child-build", str(corpus), str(out), str(jobs), formats, skip)
    result: dict = {"size": size, "jobs": jobs, "formats": formats, "measures_skipped": skip_measures}
    result["build"] = full | {
        "wall_seconds": round(seconds, 1), "docs_per_second": round(size / seconds, 1),
        "child_maxrss_mb": round(maxrss), "tree_peak_mb": round(tree),
    }  # fmt: skip
    result["disk_mb"] = {p.name: round(_size(p) / 2**20) for p in sorted(out.iterdir())}
    if rebuilds:
        result |= _rebuilds(size, corpus, out, jobs, formats, skip, seconds)
    print(f"[{size}] queries ...", file=sys.stderr, flush=True)
    result["queries"] = run_child("--child-queries", str(out), str(repeat))[0]
    print(f"[{size}] centrality ...", file=sys.stderr, flush=True)
    try:
        result["centrality"] = run_child("--child-centrality", str(out), timeout=centrality_timeout)[0]
    except subprocess.TimeoutExpired:
        result["centrality"] = {
            "seconds": f"> {centrality_timeout:g} (stopped)",
            "agencies": "?",
            "tasks": "?",
        }
    return result


def _rebuilds(size: int, corpus: Path, out: Path, jobs: int, formats: str, skip: str, seconds: float) -> dict:
    """Rebuilds with nothing changed, after one sentence was added, after one task was added
    (the corpus is edited)."""
    result: dict = {}
    print(f"[{size}] rebuild, nothing changed ...", file=sys.stderr, flush=True)
    same, seconds_same, _, _ = run_child("--child-build", str(corpus), str(out), str(jobs), formats, skip)
    result["rebuild_unchanged"] = same | {"wall_seconds": round(seconds_same, 1)}
    touched = touch_one(corpus)
    print(f"[{size}] rebuild after changing {touched.name} ...", file=sys.stderr, flush=True)
    one, seconds_one, _, _ = run_child("--child-build", str(corpus), str(out), str(jobs), formats, skip)
    result["rebuild_one_changed"] = one | {
        "wall_seconds": round(seconds_one, 1), "share_of_full": round(seconds_one / seconds, 3),
    }  # fmt: skip
    touched = add_task(corpus)
    print(f"[{size}] rebuild after adding a task to {touched.name} ...", file=sys.stderr, flush=True)
    task, seconds_task, _, _ = run_child("--child-build", str(corpus), str(out), str(jobs), formats, skip)
    result["rebuild_task_added"] = task | {
        "wall_seconds": round(seconds_task, 1), "share_of_full": round(seconds_task / seconds, 3),
    }  # fmt: skip
    return result


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _stages(run: dict) -> str:
    return ", ".join(f"{name} {seconds:g}" for name, seconds in run["stages"].items())


def table(results: list[dict]) -> str:
    """The figures as a Markdown table, one column per size (rebuilds: "not run" when skipped)."""
    sizes = [r["size"] for r in results]
    rows: list[tuple[str, list[str]]] = [
        ("build, wall s", [f"{r['build']['wall_seconds']}" for r in results]),
        ("documents / s", [f"{r['build']['docs_per_second']}" for r in results]),
        ("peak RSS, build process MB", [f"{r['build']['child_maxrss_mb']}" for r in results]),
        ("peak RSS, process tree MB", [f"{r['build']['tree_peak_mb']}" for r in results]),
        ("triples", [f"{r['build']['triples']:,}" for r in results]),
    ]
    stages = list(dict.fromkeys(s for r in results for s in r["build"]["stages"]))
    rows += [(f"  stage: {s}, s", [f"{r['build']['stages'].get(s, '')}" for r in results]) for s in stages]

    def rebuilt(key: str, cell) -> list[str]:  # noqa: ANN001 - cell: dict -> str
        return ["not run" if key not in r else cell(r[key]) for r in results]

    rows += [
        ("rebuild, unchanged, s", rebuilt("rebuild_unchanged", lambda x: f"{x['wall_seconds']}")),
        ("rebuild, one changed, s", rebuilt("rebuild_one_changed", lambda x: f"{x['wall_seconds']}")),
        ("  share of full build", rebuilt("rebuild_one_changed", lambda x: f"{x['share_of_full']:.1%}")),
        ("  store", rebuilt("rebuild_one_changed", lambda x: x["store"])),
        ("  stages (kept: reused)", rebuilt("rebuild_one_changed", _stages)),
        ("rebuild, a task added, s", rebuilt("rebuild_task_added", lambda x: f"{x['wall_seconds']}")),
        ("  share of full build", rebuilt("rebuild_task_added", lambda x: f"{x['share_of_full']:.1%}")),
        ("  stages", rebuilt("rebuild_task_added", _stages)),
        ("centrality (network_metrics), s", [f"{r['centrality']['seconds']}" for r in results]),
        (
            "  agencies / tasks",
            [f"{r['centrality']['agencies']} / {r['centrality']['tasks']}" for r in results],
        ),
    ]
    names = list(dict.fromkeys(n for r in results for n in r["queries"]))
    rows += [(f"query {n}, median ms", [f"{r['queries'].get(n, {}).get('median_ms', '')}" for r in results])
             for n in names]  # fmt: skip
    disk = list(dict.fromkeys(n for r in results for n in r["disk_mb"]))
    rows += [(f"disk: {n}, MB", [f"{r['disk_mb'].get(n, '')}" for r in results]) for n in disk]
    if any(r.get("measures_skipped") for r in results):
        measured = ["skipped" if r.get("measures_skipped") else "computed" for r in results]
        rows.insert(0, ("network measures in the build", measured))
    header = "| figure | " + " | ".join(f"{s:,} docs" for s in sizes) + " |"
    rule = "| --- | " + " | ".join("---:" for _ in sizes) + " |"
    return "\n".join([header, rule, *(f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes (default 100,1000)")
    parser.add_argument("--with-10000", action="store_true", help="add 10,000 documents (about half an hour)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="kg build --jobs (default: CPUs)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median; default 5)")
    parser.add_argument("--formats", default="trig,nquads,turtle,json-ld", help="kg build --formats")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-scale"), help="corpora and outputs")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--skip-measures",
        action="store_true",
        help="builds leave the network measures out (an empty metrics graph); centrality is timed apart",
    )
    parser.add_argument("--centrality-timeout", type=float, default=3600, help="seconds (default 3600)")
    parser.add_argument(
        "--rebuilds-up-to", type=int, default=None, metavar="N",
        help="time the three rebuilds only for sizes up to N (a rebuild writes its graph files beside "
        "the old ones: 10,000 documents need about 75 GB free with them, 55 GB without)",
    )  # fmt: skip
    parser.add_argument("--child-build", nargs=5, metavar=("CORPUS", "OUT", "JOBS", "FORMATS", "SKIP"),
                        help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--child-queries", nargs=2, metavar=("OUT", "REPEAT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-query", nargs=3, metavar=("OUT", "NAME", "REPEAT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-centrality", metavar="OUT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build:
        corpus, out, jobs, formats, skip = args.child_build
        print(json.dumps(child_build(Path(corpus), Path(out), int(jobs), formats, skip == "skip")))
        return 0
    if args.child_queries:
        print(json.dumps(child_queries(Path(args.child_queries[0]), int(args.child_queries[1]))))
        return 0
    if args.child_query:
        out, name, repeat = args.child_query
        print(json.dumps(child_query(Path(out), name, int(repeat))))
        return 0
    if args.child_centrality:
        print(json.dumps(child_centrality(Path(args.child_centrality))))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([10_000] if args.with_10000 else [])
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        results.append(
            bench_size(size, args.work, args.jobs, args.repeat, args.formats, args.skip_measures,
                       args.centrality_timeout, args.rebuilds_up_to is None or size <= args.rebuilds_up_to)
        )  # fmt: skip
        if args.json:
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(table(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
