"""Dataset -> graph.trig, graph.nq, graph.ttl (union) and graph.jsonld, byte-identical across runs.

rdflib's Turtle (longturtle) output is sorted and stable; its TriG, N-Quads and JSON-LD follow
set iteration order, which changes from run to run. So TriG is assembled from one longturtle
block per graph, N-Quads lines are sorted, and JSON-LD arrays are put in a canonical order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.rdf import DEFAULT_BASE, bind_prefixes

__all__ = ["GRAPH_FILES", "to_trig", "to_nquads", "to_turtle", "to_jsonld", "union_graph", "write_graph_files"]

#: The files ``kg build`` writes next to the store, by format.
GRAPH_FILES = {"trig": "graph.trig", "nquads": "graph.nq", "turtle": "graph.ttl", "json-ld": "graph.jsonld"}


def _graphs(dataset: Dataset) -> list[Graph]:
    """The default graph first, then the named graphs by IRI; empty graphs left out."""
    named = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]
    default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)
    ordered = sorted(named, key=lambda g: str(g.identifier))
    return ([default] if len(default) else []) + ordered


def _turtle_body(graph: Graph, base: str) -> tuple[list[str], str]:
    """(prefix lines, triples) of a graph in longturtle."""
    copy = Graph()
    bind_prefixes(copy, base)
    for triple in graph:
        copy.add(triple)
    text = copy.serialize(format="longturtle")
    lines = text.splitlines()
    prefixes = [line for line in lines if line.startswith("PREFIX ")]
    body = "\n".join(line for line in lines if not line.startswith("PREFIX ")).strip("\n")
    return prefixes, body


def to_trig(dataset: Dataset, *, base: str = DEFAULT_BASE) -> str:
    """TriG: the default graph in braces, then each named graph under its IRI."""
    all_prefixes: set[str] = set()
    blocks: list[str] = []
    for graph in _graphs(dataset):
        prefixes, body = _turtle_body(graph, base)
        all_prefixes.update(prefixes)
        indented = "\n".join("    " + line if line else "" for line in body.splitlines())
        name = "" if graph.identifier == DATASET_DEFAULT_GRAPH_ID else f"<{graph.identifier}> "
        blocks.append(f"{name}{{\n{indented}\n}}\n")
    return "\n".join(sorted(all_prefixes)) + "\n\n" + "\n".join(blocks)


def to_nquads(dataset: Dataset) -> str:
    """N-Quads with sorted lines (bulk loaders take them as they come)."""
    text = dataset.serialize(format="nquads")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + "\n"


def union_graph(dataset: Dataset, *, base: str = DEFAULT_BASE) -> Graph:
    """Every triple of every graph, in one graph."""
    union = Graph()
    bind_prefixes(union, base)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def to_turtle(dataset: Dataset, *, base: str = DEFAULT_BASE) -> str:
    """The union graph as readable Turtle."""
    return union_graph(dataset, base=base).serialize(format="longturtle")


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _canonical(v) for key, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def to_jsonld(dataset: Dataset, *, base: str = DEFAULT_BASE) -> str:
    """JSON-LD of the dataset (named graphs as ``@graph`` objects), arrays in canonical order."""
    from kg.namespaces import PREFIXES

    context = dict(PREFIXES) | {"id": base}
    data = json.loads(dataset.serialize(format="json-ld", context=context))
    return json.dumps(_canonical(data), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write_graph_files(dataset: Dataset, out_dir: Path, *, base: str = DEFAULT_BASE) -> dict[str, Path]:
    """Write the four serialisations atomically; return their paths by format."""
    from kg.export import write_atomic

    writers = {
        "trig": lambda: to_trig(dataset, base=base),
        "nquads": lambda: to_nquads(dataset),
        "turtle": lambda: to_turtle(dataset, base=base),
        "json-ld": lambda: to_jsonld(dataset, base=base),
    }
    written = {}
    for fmt, name in GRAPH_FILES.items():
        path = out_dir / name
        write_atomic(path, writers[fmt]())
        written[fmt] = path
    return written


