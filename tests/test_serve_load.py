"""kg.serve under load: hundreds of concurrent queries on loopback, a time limit, updates refused.

Every server is started on a free loopback port in a background thread and closed by the test.
The loops are bounded: a fixed number of requests, each with a client timeout, and a deadline
for the whole run. What the endpoint promises under load:

* with quick queries and the default pool (4 workers, a 5 s wait for a worker), every one of
  300 queries from 16 threads is answered 200 with the same result as when asked alone;
* when slow queries hold the workers, a query is answered 200, or 503 with ``Retry-After: 5``
  ("server busy", after waiting the time limit for a worker), or, for a slow one, 503 "time
  limit" within the time limit plus slack; never another status, never a dropped connection;
* updates are refused (403) whatever the load.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kg.pipeline import build
from kg.serve import SparqlServer, make_server

TABLE = "\n\n".join([
    "西湖区2024年政府工作任务分解",
    "序号", "目标任务", "牵头单位", "配合单位",
    "1", "新建城市绿道15公里。", "区园林文物局", "区财政局",
    "2", "完成文三路综合整治。", "区城市管理局", "西溪街道、翠苑街道",
]) + "\n"  # fmt: skip
CLIENT_TIMEOUT = 30  # seconds, per request
RUN_DEADLINE = 90  # seconds for a whole load run
QUICK = [
    "SELECT ?task ?label WHERE { ?task a kg:Task ; rdfs:label ?label } ORDER BY ?label",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ASK { ?a a kg:Agency }",
    "SELECT ?a ?name WHERE { ?a a kg:Agency ; skos:prefLabel ?name } ORDER BY ?name",
    "CONSTRUCT { ?t kg:leadUnit ?a } WHERE { ?t kg:leadUnit ?a }",
]
# Several seconds of one uninterruptible aggregate step on this small graph (as in test_serve.py).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j a kg:Mention . ?k a kg:Agency }"


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "xihu.txt").write_text(TABLE, encoding="utf-8")
    out = tmp_path_factory.mktemp("graph")
    build([corpus], out)
    return out


def start(graph_dir: Path, **options: object) -> SparqlServer:
    server = make_server(graph_dir, host="127.0.0.1", port=0, log=lambda line: None, **options)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture()
def server(graph_dir: Path) -> Iterator[SparqlServer]:
    server = start(graph_dir, timeout=5)
    yield server
    server.close(wait=CLIENT_TIMEOUT)


def ask(
    server: SparqlServer, query: str, *, update: bool = False
) -> tuple[int, dict[str, str], bytes, float]:
    """Status, headers, body and seconds of one request (error statuses included)."""
    if update:
        request = urllib.request.Request(
            server.url, data=query.encode("utf-8"), headers={"Content-Type": "application/sparql-update"}
        )
    else:
        data = urllib.parse.urlencode({"query": query}).encode("ascii")
        request = urllib.request.Request(server.url, data=data)  # default format: JSON results, Turtle
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read(), time.monotonic() - started


def run_load(
    server: SparqlServer, queries: list[str], threads: int
) -> list[tuple[str, int, dict, bytes, float]]:
    """Send ``queries`` from ``threads`` client threads at once; every answer, in query order."""
    deadline = time.monotonic() + RUN_DEADLINE

    def one(query: str) -> tuple[str, int, dict, bytes, float]:
        if time.monotonic() > deadline:  # bounded in time as well as in count
            return query, 0, {}, b"not sent: run deadline passed", 0.0
        return (query, *ask(server, query))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, queries))


def test_300_concurrent_quick_queries_are_all_answered_alike(server: SparqlServer) -> None:
    expected = {q: ask(server, q)[2] for q in QUICK}
    queries = [QUICK[i % len(QUICK)] for i in range(300)]
    started = time.monotonic()
    answers = run_load(server, queries, threads=16)
    elapsed = time.monotonic() - started
    assert Counter(status for _, status, _, _, _ in answers) == {200: 300}
    assert all(body == expected[query] for query, _, _, body, _ in answers)
    assert elapsed < RUN_DEADLINE
    print(f"300 queries over 16 threads in {elapsed:.2f} s ({300 / elapsed:.0f}/s)")


def test_slow_queries_under_load_get_503_in_time_and_the_rest_200_or_busy(graph_dir: Path) -> None:
    timeout, slack = 0.5, 2.5
    server = start(graph_dir, timeout=timeout, workers=2)
    try:
        # every tenth query is slow: they hold both workers past the limit, the quick ones queue
        queries = [SLOW if i % 10 == 0 else QUICK[i % len(QUICK)] for i in range(100)]
        answers = run_load(server, queries, threads=16)
    finally:
        server.close(wait=60)  # the slow queries' workers finish in the background
    kinds: Counter[str] = Counter()
    for query, status, headers, body, seconds in answers:
        if status == 200:
            assert query != SLOW, "a slow query finished within 0.5 s"
            kinds["ok"] += 1
        elif status == 503 and body.startswith(b"server busy"):
            assert headers.get("Retry-After") == "5"
            assert seconds < timeout + slack
            kinds["busy"] += 1
        elif status == 503 and b"time limit" in body:
            assert query == SLOW
            # waited at most the time limit for a worker, then ran at most the time limit
            assert seconds < 2 * timeout + slack
            kinds["stopped"] += 1
        else:
            pytest.fail(f"unexpected answer {status} {body[:200]!r} to {query!r}")
    assert sum(kinds.values()) == 100
    assert kinds["stopped"] >= 1 and kinds["ok"] >= 1
    print(dict(kinds))


def test_updates_are_refused_under_load(server: SparqlServer) -> None:
    update = "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }"
    form = urllib.parse.urlencode({"update": update})
    queries = [QUICK[i % len(QUICK)] for i in range(100)]

    def refused(kind: int) -> int:
        if kind % 2:
            return ask(server, update, update=True)[0]
        request = urllib.request.Request(
            server.url, data=form.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        try:
            with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        updates = pool.map(refused, range(50))
        answers = run_load(server, queries, threads=8)
        assert list(updates) == [403] * 50
    assert Counter(status for _, status, _, _, _ in answers) == {200: 100}
    status, _, body, _ = ask(server, "ASK { <http://e/s> <http://e/p> <http://e/o> }")
    assert status == 200 and json.loads(body)["boolean"] is False
