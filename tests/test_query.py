"""Tests for kg.query and ``kg query``: every named query against a graph built from three snippets.

The corpus (three documents, two districts of 宁波市):

a.txt  北仑区, 发布机构 区府办, 2024-04-01, a pipe table of four tasks
b.txt  北仑区, 发布机构 区交通运输局, 2025-01-26, a flattened table of two tasks, no title found
       (the title line stands above the header block)
c.txt  镇海区, 发布机构 镇海区人民政府办公室, 2023-06-30, a pipe table of two tasks

Entities are scoped to their jurisdiction, so 区住建局 of 北仑区 and of 镇海区 are two agencies,
and the 8号线 named by both districts two rail lines. In the expected rows, an entity IRI (its
path ends in a content hash) is written ``kind:label@jurisdiction``; other IRIs lose the base.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.query import (
    QUERIES_DIR,
    MissingParamError,
    NamedQuery,
    Param,
    ParamSyntaxError,
    ParamValueError,
    QueryFileError,
    QueryResult,
    QuerySyntaxError,
    UnknownParamError,
    UnknownQueryError,
    bind_params,
    execute,
    format_result,
    list_queries,
    parse_params,
    parse_query,
    query_listing,
    resolve_query,
    run_query,
)
from kg.store import GraphNotBuiltError, open_store

BASE = "https://w3id.org/kg-gov/id/"

DOC_A = """\
索引号 11330206002954449B/2024-000001
发布机构 区府办
成文日期 2024-04-01
北仑区2024年重点任务分解
| 序号 | 目标任务 | 牵头单位 | 配合单位 |
| 1 | 推进明州大道改造提升 | 区交通运输局 | 区住建局、各街道 |
| 2 | 开工轨道交通8号线一期工程 | 区轨道交通建设指挥部 | 区交通运输局、区自然资源和规划分局 |
| 3 | 新建保障性租赁住房1000套 | 区住建局 | 区发改局、区财政局 |
| 4 | 推进中河公园项目建设 | 区住建局 |  |
"""

DOC_B = """\
北仑区交通运输局2025年工作任务
索引号: | 11330206002954449B/2025-000002 | 发布机构: | 区交通运输局 |
成文日期: | 2025-01-26 |
序号
目标任务
牵头单位
配合单位
1
完成明州大道改造提升
区交通运输局
区住建局
2
完成城中村改造
各街道
区住建局
"""

DOC_C = """\
索引号 11330211002954449B/2023-000003
发布机构 镇海区人民政府办公室
成文日期 2023-06-30
镇海区2023年民生实事任务
| 序号 | 目标任务 | 牵头单位 | 配合单位 |
| 1 | 新建保障性租赁住房500套 | 区住建局 | 区财政局 |
| 2 | 推进轨道交通8号线一期工程征迁 | 区轨道交通建设指挥部 | 各街道 |
"""

# Readable names of the entities (see the module docstring).
ZJ_BL = "agency:区住房和城乡建设局@北仑区"
ZJ_ZH = "agency:区住房和城乡建设局@镇海区"
JT_BL = "agency:区交通运输局@北仑区"
JD_BL = "agency:各街道@北仑区"
JD_ZH = "agency:各街道@镇海区"
ZHB_BL = "agency:区轨道交通建设指挥部@北仑区"
ZHB_ZH = "agency:区轨道交通建设指挥部@镇海区"
FG_BL = "agency:区发展和改革局@北仑区"
ZR_BL = "agency:区自然资源和规划分局@北仑区"
CZ_BL = "agency:区财政局@北仑区"
CZ_ZH = "agency:区财政局@镇海区"
BANGONG_BL = "agency:区人民政府办公室@北仑区"
BANGONG_ZH = "agency:区人民政府办公室@镇海区"
MZ_ROAD = "road:明州大道@北仑区"
RAIL_BL = "rail:轨道交通8号线一期工程@北仑区"
RAIL_ZH = RAIL_BL  # features are named city-wide: one line in both districts' documents
BZ_BL = "housing:保障性租赁住房@北仑区"
BZ_ZH = BZ_BL
CZC_BL = "housing:城中村改造@北仑区"

A, B, C = "doc/a", "doc/b", "doc/c"
A_DATE, B_DATE, C_DATE = "2024-04-01", "2025-01-26", "2023-06-30"
ZJ, JT, JD, ZHB = "区住房和城乡建设局", "区交通运输局", "各街道", "区轨道交通建设指挥部"
FG, ZR, CZ, BG = "区发展和改革局", "区自然资源和规划分局", "区财政局", "区人民政府办公室"
BL, ZH = "北仑区", "镇海区"
T_A1, T_A2, T_A3, T_A4 = (
    "推进明州大道改造提升",
    "开工轨道交通8号线一期工程",
    "新建保障性租赁住房1000套",
    "推进中河公园项目建设",
)
T_B1, T_B2 = "完成明州大道改造提升", "完成城中村改造"
T_C1, T_C2 = "新建保障性租赁住房500套", "推进轨道交通8号线一期工程征迁"


def _span_of_b2() -> tuple[int, int]:
    """Where row 2 of b.txt lies in the file: from its 序号 cell to the end of its last cell."""
    start = DOC_B.index(f"2\n{T_B2}")
    return start, DOC_B.index("区住建局", start) + len("区住建局")


#: Every named query: the parameters it is run with (readable names are mapped back to IRIs),
#: its columns and its rows, all worked out by hand from the three snippets.
EXPECTED: dict[str, tuple[dict[str, str], tuple[str, ...], list[tuple]]] = {
    "01_agencies_by_tasks_led": (
        {},
        ("agency_label", "kind", "jurisdiction", "led", "supported", "agency"),
        [
            (ZJ, "agency", BL, 2, 3, ZJ_BL),  # leads a3 a4; supports a1 b1 b2
            (JT, "agency", BL, 2, 1, JT_BL),  # leads a1 b1; supports a2
            (JD, "collective unit", BL, 1, 1, JD_BL),  # leads b2; supports a1
            (ZJ, "agency", ZH, 1, 0, ZJ_ZH),
            (ZHB, "task force", BL, 1, 0, ZHB_BL),
            (ZHB, "task force", ZH, 1, 0, ZHB_ZH),
            (FG, "agency", BL, 0, 1, FG_BL),
            (ZR, "agency", BL, 0, 1, ZR_BL),
            (CZ, "agency", BL, 0, 1, CZ_BL),
            (CZ, "agency", ZH, 0, 1, CZ_ZH),
            (JD, "collective unit", ZH, 0, 1, JD_ZH),
        ],
    ),
    "02_agencies_by_tasks_supported": (
        {},
        ("agency_label", "kind", "jurisdiction", "led", "supported", "agency"),
        [
            (ZJ, "agency", BL, 2, 3, ZJ_BL),
            (JT, "agency", BL, 2, 1, JT_BL),
            (JD, "collective unit", BL, 1, 1, JD_BL),
            (FG, "agency", BL, 0, 1, FG_BL),
            (ZR, "agency", BL, 0, 1, ZR_BL),
            (CZ, "agency", BL, 0, 1, CZ_BL),
            (CZ, "agency", ZH, 0, 1, CZ_ZH),
            (JD, "collective unit", ZH, 0, 1, JD_ZH),
            (ZJ, "agency", ZH, 1, 0, ZJ_ZH),
            (ZHB, "task force", BL, 1, 0, ZHB_BL),
            (ZHB, "task force", ZH, 1, 0, ZHB_ZH),
        ],
    ),
    "03_agency_tasks": (
        {"agency": ZJ_BL},
        ("agency", "role", "position", "task_label", "document", "issued", "task"),
        [
            (ZJ_BL, "lead", 1, T_A3, A, A_DATE, "task/a/3"),
            (ZJ_BL, "lead", 1, T_A4, A, A_DATE, "task/a/4"),
            (ZJ_BL, "support", 1, T_A1, A, A_DATE, "task/a/1"),
            (ZJ_BL, "support", 1, T_B1, B, B_DATE, "task/b/1"),
            (ZJ_BL, "support", 1, T_B2, B, B_DATE, "task/b/2"),
        ],
    ),
    "04_agency_tasks_by_name": (
        {"name": "区住建局"},  # the short name: both districts' 住建局
        ("name", "agency_label", "jurisdiction", "role", "task_label", "document", "agency", "task"),
        [
            ("区住建局", ZJ, BL, "lead", T_A3, A, ZJ_BL, "task/a/3"),
            ("区住建局", ZJ, BL, "lead", T_A4, A, ZJ_BL, "task/a/4"),
            ("区住建局", ZJ, BL, "support", T_A1, A, ZJ_BL, "task/a/1"),
            ("区住建局", ZJ, BL, "support", T_B1, B, ZJ_BL, "task/b/1"),
            ("区住建局", ZJ, BL, "support", T_B2, B, ZJ_BL, "task/b/2"),
            ("区住建局", ZJ, ZH, "lead", T_C1, C, ZJ_ZH, "task/c/1"),
        ],
    ),
    "05_agency_pairs": (
        {},
        ("lead_label", "support_label", "jurisdiction", "tasks", "documents", "lead", "support"),
        [
            (JT, ZJ, BL, 2, 2, JT_BL, ZJ_BL),  # a1 and b1
            (JT, JD, BL, 1, 1, JT_BL, JD_BL),
            (ZJ, FG, BL, 1, 1, ZJ_BL, FG_BL),
            (ZJ, CZ, BL, 1, 1, ZJ_BL, CZ_BL),
            (ZJ, CZ, ZH, 1, 1, ZJ_ZH, CZ_ZH),
            (ZHB, JT, BL, 1, 1, ZHB_BL, JT_BL),
            (ZHB, ZR, BL, 1, 1, ZHB_BL, ZR_BL),
            (ZHB, JD, ZH, 1, 1, ZHB_ZH, JD_ZH),
            (JD, ZJ, BL, 1, 1, JD_BL, ZJ_BL),
        ],
    ),
    "06_tasks_without_support": (
        {},
        ("task_label", "lead_label", "jurisdiction", "document", "issued", "task"),
        [(T_A4, ZJ, BL, A, A_DATE, "task/a/4")],
    ),
    "07_roads_responsible": (
        {},
        (
            "road_label",
            "jurisdiction",
            "lead_label",
            "task_label",
            "document",
            "issued",
            "road",
            "lead",
            "task",
        ),
        [
            ("明州大道", BL, JT, T_A1, A, A_DATE, MZ_ROAD, JT_BL, "task/a/1"),
            ("明州大道", BL, JT, T_B1, B, B_DATE, MZ_ROAD, JT_BL, "task/b/1"),
        ],
    ),
    "08_rail_lines_responsible": (
        {},
        (
            "rail_line_label",
            "jurisdiction",
            "lead_label",
            "task_label",
            "document",
            "issued",
            "rail_line",
            "lead",
            "task",
        ),
        [
            ("轨道交通8号线一期工程", BL, ZHB, T_A2, A, A_DATE, RAIL_BL, ZHB_BL, "task/a/2"),
            ("轨道交通8号线一期工程", ZH, ZHB, T_C2, C, C_DATE, RAIL_ZH, ZHB_ZH, "task/c/2"),
        ],
    ),
    "09_housing_programmes_responsible": (
        {},
        (
            "programme_label",
            "jurisdiction",
            "lead_label",
            "task_label",
            "document",
            "issued",
            "programme",
            "lead",
            "task",
        ),
        [
            ("保障性租赁住房", BL, ZJ, T_A3, A, A_DATE, BZ_BL, ZJ_BL, "task/a/3"),
            ("保障性租赁住房", ZH, ZJ, T_C1, C, C_DATE, BZ_ZH, ZJ_ZH, "task/c/1"),
            ("城中村改造", BL, JD, T_B2, B, B_DATE, CZC_BL, JD_BL, "task/b/2"),
        ],
    ),
    "10_features_in_several_documents": (
        {},
        ("type", "feature_label", "documents", "entities", "first_issued", "last_issued"),
        [
            ("housing programme", "保障性租赁住房", 2, 1, C_DATE, A_DATE),
            ("rail line", "轨道交通8号线一期工程", 2, 1, C_DATE, A_DATE),
            ("road", "明州大道", 2, 1, A_DATE, B_DATE),
        ],
    ),
    "11_agencies_by_jurisdiction": (
        {},
        ("jurisdiction", "code", "agencies", "task_forces", "collective_units", "total", "place"),
        [
            # 区府办 (publisher of a), 交通, 住建, 自然资源, 发改, 财政; 指挥部; 各街道
            (BL, "330206", 6, 1, 1, 8, "place/330206"),
            # 镇海区人民政府办公室, 住建, 财政; 指挥部; 各街道
            (ZH, "330211", 3, 1, 1, 5, "place/330211"),
        ],
    ),
    "12_task_source": (
        {"task": "task/b/2"},
        (
            "task",
            "task_label",
            "quote",
            "document",
            "title",
            "source_file",
            "span_start",
            "span_end",
            "layout",
        ),
        [("task/b/2", T_B2, "完成城中村改造 | 各街道 | 区住建局", B, None, "b.txt", *_span_of_b2(), "table")],
    ),
    "13_documents_by_publisher": (
        {},
        ("publisher", "publisher_label", "issued", "title", "index_number", "tasks", "document"),
        [
            ("区交通运输局", JT, B_DATE, None, "11330206002954449B/2025-000002", 2, B),
            ("区府办", BG, A_DATE, "北仑区2024年重点任务分解", "11330206002954449B/2024-000001", 4, A),
            (
                "镇海区人民政府办公室",
                BG,
                C_DATE,
                "镇海区2023年民生实事任务",
                "11330211002954449B/2023-000003",
                2,
                C,
            ),
        ],
    ),
    "14_collective_unit_tasks": (
        {},
        ("unit_label", "jurisdiction", "role", "task_label", "document", "unit", "task"),
        [
            (JD, BL, "lead", T_B2, B, JD_BL, "task/b/2"),
            (JD, BL, "support", T_A1, A, JD_BL, "task/a/1"),
            (JD, ZH, "support", T_C2, C, JD_ZH, "task/c/2"),
        ],
    ),
    "15_task_forces": (
        {},
        ("task_force_label", "jurisdiction", "documents", "led", "supported", "task_force"),
        [(ZHB, BL, 1, 1, 0, ZHB_BL), (ZHB, ZH, 1, 1, 0, ZHB_ZH)],
    ),
    "16_place_hierarchy": (
        {},
        ("place_label", "code", "parent_label", "parent_code", "depth", "place"),
        [
            ("浙江省", "330000", None, None, 0, "place/330000"),
            ("宁波市", "330200", "浙江省", "330000", 1, "place/330200"),
            (BL, "330206", "宁波市", "330200", 2, "place/330206"),
            (ZH, "330211", "宁波市", "330200", 2, "place/330211"),
        ],
    ),
    "17_agency_names": (
        {},
        ("jurisdiction", "agency_label", "alias", "kind", "agency"),
        [
            (BL, JT, "北仑区交通运输局", "agency", JT_BL),  # b's title line names it in full
            (BL, BG, "区府办", "agency", BANGONG_BL),
            (BL, ZJ, "区住建局", "agency", ZJ_BL),
            (BL, FG, "区发改局", "agency", FG_BL),
            (ZH, BG, "镇海区人民政府办公室", "agency", BANGONG_ZH),
            (ZH, ZJ, "区住建局", "agency", ZJ_ZH),
        ],
    ),
    # --- issue 7: status and target queries (their non-empty results: tests/test_timeline.py) ---
    # 8号线一期工程 is preparatory in c (2023) and planned in a (2024): the same stage, no regression;
    # no project is planned in two years; no snippet is a completion report.
    "18_status_regressions": (
        {},
        ("feature_label", "type", "earlier_year", "earlier_status", "earlier_reported", "earlier_file",
         "later_year", "later_status", "later_reported", "later_file", "earlier_quote", "later_quote", "feature"),
        [],
    ),
    "19_projects_planned_over_a_year": (
        {},
        ("feature_label", "type", "first_planned", "last_planned", "years", "statements", "documents", "feature"),
        [],
    ),
    "20_targets_not_met_by_agency": (
        {}, ("agency_label", "responsible_as", "not_met", "documents", "tasks", "agency"), []
    ),
    # --- end issue 7 ---
}


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The graph ``kg.pipeline.build`` makes of the three snippets."""
    from kg.pipeline import build

    root = tmp_path_factory.mktemp("query")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in (("a.txt", DOC_A), ("b.txt", DOC_B), ("c.txt", DOC_C)):
        (corpus / name).write_text(text, encoding="utf-8")
    report = build([corpus], root / "out")
    assert (report.documents, report.failed, report.assignments) == (3, 0, 8)
    return root / "out"


@pytest.fixture(scope="module")
def names(graph_dir: Path) -> dict[str, str]:
    """Entity IRI -> ``kind:label@jurisdiction``, read straight from the store."""
    store = open_store(graph_dir)
    found = store.query(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?e ?label ?where WHERE {
          GRAPH ?g { ?e skos:prefLabel ?label ; dcterms:spatial ?p }
          ?p skos:prefLabel ?where
        }"""
    )
    mapping: dict[str, str] = {}
    for e, label, where in found:
        kind = e.value.removeprefix(BASE).split("/")[0]
        readable = f"{kind}:{label.value}@{where.value}"
        assert readable not in mapping.values(), f"two entities read {readable}"
        mapping[e.value] = readable
    return mapping


def readable(value: object, names: dict[str, str]) -> object:
    if isinstance(value, str) and value.startswith(BASE):
        return names.get(value, value.removeprefix(BASE))
    return value


def iri(value: str, names: dict[str, str]) -> str:
    """The IRI behind a readable name (an entity's, or a path under the base); other text as is."""
    by_name = {v: k for k, v in names.items()}
    if value in by_name:
        return by_name[value]
    return BASE + value if re.match(r"(task|doc|place)/", value) else value


def run(query_name: str, graph_dir: Path, names: dict[str, str], params: dict[str, str]) -> QueryResult:
    result = run_query(query_name, graph_dir, params={k: iri(v, names) for k, v in params.items()})
    return QueryResult(result.columns, tuple(tuple(readable(v, names) for v in row) for row in result.rows))


# --- the named queries -------------------------------------------------------------------------


def test_the_query_folder_holds_at_least_twelve_numbered_queries() -> None:
    queries = list_queries()
    assert len(queries) >= 12
    numbers = [q.name.split("_")[0] for q in queries]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+", q.name) for q in queries)
    assert len(set(numbers)) == len(numbers)
    assert QUERIES_DIR == Path(__file__).resolve().parents[1] / "queries"


@pytest.mark.parametrize("path", sorted(QUERIES_DIR.glob("*.rq")), ids=lambda p: p.stem)
def test_every_query_file_has_a_header_and_parses_on_its_own(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# title: ") and lines[1].startswith("# description: ")
    query = parse_query(text, name=path.stem, path=path)
    assert query.title and query.description
    # No default prefixes: every PREFIX is declared in the file. Every parameter is projected,
    # or Oxigraph could not bind it.
    dummy = {"iri": pyoxigraph.NamedNode("http://example.org/x"), "integer": pyoxigraph.Literal(1)}
    substitutions = {
        pyoxigraph.Variable(p.name): dummy.get(p.kind, pyoxigraph.Literal("x")) for p in query.params
    }
    answer = pyoxigraph.Store().query(text, substitutions=substitutions or None)
    assert list(answer) == []


def test_every_query_has_an_expected_result() -> None:
    assert sorted(EXPECTED) == [q.name for q in list_queries()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_gives_the_expected_rows(name: str, graph_dir: Path, names: dict[str, str]) -> None:
    params, columns, rows = EXPECTED[name]
    result = run(name, graph_dir, names, params)
    assert result.columns == columns
    assert list(result.rows) == rows


def test_the_task_source_span_points_at_the_row_in_the_file(graph_dir: Path, names: dict[str, str]) -> None:
    row = run("12_task_source", graph_dir, names, {"task": "task/b/2"}).rows[0]
    start, end = row[6], row[7]
    assert DOC_B[start:end] == "2\n完成城中村改造\n各街道\n区住建局"


def test_a_query_is_deterministic(graph_dir: Path) -> None:
    first = [
        format_result(run_query(q.name, graph_dir, params=_any_params(q)), "json") for q in list_queries()
    ]
    again = [
        format_result(run_query(q.name, graph_dir, params=_any_params(q)), "json") for q in list_queries()
    ]
    assert first == again


def _any_params(query: NamedQuery) -> dict[str, str]:
    return {p.name: "http://example.org/x" if p.kind == "iri" else "x" for p in query.params}


# --- resolving names, files and text -----------------------------------------------------------


@pytest.mark.parametrize(
    "spec", ["05_agency_pairs", "05", "5", "05_agency", "agency_pairs", "agency_p", " 05_agency_pairs "]
)
def test_resolve_query_by_name_number_or_unique_prefix(spec: str) -> None:
    assert resolve_query(spec).name == "05_agency_pairs"


def test_resolve_query_reports_an_ambiguous_prefix() -> None:
    with pytest.raises(
        UnknownQueryError, match="'agencies' is ambiguous: it matches 01_agencies_by_tasks_led, "
    ):
        resolve_query("agencies")


def test_resolve_query_suggests_close_names() -> None:
    with pytest.raises(
        UnknownQueryError,
        match=r"no query named 'agncy_pairs' .*did you mean 05_agency_pairs, 03_agency_tasks\?",
    ):
        resolve_query("agncy_pairs")
    with pytest.raises(UnknownQueryError, match="list the queries with 'kg query --list'"):
        resolve_query("xyzzy")
    with pytest.raises(UnknownQueryError):
        resolve_query("99")


def test_resolve_query_reads_an_rq_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(
        "# title: Mine\n# description: d\n# param: n (integer) — how many\nSELECT ?n {}\n", encoding="utf-8"
    )
    query = resolve_query(str(path))
    assert (query.name, query.title, query.params) == ("mine", "Mine", (Param("n", "integer", "how many"),))
    with pytest.raises(QueryFileError, match="no such query file"):
        resolve_query(str(tmp_path / "missing.rq"))


def test_resolve_query_takes_sparql_text() -> None:
    query = resolve_query("SELECT * WHERE { ?s ?p ?o }")
    assert (query.name, query.params, query.text) == ("<text>", (), "SELECT * WHERE { ?s ?p ?o }")
    assert (
        resolve_query("# a comment\nprefix kg: <https://w3id.org/kg-gov/ontology#>\nASK {}").name == "<text>"
    )


def test_parse_query_joins_description_lines_and_rejects_a_bad_param_line() -> None:
    query = parse_query("# title: T\n# description: one\n#   two\n# param: a — x\n\nSELECT ?a {}", name="q")
    assert (query.description, query.params) == ("one two", (Param("a", "string", "x"),))
    with pytest.raises(QueryFileError, match=r"q, line 2: bad param line"):
        parse_query("# title: T\n# param: a (date) — x\nSELECT ?a {}", name="q")


# --- parameters --------------------------------------------------------------------------------


def test_parse_params_splits_at_the_first_equals_sign() -> None:
    assert parse_params(["name=a=b", "?task=<http://x/y>", "empty="]) == {
        "name": "a=b",
        "task": "<http://x/y>",
        "empty": "",
    }


@pytest.mark.parametrize("item", ["name", "=x", "bad name=x", "1x=2"])
def test_parse_params_rejects_what_is_not_name_equals_value(item: str) -> None:
    with pytest.raises(ParamSyntaxError, match="write NAME=VALUE"):
        parse_params([item])


def test_parse_params_rejects_a_name_given_twice() -> None:
    with pytest.raises(ParamSyntaxError, match="'name' is given twice"):
        parse_params(["name=a", "name=b"])


def test_bind_params_makes_terms_of_the_declared_kinds() -> None:
    query = parse_query(
        "# param: a (iri) — x\n# param: n (integer) — y\n# param: s — z\nSELECT ?a ?n ?s {}", name="q"
    )
    terms = bind_params(query, {"a": "https://w3id.org/kg-gov/id/doc/a", "n": "42", "s": "<not an iri>"})
    assert terms == {
        "a": pyoxigraph.NamedNode("https://w3id.org/kg-gov/id/doc/a"),
        "n": pyoxigraph.Literal(42),
        "s": pyoxigraph.Literal("<not an iri>"),  # declared without a kind: a string, whatever it looks like
    }
    # Undeclared (SPARQL text): a value that looks like an IRI is one, anything else a string.
    text = parse_query("SELECT ?x ?y {}", name="q")
    assert bind_params(text, {"x": "<http://a/b>", "y": "区住建局"}) == {
        "x": pyoxigraph.NamedNode("http://a/b"),
        "y": pyoxigraph.Literal("区住建局"),
    }


def test_bind_params_rejects_bad_values_and_unknown_or_missing_names() -> None:
    query = parse_query("# param: a (iri) — x\n# param: n (integer) — y\nSELECT ?a ?n {}", name="q")
    with pytest.raises(ParamValueError, match="'a' is not a valid IRI"):
        bind_params(query, {"a": "http://x/> } UNION { ?s ?p ?o", "n": "1"})
    with pytest.raises(ParamValueError, match="'n' must be an integer"):
        bind_params(query, {"a": "http://x/", "n": "1; DROP"})
    with pytest.raises(UnknownParamError, match=r"query q has no parameter 'b' \(parameters: a, n\)"):
        bind_params(query, {"a": "http://x/", "n": "1", "b": "2"})
    with pytest.raises(MissingParamError, match="query q needs a value for each parameter: n=INTEGER"):
        bind_params(query, {"a": "http://x/"})
    with pytest.raises(UnknownParamError, match="has no parameter 'z'"):
        bind_params(parse_query("SELECT ?x {}", name="t"), {"z": "1"})


def test_a_value_with_quotes_and_braces_is_bound_not_spliced(graph_dir: Path) -> None:
    # Spliced into FILTER(STR(?written) = "?name"), this would close the string and the pattern and
    # match every label; bound, it is one odd name that no unit has.
    evil = '区住建局" ) } UNION { GRAPH ?x { ?agency ?p ?o } } #{'
    result = run_query("04_agency_tasks_by_name", graph_dir, params={"name": evil})
    assert result.rows == ()
    # The same mechanism binds the exact string: a text query that echoes it back.
    echo = run_query("SELECT ?name WHERE { }", graph_dir, params={"name": evil})
    assert echo.rows == ((evil,),)


def test_an_integer_param_is_typed(graph_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "n.rq"
    path.write_text(
        "# title: n\n# description: d\n# param: n (integer) — a number\n"
        "SELECT ?n ?twice WHERE { BIND(?n * 2 AS ?twice) }\n",
        encoding="utf-8",
    )
    assert run_query(str(path), graph_dir, params={"n": "21"}).rows == ((21, 42),)


def test_a_param_the_text_query_does_not_project_is_refused(graph_dir: Path) -> None:
    with pytest.raises(UnknownParamError, match="only variables in the SELECT clause can be parameters"):
        run_query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", graph_dir, params={"o": "x"})


# --- running and values ------------------------------------------------------------------------


def test_run_query_needs_a_built_graph(tmp_path: Path) -> None:
    with pytest.raises(GraphNotBuiltError, match="run 'kg build"):
        run_query("01", tmp_path / "nothing")


def test_a_syntax_error_is_one_line(graph_dir: Path) -> None:
    with pytest.raises(QuerySyntaxError, match=r"^query <text>: SPARQL syntax error: error at 1:\d+") as info:
        run_query("SELECT ?s WHERE { ?s ?p }", graph_dir)
    assert "\n" not in str(info.value)


def test_ask_construct_and_typed_values() -> None:
    store = pyoxigraph.Store()
    s, p = pyoxigraph.NamedNode("http://x/s"), pyoxigraph.NamedNode("http://x/p")
    for value in (
        pyoxigraph.Literal("b"),
        pyoxigraph.Literal("a", language="zh"),
        pyoxigraph.BlankNode("n1"),
    ):
        store.add(pyoxigraph.Quad(s, p, value))
    assert execute(parse_query("ASK { ?s ?p ?o }", name="q"), store) == QueryResult(("ask",), ((True,),))
    constructed = execute(parse_query("CONSTRUCT WHERE { ?s ?p ?o }", name="q"), store)
    assert constructed.columns == ("subject", "predicate", "object")
    assert constructed.rows == (
        ("http://x/s", "http://x/p", "_:n1"),
        ("http://x/s", "http://x/p", "a"),
        ("http://x/s", "http://x/p", "b"),
    )
    typed = execute(
        parse_query(
            "SELECT ?i ?d ?f ?b ?date ?none WHERE { BIND(7 AS ?i) BIND(1.5 AS ?d)"
            ' BIND("2.5e0"^^xsd:double AS ?f) BIND(true AS ?b) BIND("2024-04-01"^^xsd:date AS ?date) }',
            name="q",
        ),
        store,
    )
    assert typed.rows == ((7, 1.5, 2.5, True, "2024-04-01", None),)


# --- formats -----------------------------------------------------------------------------------

SMALL = QueryResult(("单位", "n", "note"), (("区住建局", 2, None), ("区财政局", 10, 'a "b", c\td')))


def test_table_aligns_wide_characters() -> None:
    assert format_result(SMALL, "table") == (
        '单位       n  note\n--------  --  ----------\n区住建局   2\n区财政局  10  a "b", c d\n'
    )


def test_csv_tsv_and_json() -> None:
    assert format_result(SMALL, "csv") == '单位,n,note\n区住建局,2,\n区财政局,10,"a ""b"", c\td"\n'
    assert format_result(SMALL, "tsv") == '单位\tn\tnote\n区住建局\t2\t\n区财政局\t10\ta "b", c\\td\n'
    assert json.loads(format_result(SMALL, "json")) == [
        {"单位": "区住建局", "n": 2, "note": None},
        {"单位": "区财政局", "n": 10, "note": 'a "b", c\td'},
    ]
    assert format_result(SMALL, "json").startswith(
        '[\n  {\n    "n": 2,\n    "note": null,\n    "单位": "区住建局"'
    )
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        format_result(SMALL, "xml")


def test_query_listing_names_params_and_titles() -> None:
    listing = query_listing(list_queries())
    assert listing.columns == ("name", "params", "title")
    assert ("03_agency_tasks", "agency=IRI", "One agency's tasks by role") in listing.rows
    assert (
        "04_agency_tasks_by_name",
        "name=STRING",
        "Tasks of the agencies with a given name",
    ) in listing.rows


# --- the command -------------------------------------------------------------------------------


def invoke(*args: str):  # noqa: ANN201 - click.testing.Result
    return CliRunner().invoke(cli, ["query", *args])


def test_cli_runs_a_named_query_as_a_table(graph_dir: Path) -> None:
    result = invoke("15", "--graph", str(graph_dir))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "task_force_label",
        "jurisdiction",
        "documents",
        "led",
        "supported",
        "task_force",
    ]
    assert lines[2].split()[:5] == [ZHB, BL, "1", "1", "0"]
    assert result.stderr == "2 rows\n"


def test_cli_binds_params_and_prints_json(graph_dir: Path) -> None:
    result = invoke(
        "04_agency_tasks_by_name", "--param", "name=区住建局", "--format", "json", "--graph", str(graph_dir)
    )
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [(r["jurisdiction"], r["role"], r["task_label"]) for r in records][-1] == (ZH, "lead", T_C1)
    assert len(records) == 6


def test_cli_runs_sparql_text_as_csv(graph_dir: Path) -> None:
    text = "SELECT (COUNT(*) AS ?tasks) WHERE { GRAPH ?g { ?t a kg:Task } }"  # kg: is offered by default
    result = invoke(text, "--format", "csv", "--graph", str(graph_dir))
    assert (result.exit_code, result.stdout) == (0, "tasks\n8\n")


def test_cli_lists_the_queries() -> None:
    result = invoke("--list")
    assert result.exit_code == 0
    assert re.search(r"^01_agencies_by_tasks_led\s+Agencies ranked by tasks led$", result.stdout, re.M)
    assert re.search(r"^12_task_source\s+task=IRI\s+Source sentence behind a task$", result.stdout, re.M)


def test_cli_help_ends_with_examples() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    assert "    kg query 04 --param name=区住建局 --format csv\n" in result.stdout
    assert result.stdout.rstrip().endswith(
        "kg query 'SELECT (COUNT(*) AS ?tasks) WHERE { GRAPH ?g { ?t a kg:Task } }'"
    )


def test_cli_unknown_query_is_an_error(graph_dir: Path) -> None:
    result = invoke("agncy_pairs", "--graph", str(graph_dir))
    assert result.exit_code == 1
    suggestion = "did you mean 05_agency_pairs, 03_agency_tasks?"
    assert result.stderr == f"Error: no query named 'agncy_pairs' in {QUERIES_DIR}; {suggestion}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["04", "--param", "name"], "bad parameter 'name': write NAME=VALUE"),
        (["04", "--param", "nom=x"], "query 04_agency_tasks_by_name has no parameter 'nom'"),
        (["03"], "query 03_agency_tasks needs a value for each parameter: agency=IRI"),
        (["03", "-p", "agency=not an iri"], "parameter 'agency' is not a valid IRI"),
    ],
)
def test_cli_bad_params_are_usage_errors(args: list[str], message: str, graph_dir: Path) -> None:
    result = invoke(*args, "--graph", str(graph_dir))
    assert result.exit_code == 2
    assert "Invalid value for '--param': " + message in result.stderr


def test_cli_without_a_query_is_a_usage_error() -> None:
    result = invoke()
    assert result.exit_code == 2
    assert "give a query NAME_OR_FILE_OR_TEXT, or --list" in result.stderr


def test_cli_missing_graph_names_kg_build(tmp_path: Path) -> None:
    result = invoke("01", "--graph", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert f"run 'kg build --out {tmp_path / 'none'}' first" in result.stderr
    assert result.stdout == ""


def test_cli_syntax_error(graph_dir: Path) -> None:
    result = invoke("SELECT ?s WHERE { ?s ?p }", "--graph", str(graph_dir))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: query <text>: SPARQL syntax error: error at 1:")
