"""Per-document build results on disk: (content hash, tool version) -> the document's outputs.

``kg build`` keeps, under ``<out>/cache/``, one entry per document: its extraction record, the
counts and problems of the report, its default-graph (metadata) triples and its named graph
already serialised in each format. The entry's key is the sha256 of the document's bytes (and of
its web notice's, for an attachment), its path, the IRI base and :func:`tool_key`, so a rebuild
re-extracts only the documents that changed; any change to the package's code or data files
invalidates every entry. ``cache/manifest.json`` records which entry each named graph of the
store came from, so that the store can be updated in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.models import Problem
from kg.serialize import GraphBytes, GraphText

__all__ = [
    "CACHE_DIR",
    "EXTRACTION_VERSION",
    "DocumentOutput",
    "DocumentCache",
    "tool_key",
    "file_digest",
    "read_manifest",
    "write_manifest",
    "remove_manifest",
    "changed_graphs",
    "read_measures",
    "write_measures",
    "read_page_key",
    "write_page_key",
    "remove_page_key",
    "read_page_tasks",
    "write_page_tasks",
    "read_graph_lines",
    "write_graph_lines",
]

CACHE_DIR = "cache"
MANIFEST = "manifest.json"
#: Bump when what a document's entry holds changes meaning (the source hash catches code edits).
EXTRACTION_VERSION = 1
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DocumentOutput:
    """What one document contributes to a build; ``problem`` set (and nothing else) when it failed."""

    path: str
    name: str
    problem: Problem | None = None
    iri: str | None = None
    record: str = ""  # the extraction's JSON file, as written
    assignments: int = 0
    entities: int = 0
    problems: tuple[Problem, ...] = ()
    metadata: tuple[str, ...] = ()  # default-graph triples, sorted N-Triples lines
    graph: GraphText | None = None  # the named graph, serialised
    units: dict | None = None  # kg.summary.UnitFacts as JSON: the units and task roles it names
    view: str = ""  # kg.graph_slice.view_digest of the named graph: what graph.html can read of it


@lru_cache(maxsize=1)
def tool_key() -> str:
    """A digest of everything besides the input that decides a document's outputs.

    ``kg.__version__``, :data:`EXTRACTION_VERSION`, and the bytes of the package's modules and
    data files (``kg/**/*.py``, ``kg/data/*``).
    """
    from kg import __version__

    digest = hashlib.sha256(f"{__version__}\0{EXTRACTION_VERSION}\0".encode())
    files = sorted(_PACKAGE.rglob("*.py")) + sorted(p for p in (_PACKAGE / "data").iterdir() if p.is_file())
    for path in files:
        if "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _problem(data: dict | None) -> Problem | None:
    return None if data is None else Problem(data["doc"], data["where"], data["message"])


def _problem_data(problem: Problem | None) -> dict | None:
    return (
        None if problem is None else {"doc": problem.doc, "where": problem.where, "message": problem.message}
    )


_SECTIONS = ("record", "nquads", "turtle", "jsonld")


class DocumentCache:
    """Entries ``<folder>/<key[:2]>/<key>`` (a JSON header line, then the text sections)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def holds(self, key: str, formats: Iterable[str] = ()) -> bool:
        """Whether a readable entry with every one of ``formats`` is there."""
        try:
            with open(self.path(key), "rb") as handle:
                head = json.loads(handle.readline())
            return set(formats) <= set(head["formats"])
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def get(self, key: str, formats: Iterable[str] = (), *, graph: bool = True) -> DocumentOutput | None:
        """The entry, or None when it is missing, unreadable or lacks one of ``formats``.

        With ``graph=False`` the serialised graph is not read (its texts are left empty).
        """
        try:
            with open(self.path(key), "rb") as handle:
                head = json.loads(handle.readline())
                if not set(formats) <= set(head["formats"]):
                    return None
                names = _SECTIONS if graph else _SECTIONS[:1]  # the record comes first
                sizes = head["sizes"][: len(names)]
                texts = {
                    name: handle.read(size).decode("utf-8") for name, size in zip(names, sizes, strict=True)
                }
        except (OSError, ValueError, KeyError, TypeError):
            return None
        texts = {name: texts.get(name, "") for name in _SECTIONS}
        graph = GraphText(head["iri"], head["triples"], texts["nquads"], texts["turtle"], texts["jsonld"])
        return DocumentOutput(
            path=head["path"], name=head["name"], problem=_problem(head["problem"]), iri=head["iri"],
            record=texts["record"], assignments=head["assignments"], entities=head["entities"],
            problems=tuple(_problem(p) for p in head["problems"]), metadata=tuple(head["metadata"]),
            graph=graph, units=head.get("units"), view=head.get("view", ""),
        )  # fmt: skip

    def graph_bytes(self, key: str, formats: Iterable[str] = ()) -> GraphBytes | None:
        """The entry's serialised graph, undecoded (what the graph files are made of)."""
        try:
            with open(self.path(key), "rb") as handle:
                head = json.loads(handle.readline())
                if not set(formats) <= set(head["formats"]):
                    return None
                handle.seek(head["sizes"][0], os.SEEK_CUR)  # the record
                nquads, turtle, jsonld = (handle.read(size) for size in head["sizes"][1:])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return GraphBytes(head["iri"], head["triples"], nquads, turtle, jsonld)

    def put(self, key: str, output: DocumentOutput, formats: Iterable[str]) -> None:
        """Store an entry holding ``formats`` (written to a temporary name, then renamed)."""
        graph = output.graph or GraphText(output.iri, 0)
        sections = [s.encode("utf-8") for s in (output.record, graph.nquads, graph.turtle, graph.jsonld)]
        head = {
            "path": output.path, "name": output.name, "problem": _problem_data(output.problem),
            "iri": output.iri, "triples": graph.triples, "assignments": output.assignments,
            "entities": output.entities, "problems": [_problem_data(p) for p in output.problems],
            "metadata": list(output.metadata), "units": output.units, "view": output.view, "sizes": [len(s) for s in sections],
            "formats": sorted(formats),
        }  # fmt: skip
        path = self.path(key)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                handle.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")
                for section in sections:
                    handle.write(section)
            os.replace(tmp, path)
        except OSError as exc:
            from kg.export import OutputError, _os_reason

            tmp.unlink(missing_ok=True)
            raise OutputError(path, _os_reason(exc)) from exc

    def prune(self, keep: set[str]) -> int:
        """Remove the entries (and stray temporary files) not in ``keep``; return how many went."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for sub in self.folder.iterdir():
            if not sub.is_dir() or len(sub.name) != 2:
                continue
            for entry in sub.iterdir():
                if entry.name not in keep:
                    entry.unlink(missing_ok=True)
                    removed += 1
        return removed

    def remove(self) -> None:
        """Delete the whole folder."""
        shutil.rmtree(self.folder, ignore_errors=True)


def read_manifest(cache_dir: Path) -> dict | None:
    """What the store under the output folder holds, as the last build recorded it; None if unknown."""
    try:
        return json.loads((Path(cache_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(cache_dir: Path, manifest: dict) -> None:
    """Record what the store holds (written last: a build stopped midway leaves no manifest)."""
    from kg.export import write_json

    write_json(Path(cache_dir) / MANIFEST, manifest)


def remove_manifest(cache_dir: Path) -> None:
    """Forget what the store holds, before changing it (the next build then reloads it whole).

    The file stays, marked as stale, rather than disappearing from a build stopped midway.
    """
    path = Path(cache_dir) / MANIFEST
    if path.is_file():
        from kg.export import OutputError, _os_reason

        try:  # in place, not through a rename: half a marker is as stale as a whole one
            path.write_text('{"stale": "a build was changing the store"}\n', encoding="utf-8")
        except OSError as exc:
            raise OutputError(path, _os_reason(exc)) from exc


#: Above this share of changed documents the store is reloaded whole rather than updated.
INCREMENTAL_MAX_SHARE = 0.25


def changed_graphs(manifest: dict | None, graphs: dict[str, str], base: str) -> set[str] | None:
    """The named graphs whose entry changed since the build the manifest records (removed ones
    too), or None when the store must be loaded whole: no usable manifest, or too many changes.

    Args:
        manifest: what :func:`read_manifest` gave.
        graphs: this build's named graphs, IRI -> entry key.
        base: this build's IRI base.

    >>> last = {"tool": tool_key(), "base": "b", "graphs": {"g1": "k1", "g2": "k2", "g3": "k3"}}
    >>> changed_graphs(last, {"g1": "k1", "g2": "k2'", "g3": "k3", "g4": "k4"}, "b")
    >>> changed_graphs(last, {"g1": "k1", "g2": "k2", "g3": "k3", "g4": "k4"}, "b")
    {'g4'}
    >>> changed_graphs(None, {"g1": "k1"}, "b") is None
    True
    """
    if not manifest or manifest.get("tool") != tool_key() or manifest.get("base") != base:
        return None
    old: dict[str, str] = manifest.get("graphs", {})
    changed = {iri for iri in graphs.keys() | old.keys() if graphs.get(iri) != old.get(iri)}
    return changed if len(changed) <= INCREMENTAL_MAX_SHARE * max(len(graphs), 1) else None


MEASURES = "measures.json"
PAGE_KEY = "page.key"
PAGE_TASKS = "page-tasks.json"


def read_measures(cache_dir: Path, key: str):  # noqa: ANN201 - kg.analysis.NetworkMetrics | None
    """The network measures the last build computed, if they were computed from the same graphs."""
    from kg.analysis import AgencyMetrics, NetworkMetrics

    try:
        data = json.loads((Path(cache_dir) / MEASURES).read_text(encoding="utf-8"))
        if data["key"] != key:
            return None
        fields = data["metrics"]
        agencies = tuple(AgencyMetrics(**a) for a in fields.pop("agencies"))
        return NetworkMetrics(
            agencies=agencies, **{k: tuple(v) if k == "warnings" else v for k, v in fields.items()}
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_measures(cache_dir: Path, key: str, metrics) -> None:  # noqa: ANN001 - kg.analysis.NetworkMetrics
    """Keep the network measures for the next build, under the digest of the graphs they come from."""
    from dataclasses import asdict

    from kg.export import write_json

    write_json(Path(cache_dir) / MEASURES, {"key": key, "metrics": asdict(metrics)})


def read_page_key(cache_dir: Path) -> str | None:
    """The digest of what the last build drew into graph.html (None: not known)."""
    try:
        return (Path(cache_dir) / PAGE_KEY).read_text(encoding="utf-8").strip() or None
    except (OSError, ValueError):
        return None


def write_page_key(cache_dir: Path, key: str) -> None:
    """Record what graph.html was drawn from (after the page is written)."""
    from kg.export import write_atomic

    write_atomic(Path(cache_dir) / PAGE_KEY, key + "\n")


def remove_page_key(cache_dir: Path) -> None:
    """Forget what graph.html was drawn from (before the page is rewritten)."""
    (Path(cache_dir) / PAGE_KEY).unlink(missing_ok=True)


def read_page_tasks(cache_dir: Path, views: Mapping[str, str]):  # noqa: ANN201 - dict[str, TaskDetails]
    """The drawn tasks' details the last page read, for the tasks whose documents' view digests
    (``views``: document IRI -> :func:`kg.graph_slice.view_digest`) did not change."""
    from kg.graph_view import VizEdge, VizTask

    try:
        data = json.loads((Path(cache_dir) / PAGE_TASKS).read_text(encoding="utf-8"))
        if data["tool"] != tool_key():  # another version may read a task differently
            return {}
        return {
            task: (tuple(VizTask(*t) for t in entry["texts"]), frozenset(VizEdge(*e) for e in entry["links"]))
            for task, entry in data["tasks"].items()
            if all(views.get(doc) == digest for doc, digest in entry["docs"].items())
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_page_tasks(cache_dir: Path, details: Mapping, views: Mapping[str, str]) -> None:
    """Keep the drawn tasks' details (``kg.graph_slice.TaskReader.read``) with the view digests of
    the documents they were read from; a task whose documents are unknown is not kept."""
    from dataclasses import astuple

    from kg.export import write_atomic

    kept = {}
    for task, (texts, links) in sorted(details.items()):
        docs = {t.document for t in texts} | {e.document for e in links}
        if docs and all(doc in views for doc in docs):
            kept[task] = {
                "docs": {doc: views[doc] for doc in sorted(docs)},
                "texts": [astuple(t) for t in texts],
                "links": sorted(astuple(e) for e in links),
            }
    record = {"tool": tool_key(), "tasks": kept}
    write_atomic(Path(cache_dir) / PAGE_TASKS, json.dumps(record, ensure_ascii=False) + "\n")


def read_graph_lines(cache_dir: Path, name: str) -> list[str] | None:
    """The N-Triples lines of a corpus-wide graph (``summary``, ``metrics``) as the last build
    put it in the store, or None when not kept (then the graph is replaced whole)."""
    try:
        text = (Path(cache_dir) / f"{name}.nt").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    return text.split("\n")[:-1]  # "\n" only: N-Triples keeps U+2028 and the like inside literals


def write_graph_lines(cache_dir: Path, name: str, lines: Iterable[str]) -> None:
    """Keep a corpus-wide graph's lines for the next build (before the manifest that vouches for them)."""
    from kg.export import write_atomic

    write_atomic(Path(cache_dir) / f"{name}.nt", "".join(f"{line}\n" for line in lines))
