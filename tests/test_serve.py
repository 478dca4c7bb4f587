"""Tests for kg.serve: the SPARQL protocol over a tiny built graph, its limits, refusals and query page.

One graph is built per module from a hand-made table; each server runs on 127.0.0.1, port 0, in a
background thread and is closed by its fixture. Every request has a timeout of at most 10 s.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import kg.serve
from kg.cli import cli
from kg.pipeline import build
from kg.query import NamedQuery
from kg.serve import (
    SparqlServer,
    _check_query,
    _choose_format,
    _evaluate,
    _Refusal,
    _Request,
    _strip_noise,
    escape_html,
    is_loopback,
    make_server,
    render_page,
)
from kg.store import open_store

# A table flattened one cell per line, as text exports of the government sites give it.
TABLE = "\n\n".join([
    "西湖区2024年政府工作任务分解",
    "序号", "目标任务", "牵头单位", "配合单位",
    "1", "新建城市绿道15公里。", "区园林文物局", "区财政局",
    "2", "完成文三路综合整治。", "区城市管理局", "西溪街道、翠苑街道",
]) + "\n"  # fmt: skip
DOC = "https://w3id.org/kg-gov/id/doc/xihu"
KG = "https://w3id.org/kg-gov/ontology#"
REQUEST_TIMEOUT = 10
SERVICE = urllib.parse.urlencode({"query": "SELECT * { SERVICE <http://e/> {} }"})
TASKS = "SELECT ?task ?label WHERE { ?task a kg:Task ; rdfs:label ?label } ORDER BY ?label"
# Several seconds of one uninterruptible aggregate step on this graph (about 130 triples).
SLOW = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j a kg:Mention . ?k a kg:Agency }"
)


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "xihu.txt").write_text(TABLE, encoding="utf-8")
    out = tmp_path_factory.mktemp("graph")
    report = build([corpus], out)
    assert (report.documents, report.failed, report.assignments) == (1, 0, 2)
    return out


def start(graph_dir: Path, log: list[str] | None = None, **options: object) -> SparqlServer:
    lines = log if log is not None else []
    server = make_server(graph_dir, host="127.0.0.1", port=0, log=lines.append, **options)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture(scope="module")
def log() -> list[str]:
    return []


@pytest.fixture(scope="module")
def server(graph_dir: Path, log: list[str]) -> Iterator[SparqlServer]:
    server = start(graph_dir, log, timeout=5, max_rows=1000)
    yield server
    server.close(wait=REQUEST_TIMEOUT)


@pytest.fixture()
def capped(graph_dir: Path) -> Iterator[SparqlServer]:
    server = start(graph_dir, max_rows=2)
    yield server
    server.close(wait=REQUEST_TIMEOUT)


@pytest.fixture()
def hurried(graph_dir: Path) -> Iterator[SparqlServer]:
    server = start(graph_dir, timeout=0.5, workers=1)
    yield server
    server.close(wait=60)  # the slow query's worker finishes in the background; let it end


def wrapper(server: SparqlServer, query: str, fmt: str = JSON, method: str = GET) -> SPARQLWrapper:
    w = SPARQLWrapper(server.url)
    w.setQuery(query)
    w.setReturnFormat(fmt)
    w.setMethod(method)
    w.setTimeout(REQUEST_TIMEOUT)
    return w


def fetch(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a request, error statuses included."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(server: SparqlServer, query: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    accept = params.pop("accept", None)
    url = f"{server.url}?{urllib.parse.urlencode({'query': query, **params})}"
    return fetch(url, headers={"Accept": accept} if accept else None)


def labels(bindings: list[dict]) -> list[str]:
    return [b["label"]["value"] for b in bindings]


# --- the protocol through SPARQLWrapper -------------------------------------------------------------


@pytest.mark.parametrize("method", [GET, POST])
def test_select_json_sees_the_union_of_all_graphs(server: SparqlServer, method: str) -> None:
    result = wrapper(server, TASKS, JSON, method).query()
    assert result.response.headers["Content-Type"] == "application/sparql-results+json"
    assert result.response.headers["X-KG-Truncated"] == "false"
    data = result.convert()
    assert data["head"]["vars"] == ["task", "label"]
    # the tasks live in the document's named graph: a plain query sees them
    assert labels(data["results"]["bindings"]) == ["完成文三路综合整治", "新建城市绿道15公里"]


@pytest.mark.parametrize("method", [GET, POST])
def test_select_xml(server: SparqlServer, method: str) -> None:
    document = wrapper(server, TASKS, XML, method).queryAndConvert()
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert values == ["完成文三路综合整治", "新建城市绿道15公里"]


def test_select_csv(server: SparqlServer) -> None:
    body = wrapper(server, TASKS, CSV, POST).queryAndConvert()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["task", "label"]
    assert [r[1] for r in rows[1:]] == ["完成文三路综合整治", "新建城市绿道15公里"]


def test_ask(server: SparqlServer) -> None:
    assert wrapper(server, "ASK { ?t a kg:Task }").queryAndConvert()["boolean"] is True
    assert wrapper(server, "ASK { ?t a kg:Nothing }", method=POST).queryAndConvert()["boolean"] is False


def test_construct_turtle(server: SparqlServer) -> None:
    query = "CONSTRUCT { ?t rdfs:label ?l } WHERE { ?t a kg:Task ; rdfs:label ?l }"
    result = wrapper(server, query, TURTLE, POST).query()
    assert result.response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    triples = list(pyoxigraph.parse(result.convert(), format=pyoxigraph.RdfFormat.TURTLE))
    assert sorted(t.object.value for t in triples) == ["完成文三路综合整治", "新建城市绿道15公里"]


def test_results_equal_pyoxigraph_own_serialisation(server: SparqlServer, graph_dir: Path) -> None:
    query = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    store = open_store(graph_dir)
    for name in ("JSON", "XML", "CSV", "TSV"):
        fmt = getattr(pyoxigraph.QueryResultsFormat, name)
        expected = store.query(query).serialize(format=fmt)
        assert get(server, query, format=name.lower())[2] == expected


@pytest.mark.parametrize("method", [URLENCODED, POSTDIRECTLY])
def test_update_is_refused(server: SparqlServer, method: str) -> None:
    w = wrapper(server, f"INSERT DATA {{ <{DOC}> <{KG}quote> 'x' }}", JSON, POST)
    w.setRequestMethod(method)  # update= in a form, or an application/sparql-update body
    with pytest.raises(urllib.error.HTTPError) as caught:
        w.query()
    assert caught.value.code == 403
    assert b"read-only" in caught.value.read()


def test_update_sent_as_a_query_is_refused(server: SparqlServer) -> None:
    status, _, body = get(server, "PREFIX ex: <http://e/#a> # comment\nDELETE WHERE { ?s ?p ?o }")
    assert (status, body) == (403, b"SPARQL Update is not allowed: this endpoint is read-only")
    assert wrapper(server, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True


def test_malformed_query_is_400_with_the_parser_message(server: SparqlServer, log: list[str]) -> None:
    with pytest.raises(QueryBadFormed) as caught:
        wrapper(server, "SELECT ?s WHERE { ?s ?p }", method=POST).query()
    assert "SPARQL syntax error: error at 1:" in str(caught.value)
    assert "Traceback" not in "\n".join(log)


def test_time_limit_answers_503_and_a_full_pool_answers_busy(hurried: SparqlServer) -> None:
    started = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as caught:
        wrapper(hurried, SLOW).query()
    assert caught.value.code == 503
    assert b"ran past the 0.5 s time limit" in caught.value.read()
    assert time.monotonic() - started < 3
    # the one worker is still counting: the next query waits its time limit, then is told to retry
    status, headers, body = get(hurried, "ASK { ?s ?p ?o }")
    assert (status, headers["Retry-After"]) == (503, "5")
    assert body.startswith(b"server busy")


def test_time_limit_stops_a_query_between_rows(graph_dir: Path) -> None:
    server = start(graph_dir, timeout=0.5, workers=1, max_rows=10**9)
    try:
        status, _, body = get(server, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")  # millions of rows
        assert status == 503 and b"time limit" in body
        # the worker saw the deadline at its next row and gave the only slot back
        assert get(server, "ASK { ?s ?p ?o }")[0] == 200
    finally:
        server.close(wait=REQUEST_TIMEOUT)


def test_row_cap_sets_the_truncated_header(capped: SparqlServer) -> None:
    result = wrapper(capped, "SELECT * WHERE { ?s ?p ?o }").query()
    assert result.response.headers["X-KG-Truncated"] == "true"
    assert result.response.headers["X-KG-Max-Rows"] == "2"
    assert len(result.convert()["results"]["bindings"]) == 2
    # exactly as many rows as the cap is not truncated
    result = wrapper(capped, "SELECT * WHERE { ?s ?p ?o } LIMIT 2").query()
    assert result.response.headers["X-KG-Truncated"] == "false"
    status, headers, body = get(capped, "CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert (status, headers["X-KG-Truncated"], body.count(b"\n")) == (200, "true", 2)


# --- the protocol over plain HTTP ---------------------------------------------------------------


def test_sparql_query_body_and_accept_header(server: SparqlServer) -> None:
    headers = {"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"}
    status, got, body = fetch(server.url, TASKS.encode("utf-8"), headers)
    assert (status, got["Content-Type"]) == (200, "text/tab-separated-values; charset=utf-8")
    assert body.decode("utf-8").splitlines()[0] == "?task\t?label"


@pytest.mark.parametrize(
    ("accept", "fmt", "ctype"),
    [
        ("application/ld+json", "", "application/ld+json"),
        ("application/n-triples", "", "application/n-triples"),
        ("text/html,*/*;q=0.8", "", "text/turtle; charset=utf-8"),
        ("", "json-ld", "application/ld+json"),
        ("", "rdfxml", "application/rdf+xml"),
    ],
)
def test_construct_formats(server: SparqlServer, accept: str, fmt: str, ctype: str) -> None:
    params = {"accept": accept} if accept else {"format": fmt}
    status, headers, body = get(server, "DESCRIBE ?t WHERE { ?t a kg:Task }", **params)
    assert (status, headers["Content-Type"]) == (200, ctype)
    rdf_format = pyoxigraph.RdfFormat.from_media_type(ctype.split(";")[0])
    assert len(list(pyoxigraph.parse(body, format=rdf_format))) > 4


def test_unavailable_format_is_406(server: SparqlServer) -> None:
    status, _, body = get(server, "CONSTRUCT WHERE { ?s ?p ?o }", format="csv")
    assert status == 406 and b"available: turtle" in body
    status, _, body = get(server, TASKS, accept="image/png")
    assert status == 406 and b"available: json" in body


def test_graph_parameters_and_from_choose_the_dataset(server: SparqlServer, graph_dir: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    store = open_store(graph_dir)
    in_doc = len(list(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(DOC))))
    in_default = len(list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())))

    def n(query: str, **params: str) -> int:
        status, _, body = get(server, query, **params)
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    in_all = len(list(store.quads_for_pattern(None, None, None, None)))
    # the default graph is the union of all graphs (a triple both in a document's graph and in the
    # corpus summary is there twice, as Oxigraph's union does not merge them)
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    assert n(distinct) == len({(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)})
    assert n(count) == in_all
    assert in_all > in_doc + in_default  # the network measures have a graph of their own
    assert n(count, **{"default-graph-uri": DOC}) == in_doc
    assert n(f"SELECT (COUNT(*) AS ?n) FROM <{DOC}> WHERE {{ ?s ?p ?o }}") == in_doc
    assert n("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": DOC}) == in_doc
    assert get(server, count, **{"default-graph-uri": "not an iri"})[0] == 400


@pytest.mark.parametrize(
    ("url", "data", "headers", "status"),
    [
        ("/nowhere", None, {}, 404),
        ("/sparql", None, {}, 400),  # no query
        ("/sparql", b"query=ASK{}", {"Content-Type": "text/plain"}, 415),
        ("/", b"query=ASK{}", {"Content-Type": "application/x-www-form-urlencoded"}, 404),
        (f"/sparql?{SERVICE}", None, {}, 400),
    ],
)
def test_client_errors(graph_dir: Path, url: str, data: bytes | None, headers: dict, status: int) -> None:
    log: list[str] = []
    server = start(graph_dir, log)
    try:
        got, _, body = fetch(f"http://127.0.0.1:{server.server_address[1]}{url}", data, headers)
    finally:
        server.close()
    assert got == status and body.strip()
    deadline = time.monotonic() + REQUEST_TIMEOUT
    while not log and time.monotonic() < deadline:  # the server logs once the reply is sent
        time.sleep(0.01)
    assert len(log) == 1 and f'" {status} ' in log[0]  # one line per request, no traceback


# --- the query page -----------------------------------------------------------------------------


def test_page_works_offline(server: SparqlServer) -> None:
    status, headers, body = fetch(f"http://127.0.0.1:{server.server_address[1]}/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"
    )
    assert '<textarea name="query"' in page and '<form id="form" method="get" action="/sparql">' in page
    assert not re.search(r"""<(script|link|img|iframe)[^>]*(src|href)=["']?(https?:)?//""", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "innerHTML" not in page


def test_page_escapes_canned_queries() -> None:
    text = 'SELECT * { ?s ?p "</textarea>" }'
    query = NamedQuery("01_x", "Tasks <script>alert(1)</script>", 'a "b" & c', (), text)
    page = render_page([query], timeout=10, max_rows=5)
    assert "<script>alert" not in page and "</textarea>\" }" not in page
    assert "Tasks &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'data-query="SELECT * { ?s ?p &quot;&lt;/textarea&gt;&quot; }"' in page
    assert "a &quot;b&quot; &amp; c" in page


def test_escape_html() -> None:
    assert escape_html("<b title='x'>&</b>") == "&lt;b title=&#x27;x&#x27;&gt;&amp;&lt;/b&gt;"


def test_page_lists_the_query_files(graph_dir: Path, tmp_path: Path) -> None:
    text = "# title: Tasks <all>\n# description: every task\n" + TASKS
    (tmp_path / "01_tasks.rq").write_text(text, encoding="utf-8")
    server = start(graph_dir, queries_dir=tmp_path)
    try:
        page = fetch(f"http://127.0.0.1:{server.server_address[1]}/")[2].decode("utf-8")
    finally:
        server.close()
    assert ">Tasks &lt;all&gt;</button> <span>every task</span>" in page


# --- helpers --------------------------------------------------------------------------------------


def request(formats: tuple[str, ...] = (), accept: str = "") -> _Request:
    return _Request("ASK {}", (), (), formats, accept)


@pytest.mark.parametrize(
    ("formats", "accept", "graph", "expected"),
    [
        ((), "", False, "json"),
        ((), "", True, "turtle"),
        ((), "application/sparql-results+xml", False, "xml"),
        ((), "text/csv;q=0.5, text/tab-separated-values", False, "tsv"),
        ((), "text/*", False, "csv"),
        ((), "application/json", True, "jsonld"),
        # format= wins over Accept; SPARQLWrapper sends both
        (("tsv", "text/tab-separated-values"), "text/csv", False, "tsv"),
        (("xml",), "", True, "rdfxml"),
        (("n3",), "", True, "turtle"),
    ],
)
def test_choose_format(formats: tuple[str, ...], accept: str, graph: bool, expected: str) -> None:
    assert _choose_format(request(formats, accept), graph=graph) == expected


def test_choose_format_refuses_what_it_cannot_give() -> None:
    with pytest.raises(_Refusal) as caught:
        _choose_format(request(accept="text/csv;q=0, image/png"), graph=False)
    assert caught.value.status == 406


def test_evaluate_stops_at_the_cap_and_at_the_deadline(graph_dir: Path) -> None:
    store, never = open_store(graph_dir), threading.Event()
    query = _Request("SELECT * WHERE { ?s ?p ?o }", (), (), (), "")
    outcome = _evaluate(store, query, 3, time.monotonic() + REQUEST_TIMEOUT, never)
    assert outcome is not None
    assert (outcome.variables, len(outcome.rows), outcome.truncated) == (("o", "p", "s"), 3, True)  # SELECT * sorts them
    assert _evaluate(store, query, 3, time.monotonic() - 1, never) is None


def test_strip_noise_and_check_query() -> None:
    assert _strip_noise("SELECT ?from { ?s ?p 'FROM' } # FROM <x>") == "SELECT ?from { ?s ?p \"\" }  "
    _check_query("SELECT ?insert ?service WHERE { ?s <http://e/DELETE> 'LOAD' }")  # no refusal
    updates = (
        "INSERT DATA {}",
        "prefix : <x#> CLEAR ALL",
        'VERSION "1.2" LOAD <x:y>',
        "BASE <http://e/>\n# WITH comment\nWITH <g> DELETE {} WHERE {}",
    )
    for update in updates:
        with pytest.raises(_Refusal) as caught:
            _check_query(update)
        assert caught.value.status == 403


def test_is_loopback() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "192.168.1.2")] == [
        True, True, True, False, False,
    ]  # fmt: skip


# --- the command ----------------------------------------------------------------------------------


def test_cli_serve_prints_the_address_and_warns_off_loopback(
    graph_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = kg.serve.make_server

    def local(graph: Path, **options: object) -> SparqlServer:  # never really bind other hosts in a test
        return real(graph, **{**options, "host": "127.0.0.1"})

    def serve_once(server: SparqlServer) -> None:
        seen.append(server.url)
        server.close()

    monkeypatch.setattr(kg.serve, "make_server", local)
    monkeypatch.setattr(kg.serve, "serve_forever", serve_once)
    result = CliRunner().invoke(cli, ["serve", "--graph", str(graph_dir), "--port", "0", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Warning: listening on 0.0.0.0")
    assert result.stderr.endswith(f"Serving SPARQL on {seen[0]} (Ctrl-C to stop)\n")


def test_cli_serve_errors(graph_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert "no graph store found" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--graph", str(graph_dir), "--port", str(port)])
    assert result.exit_code == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.stderr
    result = CliRunner().invoke(cli, ["serve", "--timeout", "0"])
    assert result.exit_code == 2


def test_cli_serve_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    tail = result.stdout.rstrip().splitlines()[-12:]
    assert any(line.strip().startswith("curl ") for line in tail)
    assert "SPARQLWrapper" in "\n".join(tail)
