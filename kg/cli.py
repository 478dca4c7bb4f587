"""Command-line interface: each command parses options, calls one library function, prints the result."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["main", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-gov", prog_name="kg")
def cli() -> None:
    """Knowledge graph of agencies, projects and responsibilities from Chinese government documents."""


def _report_problem(result) -> None:  # noqa: ANN001 - ExtractResult, imported lazily
    if result.problem is not None:
        click.echo(f"Error: {result.problem.where}: {result.problem.message}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="Folder for <stem>.json files.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "jsonl"]), default="json", show_default=True,
    help="json: one file per document in --out; jsonl: one line per document on stdout.",
)
def extract(paths: tuple[Path, ...], out_dir: Path | None, fmt: str) -> None:
    """Extract header, jurisdiction, assignments and entities from documents (files or folders).

    Exit status: 0 if any document was extracted, 1 if none, 2 for usage errors.
    """
    from kg.export import dumps_record, extraction_record
    from kg.pipeline import extract_paths, iter_extractions

    if fmt == "json" and out_dir is None:
        raise click.UsageError("--out DIR is required with --format json (or use --format jsonl)")
    if fmt == "jsonl":
        ok = 0
        for result in iter_extractions(paths):
            _report_problem(result)
            if result.extraction is not None:
                ok += 1
                click.echo(dumps_record(extraction_record(result.extraction, result.document), indent=None))
        sys.exit(0 if ok else 1)
    report = extract_paths(paths, out_dir, on_result=_report_problem)
    done = report.documents - report.failed
    click.echo(f"{done} of {report.documents} documents extracted to {out_dir}", err=True)
    sys.exit(0 if done else 1)


@cli.command()
@click.argument("corpus", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default=Path("output"), show_default=True, type=click.Path(file_okay=False, path_type=Path))
def build(corpus: tuple[Path, ...], out_dir: Path) -> None:
    """Build the outputs from a corpus (default: data/samples) into --out."""
    from kg.pipeline import build as run_build

    report = run_build(corpus or (Path("data/samples"),), out_dir, on_result=_report_problem)
    click.echo(
        f"{report.documents - report.failed} of {report.documents} documents, {report.assignments} assignments, "
        f"{report.entities} entities -> {out_dir}",
        err=True,
    )
    sys.exit(0 if report.documents > report.failed else 1)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``kg`` and ``python -m kg``."""
    cli.main(args=argv, prog_name="kg")
