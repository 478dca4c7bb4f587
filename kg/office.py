"""Word, Excel and PDF files -> text lines with source locations (tables as ``| cell | cell |`` rows).

Every format is rendered in the shape the extractors read from ``.txt`` and ``.html``: paragraphs
as lines and each table row as one pipe line (its header row included). Merged cells follow one
rule everywhere: a cell merged across columns gives its text once and empty cells after it, so
the columns stay aligned; a cell merged down rows repeats its text in each row it spans, as the
牵头单位 of a task group applies to every task in the group.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import DecodeError, EmptyDocumentError, UnsupportedFormatError
from kg.html_text import join_cell_lines
from kg.models import Location

__all__ = ["LocatedText", "read_docx", "read_xlsx", "read_pdf", "format_row"]

_ZIP_MAGIC = b"PK\x03\x04"
# Office encrypts a password-protected .docx/.xlsx into an OLE compound file, the container of
# the legacy .doc/.xls formats too: either way the file is no Office Open XML zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NEWLINES = re.compile(r"\s*[\r\n\v\f\u2028\u2029]+\s*")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# Page furniture of PDFs: "- 3 -", "—3—", "第 3 页 共 5 页", "3/5"; dropped so that a table
# continued on the next page stays one table.
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*\d{1,4}[-—–\s]*$|^第\s*\d+\s*页(?:\s*[,,/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)


@dataclass(frozen=True)
class LocatedText:
    """Text in the extractors' shape and the source location of each of its lines."""

    text: str
    locations: tuple[Location, ...]


@dataclass
class _Writer:
    """Collects lines and their location labels; at most one blank line in a row."""

    lines: list[str] = field(default_factory=list)
    labels: list[str | None] = field(default_factory=list)

    def line(self, text: str, label: str | None) -> None:
        text = _SPACES.sub(" ", text).strip()
        if text:
            self.lines.append(text)
            self.labels.append(label)
        elif self.lines and self.lines[-1]:
            self.lines.append("")
            self.labels.append(None)

    def row(self, cells: Sequence[str], label: str) -> None:
        self.line(format_row(cells), label)

    def result(self) -> LocatedText:
        while self.lines and not self.lines[-1]:
            self.lines.pop()
            self.labels.pop()
        locations: list[Location] = []
        pos = 0
        for text, label in zip(self.lines, self.labels, strict=True):
            if label is not None:
                locations.append((pos, pos + len(text), label))
            pos += len(text) + 1
        text = "\n".join(self.lines)
        return LocatedText(text + "\n" if text else "", tuple(locations))


def format_row(cells: Sequence[str]) -> str:
    """One table row as a pipe line; a ``|`` inside a cell becomes ``/`` so the columns hold.

    >>> format_row(["1", "新建绿道", "", "区住建局|区城管局"])
    '| 1 | 新建绿道 | | 区住建局/区城管局 |'
    """
    return _SPACES.sub(" ", "| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |")


def _join_lines(text: str, *, wrapped: bool = False) -> str:
    """A multi-line cell as one line.

    Lines written as separate lines (Word paragraphs, Excel line breaks) are joined as HTML cells
    are (:func:`kg.html_text.join_cell_lines`: units with 、, other lines with a space). Lines
    wrapped by a PDF's layout are joined directly, except between two Latin letters or digits.

    >>> _join_lines("推进道路改造。\\n完成三条"), _join_lines("推进道路改\\n造 road\\nworks", wrapped=True)
    ('推进道路改造。 完成三条', '推进道路改造 road works')
    """
    parts = [p for p in _NEWLINES.split(text.strip()) if p]
    if not wrapped:
        return join_cell_lines(parts)
    out = parts[0] if parts else ""
    for part in parts[1:]:
        glue = (
            " "
            if out[-1:].isascii() and out[-1:].isalnum() and part[:1].isascii() and part[:1].isalnum()
            else ""
        )
        out += glue + part
    return out


def _trim_columns(rows: list[list[str]]) -> list[list[str]]:
    """Drop the columns after the last one holding text (sheets often run far to the right)."""
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    return [(row + [""] * width)[:width] for row in rows]


def _check_zip(path: Path, data_head: bytes, kind: str, save_as: str) -> None:
    """Refuse what is not an Office Open XML zip, with the likely reason."""
    if data_head.startswith(_OLE_MAGIC):
        raise UnsupportedFormatError(
            path,
            f"password-protected or not an Office Open XML file (an OLE compound file: an encrypted "
            f"{kind} or a legacy {kind} saved under this name); remove the password, or open it and "
            f"save as {save_as}",
        )
    if not data_head.startswith(_ZIP_MAGIC):
        raise DecodeError(
            path,
            f"not a valid {save_as} file (no zip signature); check the download or re-save it as {save_as}",
        )
    if not zipfile.is_zipfile(path):
        raise DecodeError(
            path,
            f"damaged {save_as} file (the zip archive is truncated or corrupt); "
            "download it again or re-save it",
        )


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)


# --------------------------------------------------------------------------- Word


def read_docx(path: Path) -> LocatedText:
    """Read a ``.docx``: paragraphs and tables in document order.

    Locations: ``"paragraph N"`` (counting non-empty body paragraphs) and ``"table T, row R"``.
    Headers, footers, footnotes and text boxes are not read.

    Raises:
        UnsupportedFormatError: an encrypted (password-protected) file or a renamed ``.doc``.
        DecodeError: a damaged file or not a Word document.
        EmptyDocumentError: no text in any paragraph or table.
    """
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import XMLSyntaxError

    _check_zip(path, _head(path), "Word document", ".docx")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OpcError, XMLSyntaxError) as exc:
        raise DecodeError(
            path, f"damaged or not a Word document ({_reason(exc)}); open it in Word and save as .docx"
        ) from exc
    writer = _Writer()
    counts = {"paragraph": 0, "table": 0}
    for block in _docx_blocks(document.element.body):
        if block.tag == _W + "p":
            _docx_paragraph(block, document, writer, counts)
        else:
            counts["table"] += 1
            label = f"table {counts['table']}"
            for row_no, cells in _docx_rows(block, document):
                writer.row(cells, f"{label}, row {row_no}")
            writer.line("", None)
    result = writer.result()
    if not result.text:
        raise EmptyDocumentError(
            path, "no text in any paragraph or table; check that the file is not a scan or images only"
        )
    return result


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(parent: Any) -> Iterator[Any]:
    """Body paragraphs and tables in order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _docx_blocks(content)


def _docx_paragraph(p: Any, document: Any, writer: _Writer, counts: dict[str, int]) -> None:
    from docx.text.paragraph import Paragraph

    text = Paragraph(p, document).text
    if not text.strip():
        writer.line("", None)
        return
    counts["paragraph"] += 1
    for line in _NEWLINES.split(text):
        writer.line(line, f"paragraph {counts['paragraph']}")


def _docx_cell_text(tc: Any, document: Any) -> str:
    """A cell's paragraphs (and nested tables' cells) as one line."""
    from docx.table import _Cell

    cell = _Cell(tc, document)
    parts = [p.text for p in cell.paragraphs]
    for table in cell.tables:
        parts.extend(c.text for row in table.rows for c in row.cells)
    return _join_lines("\n".join(parts))


def _docx_rows(tbl: Any, document: Any) -> Iterator[tuple[int, list[str]]]:
    """The rows of a table as cell texts, merged cells resolved; numbered from 1, empty rows skipped."""
    grid: list[list[str]] = []
    above: dict[int, str] = {}  # grid column -> text of the cell last started there
    for tr in tbl.tr_lst:
        cells = [""] * tr.grid_before
        for tc in tr.tc_lst:
            col, span = len(cells), tc.grid_span
            if tc.vMerge == "continue":
                text = above.get(col, "")  # the cell merged down from above
            else:
                text = _docx_cell_text(tc, document)
                above[col] = text
            cells.append(text)
            cells.extend([""] * (span - 1))
        grid.append(cells)
    for row_no, cells in enumerate(_trim_columns(grid), start=1):
        if any(cells):
            yield row_no, cells


# --------------------------------------------------------------------------- Excel


def read_xlsx(path: Path) -> LocatedText:
    """Read every sheet of a ``.xlsx``: one pipe line per row, merged cells resolved.

    The header row is the first row whose labels name a task column and a unit column (序号,
    目标任务, 牵头单位, 配合单位, 责任单位, 完成时限, ...). Rows above it holding one value (the
    title, 附件1) become plain lines; the header row and the rows below it are pipe lines. Cached
    values are read for formulas. Location: ``"sheet NAME, row R"`` (the row number Excel shows).

    Raises:
        UnsupportedFormatError: an encrypted (password-protected) workbook or a renamed ``.xls``.
        DecodeError: a damaged file or not an Excel workbook.
        EmptyDocumentError: every sheet is empty.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(path, _head(path), "workbook", ".xlsx")
    try:
        # Not read_only: merged ranges are only known to a fully loaded worksheet.
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, InvalidFileException) as exc:
        raise DecodeError(
            path, f"damaged or not an Excel workbook ({_reason(exc)}); open it in Excel and save as .xlsx"
        ) from exc
    writer = _Writer()
    try:
        for sheet in book.worksheets:
            _write_sheet(sheet, writer)
    finally:
        book.close()
    result = writer.result()
    if not result.text:
        raise EmptyDocumentError(path, "every sheet is empty (no cell holds a value); check the file")
    return result


def _write_sheet(sheet: Any, writer: _Writer) -> None:
    from kg.extract.assignments import classify_column

    rows = _sheet_rows(sheet)
    if not rows:
        return
    header = next((n for n, (_, cells) in enumerate(rows) if _is_header_row(cells, classify_column)), None)
    for n, (row_no, cells) in enumerate(rows):
        label = f"sheet {sheet.title}, row {row_no}"
        values = [c for c in cells if c]
        if (header is None or n < header) and len(values) == 1:
            writer.line(values[0], label)
        else:
            writer.row(cells, label)
    writer.line("", None)


def _is_header_row(cells: Sequence[str], classify: Any) -> bool:
    roles = {classify(c) for c in cells if c}
    return "task" in roles and bool(roles & {"lead", "resp"})


def _sheet_rows(sheet: Any) -> list[tuple[int, list[str]]]:
    """Non-empty rows of a sheet as ``(row number, cell texts)``, merged cells resolved."""
    merged: dict[tuple[int, int], tuple[int, int]] = {}  # cell -> the top-left cell it shows, or itself
    for rng in sheet.merged_cells.ranges:
        for row in range(rng.min_row, rng.max_row + 1):
            for col in range(rng.min_col, rng.max_col + 1):
                merged[(row, col)] = (rng.min_row, rng.min_col)
    texts: dict[tuple[int, int], str] = {}
    grid: list[list[str]] = []
    numbers: list[int] = []
    for row in sheet.iter_rows(min_row=1, min_col=1):
        cells: list[str] = []
        for cell in row:
            key = (cell.row, cell.column)
            origin = merged.get(key, key)
            if origin == key:
                texts[key] = _cell_text(cell.value)
                cells.append(texts[key])
            elif origin[1] == key[1]:
                cells.append(texts.get(origin, ""))  # merged down: the value applies to this row too
            else:
                cells.append("")  # merged across: the value is shown once
        if row:
            grid.append(cells)
            numbers.append(row[0].row)
    return [(n, cells) for n, cells in zip(numbers, _trim_columns(grid), strict=True) if any(cells)]


def _cell_text(value: object) -> str:
    """A cell value as text: whole numbers without ``.0``, dates as ISO dates.

    >>> _cell_text(3.0), _cell_text(2.5), _cell_text(dt.datetime(2024, 12, 31))
    ('3', '2.5', '2024-12-31')
    >>> _cell_text(" 区住建局\\n区财政局 ")
    '区住建局、区财政局'
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return _join_lines(str(value))


# --------------------------------------------------------------------------- PDF


def read_pdf(path: Path) -> LocatedText:
    """Read a ``.pdf`` with a text layer: ruled tables as pipe lines, the other text as lines.

    Each page's tables (found by their ruling lines) and text lines are put in reading order by
    their vertical position; page numbers are dropped. Lines wrapped inside a table cell are
    joined. Locations: ``"page P, table T, row R"`` and ``"page P, line L"``.

    Raises:
        UnsupportedFormatError: a password-protected PDF.
        DecodeError: a damaged file or not a PDF.
        EmptyDocumentError: no page has a text layer (a scan: run OCR first).
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise DecodeError(path, "not a PDF file (no %PDF header); check the download")
    writer = _Writer()
    has_chars = False
    try:
        with pdfplumber.open(path) as pdf:
            if not pdf.pages:
                raise EmptyDocumentError(path, "the PDF has no pages; check the download")
            for number, page in enumerate(pdf.pages, start=1):
                has_chars = _write_page(page, number, writer) or has_chars
                page.close()
    except (PdfminerException, MalformedPDFException, PSException) as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnsupportedFormatError(
                path, "password-protected PDF; remove the password (e.g. qpdf --decrypt IN OUT) and try again"
            ) from exc
        raise DecodeError(path, f"damaged PDF ({_reason(cause)}); re-save or re-download it") from exc
    if not has_chars:
        raise EmptyDocumentError(
            path, "no text layer: scanned PDF, run OCR first; e.g. ocrmypdf IN.pdf OUT.pdf"
        )
    return writer.result()


def _write_page(page: Any, number: int, writer: _Writer) -> bool:
    """Write one page's tables and lines in reading order; True when the page has any text."""
    if not page.chars:
        return False
    tables = page.find_tables()
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    blocks: list[tuple[float, int, list[tuple[list[str] | str, str]]]] = []
    line_no = 0
    for line in outside.extract_text_lines():
        text = line["text"].strip()
        if not text or _PAGE_NUMBER.match(text):
            continue
        line_no += 1
        blocks.append((line["top"], 1, [(text, f"page {number}, line {line_no}")]))
    for t, table in enumerate(tables, start=1):
        rows = [(cells, f"page {number}, table {t}, row {r}") for r, cells in _pdf_rows(table)]
        if rows:
            blocks.append((table.bbox[1], 0, rows))
    blocks.sort(key=lambda block: (block[0], block[1]))
    for _top, _kind, items in blocks:
        for content, label in items:
            if isinstance(content, str):
                writer.line(content, label)
            else:
                writer.row(content, label)
    return True


def _pdf_rows(table: Any) -> Iterator[tuple[int, list[str]]]:
    """A pdfplumber table's rows, merged cells resolved; numbered from 1, empty rows skipped.

    pdfplumber gives None for the grid slots a merged cell covers: the covering cell decides
    whether the slot repeats its text (merged down) or stays empty (merged across).
    """
    raw = table.extract()
    xs = sorted({cell[0] for cell in table.cells})
    tops = sorted({cell[1] for cell in table.cells})
    texts = [[_join_lines(c, wrapped=True) if c is not None else None for c in row] for row in raw]
    grid: list[list[str]] = []
    for r, row in enumerate(texts):
        cells: list[str] = []
        for c, text in enumerate(row):
            if text is None:
                text = _covered(table.cells, xs, tops, r, c, texts)
            cells.append(text)
        grid.append(cells)
    for row_no, cells in enumerate(_trim_columns(grid), start=1):
        if any(cells):
            yield row_no, cells


def _covered(
    cells: Iterable[tuple[float, float, float, float]],
    xs: Sequence[float],
    tops: Sequence[float],
    r: int,
    c: int,
    texts: Sequence[Sequence[str | None]],
) -> str:
    """The text of an empty grid slot: the covering cell's when it lies straight above."""
    if r >= len(tops) or c >= len(xs):
        return ""
    x, y = xs[c], tops[r]
    for x0, top, x1, bottom in cells:
        if x0 <= x < x1 and top <= y < bottom and (x0, top) != (x, y):
            if x0 == x and top in tops:
                text = texts[tops.index(top)][c]
                return text or ""
            return ""
    return ""


def _reason(exc: BaseException) -> str:
    """A short, one-line reason from a library exception."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
