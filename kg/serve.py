"""SPARQL 1.1 Protocol endpoint over the graph store: HTTP requests -> read-only query results.

Stdlib HTTP (``ThreadingHTTPServer``) in front of the Oxigraph store ``kg build`` wrote. Queries
run in a few worker threads under a time limit and a row cap; updates are refused. Plain queries
see the union of all graphs (document metadata sits in the default graph, each document's
statements in its own named graph) unless the request or the query names its dataset.
"""

from __future__ import annotations

import html
import json
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.errors import KGError
from kg.namespaces import PREFIXES
from kg.query import QUERIES_DIR, NamedQuery, QueryError, list_queries
from kg.store import open_store

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_WORKERS",
    "ServerStartError",
    "SparqlServer",
    "make_server",
    "serve_forever",
    "is_loopback",
    "escape_html",
    "render_page",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 3030
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
#: Queries evaluated at once; a query past its time limit keeps its worker until it ends.
DEFAULT_WORKERS = 4
#: Largest POST body accepted: a query, not a data upload.
MAX_BODY = 1 << 20
CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"
EXAMPLE_QUERY = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 25\n"

#: Results of SELECT and ASK: format name -> (Content-Type, pyoxigraph QueryResultsFormat attribute).
SOLUTION_FORMATS = {
    "json": ("application/sparql-results+json", "JSON"),
    "xml": ("application/sparql-results+xml", "XML"),
    "csv": ("text/csv; charset=utf-8", "CSV"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "TSV"),
}
#: Results of CONSTRUCT and DESCRIBE: format name -> (Content-Type, pyoxigraph RdfFormat attribute).
GRAPH_FORMATS = {
    "turtle": ("text/turtle; charset=utf-8", "TURTLE"),
    "ntriples": ("application/n-triples", "N_TRIPLES"),
    "jsonld": ("application/ld+json", "JSON_LD"),
    "rdfxml": ("application/rdf+xml", "RDF_XML"),
}
# Media types (Accept, format=) and other spellings (format=) of the formats. SPARQLWrapper sends
# format=json, xml, csv, tsv, turtle, n3, rdf+xml or json-ld with the matching Accept header.
SOLUTION_NAMES = {
    "application/sparql-results+json": "json", "application/json": "json", "srj": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml", "srx": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}  # fmt: skip
GRAPH_NAMES = {
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "text/n3": "turtle", "text/rdf+n3": "turtle", "ttl": "turtle", "n3": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples", "nt": "ntriples", "n-triples": "ntriples",
    "application/ld+json": "jsonld", "application/x-json+ld": "jsonld", "application/json": "jsonld",
    "json-ld": "jsonld", "json": "jsonld",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml", "xml": "rdfxml",
    "rdf+xml": "rdfxml",
}  # fmt: skip

# Strings, IRIs and comments, blanked out before looking for keywords in a query.
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n\r]*',
    re.S,
)
_UPDATE = re.compile(
    r'\s*(?:(?:BASE\s*<>|PREFIX\s+[^\s:]*:\s*<>|VERSION\s*"")\s*)*'
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.I,
)


def _keyword(word: str) -> re.Pattern[str]:
    """A SPARQL keyword, not part of a variable (?from), prefixed name (ex:from) or prefix (from:)."""
    return re.compile(rf"(?<![\w?$:.-]){word}(?![\w:-])", re.I)


_FROM, _SERVICE = _keyword("FROM"), _keyword("SERVICE")


class ServerStartError(KGError):
    """The endpoint cannot listen on the address asked for."""


class _Refusal(Exception):
    """A request answered with an error status (client errors, time limit, busy)."""

    def __init__(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass(frozen=True)
class _Request:
    """One protocol request: the query and its dataset and format parameters."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str, ...]
    accept: str


@dataclass(frozen=True)
class _Outcome:
    """What a query gave: a boolean, or rows (solutions or triples), cut at the row cap or not."""

    boolean: bool | None = None
    variables: tuple[str, ...] = ()
    rows: tuple = ()
    graph: bool = False
    truncated: bool = False


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine.

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
    """
    return host in ("localhost", "::1") or host.startswith("127.")


def escape_html(text: str) -> str:
    """Escape text for an HTML element or a quoted attribute.

    >>> escape_html('<a href="x">&</a>')
    '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
    """
    return html.escape(text, quote=True)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: holds the store, the limits and the query workers."""

    daemon_threads = True
    # the listen backlog: socketserver's default of 5 resets connections under a burst of clients
    request_queue_size = 256

    def __init__(
        self,
        address: tuple[str, int],
        store,  # noqa: ANN001 - pyoxigraph.Store
        *,
        query_timeout: float,
        max_rows: int,
        workers: int = DEFAULT_WORKERS,
        queries_dir: Path | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if ":" in address[0]:
            import socket

            self.address_family = socket.AF_INET6
        self.store = store
        self.query_timeout = query_timeout
        self.max_rows = max_rows
        self.workers = workers
        self.queries_dir = queries_dir
        self.log = log if log is not None else _log_to_stderr
        self._slots = threading.BoundedSemaphore(workers)
        self._running: set[threading.Thread] = set()
        self._lock = threading.Lock()
        self._serving = False
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """The endpoint's address, e.g. ``http://127.0.0.1:3030/sparql``."""
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}/sparql"

    def serve_forever(self, poll_interval: float = 0.5) -> None:  # noqa: D102 - as the base class
        self._serving = True
        try:
            super().serve_forever(poll_interval)
        finally:
            self._serving = False

    def close(self, *, wait: float = 5.0) -> None:
        """Stop serving, close the socket, and wait up to ``wait`` seconds for running queries."""
        if self._serving:
            self.shutdown()
        self.server_close()
        deadline = time.monotonic() + wait
        for thread in list(self._running):
            thread.join(max(0.0, deadline - time.monotonic()))

    def run_query(self, request: _Request) -> _Outcome:
        """Evaluate in a worker thread; past the time limit answer 503 and let the worker finish alone."""
        deadline = time.monotonic() + self.query_timeout
        if not self._slots.acquire(timeout=self.query_timeout):
            message = (
                f"server busy: all {self.workers} query workers are taken (queries past the time limit "
                "finish in the background); retry shortly"
            )
            raise _Refusal(HTTPStatus.SERVICE_UNAVAILABLE, message, {"Retry-After": "5"})
        future: Future[_Outcome | None] = Future()
        cancelled = threading.Event()

        def work() -> None:
            try:
                future.set_result(_evaluate(self.store, request, self.max_rows, deadline, cancelled))
            except BaseException as exc:  # noqa: BLE001 - handed over to the waiting request thread
                future.set_exception(exc)
            finally:
                self._slots.release()
                with self._lock:
                    self._running.discard(threading.current_thread())

        thread = threading.Thread(target=work, name="kg-sparql-query", daemon=True)
        with self._lock:
            self._running.add(thread)
        thread.start()
        try:
            outcome = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            outcome = None
        if outcome is None:  # still running, or stopped by the worker itself at the deadline
            cancelled.set()
            message = (
                f"query stopped: it ran past the {self.query_timeout:g} s time limit; make it narrower "
                "(more specific patterns, LIMIT) or start the server with a larger --timeout"
            )
            raise _Refusal(HTTPStatus.SERVICE_UNAVAILABLE, message)
        return outcome


def make_server(
    graph_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int = DEFAULT_WORKERS,
    queries_dir: Path | None = QUERIES_DIR,
    log: Callable[[str], None] | None = None,
) -> SparqlServer:
    """Open the store under ``graph_dir`` read-only and bind the endpoint (port 0: any free port).

    Args:
        graph_dir: the folder ``kg build --out`` wrote (it holds ``store/``).
        host, port: where to listen.
        timeout: seconds a query may run before it is answered 503.
        max_rows: rows (solutions or triples) returned at most; more sets ``X-KG-Truncated: true``.
        workers: queries evaluated at once.
        queries_dir: the ``*.rq`` files listed on the query page.
        log: called with one line per request; default: written to stderr.

    Raises:
        GraphNotBuiltError: no store under ``graph_dir``.
        ServerStartError: the address cannot be bound.
    """
    store = open_store(Path(graph_dir))
    try:
        return SparqlServer(
            (host, port), store, query_timeout=timeout, max_rows=max_rows, workers=workers,
            queries_dir=queries_dir, log=log,
        )  # fmt: skip
    except OSError as exc:
        reason = exc.strerror or str(exc)
        message = f"cannot listen on {host}:{port}: {reason}; try another --port or --host"
        raise ServerStartError(message) from exc


def serve_forever(server: SparqlServer) -> None:
    """Answer requests until Ctrl-C, then close the server."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close(wait=0.0)


def _log_to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


# --- evaluation -----------------------------------------------------------------------------------


def _evaluate(
    store,  # noqa: ANN001 - pyoxigraph.Store
    request: _Request,
    max_rows: int,
    deadline: float,
    cancelled: threading.Event,
) -> _Outcome | None:
    """Run the query; stop reading rows at the cap, or (giving None) at the deadline."""
    import pyoxigraph

    result = store.query(request.query, prefixes=PREFIXES, **_dataset(request))
    if isinstance(result, pyoxigraph.QueryBoolean):
        return _Outcome(boolean=bool(result))
    graph = isinstance(result, pyoxigraph.QueryTriples)
    variables = () if graph else tuple(v.value for v in result.variables)
    rows = []
    for row in result:
        if len(rows) == max_rows:
            return _Outcome(variables=variables, rows=tuple(rows), graph=graph, truncated=True)
        if cancelled.is_set() or time.monotonic() > deadline:
            return None
        rows.append(row)
    return _Outcome(variables=variables, rows=tuple(rows), graph=graph)


def _dataset(request: _Request) -> dict[str, object]:
    """The query's dataset: as the request names it, as the query names it (FROM), else the union."""
    import pyoxigraph

    if request.default_graphs or request.named_graphs:
        return {
            "default_graph": [pyoxigraph.NamedNode(iri) for iri in request.default_graphs],
            "named_graphs": [pyoxigraph.NamedNode(iri) for iri in request.named_graphs],
        }
    # pyoxigraph's union flag would override a FROM clause, so it is only set without one.
    return {} if _FROM.search(_strip_noise(request.query)) else {"use_default_graph_as_union": True}


def _strip_noise(query: str) -> str:
    """The query with strings and IRIs emptied and comments removed, for keyword checks.

    >>> _strip_noise('PREFIX a: <http://x#y> SELECT * { ?s ?p "FROM #" } # FROM')
    'PREFIX a: <> SELECT * { ?s ?p "" }  '
    """
    return _NOISE.sub(lambda m: {"<": "<>", "#": " "}.get(m.group()[0], '""'), query)


def _check_query(query: str) -> None:
    """Refuse updates and federated queries before they reach the store."""
    plain = _strip_noise(query)
    if _UPDATE.match(plain):
        raise _Refusal(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only")
    if _SERVICE.search(plain):
        raise _Refusal(HTTPStatus.BAD_REQUEST, "SERVICE (federated query) is disabled on this endpoint")


# --- results --------------------------------------------------------------------------------------


def _choose_format(request: _Request, *, graph: bool) -> str:
    """The format name: the first ``format=`` value known, else the best Accept range, else the default.

    Raises:
        _Refusal: 406, the request only names formats this kind of result does not come in.
    """
    formats, names = (GRAPH_FORMATS, GRAPH_NAMES) if graph else (SOLUTION_FORMATS, SOLUTION_NAMES)

    def lookup(value: str) -> str | None:
        value = value.split(";")[0].strip().lower()
        return value if value in formats else names.get(value)

    for value in request.formats:
        if name := lookup(value):
            return name
    if request.formats:
        raise _not_acceptable(formats, f"format {request.formats[0]!r}")
    ranges = []
    for position, item in enumerate(request.accept.split(",") if request.accept else ()):
        media, *params = (part.strip().lower() for part in item.split(";"))
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            ranges.append((-float(q), position, media))
        except ValueError:
            continue
    default = next(iter(formats))
    for neg_q, _, media in sorted(ranges):
        wildcard = media[:-1] if media.endswith("/*") else None  # "*/*" -> "*/", which nothing starts with
        matches = [n for n, (ctype, _) in formats.items() if wildcard and ctype.startswith(wildcard)]
        name = lookup(media) if "/" in media else None
        name = name or (default if media == "*/*" else next(iter(matches), None))
        if neg_q < 0 and name:
            return name
    if ranges:
        raise _not_acceptable(formats, f"Accept {request.accept!r}")
    return default


def _not_acceptable(formats: dict[str, tuple[str, str]], asked: str) -> _Refusal:
    offered = ", ".join(f"{name} ({ctype.split(';')[0]})" for name, (ctype, _) in formats.items())
    return _Refusal(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer this query in {asked}; available: {offered}")


def _serialize(outcome: _Outcome, fmt: str) -> tuple[bytes, str]:
    """The body and Content-Type: pyoxigraph writes every format."""
    import pyoxigraph

    if outcome.graph:
        ctype, name = GRAPH_FORMATS[fmt]
        rdf_format = getattr(pyoxigraph.RdfFormat, name)
        return pyoxigraph.serialize(list(outcome.rows), format=rdf_format, prefixes=PREFIXES) or b"", ctype
    ctype, name = SOLUTION_FORMATS[fmt]
    if outcome.boolean is not None:
        data: dict[str, object] = {"head": {}, "boolean": outcome.boolean}
    else:
        variables = outcome.variables
        bindings = [{v: _term_json(row[v]) for v in variables if row[v] is not None} for row in outcome.rows]
        data = {"head": {"vars": list(outcome.variables)}, "results": {"bindings": bindings}}
    # The rows kept are re-read as SPARQL JSON, so that pyoxigraph writes the capped result too.
    results = pyoxigraph.parse_query_results(json.dumps(data), format=pyoxigraph.QueryResultsFormat.JSON)
    return results.serialize(format=getattr(pyoxigraph.QueryResultsFormat, name)), ctype


def _term_json(term) -> dict[str, object]:  # noqa: ANN001 - a pyoxigraph term
    """A term as SPARQL 1.1 (and 1.2 triple-term) JSON results write it."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _term_json(getattr(term, p)) for p in parts}}
    data: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        data["xml:lang"] = term.language
        if getattr(term, "direction", None) is not None:  # RDF 1.2, pyoxigraph >= 0.5
            data["its:dir"] = str(term.direction)
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        data["datatype"] = term.datatype.value
    return data


# --- HTTP -----------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Routes ``/`` (query page) and ``/sparql`` (the protocol); every reply logs one line."""

    server: SparqlServer
    server_version = "kg-sparql"
    sys_version = ""
    timeout = 60  # seconds a client may take to send its request

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch(self._post)

    def _dispatch(self, route: Callable[[str, dict[str, list[str]]], None]) -> None:
        self._started = time.monotonic()
        url = urlsplit(self.path)
        try:
            if url.path not in ("/", "/sparql") or (url.path == "/" and self.command != "GET"):
                raise _Refusal(HTTPStatus.NOT_FOUND, f"no such page: {url.path} (the endpoint is /sparql)")
            route(url.path, parse_qs(url.query, keep_blank_values=True))
        except _Refusal as refusal:
            self._reply_text(refusal.status, refusal.message, refusal.headers)
        except Exception:  # noqa: BLE001 - a bug must still answer the client; the traceback goes to the log
            self.server.log(traceback.format_exc().rstrip())
            message = "internal error while answering this request (the server log has the details)"
            self._reply_text(HTTPStatus.INTERNAL_SERVER_ERROR, message)

    def _get(self, path: str, params: dict[str, list[str]]) -> None:
        if path == "/":
            try:
                queries = list_queries(self.server.queries_dir) if self.server.queries_dir else ()
            except QueryError as exc:  # a broken .rq file must not take the page down
                self.server.log(f"canned queries not listed: {exc}")
                queries = ()
            page = render_page(queries, timeout=self.server.query_timeout, max_rows=self.server.max_rows)
            self._reply(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")
            return
        self._answer(params, params)

    def _post(self, path: str, params: dict[str, list[str]]) -> None:
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"bad Content-Length {length!r}")
        length = int(length)
        if length > MAX_BODY:
            raise _Refusal(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
        body = self.rfile.read(length) if length > 0 else b""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise _Refusal(HTTPStatus.BAD_REQUEST, "request body is not UTF-8") from None
        if ctype == "application/sparql-update":
            raise _Refusal(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only")
        if ctype == "application/x-www-form-urlencoded":
            form = parse_qs(text, keep_blank_values=True)
            self._answer(form, {**params, **form})
        elif ctype == "application/sparql-query":
            self._answer({"query": [text]}, params)
        else:
            message = "POST the query as a form (query=...) or as an application/sparql-query body"
            raise _Refusal(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, message)

    def _answer(self, source: dict[str, list[str]], params: dict[str, list[str]]) -> None:
        """Run the query in ``source`` with the dataset and format in ``params``; reply with the result."""
        if "update" in source:
            raise _Refusal(HTTPStatus.FORBIDDEN, "SPARQL Update is not allowed: this endpoint is read-only")
        queries = source.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            message = "give exactly one non-empty 'query' parameter (the page / has a form)"
            raise _Refusal(HTTPStatus.BAD_REQUEST, message)
        request = _Request(
            query=queries[0],
            default_graphs=tuple(params.get("default-graph-uri", [])),
            named_graphs=tuple(params.get("named-graph-uri", [])),
            formats=tuple(params.get("format", [])),
            accept=self.headers.get("Accept", "").strip(),
        )
        _check_query(request.query)
        try:
            outcome = self.server.run_query(request)
        except SyntaxError as exc:
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {exc}") from None
        except ValueError as exc:  # e.g. a graph IRI that is not an IRI
            raise _Refusal(HTTPStatus.BAD_REQUEST, f"bad request: {exc}") from None
        except OSError as exc:
            message = f"store read failed: {exc}; if the graph was rebuilt meanwhile, restart kg serve"
            raise _Refusal(HTTPStatus.INTERNAL_SERVER_ERROR, message) from None
        body, ctype = _serialize(outcome, _choose_format(request, graph=outcome.graph))
        headers = {"X-KG-Truncated": "true" if outcome.truncated else "false"}
        if outcome.truncated:
            headers["X-KG-Max-Rows"] = str(self.server.max_rows)
        note = f"truncated at {self.server.max_rows} rows" if outcome.truncated else ""
        self._reply(HTTPStatus.OK, body, ctype, headers, note=note)

    def _reply(
        self,
        status: HTTPStatus,
        body: bytes,
        ctype: str,
        headers: dict[str, str] | None = None,
        *,
        note: str = "",
    ) -> None:
        """Send the response, then log one line: client, request, status, size, time and a short note."""
        self.send_response_only(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            note = f"{note}; client hung up".lstrip("; ")
        started = getattr(self, "_started", time.monotonic())
        line = self.requestline if len(self.requestline) <= 160 else self.requestline[:157] + "..."
        extra = f" - {note.splitlines()[0]}" if note else ""
        self.server.log(
            f'{self.client_address[0]} [{self.log_date_time_string()}] "{line}" {int(status)} {len(body)} '
            f"{(time.monotonic() - started) * 1000:.0f}ms{extra}"
        )

    def _reply_text(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        self._reply(status, message.encode("utf-8"), "text/plain; charset=utf-8", headers, note=message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (bad request line, unknown method), as one logged line."""
        self.close_connection = True
        self._reply_text(HTTPStatus(code), message or HTTPStatus(code).phrase)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Silenced: ``_reply`` logs each request once."""


# --- the query page -------------------------------------------------------------------------------


def render_page(queries: Iterable[NamedQuery], *, timeout: float, max_rows: int) -> str:
    """The offline query page: a form, the canned queries, and a little script showing results.

    Every text put in the page is escaped; the script only ever sets ``value`` and ``textContent``.
    """
    items = "\n".join(
        f'<li><button type="button" class="canned" data-query="{escape_html(q.text)}">'
        f"{escape_html(q.title or q.name)}</button> <span>{escape_html(_describe(q))}</span></li>"
        for q in queries
    )
    canned = f"<h2>Canned queries</h2>\n<ul>\n{items}\n</ul>" if items else ""
    options = "".join(f'<option value="{name}">{label}</option>' for name, label in _PAGE_FORMATS)
    prefixes = " ".join(f"{escape_html(p)}:" for p in sorted(PREFIXES))
    return _PAGE.format(
        example=escape_html(EXAMPLE_QUERY), options=options, canned=canned, prefixes=prefixes,
        timeout=f"{timeout:g}", max_rows=max_rows,
    )  # fmt: skip


_PAGE_FORMATS = (
    ("", "default (JSON results / Turtle)"), ("json", "JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV"),
    ("turtle", "Turtle"), ("ntriples", "N-Triples"), ("jsonld", "JSON-LD"), ("rdfxml", "RDF/XML"),
)  # fmt: skip


def _describe(query: NamedQuery) -> str:
    """The description, plus the parameters (left unbound on the page: edit the query to fix them)."""
    params = ", ".join(f"?{p.name}" for p in query.params)
    return f"{query.description} (parameters: {params})" if params else query.description


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 70em; padding: 0 1em; }}
textarea {{ width: 100%; font: 13px/1.4 ui-monospace, monospace; box-sizing: border-box; }}
table {{ border-collapse: collapse; font-size: 13px; }}
td, th {{ border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }}
pre {{ background: #f6f6f6; padding: .5em; overflow: auto; }} button.canned {{ margin: 2px 0; }}
</style></head>
<body>
<h1>kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET <code>?query=</code>, or POST a form or
<code>application/sparql-query</code>). A query sees the union of all graphs: document metadata is in the
default graph and each document's statements in its own named graph
(use <code>GRAPH ?g</code> to tell them apart);
<code>FROM</code>, <code>default-graph-uri</code> or <code>named-graph-uri</code> choose the dataset instead.
Prefixes offered to every query: {prefixes}
Queries stop after {timeout} s (503) and return at most {max_rows} rows
(then the header <code>X-KG-Truncated</code> is <code>true</code>).</p>
<form id="form" method="get" action="/sparql">
<textarea name="query" id="query" rows="14" spellcheck="false">{example}</textarea>
<p><label>Format <select name="format" id="format">{options}</select></label>
<button type="submit">Run query</button></p>
</form>
<p id="status"></p>
<div id="out"></div>
{canned}
<script>
(function () {{
  var form = document.getElementById("form"), query = document.getElementById("query");
  var format = document.getElementById("format"), status = document.getElementById("status");
  var out = document.getElementById("out");
  document.querySelectorAll("button.canned").forEach(function (b) {{
    b.addEventListener("click", function () {{ query.value = b.dataset.query; query.focus(); }});
  }});
  function cell(tag, text) {{ var c = document.createElement(tag); c.textContent = text; return c; }}
  function term(t) {{
    if (!t) return "";
    if (t.type === "bnode") return "_:" + t.value;
    if (t.type === "literal" && t["xml:lang"]) return t.value + " @" + t["xml:lang"];
    return typeof t.value === "string" ? t.value : JSON.stringify(t.value);
  }}
  function show(data) {{
    if ("boolean" in data) {{ out.appendChild(cell("p", String(data.boolean))); return; }}
    var table = document.createElement("table"), head = document.createElement("tr");
    data.head.vars.forEach(function (v) {{ head.appendChild(cell("th", "?" + v)); }});
    table.appendChild(head);
    data.results.bindings.forEach(function (b) {{
      var tr = document.createElement("tr");
      data.head.vars.forEach(function (v) {{ tr.appendChild(cell("td", term(b[v]))); }});
      table.appendChild(tr);
    }});
    out.appendChild(table);
  }}
  form.addEventListener("submit", function (e) {{
    e.preventDefault();
    var body = new URLSearchParams();
    body.set("query", query.value);
    if (format.value) body.set("format", format.value);
    status.textContent = "Running...";
    out.replaceChildren();
    var started = Date.now();
    fetch("/sparql", {{ method: "POST", body: body }}).then(function (r) {{
      return r.text().then(function (text) {{
        var note = r.status + " " + r.statusText + ", " + (Date.now() - started) + " ms";
        if (r.headers.get("X-KG-Truncated") === "true") {{
          note += ", cut at " + r.headers.get("X-KG-Max-Rows") + " rows";
        }}
        status.textContent = note;
        if (r.ok && (r.headers.get("Content-Type") || "").indexOf("application/sparql-results+json") === 0) {{
          show(JSON.parse(text));
        }} else {{
          out.appendChild(cell("pre", text));
        }}
      }});
    }}).catch(function (err) {{ status.textContent = "Request failed: " + err; }});
  }});
}})();
</script>
</body></html>
"""
