"""Header block of a government page (索引号, 发布机构, 成文日期, 文号, 主题分类, title): text -> Header."""

from __future__ import annotations

import re

from kg.models import Header

__all__ = ["extract_header", "normalize_date", "HEADER_LABELS"]

#: Label as printed -> Header field (None: a known label whose value we do not keep; it still
#: ends the previous value). Government sites use several synonyms for each field.
HEADER_LABELS: dict[str, str | None] = {
    "索引号": "index_no",
    "信息索引号": "index_no",
    "发布机构": "publisher",
    "发文机关": "publisher",
    "发文机构": "publisher",
    "发文单位": "publisher",
    "发布单位": "publisher",
    "成文日期": "date",
    "成文时间": "date",
    "发文日期": "date",
    "发布日期": "published",
    "发布时间": "published",
    "公开日期": "published",
    "生成日期": "published",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发文文号": "doc_number",
    "主题分类": "topic",
    "主题类别": "topic",
    "体裁分类": None,
    "组配分类": None,
    "服务对象分类": None,
    "公开方式": None,
    "公开范围": None,
    "公开时限": None,
    "公开形式": None,
    "有效性": None,
    "主题词": None,
    "信息来源": None,
    "来源": None,
    "所属机构": None,
    "标题": "title",
    "名称": "title",
}

# Labels may be printed with spaces inside ("文 号") and a full- or half-width colon.
_LABEL_RE = re.compile(
    "(?:"
    + "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(HEADER_LABELS, key=len, reverse=True))
    + r")\s*[:：]?"
)
_SPACES = re.compile(r"\s+")
_CELL_SPLIT = re.compile(r"\s*(?:\||\t|\n)\s*")
_INDEX_NO = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-/_.]{3,}$")
_DATE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
_HEADER_LINES = 40
_LOOSE_LABELS = frozenset({"名称", "标题", "来源"})
_ENUMERATED = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]")
_TITLE_WORDS = re.compile(
    r"(工作|报告|计划|方案|总结|思路|分解|情况|通知|意见|要点|清单|安排|规划|办法|公告|决定|任务|纪要)"
)


def normalize_date(value: str) -> str | None:
    """Return an ISO date from the common Chinese spellings, or None.

    >>> normalize_date("2025年3月8日")
    '2025-03-08'
    >>> normalize_date("2024-04-01 10:00") , normalize_date("无")
    ('2024-04-01', None)
    """
    m = _DATE.search(value)
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _label_field(label_text: str) -> str | None:
    key = _SPACES.sub("", label_text).rstrip(":：")
    return HEADER_LABELS.get(key)


def _starts_cell(head: str, m: re.Match[str]) -> bool:
    """True when a label match is a header label, not a word inside a value or the body.

    A label starts a cell (line start, after a pipe, tab or space); with its colon it may also
    follow the previous value directly (``…/2024-1发布机构:区民政局``), except the common words
    名称, 标题 and 来源.
    """
    before = head[m.start() - 1] if m.start() else "\n"
    if before in "\n|\t ":
        return True
    key = _SPACES.sub("", m.group())
    return key.endswith((":", "：")) and key.rstrip(":：") not in _LOOSE_LABELS


def _first_cell(value_text: str) -> str | None:
    # in a pipe row the value sits in the label's own row: an empty cell there means no value,
    # not the next line (which is usually the title)
    first_line = value_text.split("\n", 1)[0]
    if "|" in first_line:
        value_text = first_line
    for cell in _CELL_SPLIT.split(value_text):
        cell = cell.strip(" |")
        if cell:
            return cell
    return None


def _clean_value(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    if field in ("date", "published"):
        return normalize_date(value)
    if field == "index_no":
        value = _SPACES.sub("", value)
        return value if _INDEX_NO.match(value) else None
    if field == "publisher":
        # a value on the same line as other label/value pairs ends at the first space
        value = value.split(" ")[0]
    return value or None


def _find_title(lines: list[str], last_header_line: int) -> str | None:
    for line in lines[last_header_line + 1 : last_header_line + 8]:
        candidate = line.strip(" |\t")
        if not candidate or _LABEL_RE.match(candidate):
            continue
        if _ENUMERATED.match(candidate):  # a section heading ("一、...") starts the body
            return None
        if (
            6 <= len(candidate) <= 80  # a table's column label (目标任务) is no title
            and not candidate.endswith(("。", ";"))
            and _TITLE_WORDS.search(candidate)
        ):
            return candidate
        if len(candidate) > 80:
            return None
    return None


def extract_header(text: str) -> Header:
    """Read the metadata block at the top of a normalised document.

    Handles pipe tables (``索引号: | 123/2024-1 | 主题分类: | 政务公开 |``), several pairs on one
    line separated by spaces, label and value on separate lines, and repeated blocks (the first
    non-empty value wins). A label followed directly by another label has no value.

    >>> h = extract_header("索引号: | 123456789/2024-1 | 主题分类: | 政务公开 |\\n"
    ...                    "文 号: | 发布机构: | 区民政局 |\\n成文日期 2024年5月6日\\n区民政局2024年工作要点")
    >>> (h.index_no, h.publisher, h.date, h.doc_number, h.topic, h.title)
    ('123456789/2024-1', '区民政局', '2024-05-06', None, '政务公开', '区民政局2024年工作要点')
    """
    lines = text.split("\n")
    head = "\n".join(lines[:_HEADER_LINES])
    found: dict[str, str] = {}
    matches = list(_LABEL_RE.finditer(head))
    last_line = -1
    for i, m in enumerate(matches):
        if not _starts_cell(head, m):
            continue
        field = _label_field(m.group())
        end = matches[i + 1].start() if i + 1 < len(matches) else len(head)
        last_line = max(last_line, head.count("\n", 0, m.start()))
        if field is None or field in found:
            continue
        value = _clean_value(field, _first_cell(head[m.end() : end]))
        if value:
            found[field] = value
            last_line = max(last_line, head.count("\n", 0, m.end() + head[m.end() : end].find(value)))
    date = found.get("date") or found.get("published")
    title = found.get("title") or _find_title(lines, last_line)
    return Header(
        index_no=found.get("index_no"),
        publisher=found.get("publisher"),
        date=date,
        doc_number=found.get("doc_number"),
        topic=found.get("topic"),
        title=title,
    )
