"""Tests for kg.office and its use by ingest and the pipeline: one task table in five formats, bad files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from kg.errors import DecodeError, EmptyDocumentError, UnsupportedFormatError
from kg.export import extraction_record
from kg.ingest import read_document
from kg.office import read_docx, read_pdf, read_xlsx
from kg.pipeline import extract_path, extract_paths

TITLE = "杭州市西湖区2024年重点任务分解表"
INTRO = "各街道、各部门:现将重点任务分解如下。"
HEADER = ["序号", "目标任务", "牵头单位", "配合单位"]
TASK_LINES = ["推进文三路综合整治。", "完成沿街立面改造"]  # one task cell written on two lines
LEAD = "西湖区住房和城乡建设局"  # one cell merged down over rows 1 and 2
ROWS = [
    ["1", "\n".join(TASK_LINES), LEAD, "西湖区城市管理局、北山街道"],
    ["2", "新建保障性租赁住房1000套", LEAD, "西湖区发展和改革局"],
    ["3", "推进之江路改造提升", "西湖区交通运输局", "转塘街道、西湖区财政局"],
]
CLOSING = "请各单位抓好落实。"
EXPECTED = [
    ("推进文三路综合整治", ("西湖区住房和城乡建设局",), ("西湖区城市管理局", "北山街道")),
    ("新建保障性租赁住房1000套", ("西湖区住房和城乡建设局",), ("西湖区发展和改革局",)),
    ("推进之江路改造提升", ("西湖区交通运输局",), ("转塘街道", "西湖区财政局")),
]
FONT = "STSong-Light"  # a CID font reportlab ships: no font file needed, and pdfplumber reads it back


# --------------------------------------------------------------------------- the table in each format


def make_txt(path: Path) -> Path:
    rows = [HEADER, *([r[0], r[1].replace("\n", ""), *r[2:]] for r in ROWS)]
    lines = [TITLE, INTRO, *("| " + " | ".join(row) + " |" for row in rows), CLOSING]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_html(path: Path) -> Path:
    head = "".join(f"<th>{c}</th>" for c in HEADER)
    body = [
        f"<tr><td>1</td><td>{'<br>'.join(TASK_LINES)}</td>"
        f'<td rowspan="2">{LEAD}</td><td>{ROWS[0][3]}</td></tr>',
        f"<tr><td>2</td><td>{ROWS[1][1]}</td><td>{ROWS[1][3]}</td></tr>",
        "<tr>" + "".join(f"<td>{c}</td>" for c in ROWS[2]) + "</tr>",
    ]
    page = (
        f'<html><head><meta charset="gbk"><title>{TITLE}</title></head><body>'
        f'<div class="nav">首页</div><h1>{TITLE}</h1><p>{INTRO}</p>'
        f"<table><tr>{head}</tr>{''.join(body)}</table><p>{CLOSING}</p></body></html>"
    )
    path.write_bytes(page.encode("gbk"))
    return path


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(INTRO)
    document.add_paragraph("")
    table = document.add_table(rows=4, cols=4)
    for col, label in enumerate(HEADER):
        table.cell(0, col).text = label
    for r, row in enumerate(ROWS, start=1):
        for col, value in enumerate(row):
            if col == 2 and r == 2:
                continue  # merged into the cell above
            cell = table.cell(r, col)
            lines = value.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)  # a second paragraph in the cell
    table.cell(1, 2).merge(table.cell(2, 2))
    document.add_paragraph(CLOSING)
    document.save(str(path))
    return path


def make_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务表"
    sheet.append([TITLE])
    sheet.merge_cells("A1:D1")  # the title across the table: a plain line
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([int(row[0]), *row[1:]])
    sheet["C4"] = None
    sheet.merge_cells("C3:C4")
    notes = book.create_sheet("说明")
    notes.append([INTRO])
    notes.append([CLOSING])
    book.save(path)
    return path


def make_pdf(path: Path) -> Path:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    style = ParagraphStyle("zh", fontName=FONT, fontSize=10, leading=14)
    data: list[list[object]] = [HEADER]
    for row in ROWS:
        data.append([row[0], Paragraph(row[1].replace("\n", "<br/>"), style), *row[2:]])
    data[2][2] = ""
    table = Table(data, colWidths=[30, 170, 130, 160])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (2, 1), (2, 2)),  # the lead cell merged down
            ]
        )
    )
    story = [Paragraph(TITLE, style), Paragraph(INTRO, style), table, Paragraph(CLOSING, style)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


MAKERS: dict[str, Callable[[Path], Path]] = {
    "txt": make_txt,
    "html": make_html,
    "docx": make_docx,
    "xlsx": make_xlsx,
    "pdf": make_pdf,
}


def assignments(path: Path) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    result = extract_path(path)
    assert result.problem is None, result.problem
    assert result.extraction is not None
    return [(a.task, a.lead, a.support) for a in result.extraction.assignments]


@pytest.mark.parametrize("fmt", list(MAKERS))
def test_the_same_table_gives_the_same_assignments_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = MAKERS[fmt](tmp_path / f"plan.{fmt}")
    assert assignments(path) == EXPECTED
    assert assignments(path) == assignments(make_txt(tmp_path / "reference.txt"))


@pytest.mark.parametrize(
    ("fmt", "sources"),
    [
        ("txt", ["plan.txt, line 4", "plan.txt, line 5", "plan.txt, line 6"]),
        ("html", ["plan.html, table 1, row 2", "plan.html, table 1, row 3", "plan.html, table 1, row 4"]),
        ("docx", ["plan.docx, table 1, row 2", "plan.docx, table 1, row 3", "plan.docx, table 1, row 4"]),
        ("xlsx", [f"plan.xlsx, sheet 任务表, row {n}" for n in (3, 4, 5)]),
        ("pdf", [f"plan.pdf, page 1, table 1, row {n}" for n in (2, 3, 4)]),
    ],
)  # fmt: skip
def test_each_assignment_names_its_file_and_location(tmp_path: Path, fmt: str, sources: list[str]) -> None:
    result = extract_path(MAKERS[fmt](tmp_path / f"plan.{fmt}"))
    assert result.extraction is not None
    record = extraction_record(result.extraction, result.document)
    assert [a["source"] for a in record["assignments"]] == sources
    lead = next(e for e in record["entities"] if e["text"] == "西湖区交通运输局")
    assert lead["sources"] == [sources[2]]


# --------------------------------------------------------------------------- text shape per format


def test_docx_gives_paragraphs_and_pipe_rows_in_document_order(tmp_path: Path) -> None:
    located = read_docx(make_docx(tmp_path / "plan.docx"))
    assert located.text == (
        f"{TITLE}\n{INTRO}\n\n"
        "| 序号 | 目标任务 | 牵头单位 | 配合单位 |\n"
        f"| 1 | 推进文三路综合整治。 完成沿街立面改造 | {LEAD} | 西湖区城市管理局、北山街道 |\n"
        f"| 2 | 新建保障性租赁住房1000套 | {LEAD} | 西湖区发展和改革局 |\n"
        "| 3 | 推进之江路改造提升 | 西湖区交通运输局 | 转塘街道、西湖区财政局 |\n"
        f"\n{CLOSING}\n"
    )
    labels = [label for _, _, label in located.locations]
    assert labels == [
        "paragraph 1",
        "paragraph 2",
        *(f"table 1, row {n}" for n in range(1, 5)),
        "paragraph 3",
    ]
    for start, end, _ in located.locations:
        assert "\n" not in located.text[start:end]


def test_docx_merged_across_gives_the_text_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "一、城市建设"
    for col, text in enumerate(["任务", "区住建局", "各街道"]):
        table.cell(1, col).text = text
    document.save(str(tmp_path / "t.docx"))
    assert read_docx(tmp_path / "t.docx").text == "| 一、城市建设 | | |\n| 任务 | 区住建局 | 各街道 |\n"


def test_xlsx_title_rows_are_lines_and_every_sheet_is_read(tmp_path: Path) -> None:
    located = read_xlsx(make_xlsx(tmp_path / "plan.xlsx"))
    assert located.text == (
        f"{TITLE}\n"
        "| 序号 | 目标任务 | 牵头单位 | 配合单位 |\n"
        f"| 1 | 推进文三路综合整治。 完成沿街立面改造 | {LEAD} | 西湖区城市管理局、北山街道 |\n"
        f"| 2 | 新建保障性租赁住房1000套 | {LEAD} | 西湖区发展和改革局 |\n"
        "| 3 | 推进之江路改造提升 | 西湖区交通运输局 | 转塘街道、西湖区财政局 |\n"
        f"\n{INTRO}\n{CLOSING}\n"
    )
    labels = [label for _, _, label in located.locations]
    assert labels == [
        *(f"sheet 任务表, row {n}" for n in range(1, 6)),
        "sheet 说明, row 1",
        "sheet 说明, row 2",
    ]


def test_xlsx_values_are_written_as_people_read_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "责任单位", "完成时限", None, None])
    sheet.append([1.0, "推进老旧小区改造", "区住建局", dt.datetime(2024, 12, 31), None, None])
    sheet["A5"] = "备注:每月报送进度"
    book.save(tmp_path / "t.xlsx")
    assert read_xlsx(tmp_path / "t.xlsx").text == (
        "| 序号 | 重点任务 | 责任单位 | 完成时限 |\n"
        "| 1 | 推进老旧小区改造 | 区住建局 | 2024-12-31 |\n"
        "| 备注:每月报送进度 | | | |\n"
    )


def test_pdf_text_outside_tables_keeps_its_place_and_wrapped_cell_lines_join(tmp_path: Path) -> None:
    located = read_pdf(make_pdf(tmp_path / "plan.pdf"))
    assert located.text == (
        f"{TITLE}\n{INTRO}\n"
        "| 序号 | 目标任务 | 牵头单位 | 配合单位 |\n"
        f"| 1 | 推进文三路综合整治。完成沿街立面改造 | {LEAD} | 西湖区城市管理局、北山街道 |\n"
        f"| 2 | 新建保障性租赁住房1000套 | {LEAD} | 西湖区发展和改革局 |\n"
        "| 3 | 推进之江路改造提升 | 西湖区交通运输局 | 转塘街道、西湖区财政局 |\n"
        f"{CLOSING}\n"
    )
    assert [label for _, _, label in located.locations][:3] == [
        "page 1, line 1",
        "page 1, line 2",
        "page 1, table 1, row 1",
    ]


def test_read_document_reports_the_office_formats(tmp_path: Path) -> None:
    for fmt in ("docx", "xlsx", "pdf"):
        raw = read_document(MAKERS[fmt](tmp_path / f"plan.{fmt}"))
        assert (raw.format, raw.encoding, raw.name) == (fmt, "binary", f"plan.{fmt}")
        assert raw.locations


# --------------------------------------------------------------------------- bad files


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def empty_workbook(path: Path) -> Path:
    openpyxl.Workbook().save(path)
    return path


def scanned_pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    page.rect(100, 500, 300, 200, fill=1)  # an image-only page: no text layer
    page.showPage()
    page.save()
    return path


def empty_docx(path: Path) -> Path:
    docx.Document().save(str(path))
    return path


OLE = bytes.fromhex("D0CF11E0A1B11AE1")
BAD_FILES: dict[str, tuple[Callable[[Path], Path], type[Exception], str]] = {
    "corrupt.docx": (
        lambda p: write_bytes(p, b"PK\x03\x04" + b"\x00garbage" * 50),
        DecodeError,
        "damaged .docx file (the zip archive is truncated or corrupt); download it again or re-save it",
    ),
    "renamed.docx": (
        lambda p: write_bytes(p, b"just some text, not a zip"),
        DecodeError,
        "not a valid .docx file (no zip signature); check the download or re-save it as .docx",
    ),
    "locked.xlsx": (
        lambda p: write_bytes(p, OLE + b"\x00\x01junk" * 100),
        UnsupportedFormatError,
        "password-protected or not an Office Open XML file (an OLE compound file: an encrypted workbook or "
        "a legacy workbook saved under this name); remove the password, or open it and save as .xlsx",
    ),
    "empty.xlsx": (
        empty_workbook,
        EmptyDocumentError,
        "every sheet is empty (no cell holds a value); check the file",
    ),
    "scan.pdf": (
        scanned_pdf,
        EmptyDocumentError,
        "no text layer: scanned PDF, run OCR first; e.g. ocrmypdf IN.pdf OUT.pdf",
    ),
    "broken.pdf": (
        lambda p: write_bytes(p, b"%PDF-1.4\n1 0 obj junk\n"),
        DecodeError,
        "damaged PDF",
    ),
    "blank.docx": (
        empty_docx,
        EmptyDocumentError,
        "no text in any paragraph or table; check that the file is not a scan or images only",
    ),
    "old.doc": (
        lambda p: write_bytes(p, OLE + b"\x00" * 100),
        UnsupportedFormatError,
        "Word 97-2003 .doc files are not read; convert it first: "
        "libreoffice --headless --convert-to docx old.doc",
    ),
    "old.xls": (
        lambda p: write_bytes(p, OLE + b"\x00" * 100),
        UnsupportedFormatError,
        "Excel 97-2003 .xls files are not read; convert it first: "
        "libreoffice --headless --convert-to xlsx old.xls",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_raises_one_clear_line(tmp_path: Path, name: str) -> None:
    make, error, message = BAD_FILES[name]
    path = make(tmp_path / name)
    with pytest.raises(error) as info:
        read_document(path)
    assert info.value.reason.startswith(message)
    assert "\n" not in str(info.value) and "; " in info.value.reason


def test_bad_files_are_problems_and_the_rest_of_the_folder_is_extracted(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, (make, _, _) in BAD_FILES.items():
        make(folder / name)
    make_xlsx(folder / "plan.xlsx")
    make_docx(folder / "plan2.docx")
    make_pdf(folder / "plan3.pdf")
    out = tmp_path / "out"
    report = extract_paths([folder], out)
    assert (report.documents, report.failed) == (len(BAD_FILES) + 3, len(BAD_FILES))
    assert sorted(p.doc for p in report.problems) == sorted(BAD_FILES)
    messages = {p.doc: p.message for p in report.problems}
    for name, (_, _, message) in BAD_FILES.items():
        assert messages[name].startswith(message)
    assert sorted(p.name for p in report.written) == ["plan.json", "plan2.json", "plan3.json"]
    assert report.assignments == 3 * len(EXPECTED)
