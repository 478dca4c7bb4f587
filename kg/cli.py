"""Command-line interface: each command parses options, calls one library function, prints the result.

Results go to stdout, problems and progress to stderr. Exit status: 0 when any document was
extracted, 1 when none was (or an output cannot be written), 2 for usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the library is imported inside the commands, so that --help stays fast
    from kg.cache import DocumentOutput
    from kg.pipeline import BuildReport, ExtractResult

__all__ = ["main", "cli"]

#: kg.serialize.FORMATS, here so that --help does not import rdflib.
_GRAPH_FORMATS = ("trig", "nquads", "turtle", "json-ld")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-gov", prog_name="kg")
def cli() -> None:
    """Knowledge graph of agencies, projects and responsibilities from Chinese government documents."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Folder for <stem>.json files."
)
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True,
    help="json: one file per document in --out; jsonl: one line per document on stdout.",
)  # fmt: skip
@click.pass_context
def extract(ctx: click.Context, paths: tuple[Path, ...], out_dir: Path | None, fmt: str) -> None:
    """Extract header, jurisdiction, assignments and entities from documents (files or folders).

    Exit status: 0 if any document was extracted, 1 if none, 2 for usage errors.
    """
    from kg.errors import KGError
    from kg.pipeline import extract_paths

    if fmt == "json" and out_dir is None:
        raise click.UsageError("--out DIR is required with --format json (or use --format jsonl)")
    if fmt == "jsonl" and out_dir is not None:
        click.echo("Warning: --out is ignored with --format jsonl (the lines go to stdout)", err=True)
    on_result = _echo_jsonl if fmt == "jsonl" else _echo_problem
    try:
        report = extract_paths(paths, out_dir if fmt == "json" else None, on_result=on_result)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    target = f" to {out_dir}" if fmt == "json" else ""
    ctx.exit(_finish(report, paths, f"documents extracted{target}"))


@cli.command()
@click.argument("corpus", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out", "out_dir", default=Path("output"), show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for extractions/, graph.{trig,nq,ttl,jsonld}, store/, cache/ and build_report.json.",
)
@click.option(
    "--base", default=None, metavar="IRI",
    help="Namespace of minted IRIs (default https://w3id.org/kg-gov/id/).",
)
@click.option(
    "--jobs", default=1, show_default=True, type=click.IntRange(0),
    help="Worker processes extracting documents at once (0: one per CPU). The outputs are the same.",
)
@click.option(
    "--no-cache", is_flag=True,
    help="Re-extract every document and reload the store whole, ignoring and not writing OUT/cache/.",
)
@click.option(
    "--formats", default=",".join(_GRAPH_FORMATS), show_default=True, metavar="LIST",
    help="Graph files to write, comma-separated from nquads, trig, turtle, json-ld (graph.nq always).",
)  # fmt: skip
@click.pass_context
def build(
    ctx: click.Context, corpus: tuple[Path, ...], out_dir: Path, base: str | None, jobs: int, no_cache: bool,
    formats: str,
) -> None:  # fmt: skip
    """Build the knowledge graph from a corpus (files or folders; default: data/samples).

    A rebuild re-extracts only the documents whose bytes changed (OUT/cache/ keeps the others)
    and, when few changed, replaces only their graphs in the store.

    \b
    Example:
      kg build data/samples --out output
      kg build corpus/ --out output --jobs 2 --formats nquads,trig
      kg query 01_agencies_by_tasks_led --graph output
    """
    import os

    from kg.errors import KGError
    from kg.ingest import find_documents
    from kg.pipeline import build as run_build

    chosen = [f.strip() for f in formats.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in _GRAPH_FORMATS]
    if unknown:
        message = f"unknown format {unknown[0]!r}; choose from {', '.join(_GRAPH_FORMATS)}"
        raise click.BadParameter(message, param_hint="'--formats'")
    corpus = corpus or (Path("data/samples"),)
    documents = find_documents(corpus)
    show = len(documents) >= _PROGRESS_FROM or sys.stderr.isatty()
    with click.progressbar(length=len(documents), label="Building", file=sys.stderr, hidden=not show) as bar:

        def on_result(result: DocumentOutput) -> None:
            _echo_problem(result)
            bar.update(1)

        try:
            report = run_build(
                documents or corpus, out_dir, base=base, on_result=on_result,
                jobs=jobs or os.cpu_count() or 1, cache=not no_cache, formats=chosen,
            )  # fmt: skip
        except KGError as exc:
            raise click.ClickException(str(exc)) from exc
    reuse = f" ({report.cached} from the cache, store {report.store})" if report.cached else ""
    detail = (
        f"documents, {report.assignments} assignments, {report.entities} entities, "
        f"{report.triples} triples -> {out_dir}{reuse}"
    )
    ctx.exit(_finish(report, corpus, detail))


#: Builds of this many documents or more show a progress bar even when stderr is not a terminal.
_PROGRESS_FROM = 50


def _echo_problem(result: ExtractResult | DocumentOutput) -> None:
    """One line on stderr for a document that could not be extracted: the file and the reason."""
    if result.problem is not None:
        click.echo(f"Error: {result.problem.where}: {result.problem.message}", err=True)


def _echo_jsonl(result: ExtractResult) -> None:
    """Print an extracted document as one JSON line on stdout, or its problem on stderr."""
    from kg.export import dumps_record, extraction_record

    _echo_problem(result)
    if result.extraction is not None:
        record = extraction_record(result.extraction, result.document)
        # Bytes, so that the lines are UTF-8 whatever the terminal's locale.
        click.echo((dumps_record(record, indent=None) + "\n").encode("utf-8"), nl=False)


def _finish(report: BuildReport, paths: tuple[Path, ...], detail: str) -> int:
    """Print the summary line on stderr and return the exit status (0 if any document succeeded).

    Raises:
        click.ClickException: no document was found at all.
    """
    if report.documents == 0:
        names = ", ".join(str(p) for p in paths)
        raise click.ClickException(f"no documents (.txt, .html, .htm, .docx, .xlsx, .pdf) found in {names}; check the paths")
    done = report.documents - report.failed
    click.echo(f"{done} of {report.documents} {detail}", err=True)
    return 0 if done else 1


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``kg`` and ``python -m kg``."""
    cli.main(args=argv, prog_name="kg")


_SERVE_EXAMPLE = """\b
Example:
  kg serve --graph output --port 3030
  curl -H 'Accept: text/csv' --data-urlencode \\
    'query=SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g' \\
    http://127.0.0.1:3030/sparql

\b
  # Python, with SPARQLWrapper:
  from SPARQLWrapper import SPARQLWrapper, JSON
  w = SPARQLWrapper("http://127.0.0.1:3030/sparql")
  w.setReturnFormat(JSON)
  w.setQuery("SELECT ?a ?name WHERE { ?a a kg:Agency ; skos:prefLabel ?name } LIMIT 5")
  for row in w.queryAndConvert()["results"]["bindings"]:
      print(row["name"]["value"])
"""


@cli.command(epilog=_SERVE_EXAMPLE)
@click.option(
    "--graph", "graph_dir", default=Path("output"), show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Folder 'kg build --out' wrote (it holds store/).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=3030, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free).")
@click.option(
    "--timeout", default=10.0, show_default=True, type=click.FloatRange(0, min_open=True),
    help="Seconds a query may run before it is answered 503.",
)
@click.option(
    "--max-rows", default=10000, show_default=True, type=click.IntRange(1),
    help="Rows (solutions or triples) returned at most; more sets the header X-KG-Truncated: true.",
)  # fmt: skip
def serve(graph_dir: Path, host: str, port: int, timeout: float, max_rows: int) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint, with a query page at /.

    Plain queries see the union of all graphs (document metadata in the default graph, each
    document's statements in its own named graph); FROM, default-graph-uri or named-graph-uri
    choose the dataset instead. Results: SPARQL JSON (default), XML, CSV, TSV; Turtle (default),
    N-Triples, JSON-LD, RDF/XML for CONSTRUCT and DESCRIBE, by Accept header or format=.
    Prefixes kg:, skos:, dcterms:, prov: ... are predeclared.
    """
    from kg.errors import KGError
    from kg.serve import is_loopback, make_server, serve_forever

    try:
        server = make_server(
            graph_dir, host=host, port=port, timeout=timeout, max_rows=max_rows,
            log=lambda line: click.echo(line, err=True),
        )  # fmt: skip
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    if not is_loopback(host):
        click.echo(
            f"Warning: listening on {host}: other machines can query the graph (there is no authentication)",
            err=True,
        )
    click.echo(f"Serving SPARQL on {server.url} (Ctrl-C to stop)", err=True)
    serve_forever(server)


_QUERY_EXAMPLE = """\b
Examples:
  kg query --list
  kg query 01_agencies_by_tasks_led --graph output
  kg query 04 --param name=区住建局 --format csv
  kg query 03_agency_tasks -p agency=https://w3id.org/kg-gov/id/agency/11b89985b9689b68
  kg query 'SELECT (COUNT(*) AS ?tasks) WHERE { GRAPH ?g { ?t a kg:Task } }'
"""


@cli.command("query", epilog=_QUERY_EXAMPLE)
@click.argument("spec", required=False, metavar="[NAME_OR_FILE_OR_TEXT]")
@click.option(
    "--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
    help="Bind a query parameter (repeatable); the query's '# param:' lines say which are IRIs or integers.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
    help="How to print the rows.",
)
@click.option(
    "--graph", "graph_dir", default=Path("output"), show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Folder 'kg build' wrote (holding store/).",
)
@click.option("--list", "list_only", is_flag=True, help="List the named queries with their titles and exit.")
def query_command(
    spec: str | None, params: tuple[str, ...], fmt: str, graph_dir: Path, list_only: bool
) -> None:
    """Run a SPARQL query on the built graph: a named query from queries/, an .rq file or SPARQL text.

    A named query is given by its name, its number or a unique prefix of either (01,
    01_agencies_by_tasks_led, agency_pairs). SPARQL text may use the kg:, skos:, prov:, dcterms:
    ... prefixes without declaring them. Rows go to stdout, the row count to stderr.
    """
    from kg.errors import KGError
    from kg.query import ParamError, format_result, list_queries, parse_params, query_listing, run_query

    try:
        if list_only:
            result = query_listing(list_queries())
        elif spec is None:
            raise click.UsageError("give a query NAME_OR_FILE_OR_TEXT, or --list to see the named queries")
        else:
            result = run_query(spec, graph_dir, params=parse_params(params))
    except ParamError as exc:
        raise click.BadParameter(str(exc), param_hint="'--param'") from exc
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    # Bytes, so that the rows are UTF-8 whatever the terminal's locale.
    click.echo(format_result(result, fmt).encode("utf-8"), nl=False)
    if not list_only:
        click.echo(f"{len(result.rows)} row{'' if len(result.rows) == 1 else 's'}", err=True)


# --- network analysis and department maps (kg.analysis, kg.department) -------------------------

from kg.analysis import MEASURES  # noqa: E402 - constants only; networkx and pyoxigraph load on use
from kg.department_export import MATRIX_FORMATS, REPORT_FORMATS  # noqa: E402
from kg.network_export import CENTRALITY_FORMATS, NETWORK_FORMATS, NETWORK_KINDS  # noqa: E402

_GRAPH_HELP = "Folder 'kg build --out' wrote (it holds store/)."
_JURISDICTION_HELP = "Only tasks of this place or a place inside it; part of a name is enough (北仑)."
_DOCUMENT_HELP = "Only tasks of this document (file name, stem or IRI)."
_COLLECTIVE_HELP = "Keep collective units (各街道, 相关部门, …成员单位) as nodes; left out by default."
_OUT_FILE = click.Path(dir_okay=False, path_type=Path)


def _measures_epilog() -> str:
    width = max(len(name) for name in MEASURES)
    lines = [f"  {name:<{width}}  {meaning}" for name, meaning in MEASURES.items()]
    return "\b\nMeasures:\n" + "\n".join(lines)


def _graph_option(command):  # noqa: ANN001, ANN202 - a click decorator
    return click.option(
        "--graph", "graph_dir", default=Path("output"), show_default=True,
        type=click.Path(file_okay=False, path_type=Path), help=_GRAPH_HELP,
    )(command)  # fmt: skip


def _emit(content: str | bytes, out: Path | None) -> None:
    """Write to ``out`` (atomically) or print to stdout as UTF-8 whatever the locale."""
    from kg.department_export import write_output

    if out is not None:
        write_output(out, content)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(content.encode("utf-8") if isinstance(content, str) else content, nl=False)


@cli.command("centrality", epilog=_measures_epilog())
@click.option("--measure", "-m", type=click.Choice(list(MEASURES)), default="pagerank", show_default=True,
              help="Rank the agencies by this measure (see below).")
@click.option("--top", type=click.IntRange(1), default=None, metavar="N", help="Only the first N agencies.")
@click.option("--jurisdiction", "-j", metavar="PLACE", help=_JURISDICTION_HELP)
@click.option("--document", "-d", metavar="DOC", help=_DOCUMENT_HELP)
@click.option("--collective", is_flag=True, help=_COLLECTIVE_HELP)
@click.option("--format", "fmt", type=click.Choice(CENTRALITY_FORMATS), default="table", show_default=True,
              help="table for reading, csv or json for other tools.")
@_graph_option
def centrality(measure: str, top: int | None, jurisdiction: str | None, document: str | None,
               collective: bool, fmt: str, graph_dir: Path) -> None:  # fmt: skip
    """Rank agencies by centrality in the network of who leads and who supports whom.

    Agencies are linked when they share tasks: lead -> support for degrees and PageRank, any two
    units of a task for betweenness, closeness, eigenvector and communities. The more tasks two
    agencies share, the stronger (and, for betweenness and closeness, the shorter) their link.

    \b
    Examples:
      kg centrality --measure betweenness --top 10
      kg centrality --jurisdiction 北仑 --format csv > centrality.csv
    """
    from kg.analysis import network_metrics
    from kg.errors import KGError
    from kg.network_export import render_centrality

    try:
        metrics = network_metrics(
            graph_dir, jurisdiction=jurisdiction, document=document, collective=collective
        )
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    for warning in metrics.warnings:
        click.echo(f"Warning: {warning}", err=True)
    _emit(render_centrality(metrics, measure=measure, top=top, fmt=fmt), None)
    click.echo(f"{len(metrics.agencies)} agencies, {metrics.tasks} tasks", err=True)


@cli.command("network")
@click.option("--format", "fmt", type=click.Choice(NETWORK_FORMATS), default="graphml", show_default=True,
              help="graphml (yEd, Cytoscape, Gephi), gexf (Gephi) or csv (an edge list).")
@click.option("--kind", type=click.Choice(NETWORK_KINDS), default="lead-support", show_default=True,
              help="lead-support: lead -> support units; co-assignment: units sharing tasks; "
                   "bipartite: agencies and tasks.")
@click.option("--out", type=_OUT_FILE, help="File to write (default: stdout).")
@click.option("--jurisdiction", "-j", metavar="PLACE", help=_JURISDICTION_HELP)
@click.option("--document", "-d", metavar="DOC", help=_DOCUMENT_HELP)
@click.option("--collective", is_flag=True, help=_COLLECTIVE_HELP)
@_graph_option
def network(fmt: str, kind: str, out: Path | None, jurisdiction: str | None, document: str | None,
            collective: bool, graph_dir: Path) -> None:  # fmt: skip
    """Export the agency network for network tools; nodes carry names (UTF-8) and every measure.

    \b
    Example:
      kg network --format gexf --out output/network.gexf
    """
    from kg.errors import KGError
    from kg.network_export import network_file

    try:
        text, graph = network_file(
            graph_dir, kind=kind, fmt=fmt, jurisdiction=jurisdiction, document=document, collective=collective
        )
        _emit(text, out)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges ({kind})", err=True)


@cli.command("export")
@click.argument("department")
@click.option("--jurisdiction", "-j", metavar="PLACE",
              help="The agency's place, when several places have an agency of that name.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="md", show_default=True,
              help="md, csv (one row per task), json, html (one self-contained page) or xlsx (needs --out).")
@click.option("--out", type=_OUT_FILE, help="File to write (default: stdout).")
@_graph_option
@click.pass_context
def export_department(ctx: click.Context, department: str, jurisdiction: str | None, fmt: str,
                      out: Path | None, graph_dir: Path) -> None:  # fmt: skip
    """Export one department's responsibility map: tasks it leads and supports, partners, projects.

    DEPARTMENT is a full name (区住房和城乡建设局), an abbreviation (区住建局) or a part of the
    name only one agency has (住房和城乡建设局). When agencies of several places match, they are
    listed on stderr and the exit status is 2: add --jurisdiction.

    \b
    Examples:
      kg export 区住建局
      kg export 区交通运输局 --jurisdiction 北仑 --format html --out jtj.html
    """
    from kg.department import AmbiguousAgencyError, department_report
    from kg.department_export import render_report
    from kg.errors import KGError

    if fmt == "xlsx" and out is None:
        raise click.UsageError("--format xlsx writes a binary file: give --out FILE")
    try:
        report = department_report(graph_dir, department, jurisdiction=jurisdiction)
    except AmbiguousAgencyError as exc:
        click.echo(f"Error: {len(exc.candidates)} agencies answer to {department!r}; "
                   "pass --jurisdiction with one of these places:", err=True)  # fmt: skip
        for c in exc.candidates:
            click.echo(f"  {c.label}  ({c.jurisdiction or 'jurisdiction unknown'})", err=True)
        ctx.exit(2)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    try:
        _emit(render_report(report, fmt), out)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("matrix")
@click.option("--jurisdiction", "-j", metavar="PLACE", required=True, help=_JURISDICTION_HELP)
@click.option("--document", "-d", metavar="DOC", help=_DOCUMENT_HELP)
@click.option("--collective", is_flag=True, help="Give collective units (各街道 …) columns too.")
@click.option("--format", "fmt", type=click.Choice(MATRIX_FORMATS), default="csv", show_default=True,
              help="csv, or xlsx (needs --out).")
@click.option("--out", type=_OUT_FILE, help="File to write (default: stdout).")
@_graph_option
def matrix(jurisdiction: str, document: str | None, collective: bool, fmt: str, out: Path | None,
           graph_dir: Path) -> None:  # fmt: skip
    """Write the RACI-style matrix of a jurisdiction: a row per task, a column per agency, L or S.

    L: the agency leads the task (牵头); S: it supports it (配合). Columns run from the agency
    that leads most tasks; rows follow the documents.

    \b
    Example:
      kg matrix --jurisdiction 北仑 --format xlsx --out beilun.xlsx
    """
    from kg.department import responsibility_matrix
    from kg.department_export import render_matrix
    from kg.errors import KGError

    if fmt == "xlsx" and out is None:
        raise click.UsageError("--format xlsx writes a binary file: give --out FILE")
    try:
        result = responsibility_matrix(graph_dir, jurisdiction=jurisdiction, document=document,
                                       collective=collective)  # fmt: skip
        _emit(render_matrix(result, fmt), out)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{len(result.tasks)} tasks x {len(result.agencies)} agencies", err=True)


def _split_types(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...] | None:
    """``--types agency,task --types road`` -> ('agency', 'task', 'road'); unknown names are usage errors."""
    from kg.render import NODE_TYPES

    names = tuple(name.strip() for item in value for name in item.split(",") if name.strip())
    unknown = [name for name in names if name not in NODE_TYPES]
    if unknown:
        raise click.BadParameter(f"unknown type {', '.join(unknown)}; choose from {', '.join(NODE_TYPES)}")
    return names or None


@cli.command("viz")
@click.option("--focus", metavar="AGENCY",
              help="Draw one unit (name, abbreviation or IRI) and its neighbourhood.")
@click.option("--depth", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Links from the focus: 1 its tasks, 2 also their other units and features.")
@click.option("--jurisdiction", "-j", metavar="PLACE",
              help="Only nodes of this place or places inside it (北仑区, 宁波市北仑区, 330206).")
@click.option("--types", multiple=True, callback=_split_types, metavar="TYPE[,TYPE...]",
              help="Node types to draw: agency, collective, task, road, rail, housing, project, place.")
@click.option("--max-nodes", type=click.IntRange(1), default=None, metavar="N",
              help="Reduce the graph above N nodes [default: 1000, what stays smooth].")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (default: GRAPH/graph.html).")
@click.option("--graph", "graph_dir", default=Path("output"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder 'kg build --out' wrote.")
def viz(focus: str | None, depth: int, jurisdiction: str | None, types: tuple[str, ...] | None,
        max_nodes: int | None, out_path: Path | None, graph_dir: Path) -> None:  # fmt: skip
    """Write the graph as one self-contained HTML page (works offline) and print its path.

    Nodes are coloured and shaped by type and sized by degree; lead links (牵头) are solid,
    support links (配合) dashed. The page searches names and abbreviations, filters by type,
    role, jurisdiction and document, and focuses on one unit's neighbourhood.

    \b
    Example:
      kg viz --graph output
      kg viz --focus 区住房和城乡建设局 --jurisdiction 北仑区 --depth 2 --out zj.html
    """
    from kg.errors import KGError
    from kg.render import write_graph_html

    try:
        report = write_graph_html(graph_dir, out_path, focus=focus, depth=depth, jurisdiction=jurisdiction,
                                  types=types, max_nodes=max_nodes)  # fmt: skip
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(f"{report.nodes} of {report.total_nodes} nodes, {report.edges} links drawn", err=True)
    click.echo(str(report.path))


# --- issue 7: project timelines and the status evaluation --------------------------------------


@cli.command("timeline")
@click.argument("project")
@click.option("--graph", "graph_dir", default=Path("output"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder 'kg build --out' wrote.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table: a line per year and per statement; json: year -> status -> sources.")
def timeline(project: str, graph_dir: Path, fmt: str) -> None:  # fmt: skip
    """Show what every document says of a project's state, year by year.

    PROJECT is a road, rail line, housing programme or project: its name, another name it goes
    by (杭甬复线宁波段三期 for 杭甬高速复线宁波段三期) or a part of its name that only it has.

    \b
    Example:
      kg build data/samples --out output
      kg timeline 杭甬高速复线宁波段三期 --graph output
    """
    from kg.errors import KGError
    from kg.timeline import format_timeline, project_timeline

    try:
        result = project_timeline(graph_dir, project)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_timeline(result, fmt).encode("utf-8"), nl=False)


@cli.command("evaluate-status")
@click.argument("gold_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the documents the gold names [default: GOLD_DIR/../corpus].")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--verbose", "-v", is_flag=True, help="List the missed and the extra statuses and rows.")
def evaluate_status_command(gold_dir: Path, corpus_dir: Path | None, fmt: str, verbose: bool) -> None:
    """Score project statuses and completion-report rows against the gold.

    Extracts every document a gold file with projects_status or progress names and prints
    precision, recall and F1 of statuses (entity+status+year, and ignoring the year) and of
    progress rows (tasks aligned by character-bigram Jaccard >= 0.5; reported sentence exact).

    \b
    Example:
      kg evaluate-status ../shared/gold
    """
    from kg.errors import KGError
    from kg.evaluate_status import evaluate_status, format_evaluation

    try:
        evaluation = evaluate_status(gold_dir, corpus_dir=corpus_dir)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_evaluation(evaluation, fmt, verbose=verbose).encode("utf-8"), nl=False)


# --- end issue 7 --------------------------------------------------------------------------------


# --- hand-off to another triple store (kg.push) ------------------------------------------------


@cli.command("push")
@click.option(
    "--endpoint", required=True, metavar="URL",
    help="Graph Store Protocol URL: http://host:7878/store (Oxigraph), http://host:3030/DS/data (Fuseki).",
)
@_graph_option
def push(endpoint: str, graph_dir: Path) -> None:
    """Upload every graph of the built store with the SPARQL 1.1 Graph Store Protocol.

    The default graph goes with PUT URL?default, each document's graph and the metrics graph with
    PUT URL?graph=IRI, as N-Triples. PUT replaces a graph: pushing again changes nothing.

    \b
    Example:
      oxigraph serve --location remote-store --bind 127.0.0.1:7878 &
      kg push --endpoint http://127.0.0.1:7878/store --graph output
    """
    from kg.errors import KGError
    from kg.push import push_graphs

    try:
        report = push_graphs(graph_dir, endpoint)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"pushed {report.graphs} graphs, {report.triples} triples to {report.endpoint}", err=True)
