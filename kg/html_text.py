"""HTML page -> body text: navigation and scripts dropped, each table row one ``| cell | cell |`` line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["html_to_text"]

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


@dataclass
class _Open:
    """An element on the open-element stack."""

    tag: str
    skip: bool
    table: _Table | None = field(default=None)


class _TextExtractor(HTMLParser):
    """Collect body text: blocks on their own lines, table rows as ``| a | b |`` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[_Open] = []
        self.tables: list[_Table] = []
        self.pre = 0
        self.at_line_start = True

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
            cell.append(" ")  # a <br> or <p> inside a cell keeps the row on one line
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

    def _end_cell(self, table: _Table) -> None:
        if table.cell is None:
            return
        if table.layout:
            self._line_break()
        elif table.row is not None:
            table.row.append(" ".join("".join(table.cell).split()))
        table.cell = None

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        if table.row and not table.layout and any(table.row):
            self._line_break()
            self._write("| " + " | ".join(table.row) + " |\n")
        table.row = None

    def _to_layout(self, table: _Table) -> None:
        """A nested table makes its parent a layout table: write its open row's cells as blocks."""
        cells = [*(table.row or []), " ".join("".join(table.cell or []).split())]
        table.layout = True
        for cell in cells:
            if cell:
                self._line_break()
                self._write(cell)
        self._line_break()
        table.row = None
        table.cell = []


def html_to_text(markup: str) -> str:
    """Extract the body text of an HTML page.

    Drops scripts, styles, the title and navigation (nav/header/footer/aside, and elements whose
    id or class names a menu, breadcrumb, sidebar, ...); block elements start new lines and each
    table row becomes one ``| cell | cell |`` line.

    Args:
        markup: the decoded HTML.

    Returns:
        The text, with at most one blank line in a row and no trailing spaces.

    >>> html_to_text("<nav>首页</nav><p>总则</p><table><tr><th>序号</th><td>任务<br>内容</td></tr></table>")
    '总则\\n| 序号 | 任务 内容 |\\n'
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines: list[str] = []
    for line in "".join(parser.out).split("\n"):
        line = _LINE_SPACE_RE.sub(" ", line).rstrip().lstrip(" \t")
        if line or (lines and lines[-1]):
            lines.append(line)
    text = "\n".join(lines).strip("\n")
    return text + "\n" if text else ""
