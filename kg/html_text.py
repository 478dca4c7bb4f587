"""HTML page -> body text (each table row one ``| cell | cell |`` line), row locations, attachment links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from kg.models import Link, Location

_CUT_TAG = re.compile(r"<(?:!--(?:(?!-->).)*|[!/A-Za-z][^<>]*)\Z", re.S)

__all__ = ["HtmlPage", "parse_html", "html_to_text", "join_cell_lines", "ATTACHMENT_SUFFIXES"]

#: Links to files with these extensions are a page's attachments.
ATTACHMENT_SUFFIXES = (".doc", ".docx", ".xls", ".xlsx", ".pdf", ".wps", ".et", ".zip", ".rar", ".7z")
# Opaque download links (download.jsp?id=12, /attach/get?fid=3) count when their text names a file
# or starts with 附件.
_DOWNLOAD_HREF = re.compile(r"download|attach|fujian|getfile|downfile|filedown", re.IGNORECASE)
_ATTACHMENT_TEXT = re.compile(
    r"^\s*附件|\.(?:" + "|".join(s[1:] for s in ATTACHMENT_SUFFIXES) + r")\s*$", re.IGNORECASE
)
# Marks the start of a table row in the parser's output until the rows' locations are taken.
_ROW_MARK = "\x00"
_MAX_SPAN = 1000

# Elements whose content is never document text.
_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "title", "nav", "aside", "object", "canvas"}
    | {"button", "select"}  # UI labels such as 打印本页 / 关闭窗口, drop-down site lists
)
# header/footer are page chrome, except inside an article/main/section (where <header> holds the title).
_CHROME_TAGS = frozenset({"header", "footer"})
_CONTENT_TAGS = frozenset({"article", "main", "section"})
_NAV_ATTR_RE = re.compile(r"nav|menu|breadcrumb|footer|header|sidebar|toolbar|share|copyright", re.IGNORECASE)
# The id/class rule is not applied to these: a <tr class="header"> is a table's heading row, and a
# class on <body> says nothing about navigation.
_NO_ATTR_RULE = frozenset({"html", "body", "main", "tr", "td", "th", "thead", "tbody", "tfoot"})
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"}
    | {"track", "wbr"}
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "thead", "tfoot", "tr", "ul", "body", "html", "br",
    }
)  # fmt: skip
# Elements that start a new scope: an end tag does not close anything beyond them.
_SCOPE_TAGS = frozenset({"table", "td", "th", "caption", "html"})
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
_LINE_SPACE_RE = re.compile(r"[ \t]+")


@dataclass
class _Table:
    """A table being parsed: the row and cell open now."""

    layout: bool = False  # holds a nested table: rendered as plain blocks, not pipe rows
    row: list[str] | None = None
    cell: list[str] | None = None
    span: tuple[int, int] = (1, 1)  # rowspan and colspan of the open cell
    # column -> [rows still to fill, text] of the cells merged down from rows above
    pending: dict[int, list] = field(default_factory=dict)
    rows: int = 0  # rows started so far
    number: int = 0  # the table's number among the tables that wrote rows (0: none yet)


@dataclass
class _Open:
    """An element on the open-element stack."""

    tag: str
    skip: bool
    table: _Table | None = field(default=None)


class _TextExtractor(HTMLParser):
    """Collect body text: blocks on their own lines, table rows as ``| a | b |`` lines; and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[_Open] = []
        self.tables: list[_Table] = []
        self.pre = 0
        self.at_line_start = True
        self.row_labels: list[str] = []  # "table T, row R" of each row line written, in order
        self.tables_written = 0
        self.links: list[Link] = []
        self.link: tuple[str, list[str]] | None = None  # the open <a href>: href, text so far

    # -- where text goes

    def _cell(self) -> list[str] | None:
        """The open cell of the innermost table, unless that table is a layout table."""
        if self.tables and not self.tables[-1].layout:
            return self.tables[-1].cell
        return None

    def _write(self, text: str) -> None:
        cell = self._cell()
        if cell is not None:
            cell.append(text)
            return
        self.out.append(text)
        if not text.isspace():
            self.at_line_start = text.endswith("\n")

    def _line_break(self, *, hard: bool = False) -> None:
        """End the current line; a soft break adds nothing at the start of a line, a hard one (<br>) does."""
        cell = self._cell()
        if cell is not None:
            cell.append("\n")  # a <br> or <p> inside a cell: joined by join_cell_lines
        elif hard or not self.at_line_start:
            self.out.append("\n")
            self.at_line_start = True

    # -- parser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        skipping = bool(self.stack) and self.stack[-1].skip
        if tag in _VOID_TAGS:
            if not skipping and tag in ("br", "hr"):
                self._line_break(hard=tag == "br")
            return
        self._close_implied(tag)
        skipping = bool(self.stack) and self.stack[-1].skip
        skip = skipping or self._is_chrome(tag, attrs)
        entry = _Open(tag, skip)
        self.stack.append(entry)
        if skip:
            return
        if tag == "pre":
            self.pre += 1
        if tag == "a":
            href = dict(attrs).get("href")
            self.link = (href.strip(), []) if href and href.strip() else None
        if tag == "table":
            if self.tables and self.tables[-1].cell is not None and not self.tables[-1].layout:
                self._to_layout(self.tables[-1])
            self._line_break()
            entry.table = _Table()
            self.tables.append(entry.table)
        elif tag == "tr" and self.tables:
            self._end_row(self.tables[-1])
            self.tables[-1].row = []
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            self._end_cell(table)
            if table.row is None:
                table.row = []
            table.cell = []
            values = dict(attrs)
            table.span = (_span(values.get("rowspan")), _span(values.get("colspan")))
            if table.layout:
                self._line_break()
        elif tag in _BLOCK_TAGS:
            self._line_break()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            open_tag = self.stack[index].tag
            if open_tag == tag:
                while len(self.stack) > index:
                    self._pop()
                return
            if open_tag in _SCOPE_TAGS and tag not in ("table", "tr", "td", "th", "tbody", "thead", "tfoot"):
                return  # a stray end tag inside a cell must not close the elements around the table
            if open_tag == "table":
                return

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1].skip:
            return
        data = data.replace(_ROW_MARK, "")
        if self.link is not None:
            self.link[1].append(data)
        if self.pre and self._cell() is None:
            self._write(data.replace("\r\n", "\n"))
        else:
            self._write(_HTML_SPACE_RE.sub(" ", data))

    def close(self) -> None:
        super().close()
        while self.stack:
            self._pop()

    # -- structure

    def _is_chrome(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """Is the element script, style, navigation or other page chrome?"""
        if tag in _DROP_TAGS:
            return True
        if tag in _CHROME_TAGS and not any(entry.tag in _CONTENT_TAGS for entry in self.stack):
            return True
        if tag in _NO_ATTR_RULE:
            return False
        return any(name in ("id", "class") and value and _NAV_ATTR_RE.search(value) for name, value in attrs)

    def _close_implied(self, tag: str) -> None:
        """Close the elements a start tag closes implicitly (an open <p>, <li>, <td>, <tr>)."""
        if tag in ("td", "th", "tr"):
            stops = ("tr", "table") if tag != "tr" else ("table",)
            self._pop_to(("td", "th") if tag != "tr" else ("tr",), stops)
        elif tag == "li":
            self._pop_to(("li",), ("ul", "ol", "table"))
        elif tag in ("dt", "dd"):
            self._pop_to(("dt", "dd"), ("dl", "table"))
        elif tag == "body":
            self._pop_to(("head",), ("html",))
        elif tag in _BLOCK_TAGS and self.stack and self.stack[-1].tag == "p":
            self._pop()

    def _pop_to(self, tags: tuple[str, ...], stops: tuple[str, ...]) -> None:
        """Pop up to and including the nearest open element in ``tags``, unless a ``stops`` comes first."""
        for index in range(len(self.stack) - 1, -1, -1):
            open_tag = self.stack[index].tag
            if open_tag in tags:
                while len(self.stack) > index:
                    self._pop()
                return
            if open_tag in stops:
                return

    def _pop(self) -> None:
        entry = self.stack.pop()
        if entry.skip:
            return
        tag = entry.tag
        if tag == "pre":
            self.pre -= 1
        if tag == "a" and self.link is not None:
            self._end_link(*self.link)
            self.link = None
        if entry.table is not None:
            self._end_row(entry.table)
            self.tables.remove(entry.table)
            self._line_break()
        elif tag in ("td", "th") and self.tables:
            self._end_cell(self.tables[-1])
        elif tag == "tr" and self.tables:
            self._end_row(self.tables[-1])
        elif tag in _BLOCK_TAGS:
            self._line_break()

    def _end_link(self, href: str, text: list[str]) -> None:
        label = " ".join("".join(text).split())
        if _is_attachment(href, label):
            self.links.append(Link(href, label))

    def _end_cell(self, table: _Table) -> None:
        if table.cell is None:
            return
        if table.layout:
            self._line_break()
        elif table.row is not None:
            self._fill_pending(table, to_end=False)
            text = join_cell_lines("".join(table.cell).split("\n"))
            rowspan, colspan = table.span
            for k in range(colspan):
                if rowspan > 1:  # merged down: the text repeats below, as in Word and Excel
                    table.pending[len(table.row)] = [rowspan - 1, text if k == 0 else ""]
                table.row.append(text if k == 0 else "")  # merged across: the text once
        table.cell = None
        table.span = (1, 1)

    def _fill_pending(self, table: _Table, *, to_end: bool) -> None:
        """Put the cells merged down from rows above into the open row.

        Before a cell: while the next column is one of them. At the end of the row (``to_end``):
        those further right too, with empty cells in the columns between.
        """
        assert table.row is not None
        while True:
            col = len(table.row)
            if col in table.pending:
                left, text = table.pending[col]
                table.row.append(text)
                if left <= 1:
                    del table.pending[col]
                else:
                    table.pending[col][0] = left - 1
            elif to_end and any(c > col for c in table.pending):
                table.row.append("")
            else:
                return

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        if table.row is not None and not table.layout:
            self._fill_pending(table, to_end=True)
            table.rows += 1
        if table.row and not table.layout and any(table.row):
            self._line_break()
            if not table.number:
                self.tables_written += 1
                table.number = self.tables_written
            self.row_labels.append(f"table {table.number}, row {table.rows}")
            self._write(_ROW_MARK + "| " + " | ".join(table.row) + " |\n")
        table.row = None

    def _to_layout(self, table: _Table) -> None:
        """A nested table makes its parent a layout table: write its open row's cells as blocks."""
        cells = [*(table.row or []), " ".join("".join(table.cell or []).split())]
        table.layout = True
        table.pending.clear()
        for cell in cells:
            if cell:
                self._line_break()
                self._write(cell)
        self._line_break()
        table.row = None
        table.cell = []


@dataclass(frozen=True)
class HtmlPage:
    """What a page gives: body text, the source location of its table rows, attachment links."""

    text: str
    locations: tuple[Location, ...]  # (start, end, "table T, row R") in ``text``
    links: tuple[Link, ...]


def parse_html(markup: str) -> HtmlPage:
    """Extract the body text of an HTML page, the locations of its table rows and its attachments.

    Drops scripts, styles, the title and navigation (nav/header/footer/aside, and elements whose
    id or class names a menu, breadcrumb, sidebar, ...); block elements start new lines and each
    table row becomes one ``| cell | cell |`` line. A cell with ``colspan`` gives its text once and
    empty cells after it; one with ``rowspan`` repeats its text in each row it spans. Tables are
    numbered in the order their first row is written, rows counting every ``<tr>``. Attachment
    links are ``<a href>`` to .doc/.docx/.xls/.xlsx/.pdf/.wps/.zip files, and opaque download links
    whose text starts with 附件 or names such a file.

    Args:
        markup: the decoded HTML.

    Returns:
        The text (at most one blank line in a row, no trailing spaces), the row locations and the
        links in page order.

    >>> page = parse_html('<p>通知</p><table><tr><td rowspan="2">区住建局</td><td>任务一</td></tr>'
    ...                   '<tr><td>任务二</td></tr></table><a href="f/%E8%A1%A8.xlsx">附件:表</a>')
    >>> page.text
    '通知\\n| 区住建局 | 任务一 |\\n| 区住建局 | 任务二 |\\n附件:表\\n'
    >>> page.locations
    ((3, 17, 'table 1, row 1'), (18, 32, 'table 1, row 2'))
    >>> page.links
    (Link(href='f/%E8%A1%A8.xlsx', text='附件:表'),)
    """
    parser = _TextExtractor()
    # a page cut off mid-tag or mid-comment: html.parser would flush the fragment as text
    parser.feed(_CUT_TAG.sub("", markup))
    parser.close()
    labels = iter(parser.row_labels)
    lines: list[str] = []
    locations: list[Location] = []
    pos = 0
    for raw in "".join(parser.out).split("\n"):
        label = next(labels, None) if _ROW_MARK in raw else None
        line = _LINE_SPACE_RE.sub(" ", raw.replace(_ROW_MARK, "")).rstrip().lstrip(" \t")
        if not line and not (lines and lines[-1]):
            continue
        if label is not None and line:
            locations.append((pos, pos + len(line), label))
        lines.append(line)
        pos += len(line) + 1
    while lines and not lines[-1]:
        lines.pop()
    text = "\n".join(lines)
    return HtmlPage(text + "\n" if text else "", tuple(locations), tuple(parser.links))


def html_to_text(markup: str) -> str:
    """Extract the body text of an HTML page (see :func:`parse_html`).

    >>> html_to_text("<nav>首页</nav><p>总则</p><table><tr><th>序号</th><td>任务<br>内容</td></tr></table>")
    '总则\\n| 序号 | 任务 内容 |\\n'
    """
    return parse_html(markup).text


def join_cell_lines(lines: Iterable[str]) -> str:
    """The lines of a table cell as one line: a row stays one line.

    Lines that each name units (区财政局 / 区资规分局, one per line in a 配合单位 cell) are
    joined with 、 so that they stay separate units; other lines with a space.

    >>> join_cell_lines(["区财政局", " 区资规分局"]), join_cell_lines(["推进道路改造。", "完成三条", ""])
    ('区财政局、区资规分局', '推进道路改造。 完成三条')
    """
    from kg.extract.units import looks_like_unit_list

    parts = [" ".join(line.split()) for line in lines]
    parts = [p for p in parts if p]
    if len(parts) > 1 and all(looks_like_unit_list(p) for p in parts):
        return "、".join(parts)
    return " ".join(parts)


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a count from 1 (0, junk and huge values count as 1)."""
    try:
        count = int((value or "1").strip())
    except ValueError:
        return 1
    return count if 1 <= count <= _MAX_SPAN else 1


def _is_attachment(href: str, text: str) -> bool:
    """Does the link point to an attached file?

    >>> _is_attachment("P0201.xlsx?t=1", "任务表"), _is_attachment("download.jsp?id=9", "附件:任务表")
    (True, True)
    >>> _is_attachment("/col/col1.html", "附件下载说明"), _is_attachment("download.jsp?id=9", "下载")
    (False, False)
    """
    if href.lower().startswith(("javascript:", "mailto:", "#")):
        return False
    path = unquote(urlsplit(href).path).lower()
    if path.endswith(ATTACHMENT_SUFFIXES):
        return True
    opaque = not re.search(r"\.s?html?$", path)
    return opaque and bool(_DOWNLOAD_HREF.search(href)) and bool(_ATTACHMENT_TEXT.search(text))
