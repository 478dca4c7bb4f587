"""The graph page in headless Chromium, used as a person would: offline, searched, hovered, filtered.

Debian's Chromium (/usr/bin/chromium) is driven by Playwright with every request that is not a
local file aborted and recorded. Skipped only on a machine without Chromium outside CI; in CI
(``CI`` set) .ci/run installs it and these tests must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from kg.graph_view import full_view, load_viz_graph
from kg.pipeline import build
from kg.render import render_html, write_graph_html
from kg.store import open_store

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
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
AGENCY = "区住房和城乡建设局"  # an agency of the sample corpus (北仑区)
EVIL = "<img src=x onerror=window.__pwned=1>"
EVIL_ALT = "<svg onload=window.__pwned=2>"
EVIL_TITLE = "</script><script>window.__pwned=3</script>"
# One task table whose task and unit cells carry markup, as a scraped page might.
EVIL_DOC = f"""\
北仑区2024年城市建设重点任务分解表
发布机构: | 北仑区住建局 |
成文日期: | 2024-03-01 |
序号
目标任务
牵头单位
配合单位
1
推进{EVIL}路综合整治工程
区住建局{EVIL}
区交通运输局、各街道
2
完成老旧小区改造20个
区住建局
区财政局
"""
NODES_QUERY = """\
PREFIX kg: <https://w3id.org/kg-gov/ontology#>
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  GRAPH ?g {
    { ?n a kg:Task } UNION { ?t kg:leadUnit ?n } UNION { ?t kg:supportUnit ?n } UNION { ?t kg:involves ?n }
  }
}
"""


def _playwright() -> Any:
    """The sync Playwright API, or a skip (no Chromium, not CI) / failure (CI) saying what is missing."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"{CHROMIUM} is missing in CI: .ci/run should have installed it (apt-get install chromium)"
            )
        pytest.skip(
            f"{CHROMIUM} not installed (apt-get install chromium); CI installs it and runs these tests"
        )
    try:
        from playwright import sync_api
    except ImportError:  # pragma: no cover - the test extra installs it
        pytest.fail("the playwright package is missing: pip install -e '.[test]' (it drives Chromium)")
    return sync_api


@dataclass
class Browser:
    """A Chromium context with the network blocked; ``external`` lists what pages tried to fetch."""

    context: Any
    external: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    sync_api = _playwright()
    with sync_api.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),  # a new, empty user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 900},
        )
        state = Browser(context)

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith("file:"):
                state.local.append(url)
                r.continue_()
            else:
                state.external.append(url)
                r.abort()

        context.route("**/*", route)
        yield state
        context.close()


@dataclass
class Page:
    """An open page and what its console said."""

    page: Any
    errors: list[str]


def open_page(browser: Browser, path: Path) -> Page:
    """Open a local page, wait for its layout to be stable, and collect console errors."""
    page = browser.context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    # a selector, not wait_for_function: the page's CSP forbids the eval the latter needs
    page.wait_for_selector("body[data-stable=true]", state="attached", timeout=120_000)
    return Page(page, errors)


def node_on_screen(page: Any, node_id: int) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    point = page.evaluate("id => kgViz.network.canvasToDOM(kgViz.network.getPositions([id])[id])", node_id)
    box = page.locator("#mynetwork").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]


def hover_card(page: Any, node_id: int) -> str:
    """Move the mouse onto a node and return the text of the hover card vis-network shows."""
    x, y = node_on_screen(page, node_id)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return page.inner_text("div.vis-tooltip")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The sample corpus built and drawn; the page and the node count the store says it must show."""
    out = tmp_path_factory.mktemp("samples")
    build([SAMPLES], out)
    report = write_graph_html(out)
    count = int(next(iter(open_store(out).query(NODES_QUERY)))["count"].value)
    return report.path, count


def test_sample_page_offline_search_and_hover_card(
    browser: Browser, sample: tuple[Path, int], tmp_path: Path
) -> None:
    path, expected = sample
    view = open_page(browser, path)
    page = view.page
    assert page.evaluate("kgViz.drawnNodeCount()") == expected > 100
    assert page.inner_text("#kg-count") == str(expected)
    assert page.locator("#kg-loading").is_hidden()
    assert page.locator("#kg-legend").is_visible()

    # a person types the name in the search box, sees it in the results and presses Enter
    page.click("#kg-search")
    page.keyboard.type(AGENCY)
    first = page.locator("#kg-results button").first
    first.wait_for(state="visible")
    assert first.inner_text().startswith(AGENCY)
    page.keyboard.press("Enter")
    selected = page.evaluate("kgViz.network.getSelectedNodes()")
    assert len(selected) == 1
    assert page.evaluate("id => kgViz.data.nodes[String(id)].name", selected[0]) == AGENCY
    panel = page.locator("#kg-panel")
    assert panel.is_visible()
    details = panel.inner_text()
    for text in (
        AGENCY,
        "类型",
        "机构",
        "辖区",
        "宁波市北仑区",
        "牵头",
        "《2024年区政府工作主要任务分解(部分)》",
        "2024-04-01",
    ):
        assert text in details

    card = hover_card(page, selected[0])
    assert card.startswith(AGENCY) and "机构" in card and "宁波市北仑区" in card and "牵头" in card
    assert "——" in card  # the source sentence and its document
    page.screenshot(path=str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.png").stat().st_size > 10_000

    assert view.errors == []
    assert browser.external == []
    page.close()


def test_sample_page_filters_and_focus(browser: Browser, sample: tuple[Path, int], tmp_path: Path) -> None:
    path, expected = sample
    view = open_page(browser, path)
    page = view.page
    types = page.evaluate("Object.values(kgViz.data.nodes).map(n => n.type)")
    drawn = lambda: page.evaluate("kgViz.drawnNodeCount()")  # noqa: E731

    page.get_by_label("任务", exact=True).uncheck()
    assert drawn() == expected - types.count("task")
    page.get_by_label("任务", exact=True).check()
    page.get_by_label("配合", exact=True).uncheck()
    assert page.evaluate("kgViz.drawnEdgeCount()") == page.evaluate(
        "kgViz.edges.get().filter(e => e.role !== 'support').length"
    )
    page.get_by_label("配合", exact=True).check()

    page.select_option("#kg-jurisdiction", label="宁波市北仑区")
    in_beilun = drawn()
    assert 0 < in_beilun < expected
    page.select_option("#kg-jurisdiction", value="")

    page.fill("#kg-search", AGENCY)
    page.keyboard.press("Enter")
    page.select_option("#kg-depth", "1")
    page.click("#kg-focus-button")
    links = page.evaluate(
        "id => kgViz.data.nodes[String(id)].links.length",
        page.evaluate("kgViz.network.getSelectedNodes()[0]"),
    )
    assert drawn() == 1 + links
    page.click("#kg-reset")
    assert drawn() == expected
    page.screenshot(path=str(tmp_path / "filters.png"))
    assert view.errors == []
    assert browser.external == []
    page.close()


def test_markup_in_document_text_is_shown_not_run(browser: Browser, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(EVIL_DOC, encoding="utf-8")
    build([corpus], tmp_path / "out")
    graph = load_viz_graph(open_store(tmp_path / "out"))
    assert any(EVIL in n.label for n in graph.nodes if n.type == "task")  # from the corpus itself
    # and in the node data: a unit's name and abbreviation, a document title
    nodes = [
        replace(n, label=n.label + EVIL, alt_labels=(EVIL_ALT,)) if n.label == "区财政局" else n
        for n in graph.nodes
    ]
    documents = [replace(d, title=EVIL_TITLE) for d in graph.documents]
    graph = replace(graph, nodes=tuple(nodes), documents=tuple(documents))
    path = tmp_path / "evil.html"
    path.write_text(render_html(full_view(graph), title=EVIL), encoding="utf-8")

    view = open_page(browser, path)
    page = view.page
    page.fill("#kg-search", "<img")
    results = page.locator("#kg-results button")
    results.first.wait_for(state="visible")
    assert any(EVIL in text for text in results.all_inner_texts())
    page.fill("#kg-search", "<svg")  # the abbreviation
    page.keyboard.press("Enter")
    assert page.inner_text("#kg-panel h3") == "区财政局" + EVIL
    assert EVIL_ALT in page.inner_text("#kg-panel")
    assert EVIL_TITLE in page.inner_text("#kg-panel")
    unit = page.evaluate("kgViz.network.getSelectedNodes()[0]")
    assert hover_card(page, unit).startswith("区财政局" + EVIL)
    task = page.evaluate(
        "Number(Object.keys(kgViz.data.nodes).find(k => kgViz.data.nodes[k].name.startsWith('推进<img')))"
    )
    page.evaluate("id => kgViz.select(id)", task)
    assert page.inner_text("#kg-panel h3").startswith("推进" + EVIL)
    page.mouse.move(5, 5)
    page.wait_for_timeout(200)
    assert EVIL in hover_card(page, task)
    assert page.title() == EVIL

    page.wait_for_timeout(300)  # an injected image would have failed to load and fired onerror by now
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg:not(.kg-swatch), iframe').length") == 0
    assert not [u for u in browser.local if u.endswith("/x")]
    page.screenshot(path=str(tmp_path / "evil.png"))
    assert view.errors == []
    assert browser.external == []
    page.close()
