"""Property tests (hypothesis) for the normaliser, the header parser and the table parser.

Each property runs a bounded number of examples (``SETTINGS``) so that the file stays within a
few seconds per test on two cores; failures are shrunk to a minimal example by hypothesis.
"""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.assignments import extract_assignments
from kg.extract.header import HEADER_LABELS, extract_header
from kg.normalize import normalize_text

# No example database: it would be written into the working tree (.hypothesis/).
SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

T2S = opencc.OpenCC("t2s")
REPO = Path(__file__).resolve().parent.parent

# Simplified characters that OpenCC t2s leaves alone, from a sample document (sorted: the
# strategies must not depend on set order).
SIMPLIFIED = "".join(
    sorted(
        {
            c
            for c in (REPO / "data/samples/003_b31d4c8d9ca6cfbf.txt").read_text(encoding="utf-8")
            if "\u4e00" <= c <= "\u9fff"
        }
        - set("一二三四五六七八九十第")
    )
)
SIMPLIFIED = "".join(c for c in SIMPLIFIED if T2S.convert(c) == c)
TRADITIONAL = "區業發穩規續現數鄉環優戰創統態協醫衛養鎮監執聯節設職質礎機構與臺灣著乾隆後裡"
GLOSSES = ("(qū)", "(fā)", "（yè）", "(zhǎn)", "(ｑū)", "(lǜ)", "(de)", "(km)", "(2024)")
SPECIAL = (
    "\r",
    "\n",
    "\r\n",
    "\u200b",
    "\ufeff",
    "\u3000",
    "\xa0",
    "ＡＢ１",
    "，",
    "：",
    "（",
    "）",
    "；",
    "|",
    "\t",
)

# Text mixing what the normaliser handles specially with anything else.
messy_text = st.lists(
    st.one_of(
        st.sampled_from(GLOSSES + SPECIAL),
        st.text(alphabet=SIMPLIFIED + TRADITIONAL, max_size=6),
        st.characters(),
    ),
    max_size=60,
).map("".join)
any_text = st.one_of(st.text(max_size=200), messy_text)

# Simplified text without glosses, full-width forms, zero-width characters or \r.
plain_text = st.text(
    alphabet=SIMPLIFIED + string.ascii_letters + string.digits + " ,.;:()-/|\n\t。、“”《》", max_size=200
)


# --------------------------------------------------------------------------- normaliser


@SETTINGS
@given(any_text)
def test_normalize_offsets_map_every_output_character_back(text: str) -> None:
    out, offsets = normalize_text(text)
    assert len(offsets) == len(out) + 1
    assert offsets[-1] == len(text)
    assert all(a <= b for a, b in zip(offsets, offsets[1:], strict=False)), "offsets must not decrease"
    assert all(0 <= o < len(text) for o in offsets[:-1])


@SETTINGS
@given(any_text)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)[0]
    assert normalize_text(once)[0] == once


def test_normalize_is_idempotent_on_every_cjk_character() -> None:
    # Exhaustive where random sampling would almost never hit a rare character.
    chars = [chr(c) for c in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00))]
    once = normalize_text("\n".join(chars))[0]
    twice = normalize_text(once)[0]
    changed = [c for c, a, b in zip(chars, once.split("\n"), twice.split("\n"), strict=True) if a != b]
    assert changed == []


@SETTINGS
@given(plain_text)
def test_normalize_keeps_plain_simplified_text(text: str) -> None:
    assert normalize_text(text) == (text, tuple(range(len(text) + 1)))


# --------------------------------------------------------------------------- header parser

NAME_CHARS = "".join(c for c in SIMPLIFIED if c not in "年月日")
LABELS = tuple(HEADER_LABELS)


def has_label(value: str) -> bool:
    """A header label inside a value would be read as the start of another field."""
    return any(label in value for label in LABELS)


def cjk(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=NAME_CHARS, min_size=min_size, max_size=max_size)


index_nos = st.builds(
    lambda org, year, serial: f"{org}/{year}-{serial}",
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=18),
    st.integers(1990, 2035),
    st.integers(1, 999999),
)
publishers = st.builds(
    lambda level, name, suffix: level + name + suffix,
    st.sampled_from(["区", "市", "县", ""]),
    cjk(2, 8),
    st.sampled_from(["局", "办公室", "中心", "委员会", "街道", "分局"]),
).filter(lambda v: not has_label(v))
topics = st.builds(
    lambda a, b: a + (f"/{b}" if b else ""), cjk(2, 8), st.one_of(st.just(""), cjk(2, 6))
).filter(lambda v: not has_label(v))
doc_numbers = st.one_of(
    st.none(),
    st.builds(lambda p, y, n: f"{p}〔{y}〕{n}号", cjk(2, 5), st.integers(2000, 2030), st.integers(1, 300)),
).filter(lambda v: v is None or not has_label(v))
titles = st.one_of(
    st.none(),
    st.builds(
        lambda head, year, word, tail: f"{head}{year}年{word}{tail}",
        cjk(2, 12),
        st.integers(2000, 2030),
        st.sampled_from(["工作要点", "工作计划", "工作总结", "实施方案", "任务分解"]),
        cjk(0, 10),
    ).filter(lambda v: not has_label(v)),
)
DATE_FORMATS = ("{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日", "{y}/{m:02d}/{d:02d}", "{y}.{m}.{d}")


@st.composite
def header_blocks(draw: st.DrawFn) -> tuple[str, dict[str, str | None]]:
    """A page header in one of the pipe layouts of data/samples, with random values."""
    day = draw(st.one_of(st.none(), st.dates(date(1949, 1, 1), date(2099, 12, 31))))
    values = {
        "index_no": draw(index_nos),
        "publisher": draw(publishers),
        "date": day.isoformat() if day else None,
        "doc_number": draw(doc_numbers),
        "topic": draw(topics),
        "title": draw(titles),
    }
    date_text = (
        draw(st.sampled_from(DATE_FORMATS)).format(y=day.year, m=day.month, d=day.day) if day else None
    )
    label = {
        "index_no": draw(st.sampled_from(["索引号", "信息索引号"])),
        "publisher": draw(st.sampled_from(["发布机构", "发文机关", "发文单位"])),
        "date": draw(st.sampled_from(["成文日期", "成文时间", "发文日期"])),
        "doc_number": draw(st.sampled_from(["文号", "文 号", "发文字号"])),
        "topic": draw(st.sampled_from(["主题分类", "主题类别"])),
    }
    shown = {**values, "date": date_text}
    pairs = [(label[f], shown[f] or "") for f in label if f != "date" or shown["date"]]
    # the last cell has a value: see test_empty_last_header_value_does_not_take_the_next_line
    pairs = [*draw(st.permutations([*pairs, ("体裁分类", "其他")])), ("公开方式", "主动公开")]
    colon = draw(st.sampled_from([":", ":", "："]))
    if draw(st.booleans()):  # two label/value pairs per row (samples 000, 002, 004)
        rows = [
            " | ".join(f"{lab}{colon} | {val}" for lab, val in pairs[k : k + 2]) + " |"
            for k in range(0, len(pairs), 2)
        ]
    else:  # one pair per row between outer pipes (sample 001)
        rows = [f"| {lab}{colon} | {val} |" for lab, val in pairs]
    lines = (
        rows
        + ([values["title"]] if values["title"] else [])
        + ["一、总体情况", "今年以来,各项工作稳步推进。"]
    )
    return "\n".join(lines) + "\n", values


@SETTINGS
@given(any_text)
def test_header_parser_never_crashes(text: str) -> None:
    header = extract_header(text)
    assert header.date is None or len(header.date) == 10


@SETTINGS
@given(header_blocks())
def test_header_block_values_round_trip(block: tuple[str, dict[str, str | None]]) -> None:
    text, values = block
    header = extract_header(normalize_text(text)[0])
    got = {field: getattr(header, field) for field in values}
    assert got == values


@pytest.mark.parametrize(
    "block",
    [
        "| 索引号: | 123456789/2024-1 |\n| 发布机构: | 区住建局 |\n| 文号: |  |\n",
        "索引号: | 123456789/2024-1 | 发布机构: | 区住建局 |\n成文日期: | 2024-01-02 | 主题分类: |  |\n",
    ],
    ids=["one-pair-rows", "two-pair-rows"],
)
def test_empty_last_header_value_does_not_take_the_next_line(block: str) -> None:
    header = extract_header(block + "区住建局2024年工作要点\n一、总体情况\n")
    assert (header.doc_number, header.topic, header.title) == (None, None, "区住建局2024年工作要点")


# --------------------------------------------------------------------------- table parser

UNITS = (
    "区住建局",
    "区交通运输局",
    "区财政局",
    "区发展和改革局",
    "区公共项目建设管理中心",
    "大碶街道",
    "各街道",
    "区委宣传部",
)
TASK_CHARS = "".join(c for c in SIMPLIFIED if c not in "牵头配合责任单位部门序号")

Row = tuple[str, tuple[str, ...], tuple[str, ...]]


@st.composite
def table_rows(draw: st.DrawFn) -> list[Row]:
    """Rows of (task, lead, support): a task of CJK text with inner commas, disjoint unit lists."""
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        core = draw(st.text(alphabet=TASK_CHARS + "0123456789,、", min_size=0, max_size=30))
        task = draw(st.sampled_from(TASK_CHARS)) + core + draw(st.sampled_from(TASK_CHARS))
        units = draw(st.permutations(UNITS))
        n_lead = draw(st.integers(1, 2))
        n_support = draw(st.integers(0, 3))
        rows.append((task, tuple(units[:n_lead]), tuple(units[n_lead : n_lead + n_support])))
    return rows


def flattened(rows: list[Row], *, spaced: bool, end: str) -> str:
    """A table flattened one cell per line (sample 003); with ``spaced``, a blank line after each cell."""
    cells = ["序号", "目标任务", "牵头单位", "配合单位"]
    for n, (task, lead, support) in enumerate(rows, 1):
        cells += [str(n), task + end, "、".join(lead), "、".join(support)]
    return "".join(c + ("\n\n" if spaced and c else "\n") for c in cells)


def piped(rows: list[Row], *, sep: str, end: str) -> str:
    """A table with one row per line, cells separated by `` | `` (sample 004) or tabs."""
    lines = [sep.join(["序号", "目标任务", "牵头单位", "配合单位"])]
    for n, (task, lead, support) in enumerate(rows, 1):
        lines.append(sep.join([str(n), task + end, "、".join(lead), "、".join(support)]))
    return "\n".join(line + (" |" if sep == " | " else "") for line in lines) + "\n"


def extracted(text: str) -> list[Row]:
    return [(a.task, a.lead, a.support) for a in extract_assignments(text)]


@SETTINGS
@given(table_rows(), st.booleans(), st.sampled_from(["", "。", "。完成年度目标。"]))
def test_flattened_table_rows_round_trip(rows: list[Row], spaced: bool, end: str) -> None:
    text = "2024年重点任务分解\n" + flattened(rows, spaced=spaced, end=end)
    assert extracted(text) == rows
    assert {a.layout for a in extract_assignments(text)} == {"table"}


@SETTINGS
@given(table_rows(), st.sampled_from([" | ", "\t"]), st.sampled_from(["", "。", "。完成年度目标。"]))
def test_pipe_table_rows_round_trip(rows: list[Row], sep: str, end: str) -> None:
    text = "2024年重点任务分解\n" + piped(rows, sep=sep, end=end)
    assert extracted(text) == rows
    assert {a.layout for a in extract_assignments(text)} == {"pipe"}


TABLE_PIECES = (
    *"序号 编号 目标任务 工作任务 牵头单位 配合单位 责任单位 完成时限 1 2 12".split(), "", "", *UNITS,
    "区住建局、各街道", "推进城市更新。", "[牵头单位:区财政局;责任单位:各街道]", "(区城管局牵头,各街道配合)",
    "牵头单位:", "配合单位:区民政局", " | ", "\t", "|", "(", ")", "。", ";",
)  # fmt: skip


@SETTINGS
@given(
    st.one_of(
        any_text,
        st.lists(st.one_of(st.sampled_from(TABLE_PIECES), cjk(0, 8)), max_size=80).map("\n".join),
        st.lists(st.sampled_from(TABLE_PIECES), max_size=80).map("".join),
    )
)
def test_table_parser_never_crashes_and_spans_are_in_the_text(text: str) -> None:
    assignments = extract_assignments(text)
    assert [a.start for a in assignments] == sorted(a.start for a in assignments)
    for a in assignments:
        assert 0 <= a.start <= a.end <= len(text)
        assert a.task and (a.lead or a.support)
        assert a.layout in ("table", "pipe", "label", "bracket", "tail")


def bracketed(rows: list[Row]) -> str:
    """Numbered tasks each closed by ``[牵头单位:X;配合单位:Y]``."""
    lines = []
    for n, (task, lead, support) in enumerate(rows, 1):
        tail = f";配合单位:{'、'.join(support)}" if support else ""
        lines.append(f"{n}.{task}。[牵头单位:{'、'.join(lead)}{tail}]")
    return "\n".join(lines) + "\n"


def tailed(rows: list[Row]) -> str:
    """Numbered tasks each closed by ``(X牵头,Y配合)``."""
    lines = []
    for n, (task, lead, support) in enumerate(rows, 1):
        tail = f",{'、'.join(support)}配合" if support else ""
        lines.append(f"{n}.{task}({'、'.join(lead)}牵头{tail})。")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(table_rows(), st.sampled_from([bracketed, tailed]))
def test_bracket_and_tail_rows_round_trip(rows: list[Row], render) -> None:  # noqa: ANN001
    assert extracted(render(rows)) == rows


# --------------------------------------------------------------------------- the department table


def department_names() -> list[str]:
    """Every bureau/committee/center/office of kg/data/agency_names.tsv, full and short, with 区."""
    names = []
    for line in (REPO / "kg/data/agency_names.tsv").read_text(encoding="utf-8").splitlines()[2:]:
        full, short, kind = line.split("\t")
        if kind in ("bureau", "committee", "center", "office") and full not in ("街道办事处", "党政办公室"):
            names += ["区" + n for n in (full, *filter(None, short.split(",")))]
    return names


def department_rows() -> list[Row]:
    return [(f"推进第{n}项重点工作", (name,), ("各街道",)) for n, name in enumerate(department_names(), 1)]


def not_extracted(rows: list[Row], text: str) -> list[str]:
    """The lead units of the rows that do not come back whole."""
    got = extracted(text)
    return [lead[0] for task, lead, support in rows if (task, lead, support) not in got]


def test_pipe_tables_accept_every_department_of_the_agency_table() -> None:
    rows = department_rows()
    assert extracted(piped(rows, sep=" | ", end="。")) == rows


# The names of kg/data/agency_names.tsv that kg.extract.units.is_unit_name rejects.
REJECTED = (
    "区发展改革委, 区经信委, 区卫健委 (委 after 改/信/健 is not in AGENCY_SUFFIX) and 区档案馆 (no 馆 suffix)"
)


def test_flattened_tables_accept_every_department_of_the_agency_table() -> None:
    rows = department_rows()
    assert not_extracted(rows, flattened(rows, spaced=True, end="。")) == []


def test_tails_accept_every_department_of_the_agency_table() -> None:
    rows = department_rows()
    assert not_extracted(rows, tailed(rows)) == []


@pytest.mark.parametrize("collective", ["各镇(街道)", "各区县(市)", "各区(县、市)人民政府", "市级有关部门"])
def test_tails_accept_collectives_with_parentheses(collective: str) -> None:
    assert extracted(f"1.推进垃圾分类(市住建局牵头,{collective}配合)。") == [
        ("推进垃圾分类", ("市住建局",), (collective,))
    ]
