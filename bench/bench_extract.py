"""Extraction throughput (KB of normalised text per second) next to jieba.lcut on the same text.

    python bench/bench_extract.py [PATH ...] [--repeat N]

PATHs are documents or folders of documents (.txt, .html, .htm) added to the bundled sample
corpus in data/samples. Each measure is warmed up once (jieba's dictionary load and OpenCC's
initialisation are not timed), then run N times; the median time per pass is reported.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SUFFIXES = (".txt", ".html", ".htm")


def find_documents(paths: Iterable[Path]) -> list[Path]:
    """Return the documents named by ``paths`` (files as given, folders searched), deduplicated."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    found[child.resolve()] = None
        elif path.is_file():
            found[path.resolve()] = None
        else:
            print(f"warning: {path}: no such file or folder, skipped", file=sys.stderr)
    return list(found)


def time_passes(run_pass: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None) -> float:
    """Run ``run_pass`` once untimed, then ``repeat`` times; return the median seconds per pass.

    ``before`` runs untimed before every pass (it clears the extractor's memos, so that each
    pass meets the texts as new).
    """
    before()
    run_pass()
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        run_pass()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="more documents or folders to include")
    parser.add_argument("--repeat", type=int, default=20, help="timed passes per measure (default 20)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    # Imported here so that --help works without the package's dependencies.
    import jieba

    from kg.errors import KGError
    from kg.extract import clear_caches, extract_document
    from kg.ingest import read_document
    from kg.normalize import normalize_document

    jieba.setLogLevel(logging.WARNING)

    raws = []
    for path in find_documents([SAMPLES, *args.paths]):
        try:
            raws.append(read_document(path))
        except KGError as err:
            print(f"warning: {err}, skipped", file=sys.stderr)
    if not raws:
        parser.error("no readable documents")

    # Untimed set-up: OpenCC initialises on the first normalisation, jieba loads its dictionary here.
    docs = [normalize_document(raw) for raw in raws]
    jieba.initialize()
    kb = sum(len(doc.text.encode("utf-8")) for doc in docs) / 1024

    def extract_only() -> None:
        for doc in docs:
            extract_document(doc)

    def extract_core() -> None:
        for doc in docs:
            extract_document(doc, outcomes=False)

    def normalise_and_extract() -> None:
        for raw in raws:
            extract_document(normalize_document(raw))

    def jieba_lcut() -> None:
        for doc in docs:
            jieba.lcut(doc.text)

    measures = [
        ("extract", time_passes(extract_only, args.repeat, clear_caches)),
        ("extract (core)", time_passes(extract_core, args.repeat, clear_caches)),
        ("normalise+extract", time_passes(normalise_and_extract, args.repeat, clear_caches)),
        ("jieba.lcut", time_passes(jieba_lcut, args.repeat)),
    ]

    print(f"{len(docs)} documents, {kb:.1f} KB of normalised text (UTF-8); median of {args.repeat} passes")
    for label, seconds in measures:
        print(f"  {label:<18} {seconds * 1000:9.1f} ms/pass {kb / seconds:10.1f} KB/s")
    times = dict(measures)
    jieba_s = times["jieba.lcut"]
    print(f"ratio extract/jieba throughput: {jieba_s / times['extract']:.2f}x (above 1: extraction is faster)")
    print(
        f"ratio core extract/jieba throughput: {jieba_s / times['extract (core)']:.2f}x "
        "(header, jurisdiction, assignments, entities, resolution; without quantities and statuses)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
