"""Tests for kg.family and the pipeline's document families: a web notice and the attachments it links."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kg.export import extraction_record
from kg.family import find_families, link_href_path, link_names
from kg.models import Link
from kg.namespaces import DCTERMS
from kg.pipeline import extract_paths, iter_extractions
from kg.rdf import document_graph, document_iri

INDEX_NO = "11330106002482215X/2024-00012"
PUBLISHER = "西湖区人民政府办公室"


def notice_page(links: str) -> str:
    return (
        '<html><head><meta charset="utf-8"><title>通知</title></head><body>'
        '<div class="nav"><a href="/">首页</a></div>'
        "<table><tr><td>索引号:</td><td>"
        + INDEX_NO
        + "</td><td>发布机构:</td><td>"
        + PUBLISHER
        + "</td></tr>"
        "<tr><td>成文日期:</td><td>2024-03-05</td><td>文号:</td><td>西政办发〔2024〕5号</td></tr></table>"
        "<h1>关于印发西湖区2024年重点任务分解表的通知</h1>"
        "<p>各街道、区级各部门:现将任务分解表印发给你们,请认真贯彻落实。</p>"
        + links
        + "<p>杭州市西湖区人民政府办公室</p></body></html>"
    )


def task_workbook(path: Path, *, publisher: str | None = None) -> Path:
    """A task table with no header block of its own (unless ``publisher``)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务表"
    if publisher:
        sheet.append([f"发布机构: {publisher}"])
    sheet.append(["序号", "目标任务", "牵头单位", "配合单位"])
    sheet.append([1, "推进文三路综合整治", "区住建局", "北山街道"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def extractions(folder: Path) -> dict[str, object]:
    return {r.path.relative_to(folder).as_posix(): r for r in iter_extractions([folder])}


def test_an_attachment_takes_the_notice_header_and_names_its_family(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notice.html").write_text(
        notice_page('<p><a href="attach/任务分解表.xlsx">附件:任务分解表</a></p>'), encoding="utf-8"
    )
    task_workbook(folder / "attach" / "任务分解表.xlsx")
    results = extractions(folder)
    notice = results["notice.html"].extraction
    attachment = results["attach/任务分解表.xlsx"].extraction
    assert (notice.header.publisher, notice.header.date, notice.header.index_no) == (
        PUBLISHER,
        "2024-03-05",
        INDEX_NO,
    )
    assert attachment.header.publisher == PUBLISHER
    assert attachment.header.date == "2024-03-05"
    assert attachment.header.index_no == INDEX_NO
    assert attachment.header.doc_number == "西政办发〔2024〕5号"
    # the attachment alone settles no jurisdiction: the notice's (from its signature) applies
    assert (notice.jurisdiction, notice.jurisdiction_code) == ("杭州市西湖区", "330106")
    assert (attachment.jurisdiction, attachment.jurisdiction_code) == ("杭州市西湖区", "330106")
    assert attachment.family == notice.family == "notice.html"
    assert [(a.task, a.lead) for a in attachment.assignments] == [("推进文三路综合整治", ("区住建局",))]


def test_family_is_written_in_the_json_and_the_rdf(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notice.html").write_text(
        notice_page(
            '<a href="attach/%E4%BB%BB%E5%8A%A1%E5%88%86%E8%A7%A3%E8%A1%A8.xlsx">附件:任务分解表</a>'
        ),
        encoding="utf-8",
    )
    task_workbook(folder / "attach" / "任务分解表.xlsx")
    task_workbook(tmp_path / "corpus" / "other" / "其他.xlsx")  # not linked: no family
    out = tmp_path / "out"
    extract_paths([folder], out)
    records = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in out.iterdir()}
    assert records["任务分解表.json"]["family"] == "notice.html"
    assert records["任务分解表.json"]["publisher"] == PUBLISHER
    assert records["notice.json"]["family"] == "notice.html"
    assert records["其他.json"]["family"] is None and records["其他.json"]["publisher"] is None

    results = extractions(folder)
    member = results["attach/任务分解表.xlsx"]
    graph = document_graph(member.extraction, member.document).metadata
    assert (document_iri("任务分解表.xlsx"), DCTERMS.isPartOf, document_iri("notice.html")) in graph
    notice = results["notice.html"]
    assert not list(
        document_graph(notice.extraction, notice.document).metadata.triples((None, DCTERMS.isPartOf, None))
    )


def test_an_opaque_download_link_matches_by_its_text(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    links = (
        '<p><a href="/module/download/downfile.jsp?classid=0&amp;fileid=8812">附件1:任务分解表</a></p>'
        '<p><a href="/module/download/downfile.jsp?classid=0&amp;fileid=8813">附件2:责任清单.xlsx</a></p>'
    )
    (folder / "notice.html").write_text(notice_page(links), encoding="utf-8")
    task_workbook(folder / "任务分解表.xlsx")
    task_workbook(folder / "责任清单.xlsx", publisher="西湖区住房和城乡建设局")
    results = extractions(folder)
    first, second = results["任务分解表.xlsx"].extraction, results["责任清单.xlsx"].extraction
    assert (first.family, first.header.publisher) == ("notice.html", PUBLISHER)
    # its own header wins; the fields it lacks come from the notice
    assert (second.family, second.header.publisher, second.header.date) == (
        "notice.html",
        "西湖区住房和城乡建设局",
        "2024-03-05",
    )


def test_a_notice_without_attachments_in_the_corpus_has_no_family(tmp_path: Path) -> None:
    (tmp_path / "notice.html").write_text(
        notice_page('<a href="attach/missing.xlsx">附件</a>'), encoding="utf-8"
    )
    (result,) = iter_extractions([tmp_path])
    assert result.extraction.family is None
    assert extraction_record(result.extraction, result.document)["family"] is None


# --------------------------------------------------------------------------- matching rules


def test_link_href_path_decodes_utf8_and_gbk_percent_escapes() -> None:
    assert link_href_path("attach/%E8%A1%A8.xlsx#p") == "attach/表.xlsx"
    assert link_href_path("attach/%B1%ED.xlsx") == "attach/表.xlsx"
    assert link_href_path("javascript:void(0)") is None


def test_link_names_strip_the_attachment_prefix_and_quotes() -> None:
    assert link_names(Link("P020240305.xlsx", "附件 2、《任务分解表》")) == ("p020240305.xlsx", "任务分解表")
    assert link_names(Link("a/表.XLSX", "表.xlsx")) == ("表.xlsx",)


@pytest.mark.parametrize(
    ("href", "text", "expected"),
    [
        ("a/任务表.xlsx", "附件", "n/a/任务表.xlsx"),  # relative to the notice's folder
        ("/upload/2024/任务表.xlsx", "附件", "n/a/任务表.xlsx"),  # a site path: by file name
        ("P0201.xlsx", "附件1:任务表", "n/a/任务表.xlsx"),  # the download renamed after its title
        ("清单.pdf", "附件", None),  # two 清单.pdf at the same depth: ambiguous
        ("x.docx", "附件", None),  # not in the corpus
    ],
)
def test_find_families_matching(href: str, text: str, expected: str | None) -> None:
    root = Path("/corpus")
    documents = [
        root / p for p in ("n/a/任务表.xlsx", "n/b/清单.pdf", "n/c/清单.pdf", "n/notice.html", "x.docx")
    ]
    found = find_families({root / "n/notice.html": [Link(href, text)]}, documents)
    assert found == ({root / expected: root / "n/notice.html"} if expected else {})


def test_find_families_first_notice_wins_and_a_notice_is_no_member() -> None:
    root = Path("/corpus")
    documents = [root / "a.html", root / "b.html", root / "t.xlsx"]
    links = {
        root / "b.html": [Link("t.xlsx", "t"), Link("a.html", "a")],
        root / "a.html": [Link("t.xlsx", "t")],
    }
    assert find_families(links, documents) == {root / "t.xlsx": root / "a.html"}
