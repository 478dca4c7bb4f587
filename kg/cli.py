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
    from kg.pipeline import BuildReport, ExtractResult

__all__ = ["main", "cli"]


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
    help="Folder for extractions/, graph.{trig,nq,ttl,jsonld}, store/ and build_report.json.",
)
@click.option(
    "--base", default=None, metavar="IRI",
    help="Namespace of minted IRIs (default https://w3id.org/kg-gov/id/).",
)  # fmt: skip
@click.pass_context
def build(ctx: click.Context, corpus: tuple[Path, ...], out_dir: Path, base: str | None) -> None:
    """Build the knowledge graph from a corpus (files or folders; default: data/samples).

    \b
    Example:
      kg build data/samples --out output
      kg query 01_agencies_by_tasks_led --graph output
    """
    from kg.errors import KGError
    from kg.ingest import find_documents
    from kg.pipeline import build as run_build

    corpus = corpus or (Path("data/samples"),)
    documents = find_documents(corpus)
    show = len(documents) >= _PROGRESS_FROM or sys.stderr.isatty()
    with click.progressbar(length=len(documents), label="Building", file=sys.stderr, hidden=not show) as bar:

        def on_result(result: ExtractResult) -> None:
            _echo_problem(result)
            bar.update(1)

        try:
            report = run_build(documents or corpus, out_dir, base=base, on_result=on_result)
        except KGError as exc:
            raise click.ClickException(str(exc)) from exc
    detail = (
        f"documents, {report.assignments} assignments, {report.entities} entities, "
        f"{report.triples} triples -> {out_dir}"
    )
    ctx.exit(_finish(report, corpus, detail))


#: Builds of this many documents or more show a progress bar even when stderr is not a terminal.
_PROGRESS_FROM = 50


def _echo_problem(result: ExtractResult) -> None:
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
        raise click.ClickException(f"no .txt, .html or .htm documents found in {names}; check the paths")
    done = report.documents - report.failed
    click.echo(f"{done} of {report.documents} {detail}", err=True)
    return 0 if done else 1


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``kg`` and ``python -m kg``."""
    cli.main(args=argv, prog_name="kg")
