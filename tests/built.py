"""What a build wrote, in comparable form: shared by the tests of incremental and parallel builds."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kg.store import open_store


def output_files(out: Path) -> dict[str, bytes]:
    """Every file a build wrote, by relative path; the store and the cache are compared apart."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] not in ("store", "cache")
    }


def store_quads(out: Path) -> list[str]:
    """The store's quads as sorted N-Quads lines."""
    data = open_store(out).dump(format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in data.split("\n") if line)
