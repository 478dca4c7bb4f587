"""Named SPARQL queries -> rows: load ``queries/*.rq``, bind parameters, run them on the store, format.

A query is named by its file stem (``01_agencies_by_tasks_led``), its number (``01``) or a unique
prefix; a path to an ``.rq`` file or literal SPARQL text works too. The header comments of an
``.rq`` file describe it::

    # title: One agency's tasks by role
    # description: The tasks a unit leads or supports ...
    #   (an indented comment line continues the description)
    # param: agency (iri) — the unit's IRI

Parameters are bound with Oxigraph substitutions (the variable is replaced by an RDF term before
evaluation), never spliced into the text, so a value cannot change the query. Oxigraph only
substitutes variables the query projects, which is why every parameter is also a result column.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError

__all__ = [
    "QUERIES_DIR",
    "FORMATS",
    "PARAM_KINDS",
    "Param",
    "NamedQuery",
    "QueryResult",
    "QueryError",
    "UnknownQueryError",
    "QueryFileError",
    "ParamError",
    "ParamSyntaxError",
    "UnknownParamError",
    "MissingParamError",
    "ParamValueError",
    "QuerySyntaxError",
    "list_queries",
    "parse_query",
    "resolve_query",
    "parse_params",
    "bind_params",
    "execute",
    "run_query",
    "query_listing",
    "format_result",
]

#: The named queries shipped with the project (repository root / queries).
QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"
FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json")
#: Kinds a ``# param:`` line may declare; a parameter without one is a plain string.
PARAM_KINDS: tuple[str, ...] = ("string", "iri", "integer")

Value = str | int | float | bool | None

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = frozenset(
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
)  # fmt: skip
_FLOAT_TYPES = frozenset(_XSD + t for t in ("decimal", "double", "float"))
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[a-z]+)\))?\s*(?:[—–:-]+\s*(?P<text>.*))?$"
)
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*?)\s*$")
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
_SPARQL_START = re.compile(r"^\s*(?:#[^\n]*\n\s*)*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_IRI_VALUE = re.compile(r"^(?:<[^<>]*>|https?://\S+)$")


# --- errors ------------------------------------------------------------------------------------


class QueryError(KGError):
    """A query cannot be found, bound or run."""


class UnknownQueryError(QueryError):
    """No named query, file or SPARQL text matches what was asked for."""


class QueryFileError(QueryError):
    """An ``.rq`` file cannot be read."""


class ParamError(QueryError):
    """A parameter is malformed, unknown, missing or of the wrong kind (a usage error)."""


class ParamSyntaxError(ParamError):
    """A parameter is not written ``name=value``."""


class UnknownParamError(ParamError):
    """A parameter the query does not declare."""


class MissingParamError(ParamError):
    """A parameter the query declares was not given."""


class ParamValueError(ParamError):
    """A value that is not of the declared kind (an IRI, an integer)."""


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse."""


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter a query declares: its variable name, kind (string, iri, integer) and meaning."""

    name: str
    kind: str = "string"
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with the metadata of its header comments."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path | None = None


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows of Python values (str for IRIs and literals, int/float when typed)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


# --- loading and resolving ---------------------------------------------------------------------


def parse_query(text: str, *, name: str, path: Path | None = None) -> NamedQuery:
    """Read the ``# title:``, ``# description:`` and ``# param:`` header lines of a query.

    >>> q = parse_query("# title: T\\n# param: task (iri) — a task\\nSELECT ?task {}", name="x")
    >>> (q.title, q.params)
    ('T', (Param(name='task', kind='iri', description='a task'),))

    Raises:
        QueryFileError: a ``# param:`` line is malformed or declares an unknown kind.
    """
    fields: dict[str, str] = {"title": "", "description": ""}
    params: list[Param] = []
    last: str | None = None
    where = str(path) if path else name
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break  # the header ends at the first line of SPARQL
            last = None
            continue
        header = _HEADER.match(line)
        if header is None:
            more = _CONTINUATION.match(line)
            if more and last == "description":
                fields["description"] = f"{fields['description']} {more.group(1)}".strip()
            continue
        key, value = header.groups()
        last = key
        if key != "param":
            fields[key] = value
            continue
        param = _PARAM.match(value)
        kind = (param.group("kind") or "string") if param else ""
        if param is None or kind not in PARAM_KINDS:
            raise QueryFileError(
                f"{where}, line {n}: bad param line {line!r}; write '# param: name (iri|integer) — meaning'"
            )
        params.append(Param(param.group("name"), kind, param.group("text") or ""))
    return NamedQuery(name, fields["title"], fields["description"], tuple(params), text, path)


def _read_query(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise QueryFileError(f"{path}: no such query file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryFileError(f"{path}: cannot read the query ({exc})") from exc
    return parse_query(text, name=path.stem, path=path)


def list_queries(directory: Path = QUERIES_DIR) -> tuple[NamedQuery, ...]:
    """The named queries in ``directory`` (``*.rq``), sorted by name."""
    return tuple(_read_query(path) for path in sorted(Path(directory).glob("*.rq")))


def resolve_query(spec: str, *, directory: Path = QUERIES_DIR) -> NamedQuery:
    """Find the query ``spec`` names: a query name, number or unique prefix, an .rq file, or SPARQL text.

    Raises:
        UnknownQueryError: nothing matches, or a prefix matches several queries.
        QueryFileError: an ``.rq`` file cannot be read.
    """
    spec = spec.strip()
    if spec.endswith(".rq") or _is_file(spec):
        return _read_query(Path(spec))
    queries = {q.name: q for q in list_queries(directory)}
    if spec in queries:
        return queries[spec]
    matches = sorted(n for n in queries if _matches(n, spec)) if spec else []
    if len(matches) == 1:
        return queries[matches[0]]
    if len(matches) > 1:
        raise UnknownQueryError(f"query {spec!r} is ambiguous: it matches {', '.join(matches)}")
    if _SPARQL_START.match(spec) or "{" in spec:
        return parse_query(spec, name="<text>")
    short = {n.split("_", 1)[-1]: n for n in queries}
    close = difflib.get_close_matches(spec, [*queries, *short], n=3, cutoff=0.5)
    names = ", ".join(dict.fromkeys(short.get(c, c) for c in close))
    hint = f"did you mean {names}?" if names else "list the queries with 'kg query --list'"
    raise UnknownQueryError(f"no query named {spec!r} in {directory}; {hint}")


def _matches(name: str, spec: str) -> bool:
    """``01``, ``1``, ``01_agen`` and ``agencies_by`` all name ``01_agencies_by_tasks_led``."""
    number, _, rest = name.partition("_")
    if spec.isdigit():
        return number.isdigit() and int(number) == int(spec)
    return name.startswith(spec) or rest.startswith(spec)


def _is_file(spec: str) -> bool:
    if "\n" in spec or "{" in spec:
        return False
    try:
        return Path(spec).is_file()
    except OSError:  # a name too long for the file system is not a file
        return False


# --- parameters --------------------------------------------------------------------------------


def parse_params(items: Iterable[str]) -> dict[str, str]:
    """Split ``name=value`` strings (the value may contain ``=``); a name given twice is an error.

    >>> parse_params(["name=区住建局", "task=<https://x/a=b>"])
    {'name': '区住建局', 'task': '<https://x/a=b>'}

    Raises:
        ParamSyntaxError: an item has no ``=`` or its name is not a SPARQL variable name.
    """
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParamSyntaxError(f"bad parameter {item!r}: write NAME=VALUE, e.g. name=区住建局")
        if name in params:
            raise ParamSyntaxError(f"parameter {name!r} is given twice")
        params[name] = value
    return params


def bind_params(query: NamedQuery, values: Mapping[str, str]) -> dict[str, object]:
    """Turn ``name -> text`` into ``name -> RDF term`` (pyoxigraph), checked against the query.

    A declared parameter takes its declared kind: ``(iri)`` an IRI, ``(integer)`` an xsd:integer,
    none a plain string. A parameter of a query that declares none (SPARQL text) is an IRI when
    written ``<...>`` or ``http(s)://...`` and a plain string otherwise.

    Raises:
        UnknownParamError: the query declares no such parameter (or, for undeclared text, has no
            such variable).
        MissingParamError: a declared parameter has no value.
        ParamValueError: a value is not a valid IRI or integer.
    """
    import pyoxigraph

    declared = {p.name: p for p in query.params}
    known = sorted(declared) if declared else sorted(set(_VARIABLE.findall(query.text)))
    for name in sorted(values):
        if name not in known:
            choices = ", ".join(known) or "none"
            raise UnknownParamError(f"query {query.name} has no parameter {name!r} (parameters: {choices})")
    missing = [p for p in query.params if p.name not in values]
    if missing:
        needed = " ".join(f"{p.name}={p.kind.upper()}" for p in missing)
        raise MissingParamError(f"query {query.name} needs a value for each parameter: {needed}")
    terms: dict[str, object] = {}
    for name, value in values.items():
        if name in declared:
            kind = declared[name].kind
        else:
            kind = "iri" if _IRI_VALUE.match(value.strip()) else "string"
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ParamValueError(f"parameter {name!r} must be an integer, not {value!r}")
            terms[name] = pyoxigraph.Literal(int(value))
        elif kind == "iri":
            iri = value.strip().removeprefix("<").removesuffix(">")
            try:
                terms[name] = pyoxigraph.NamedNode(iri)
            except ValueError as exc:
                raise ParamValueError(f"parameter {name!r} is not a valid IRI ({exc}): {value!r}") from exc
        else:
            terms[name] = pyoxigraph.Literal(value)
    return terms


# --- running -----------------------------------------------------------------------------------


def execute(query: NamedQuery, store: object, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run ``query`` on an open pyoxigraph store with ``params`` bound.

    Raises:
        ParamError: see :func:`bind_params`.
        QuerySyntaxError: the text does not parse.
    """
    import pyoxigraph

    from kg.namespaces import PREFIXES

    terms = bind_params(query, params or {})
    substitutions = {pyoxigraph.Variable(name): term for name, term in terms.items()}
    try:
        answer = store.query(query.text, prefixes=PREFIXES, substitutions=substitutions or None)  # type: ignore[attr-defined]
    except SyntaxError as exc:
        message = " ".join(str(exc).split())
        raise QuerySyntaxError(f"query {query.name}: SPARQL syntax error: {message}") from exc
    except RuntimeError as exc:
        # Oxigraph refuses to substitute a variable the query does not project.
        if "projection" in str(exc):
            raise UnknownParamError(
                f"query {query.name}: cannot bind {', '.join(sorted(terms))}; "
                "only variables in the SELECT clause can be parameters"
            ) from exc
        raise
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return QueryResult(("ask",), ((bool(answer),),))
    if isinstance(answer, pyoxigraph.QueryTriples):
        triples = sorted(tuple(_value(term) for term in triple) for triple in answer)
        return QueryResult(("subject", "predicate", "object"), tuple(triples))  # type: ignore[arg-type]
    columns = tuple(variable.value for variable in answer.variables)
    rows = tuple(tuple(_value(solution[column]) for column in columns) for solution in answer)
    return QueryResult(columns, rows)


def run_query(
    spec: str | NamedQuery,
    graph_dir: Path,
    *,
    params: Mapping[str, str] | None = None,
    directory: Path = QUERIES_DIR,
) -> QueryResult:
    """Resolve ``spec`` and run it on the store ``kg build`` wrote under ``graph_dir``.

    Args:
        spec: a query name, number or unique prefix, an ``.rq`` path, SPARQL text, or a NamedQuery.
        graph_dir: the build's output folder (holding ``store/``).
        params: parameter values by name, as text.
        directory: where named queries live.

    Raises:
        GraphNotBuiltError: no store under ``graph_dir``.
        QueryError: see :func:`resolve_query` and :func:`execute`.
    """
    from kg.store import open_store

    query = spec if isinstance(spec, NamedQuery) else resolve_query(spec, directory=directory)
    bind_params(query, params or {})  # report parameter mistakes before touching the store
    return execute(query, open_store(Path(graph_dir)), params)


def _value(term: object) -> Value:
    """A query term as a Python value: IRIs and literals as str, numbers as int/float."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:  # an ill-typed literal ("abc"^^xsd:integer) stays text
            return term.value
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    return str(term)  # an RDF-star triple term


def query_listing(queries: Sequence[NamedQuery]) -> QueryResult:
    """The named queries as a result (name, params, title) to format like any other."""
    rows = tuple((q.name, " ".join(f"{p.name}={p.kind.upper()}" for p in q.params), q.title) for q in queries)
    return QueryResult(("name", "params", "title"), rows)


# --- formatting --------------------------------------------------------------------------------


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result as an aligned table, CSV, TSV or JSON (a list of objects); ends with a newline.

    >>> print(format_result(QueryResult(("单位", "n"), (("区住建局", 2), ("区财政局", 10)))), end="")
    单位       n
    --------  --
    区住建局   2
    区财政局  10
    """
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        return _delimited(result, ",")
    if fmt == "tsv":
        return _delimited(result, "\t")
    if fmt == "json":
        records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return json.dumps(records, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _width(text: str) -> int:
    """Display width: CJK wide and full-width characters take two columns, combining marks none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def _is_number(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table(result: QueryResult) -> str:
    cells = [[" ".join(_text(v).split()) for v in row] for row in result.rows]
    widths = [
        max([_width(name), *(_width(row[i]) for row in cells)]) for i, name in enumerate(result.columns)
    ]
    # numbers are right-aligned: a column whose every value is a number (or empty)
    numeric = [
        any(_is_number(row[i]) for row in result.rows)
        and all(_is_number(row[i]) or row[i] is None for row in result.rows)
        for i in range(len(result.columns))
    ]

    def line(values: Sequence[str]) -> str:
        padded = []
        for value, width, right in zip(values, widths, numeric, strict=True):
            pad = " " * (width - _width(value))
            padded.append(pad + value if right else value + pad)
        return "  ".join(padded).rstrip()

    lines = [line(result.columns), "  ".join("-" * w for w in widths), *(line(row) for row in cells)]
    return "\n".join(lines) + "\n"


def _delimited(result: QueryResult, delimiter: str) -> str:
    out = io.StringIO()
    if delimiter == "\t":
        # TSV has no quoting: escape the characters that would break a row, as SPARQL TSV does.
        def clean(value: Value) -> str:
            text = _text(value)
            return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

        out.write("\t".join(result.columns) + "\n")
        for row in result.rows:
            out.write("\t".join(clean(v) for v in row) + "\n")
        return out.getvalue()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_text(v) for v in row] for row in result.rows)
    return out.getvalue()
