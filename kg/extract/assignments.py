"""Lead/support assignments in tables, label lines, brackets and tails: normalised text -> Assignments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.units import is_unit_name, looks_like_unit_list, split_units
from kg.models import Assignment

__all__ = ["extract_assignments", "classify_column", "first_sentence"]

# ---------------------------------------------------------------------------------------------
# Column headers
# ---------------------------------------------------------------------------------------------

_COLUMN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("seq", re.compile(r"^(?:序号|编号|序|号|No\.?|NO\.?)$")),
    ("other", re.compile(r"(?:领导|时限|时间|进度|备注|完成情况|节点|要求|成效|联系人|电话|类别|分类|金额|投资)")),
    ("lead", re.compile(r"(?:牵头|主要责任|主责|主办)(?:单位|部门|责任单位)?")),
    ("support", re.compile(r"(?:配合|协办|协同|协助|协作|参与|相关)(?:单位|部门)")),
    ("resp", re.compile(r"^(?:责任|承办|实施|落实|主体)(?:单位|部门|主体)$|^责任单位")),
    ("task", re.compile(r"(?:任务|工作|内容|事项|措施|举措|目标|项目|指标)")),
)
_UNIT_ROLES = ("lead", "support", "resp")


def classify_column(label: str) -> str | None:
    """Role of a table column from its header label, or None when it is not a header label.

    >>> [classify_column(x) for x in ("序号", "目标任务", "牵头单位", "协同配合单位", "责任单位", "完成时限")]
    ['seq', 'task', 'lead', 'support', 'resp', 'other']
    >>> classify_column("主要责任单位"), classify_column("推进城市更新")
    ('lead', None)
    """
    label = re.sub(r"[\s:：*]", "", label)
    if not label or len(label) > 10:
        return None
    for role, pattern in _COLUMN_PATTERNS:
        if pattern.search(label):
            return role
    return None


def _is_header(roles: list[str | None]) -> bool:
    present = set(roles)
    return None not in present and "task" in present and bool(present & {"lead", "resp"})


# ---------------------------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:[(（]?[0-9一二三四五六七八九十]{1,3}[)）]|[0-9]{1,3}[.、．)]|[一二三四五六七八九十]{1,3}[、.]"
    r"|[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[,、]?)\s*"
)
_ENUMERATOR = re.compile(
    r"(?:^|(?<=[。;:\s]))(?:[一二三四五六七八九十]{1,3}是|[(（][0-9一二三四五六七八九十]{1,3}[)）]|[0-9]{1,3}[.、．](?!\d))"
)
_SENTENCE_END = re.compile(r"[。;]")


def first_sentence(text: str) -> str:
    """A task as the gold defines it: the text up to its first 。 or ;, without its number.

    >>> first_sentence("2.推动闲置岸线资源高效集约利用。开工两个项目。")
    '推动闲置岸线资源高效集约利用'
    """
    text = _NUMBERING.sub("", text.strip(), count=1)
    return _SENTENCE_END.split(text, maxsplit=1)[0].strip(" ,、:“”")


# ---------------------------------------------------------------------------------------------
# Rows -> assignments
# ---------------------------------------------------------------------------------------------

_FIRST_LEADS = re.compile(r"(?:排在?第一位|排名第一|排序第一|列第一位|第一个|第一家|首位|排在首位|第一)\S{0,8}(?:为|是)\S{0,4}牵头")


@dataclass(frozen=True)
class _Row:
    cells: tuple[str, ...]
    start: int
    end: int
    quote: str


def _units(cell: str) -> tuple[str, ...]:
    return tuple(u for u in split_units(cell) if len(u) <= 45)


def _row_assignment(roles: list[str | None], row: _Row, *, first_leads: bool, layout: str) -> Assignment | None:
    task_cells = [c for r, c in zip(roles, row.cells) if r == "task" and c.strip()]
    if not task_cells:
        return None
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    resp: tuple[str, ...] = ()
    for role, cell in zip(roles, row.cells):
        if role == "lead":
            lead += _units(cell)
        elif role == "support":
            support += _units(cell)
        elif role == "resp":
            resp += _units(cell)
    if "lead" in roles:
        support = resp + support if not lead or resp != lead else support
        if not lead and resp:
            lead, support = resp, support[len(resp):]
    elif resp:
        if first_leads and len(resp) > 1:
            lead, support = resp[:1], resp[1:] + support
        else:
            lead = resp
    if not lead and not support:
        return None
    task = first_sentence(task_cells[0])
    if not task:
        return None
    return Assignment(task, lead, support, row.start, row.end, layout, row.quote)


# ---------------------------------------------------------------------------------------------
# Layout 1: tables flattened one cell per line
# ---------------------------------------------------------------------------------------------

_SEQ_LINE = re.compile(r"^\s*(\d{1,3})\s*[.、]?\s*$")


def _line_starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    starts.append(pos)
    return starts


def _header_run(lines: list[str], i: int) -> tuple[list[str], int, bool] | None:
    """Header labels starting at line i, one per line (blank lines between allowed)."""
    roles: list[str] = []
    j, blank_separated = i, False
    while j < len(lines):
        cell = lines[j].strip()
        if not cell:
            if j + 1 < len(lines) and lines[j + 1].strip() and roles:
                blank_separated = True
                j += 1
                continue
            break
        role = classify_column(cell)
        if role is None:
            break
        roles.append(role)
        j += 1
    if len(roles) >= 2 and _is_header(list(roles)):
        return roles, j, blank_separated
    return None


def _segment_cells(segment: list[str], width: int, blank_separated: bool) -> list[str] | None:
    """Cells of one flattened row from its lines, using the blank-line structure; None if unsure."""
    if blank_separated:
        if any(line.strip() for line in segment[0::2]):
            return None
        cells = [line.strip() for line in segment[1::2]]
    else:
        cells = [line.strip() for line in segment]
    while len(cells) > width and not cells[-1]:
        cells.pop()
    if len(cells) > width:
        return None
    return cells + [""] * (width - len(cells))


def _content_cells(segment: list[str], roles: list[str]) -> list[str]:
    """Fallback: the leading non-unit lines are the task; unit-list lines fill the unit columns."""
    lines = [line.strip() for line in segment if line.strip()]
    unit_lines: list[str] = []
    while lines and looks_like_unit_list(lines[-1]) and len(unit_lines) < sum(r in _UNIT_ROLES for r in roles):
        unit_lines.insert(0, lines.pop())
    task = "".join(lines)
    cells = []
    for role in roles:
        if role == "task":
            cells.append(task)
            task = ""
        elif role in _UNIT_ROLES:
            cells.append(unit_lines.pop(0) if unit_lines else "")
        else:
            cells.append("")
    return cells


def _flattened_rows(lines: list[str], starts: list[int]) -> Iterator[tuple[list[str], _Row, str]]:
    i = 0
    while i < len(lines):
        found = _header_run(lines, i)
        if not found:
            i += 1
            continue
        roles, i, blank_separated = found
        body_roles = [r for r in roles if r != "seq"]
        # rows run to the next header run or the end of the text
        end = i
        while end < len(lines) and not (lines[end].strip() and _header_run(lines, end)):
            end += 1
        if "seq" in roles:
            anchors: list[int] = []
            expected = None
            for k in range(i, end):
                m = _SEQ_LINE.match(lines[k])
                if m and (expected is None or int(m.group(1)) in (expected, 1)):
                    anchors.append(k)
                    expected = int(m.group(1)) + 1
            for n, a in enumerate(anchors):
                b = anchors[n + 1] if n + 1 < len(anchors) else end
                segment = lines[a + 1 : b]
                cells = _segment_cells(segment, len(body_roles), blank_separated)
                if cells is None:
                    cells = _content_cells(segment, body_roles)
                last = max((k for k in range(a, b) if lines[k].strip()), default=a)
                quote = " | ".join(c for c in cells if c)
                yield body_roles, _Row(tuple(cells), starts[a], starts[last] + len(lines[last]), quote), "table"
        else:
            cells_all = [line.strip() for line in lines[i:end]]
            if blank_separated:
                cells_all = cells_all[1::2]
            width = len(body_roles)
            for n in range(0, len(cells_all) - width + 1, width):
                cells = cells_all[n : n + width]
                unit_cells = [c for r, c in zip(body_roles, cells) if r in _UNIT_ROLES and c]
                if not unit_cells or not all(looks_like_unit_list(c) for c in unit_cells):
                    break
                quote = " | ".join(c for c in cells if c)
                yield body_roles, _Row(tuple(cells), starts[i], starts[end] - 1, quote), "table"
        i = end


# ---------------------------------------------------------------------------------------------
# Layout 2: one row per line, cells separated by | or tabs
# ---------------------------------------------------------------------------------------------

_CELL_SEP = re.compile(r"\s*[|\t]\s*")


def _line_cells(line: str) -> list[str] | None:
    if "|" not in line and "\t" not in line:
        return None
    cells = _CELL_SEP.split(line.strip())
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    return cells if len(cells) >= 2 else None


def _pipe_rows(lines: list[str], starts: list[int]) -> Iterator[tuple[list[str], _Row, str]]:
    roles: list[str] | None = None
    for n, line in enumerate(lines):
        cells = _line_cells(line)
        if cells is None:
            if line.strip():
                roles = None
            continue
        cell_roles = [classify_column(c) for c in cells]
        if _is_header(cell_roles):
            roles = [r or "other" for r in cell_roles]
            continue
        if roles is None:
            continue
        row_roles = list(roles)
        if "seq" in roles and len(cells) == len(roles) - 1 and not re.fullmatch(r"\d{1,3}", cells[0]):
            row_roles = [r for r in roles if r != "seq"]  # a row printed without its number
        width = len(row_roles)
        cells = (cells + [""] * width)[:width]
        body = [(r, c) for r, c in zip(row_roles, cells) if r != "seq"]
        row = _Row(tuple(c for _, c in body), starts[n], starts[n] + len(line), line.strip())
        yield [r for r, _ in body], row, "pipe"


# ---------------------------------------------------------------------------------------------
# Layouts 3-5: label lines, brackets, tails
# ---------------------------------------------------------------------------------------------

_LEAD_LABELS = r"牵头单位|牵头部门|主要责任单位|主责单位|牵头"
_SUPPORT_LABELS = r"配合单位|配合部门|协同配合单位|协办单位|协同单位|协助单位|参与单位|相关单位"
_RESP_LABELS = r"责任单位|责任部门|承办单位|实施单位"
_LABEL = re.compile(rf"({_LEAD_LABELS}|{_SUPPORT_LABELS}|{_RESP_LABELS})\s*[:：]\s*")
_LABEL_GROUP = re.compile(
    rf"(?:{_LEAD_LABELS}|{_SUPPORT_LABELS}|{_RESP_LABELS})\s*[:：][^\n\[\]【】()]*"
)
_BRACKET = re.compile(r"[\[【(]\s*((?:" + _LEAD_LABELS + "|" + _SUPPORT_LABELS + "|" + _RESP_LABELS + r")\s*[:：][^\]】)\n]*)[\]】)]")
_TAIL = re.compile(r"\(([^()\n]{2,200}?(?:牵头|负责|配合|协助|参与)[^()\n]{0,100}?)\)")
_TAIL_PART = re.compile(
    r"^(?P<units>.+?)(?P<role>牵头负责|牵头|按职责分工负责|按职责负责|分工负责|共同负责|负责|配合|协助|参与|协同)$"
)


def _label_roles(body: str) -> dict[str, tuple[str, ...]]:
    """Units per role from ``牵头单位:X;责任单位:Y`` (labels split the text)."""
    found: dict[str, tuple[str, ...]] = {"lead": (), "support": (), "resp": ()}
    parts = _LABEL.split(body)
    for label, value in zip(parts[1::2], parts[2::2]):
        role = "lead" if re.fullmatch(_LEAD_LABELS, label) else "support" if re.fullmatch(_SUPPORT_LABELS, label) else "resp"
        found[role] += _units(value)
    return found


def _roles_to_lists(found: dict[str, tuple[str, ...]], *, first_leads: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    lead, support, resp = found["lead"], found["support"], found["resp"]
    if lead:
        return lead, resp + support
    if first_leads and len(resp) > 1:
        return resp[:1], resp[1:] + support
    return resp, support


def _tail_roles(body: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    for part in re.split(r"[,;]", body):
        m = _TAIL_PART.match(part.strip())
        if not m:
            return None
        units = _units(m.group("units"))
        if not units or not all(is_unit_name(u) for u in units):
            return None
        role = m.group("role")
        if role.startswith("牵头"):
            lead += units
        elif role == "负责" and not lead:
            other += units
        else:
            support += units
    if not lead:
        lead, other = other, ()
    if not lead:
        return None
    return lead, other + support


def _task_before(text: str, line_start: int, marker_start: int, floor: int) -> tuple[str, int]:
    """The task a marker belongs to: from the last enumerator (or line start) before it, first sentence."""
    start = max(line_start, floor)
    region = text[start:marker_start]
    enums = list(_ENUMERATOR.finditer(region))
    if enums:
        start += enums[-1].start()
        region = text[start:marker_start]
    # a marker after a finished sentence belongs to that sentence, not to an empty one
    sentences = [s for s in _SENTENCE_END.split(region) if s.strip()]
    if not sentences:
        return "", start
    if not enums and len(sentences) > 1:
        # no enumerator: the marker closes the last sentence of the line
        offset = region.rfind(sentences[-1])
        return first_sentence(sentences[-1]), start + offset
    return first_sentence(region), start


def _inline_assignments(text: str, *, first_leads: bool, taken: list[tuple[int, int]]) -> Iterator[Assignment]:
    markers: list[tuple[int, int, str, tuple[tuple[str, ...], tuple[str, ...]]]] = []
    for m in _BRACKET.finditer(text):
        lead, support = _roles_to_lists(_label_roles(m.group(1)), first_leads=first_leads)
        if lead or support:
            markers.append((m.start(), m.end(), "bracket", (lead, support)))
    for m in _TAIL.finditer(text):
        if any(s <= m.start() < e for s, e, _, _ in markers):
            continue
        roles = _tail_roles(m.group(1))
        if roles:
            markers.append((m.start(), m.end(), "tail", roles))
    for m in _LABEL_GROUP.finditer(text):
        if any(s <= m.start() < e for s, e, _, _ in markers):
            continue
        lead, support = _roles_to_lists(_label_roles(m.group()), first_leads=first_leads)
        if lead or support:
            markers.append((m.start(), m.end(), "label", (lead, support)))
    markers.sort()
    floor = 0
    pending_label: Assignment | None = None
    for start, end, layout, (lead, support) in markers:
        if any(s <= start < e for s, e in taken):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        task, task_start = _task_before(text, line_start, start, floor)
        if layout == "label" and not task:
            # label lines under their task: the task is the previous non-label line
            if pending_label and pending_label.end >= line_start - 1:
                merged = Assignment(
                    pending_label.task,
                    pending_label.lead + lead,
                    pending_label.support + support,
                    pending_label.start,
                    line_end,
                    "label",
                    pending_label.quote + "\n" + text[line_start:line_end].strip(),
                )
                pending_label = merged
                floor = end
                continue
            prev_end = line_start - 1
            prev_start = text.rfind("\n", 0, max(prev_end - 1, 0)) + 1
            while prev_start > 0 and not text[prev_start:prev_end].strip():
                prev_end = prev_start - 1
                prev_start = text.rfind("\n", 0, max(prev_end - 1, 0)) + 1
            task = first_sentence(text[prev_start:prev_end])
            task_start = prev_start
        if pending_label:
            yield _fix_label_roles(pending_label)
            pending_label = None
        if not task:
            floor = end
            continue
        quote = text[task_start:end].strip()
        found = Assignment(task, lead, support, task_start, end, layout, quote)
        if layout == "label":
            pending_label = found
        else:
            yield found
        floor = end
    if pending_label:
        yield _fix_label_roles(pending_label)


def _fix_label_roles(a: Assignment) -> Assignment:
    return a


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def extract_assignments(text: str) -> tuple[Assignment, ...]:
    """Every task the text gives to named units, in text order.

    >>> text = "序号\\n\\n目标任务\\n\\n牵头单位\\n\\n配合单位\\n\\n1\\n\\n新建绿道8公里。\\n\\n区住建局\\n\\n各街道"
    >>> [(a.task, a.lead, a.support) for a in extract_assignments(text)]
    [('新建绿道8公里', ('区住建局',), ('各街道',))]
    """
    lines = text.split("\n")
    starts = _line_starts(lines)
    first_leads = bool(_FIRST_LEADS.search(text))
    found: list[Assignment] = []
    for roles, row, layout in list(_flattened_rows(lines, starts)) + list(_pipe_rows(lines, starts)):
        a = _row_assignment(list(roles), row, first_leads=first_leads, layout=layout)
        if a:
            found.append(a)
    taken = [(a.start, a.end) for a in found]
    found.extend(_inline_assignments(text, first_leads=first_leads, taken=taken))
    found.sort(key=lambda a: (a.start, a.end))
    return tuple(found)
