"""Department maps and matrices -> Markdown, CSV, JSON, self-contained HTML and xlsx.

Every function returns the document (text, or bytes for xlsx) and writes nothing; the CLI
prints it or writes it with :func:`write_output`. Document text is escaped for the format it
goes into (``html.escape`` for HTML, ``\\|`` in Markdown tables). xlsx files are made
byte-identical across runs: fixed document times and fixed times in the zip entries.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kg.department import FEATURE_TYPES, DepartmentReport, Matrix, TaskEntry

__all__ = [
    "REPORT_FORMATS",
    "MATRIX_FORMATS",
    "report_record",
    "render_report",
    "render_matrix",
    "write_output",
]

REPORT_FORMATS = ("md", "csv", "json", "html", "xlsx")
MATRIX_FORMATS = ("csv", "xlsx")

_TASK_COLUMNS = [
    "role",
    "task",
    "leads",
    "supports",
    "document",
    "document_file",
    "date",
    "span_start",
    "span_end",
    "involves",
    "quote",
    "task_iri",
]
_PARTNER_COLUMNS = [
    "单位 (agency)",
    "辖区 (jurisdiction)",
    "共同任务 (shared tasks)",
    "我方牵头、其配合 (it supports us)",
    "其牵头、我方配合 (we support it)",
    "其他 (other)",
]
_SEP = "、"


def report_record(report: DepartmentReport) -> dict[str, Any]:
    """The report as JSON-ready data (the shape of ``kg export --format json``)."""
    from kg.analysis import MEASURES

    record = asdict(report)
    record["metrics"] = (
        {k: v for k, v in asdict(report.metrics).items() if k in MEASURES} if report.metrics else None
    )
    record["measures"] = MEASURES
    return record


def render_report(report: DepartmentReport, fmt: str) -> str | bytes:
    """The report in ``fmt`` (one of :data:`REPORT_FORMATS`): text, or bytes for xlsx.

    Raises:
        ValueError: unknown format.
    """
    renderers = {"md": _markdown, "csv": _csv, "json": _json, "html": _html, "xlsx": _xlsx}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")
    return renderers[fmt](report)


def _json(report: DepartmentReport) -> str:
    return json.dumps(report_record(report), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def _task_row(entry: TaskEntry) -> list[Any]:
    start, end = entry.span or ("", "")
    involves = _SEP.join(f"{label}({FEATURE_TYPES.get(t, t)})" for t, label in entry.features)
    return [
        entry.role,
        entry.task,
        _SEP.join(entry.leads),
        _SEP.join(entry.supports),
        entry.document,
        entry.document_file,
        entry.date,
        start,
        end,
        involves,
        entry.quote,
        entry.iri,
    ]


def _csv(report: DepartmentReport) -> str:
    """One row per task (led first, then supported): the table a spreadsheet user filters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_TASK_COLUMNS)
    writer.writerows(_task_row(e) for e in (*report.led, *report.supported))
    return buffer.getvalue()


def _summary(report: DepartmentReport) -> list[tuple[str, str]]:
    return [
        ("单位 (agency)", report.name),
        ("辖区 (jurisdiction)", report.jurisdiction or "-"),
        ("别名 (also written)", _SEP.join(report.alt_labels) or "-"),
        ("牵头任务 (tasks led)", str(len(report.led))),
        ("配合任务 (tasks supported)", str(len(report.supported))),
        ("合作单位 (partners)", str(len(report.partners))),
    ]


def _metric_rows(report: DepartmentReport) -> list[tuple[str, str, str]]:
    from kg.analysis import MEASURES

    if report.metrics is None:
        return []
    return [
        (name, "-" if (v := getattr(report.metrics, name)) is None else str(v), meaning)
        for name, meaning in MEASURES.items()
    ]


def _md(text: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _markdown(report: DepartmentReport) -> str:
    out = [f"# {report.name} 责任清单 (responsibility map)", ""]
    out += [f"- {k}: {v}" for k, v in _summary(report)] + [""]
    out += _md_tasks("牵头任务 (tasks led)", report.led)
    out += _md_tasks("配合任务 (tasks supported)", report.supported)
    out += ["## 合作单位 (partners)", ""]
    if report.partners:
        out += ["| " + " | ".join(_PARTNER_COLUMNS) + " |", "|" + " --- |" * len(_PARTNER_COLUMNS)]
        out += [
            f"| {_md(p.label)} | {_md(p.jurisdiction)} | {p.shared_tasks} | {p.it_supports} | {p.it_leads} "
            f"| {p.other} |"
            for p in report.partners
        ]
    else:
        out.append("(无 none)")
    out += ["", "## 涉及的道路、轨道、住房、项目与地点 (what its tasks involve)", ""]
    out += [f"- {zh} ({t}): {uses}" for t, zh, uses in _feature_lines(report)] or ["(无 none)"]
    out += ["", "## 网络指标 (centrality)", ""]
    if report.metrics is None:
        out.append("(无任务 no tasks)")
    else:
        out += [
            f"网络范围 (network): {_scope(report)}",
            "",
            "| measure | value | meaning |",
            "| --- | --- | --- |",
        ]
        out += [f"| {name} | {value} | {_md(meaning)} |" for name, value, meaning in _metric_rows(report)]
    out += ["", *(f"> warning: {w}" for w in report.warnings)] if report.warnings else []
    return "\n".join(out).rstrip("\n") + "\n"


def _md_tasks(title: str, entries: tuple[TaskEntry, ...]) -> list[str]:
    out = [f"## {title}", ""] + (["(无 none)", ""] if not entries else [])
    for n, e in enumerate(entries, 1):
        out += [f"### {n}. {e.task}", "", f"- 牵头 (lead): {_SEP.join(e.leads) or '-'}"]
        out.append(f"- 配合 (support): {_SEP.join(e.supports) or '-'}")
        if e.features:
            out.append(f"- 涉及 (involves): {_involves(e)}")
        out += [f"- 来源 (source): {_source(e)}", "", "> " + e.quote.replace("\n", "\n> "), ""]
    return out


def _involves(entry: TaskEntry) -> str:
    return _SEP.join(f"{label}({FEATURE_TYPES.get(t, t)})" for t, label in entry.features)


def _source(entry: TaskEntry) -> str:
    span = f", 字符 (chars) {entry.span[0]}–{entry.span[1]}" if entry.span else ""
    return f"{entry.document} ({entry.document_file}, {entry.date or '-'}{span})"


def _feature_lines(report: DepartmentReport) -> list[tuple[str, str, str]]:
    """(type, Chinese type name, 'name ×tasks、…') for each feature type the tasks involve."""
    lines = []
    for type_, zh in FEATURE_TYPES.items():
        uses = [u for u in report.features if u.type == type_]
        if uses:
            lines.append((type_, zh, _SEP.join(f"{u.label} ×{u.tasks}" for u in uses)))
    return lines


def _scope(report: DepartmentReport) -> str:
    return report.metrics_scope or "全部 (whole graph)"


_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em auto;
max-width:64em;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right}
.task{border-left:4px solid #4a7;padding:.2em .8em;margin:1em 0}
.support .task{border-left-color:#47a}
blockquote{color:#555;background:#fafafa;margin:.4em 0;padding:.4em .8em;border-left:3px solid #ddd}
.meta{color:#666;font-size:.9em}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(head: list[str], rows: list[list[Any]]) -> str:
    cells = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{_e(c)}</td>' if isinstance(c, int) else f"<td>{_e(c)}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _html_tasks(entries: tuple[TaskEntry, ...]) -> str:
    if not entries:
        return "<p>(无 none)</p>"
    parts = []
    for n, e in enumerate(entries, 1):
        items = [
            f"牵头 (lead): {_SEP.join(e.leads) or '-'}",
            f"配合 (support): {_SEP.join(e.supports) or '-'}",
        ]
        items += [f"涉及 (involves): {_involves(e)}"] if e.features else []
        lis = "".join(f"<li>{_e(item)}</li>" for item in items)
        parts.append(
            f'<div class="task"><h3>{n}. {_e(e.task)}</h3><ul>{lis}'
            f'<li class="meta">来源 (source): {_e(_source(e))}</li></ul>'
            f"<blockquote>{_e(e.quote)}</blockquote></div>"
        )
    return "".join(parts)


def _html(report: DepartmentReport) -> str:
    """A self-contained page: inline CSS, no scripts, no external resources, all text escaped."""
    summary = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in _summary(report))
    rows = [
        [p.label, p.jurisdiction, p.shared_tasks, p.it_supports, p.it_leads, p.other] for p in report.partners
    ]
    partners = _table(_PARTNER_COLUMNS, rows) if rows else "<p>(无 none)</p>"
    features = "".join(f"<li>{_e(zh)} ({_e(t)}): {_e(uses)}</li>" for t, zh, uses in _feature_lines(report))
    if report.metrics is None:
        metrics = "<p>(无任务 no tasks)</p>"
    else:
        metrics = f'<p class="meta">网络范围 (network): {_e(_scope(report))}</p>' + _table(
            ["measure", "value", "meaning"], [list(r) for r in _metric_rows(report)]
        )
    warnings = "".join(f'<p class="meta">warning: {_e(w)}</p>' for w in report.warnings)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(report.name)} 责任清单</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(report.name)} 责任清单 <small>(responsibility map)</small></h1>\n"
        f"<table>{summary}</table>\n"
        f'<section class="lead"><h2>牵头任务 (tasks led)</h2>{_html_tasks(report.led)}</section>\n'
        f'<section class="support"><h2>配合任务 (tasks supported)</h2>'
        f"{_html_tasks(report.supported)}</section>\n"
        f"<section><h2>合作单位 (partners)</h2>{partners}</section>\n"
        f"<section><h2>涉及的道路、轨道、住房、项目与地点 (what its tasks involve)</h2>"
        f"<ul>{features or '<li>(无 none)</li>'}</ul></section>\n"
        f"<section><h2>网络指标 (centrality)</h2>{metrics}{warnings}</section>\n"
        "</body>\n</html>\n"
    )


def _xlsx(report: DepartmentReport) -> bytes:
    sheets: list[tuple[str, list[list[Any]]]] = [
        (
            "概况 summary",
            [[k, v] for k, v in _summary(report)]
            + ([["网络范围 (network)", report.metrics_scope]] if report.metrics else [])
            + [[name, value, meaning] for name, value, meaning in _metric_rows(report)],
        ),
        ("牵头 led", [_TASK_COLUMNS, *(_task_row(e) for e in report.led)]),
        ("配合 supported", [_TASK_COLUMNS, *(_task_row(e) for e in report.supported)]),
        (
            "合作单位 partners",
            [
                _PARTNER_COLUMNS,
                *(
                    [p.label, p.jurisdiction, p.shared_tasks, p.it_supports, p.it_leads, p.other]
                    for p in report.partners
                ),
            ],
        ),
        (
            "涉及 involves",
            [
                ["type", "类型", "name", "tasks", "iri"],
                *(
                    [u.type, FEATURE_TYPES.get(u.type, u.type), u.label, u.tasks, u.iri]
                    for u in report.features
                ),
            ],
        ),
    ]
    return _workbook(sheets)


def render_matrix(matrix: Matrix, fmt: str) -> str | bytes:
    """The matrix as CSV (text) or xlsx (bytes): task columns, then one column per agency.

    Raises:
        ValueError: unknown format.
    """
    head = ["task", "document", "task_iri", *(label for _, label in matrix.agencies)]
    rows = [
        [t.label, doc, t.iri, *cells]
        for t, doc, cells in zip(matrix.tasks, matrix.task_documents, matrix.cells, strict=True)
    ]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(head)
        writer.writerows(rows)
        return buffer.getvalue()
    if fmt == "xlsx":
        legend = [["L", "牵头 (lead)"], ["S", "配合 (support)"], ["L/S", "both"]]
        return _workbook([("矩阵 matrix", [head, *rows]), ("说明 legend", legend)])
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(MATRIX_FORMATS)}")


def _workbook(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
    """An xlsx file of plain sheets (first row bold), byte-identical for the same content."""
    from datetime import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
        for cell in sheet[1] if rows else ():
            cell.font = Font(bold=True)
    # openpyxl stamps the current time into the document properties and the zip entries
    fixed = datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    return _fix_zip_times(buffer.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fix_zip_times(data: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to now when saving
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(entry, data)
    return out.getvalue()


def write_output(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path`` atomically; return ``path``.

    Raises:
        OutputError: the file cannot be written.
    """
    import os

    from kg.export import OutputError, write_atomic

    if isinstance(content, str):
        write_atomic(path, content)
        return path
    # write_atomic takes text; bytes (xlsx) go through the same temp-file-and-rename steps
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(path, f"cannot write the file ({exc.strerror or exc})") from exc
    return path
