"""kg.store: a named graph patched with the lines that changed equals the graph loaded whole."""

from __future__ import annotations

import pyoxigraph

from kg.store import replace_graph, update_graph

G = "https://example.org/graph/corpus"
OLD = [
    '<https://e/a> <https://e/n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    '<https://e/a> <https://e/label> "甲\u2028乙"@zh .',
    "<https://e/b> <https://e/p> <https://e/a> .",
]
NEW = [
    '<https://e/a> <https://e/n> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    '<https://e/a> <https://e/label> "甲\u2028乙"@zh .',
    "<https://e/c> <https://e/p> <https://e/a> .",
]


def _nquads(lines: list[str]) -> str:
    return "".join(line[:-1] + f"<{G}> .\n" for line in lines)


def _quads(store: pyoxigraph.Store) -> set[str]:
    return {str(q) for q in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(G))}


def test_update_graph_changes_only_the_lines_that_differ() -> None:
    patched, whole = pyoxigraph.Store(), pyoxigraph.Store()
    replace_graph(patched, G, _nquads(OLD))
    other = "<https://e/x> <https://e/p> <https://e/y> <https://example.org/graph/other> .\n"
    patched.bulk_load(other.encode(), format=pyoxigraph.RdfFormat.N_QUADS)
    assert update_graph(patched, G, OLD, NEW) == 4  # two lines gone, two added; the label kept
    replace_graph(whole, G, _nquads(NEW))
    assert _quads(patched) == _quads(whole)
    assert len(patched) == len(NEW) + 1  # the other graph untouched
    assert update_graph(patched, G, NEW, NEW) == 0
