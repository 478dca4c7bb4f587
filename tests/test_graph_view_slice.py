"""Tests for kg.graph_slice: the outline read from the store, and a view that reads only what it draws."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg import graph_slice
from kg.graph_slice import load_outline, load_view
from kg.graph_view import UnknownFocusError, full_view, load_viz_graph, reduce_view, select_view
from kg.render import render_html
from kg.store import load_store, open_store
from tests.test_render import ID, TRIG, page_data


def store_of(tmp_path: Path, trig: str = TRIG):  # noqa: ANN201 - pyoxigraph.Store
    quads = pyoxigraph.parse(trig.encode("utf-8"), format=pyoxigraph.RdfFormat.TRIG)
    folder = tmp_path / "graph"
    folder.mkdir()
    load_store(pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS).decode("utf-8"), folder)
    return open_store(folder)


@pytest.fixture
def store(tmp_path: Path):  # noqa: ANN201 - pyoxigraph.Store
    return store_of(tmp_path)


def test_outline_has_types_degrees_names_and_places(store) -> None:  # noqa: ANN001
    outline = load_outline(store)
    node = {iri.removeprefix(ID): k for k, iri in enumerate(outline.ids)}
    assert sorted(node) == sorted(n.id.removeprefix(ID) for n in load_viz_graph(store).nodes)
    a1, t1 = node["agency/a1"], node["task/d1/1"]
    assert (outline.types[a1], outline.degree[a1]) == ("agency", 2)
    assert (outline.types[t1], outline.degree[t1]) == ("task", 5)
    assert outline.names[a1] == ("区住房和城乡建设局", ("区住建局",), "机构")
    assert outline.names[node["agency/f1"]][2] == "临时机构"
    assert outline.places[t1] == (ID + "place/330206",)
    assert t1 not in outline.names  # no texts of tasks in the outline
    assert outline.unlinked == 1


def test_a_jurisdiction_linked_as_a_feature_is_a_named_place(tmp_path: Path) -> None:
    # places are named in the default graph; a document graph only types them
    trig = TRIG.replace(
        "kg:leadUnit id:agency\\/a2 .",
        "kg:leadUnit id:agency\\/a2 ; kg:involves id:place\\/330211 .\n    id:place\\/330211 a kg:Place .",
    )
    outline = load_outline(store_of(tmp_path, trig))
    k = outline.ids.index(ID + "place/330211")
    assert outline.types[k] == "place" and outline.names[k] == ("镇海区", (), "地点")
    assert outline.unlinked == 1  # the other jurisdictions typed in document graphs are not counted


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"jurisdiction": "北仑区"},
        {"focus": "区住建局", "depth": 1},
        {"focus": "区住房和城乡建设局", "depth": 2, "jurisdiction": "镇海区"},
        {"types": ["agency", "task"]},
        {"max_nodes": 8},
        {"max_nodes": 7},
        {"max_nodes": 3},
        {"max_nodes": 1, "sizes": {ID + "agency/b1": 0.9}},
        {
            "jurisdiction": "北仑区",
            "focus": "区住建局",
            "depth": 1,
            "types": ["agency", "task"],
            "max_nodes": 2,
        },
    ],
)
def test_view_read_from_the_store_is_the_view_chosen_in_memory(store, options: dict) -> None:  # noqa: ANN001
    choose = {k: v for k, v in options.items() if k not in ("max_nodes", "sizes")}
    reduce = {k: v for k, v in options.items() if k in ("max_nodes", "sizes")}
    expected = reduce_view(select_view(load_viz_graph(store), **choose), **reduce)
    view = load_view(store, **options)
    assert view.node_ids == expected.node_ids
    assert view.notes == expected.notes
    assert view.total_nodes == 10


def test_unreduced_page_is_the_page_of_the_whole_graph(store) -> None:  # noqa: ANN001
    assert render_html(load_view(store)) == render_html(full_view(load_viz_graph(store)))


def test_errors_of_the_choice_reach_the_caller(store) -> None:  # noqa: ANN001
    with pytest.raises(UnknownFocusError, match="区交通局"):
        load_view(store, focus="区交通局")


def test_reads_only_the_tasks_it_draws_or_lists(store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    queries: list[str] = []
    run = graph_slice._values

    def spy(store, name, **bound):  # noqa: ANN001, ANN202
        queries.append(name)
        return run(store, name, **bound)

    monkeypatch.setattr(graph_slice, "_values", spy)
    view = load_view(store, max_nodes=1, sizes={ID + "agency/a1": 1.0}, card_tasks=1)
    assert view.node_ids == {ID + "agency/a1"}
    assert queries.count("viz_task") == 1  # a1 has two tasks; its card lists one
    assert "viz_links" not in queries  # all links are read only for a focus
    assert [t.id for t in view.graph.tasks] in ([ID + "task/d1/1"], [ID + "task/d1/2"])
    assert view.graph.link_counts[ID + "agency/a1"] == {"lead": 1, "support": 1}
    assert view.degree == {ID + "agency/a1": 2.0}

    a1 = next(iter(page_data(render_html(view))["nodes"].values()))
    assert len(a1["links"]) == 1 and a1["counts"] == {"lead": 1, "support": 1}  # the card counts all


def test_focus_reads_the_links(store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    queries: list[str] = []
    run = graph_slice._values
    monkeypatch.setattr(
        graph_slice, "_values", lambda s, name, **b: queries.append(name) or run(s, name, **b)
    )
    load_view(store, focus="区财政局", depth=1)
    assert queries.count("viz_links") == 1


def test_view_digest_covers_every_term_the_page_queries_read() -> None:
    """A kept graph.html is only right if the digest sees every property and class the page reads."""
    import re
    from importlib import resources

    from kg.namespaces import PREFIXES

    terms: set[str] = set()
    for rq in sorted(resources.files("kg").joinpath("sparql").iterdir(), key=lambda p: p.name):
        if rq.name.startswith("viz_"):
            body = "\n".join(line for line in rq.read_text(encoding="utf-8").splitlines() if not line.startswith(("#", "PREFIX")))
            terms |= {PREFIXES[prefix] + local for prefix, local in re.findall(r"\b([a-z]+):([A-Za-z]+)\b", body)}
    assert terms, "no viz_*.rq read"
    assert terms <= graph_slice.VIEW_PREDICATES | graph_slice.VIEW_CLASSES


def test_view_digest_ignores_mentions_and_sees_tasks_and_names() -> None:
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    kg = "https://w3id.org/kg-gov/ontology#"
    task = [f"<{ID}task/d/1> {a} <{kg}Task> .", f'<{ID}task/d/1> <http://www.w3.org/2000/01/rdf-schema#label> "修路"@zh .']
    mention = [f"<{ID}doc/d#m1-3> {a} <{kg}Mention> .", f"<{ID}doc/d#m1-3> <{kg}sourceDocument> <{ID}doc/d> ."]
    base = graph_slice.view_digest(task)
    assert graph_slice.view_digest(task + mention) == base
    assert graph_slice.view_digest(list(reversed(task))) == base
    renamed = [task[0], f'<{ID}task/d/1> <http://www.w3.org/2000/01/rdf-schema#label> "修桥"@zh .']
    assert graph_slice.view_digest(renamed) != base
