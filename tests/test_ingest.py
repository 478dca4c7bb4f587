"""Tests for kg.ingest: finding files, encoding detection, HTML text extraction, input errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.errors import DecodeError, EmptyDocumentError, InputError, UnsupportedFormatError
from kg.ingest import detect_encoding, find_documents, html_to_text, read_document
from kg.models import Link, RawDocument

SIMPLIFIED = "区住房和城乡建设局2024年工作要点\n一、推进城市基础设施建设，完成道路改造工程。\n"
TRADITIONAL = "建設與交通管理局2025年度工作計劃\n一、推進城市基礎設施建設，完成道路改造工程。\n"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8"),
        (SIMPLIFIED, SIMPLIFIED.encode("utf-8-sig"), "utf-8-sig"),
        (SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED, SIMPLIFIED.encode("gb18030"), "gb18030"),
        (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
        (SIMPLIFIED, b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (SIMPLIFIED, b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030", "big5", "utf-16-le", "utf-16-be"],
)
def test_read_txt_detects_encoding(tmp_path: Path, text: str, data: bytes, encoding: str) -> None:
    path = write(tmp_path / "doc.txt", data)
    expected = RawDocument(path=path, name="doc.txt", text=text, encoding=encoding, format="txt")
    assert read_document(path) == expected


def test_gbk_bytes_that_also_decode_as_big5_are_read_as_gb18030() -> None:
    data = SIMPLIFIED.encode("gbk")
    data.decode("big5")  # both decode strictly: the frequency score decides
    assert detect_encoding(data) == (SIMPLIFIED, "gb18030")


def test_big5_bytes_that_also_decode_as_gb18030_are_read_as_big5() -> None:
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")
    assert detect_encoding(data) == (TRADITIONAL, "big5")


def test_read_txt_turns_crlf_and_cr_into_lf(tmp_path: Path) -> None:
    path = write(tmp_path / "doc.txt", "第一行\r\n第二行\r第三行\r\n".encode("gbk"))
    assert read_document(path).text == "第一行\n第二行\n第三行\n"


def test_uppercase_extension_is_supported(tmp_path: Path) -> None:
    path = write(tmp_path / "DOC.TXT", SIMPLIFIED.encode("utf-8"))
    assert read_document(path).format == "txt"


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>区政府门户网站</title>
<style>td {{ color: red }}</style>
<script>document.write("<p>脚本</p>");</script></head>
<body>
<header><a href="/">首页</a></header>
<div id="mainNav"><ul><li><a href="#">政务公开</a><li><a href="#">办事服务</a></ul></div>
<div class="breadcrumb">首页 &gt; 政务公开</div>
<div class="content">
<h1>2024年区政府工作主要任务分解</h1>
<p>各街道、各部门：<br>现将任务分解如下，请抓好落实。</p>
<table>
<tr><th>序号</th><th>目标任务</th><th>牵头单位</th><th>配合单位</th></tr>
<tr><td>1</td><td><p>推进城市基础
    设施建设。</p></td><td>区交通运输局</td><td>区财政局<br/>区资规分局</td></tr>
<tr><td>2</td><td>整治河道&amp;沟渠</td><td>区水利局</td><td>&nbsp;</td>
</table>


<p>特此通知。  </p>
</div>
<div class="share-bar">分享到：微信</div>
<footer><p>版权所有 &copy; 区人民政府</p></footer>
<noscript>请启用脚本</noscript>
</body></html>
"""

PAGE_TEXT = (
    "2024年区政府工作主要任务分解\n"
    "各街道、各部门：\n"
    "现将任务分解如下，请抓好落实。\n"
    "| 序号 | 目标任务 | 牵头单位 | 配合单位 |\n"
    "| 1 | 推进城市基础 设施建设。 | 区交通运输局 | 区财政局、区资规分局 |\n"
    "| 2 | 整治河道&沟渠 | 区水利局 | |\n"
    "特此通知。\n"
)


def test_read_html_keeps_body_text_and_renders_table_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", PAGE.format(charset="utf-8").encode("utf-8"))
    rows = [line for line in PAGE_TEXT.split("\n") if line.startswith("|")]
    locations = tuple(
        (PAGE_TEXT.index(row), PAGE_TEXT.index(row) + len(row), f"table 1, row {n}")
        for n, row in enumerate(rows, start=1)
    )
    assert read_document(path) == RawDocument(
        path=path, name="page.html", text=PAGE_TEXT, encoding="utf-8", format="html", locations=locations
    )


def test_html_rowspan_repeats_down_and_colspan_gives_empty_cells() -> None:
    markup = (
        "<table><tr><th>序号</th><th>目标任务</th><th>牵头单位</th><th>配合单位</th></tr>"
        "<tr><td colspan=4>一、城市建设</td></tr>"
        "<tr><td>1</td><td>任务一</td><td rowspan=2>区住建局</td><td>各街道</td></tr>"
        "<tr><td>2</td><td>任务二</td><td>区财政局</td></tr>"
        "<tr><td>3</td><td rowspan='2' colspan='2'>任务三</td><td>区城管局</td></tr>"
        "<tr><td>4</td><td>区水利局</td></tr></table>"
    )
    assert html_to_text(markup) == (
        "| 序号 | 目标任务 | 牵头单位 | 配合单位 |\n"
        "| 一、城市建设 | | | |\n"
        "| 1 | 任务一 | 区住建局 | 各街道 |\n"
        "| 2 | 任务二 | 区住建局 | 区财政局 |\n"
        "| 3 | 任务三 | | 区城管局 |\n"
        "| 4 | 任务三 | | 区水利局 |\n"
    )


def test_html_attachment_links_are_collected_in_page_order(tmp_path: Path) -> None:
    markup = (
        '<div id="nav"><a href="/guide.pdf">办事指南.pdf</a></div>'
        '<p>现将方案印发给你们。</p>'
        '<p><a href="attach/%E4%BB%BB%E5%8A%A1%E5%88%86%E8%A7%A3%E8%A1%A8.xlsx">附件1:任务分解表</a></p>'
        '<p><a href="/module/download/downfile.jsp?classid=0&filename=abc">附件2:责任清单</a></p>'
        '<p><a href="/col/col12/index.html">附件下载说明</a> <a href="javascript:print()">打印</a></p>'
    )
    path = write(tmp_path / "notice.html", markup.encode("gbk"))
    assert read_document(path).attachments == (
        Link("attach/%E4%BB%BB%E5%8A%A1%E5%88%86%E8%A7%A3%E8%A1%A8.xlsx", "附件1:任务分解表"),
        Link("/module/download/downfile.jsp?classid=0&filename=abc", "附件2:责任清单"),
    )


def test_read_gbk_html_with_meta_charset(tmp_path: Path) -> None:
    path = write(tmp_path / "page.htm", PAGE.format(charset="gb2312").encode("gbk"))
    doc = read_document(path)
    assert (doc.text, doc.encoding, doc.format) == (PAGE_TEXT, "gb18030", "html")


def test_read_big5_html_with_http_equiv_charset(tmp_path: Path) -> None:
    markup = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>'
        f"<body><p>{TRADITIONAL.replace(chr(10), '<br>')}</p></body></html>"
    )
    path = write(tmp_path / "page.html", markup.encode("big5"))
    doc = read_document(path)
    assert (doc.text, doc.encoding) == (TRADITIONAL, "big5")


def test_meta_charset_decides_when_both_chinese_codecs_decode() -> None:
    # Mojibake on purpose: the page says Big5, so the Big5 reading wins over the better-scoring GBK one.
    data = b'<meta charset="big5"><p>' + "发展".encode("gbk") + b"</p>"
    text, encoding = detect_encoding(data, html=True)
    assert encoding == "big5"
    assert "发展" not in text


def test_html_blank_lines_collapse_and_title_is_dropped() -> None:
    markup = "<title>标题</title><p>标题</p>甲<br><br><br><br>乙   \n<div><div><p>丙</p></div></div>"
    assert html_to_text(markup) == "标题\n甲\n\n乙\n丙\n"


def test_html_article_header_is_kept_but_page_header_is_dropped() -> None:
    markup = "<header>网站标题</header><article><header><h1>关于印发通知</h1></header><p>正文</p></article>"
    assert html_to_text(markup) == "关于印发通知\n正文\n"


def test_html_unclosed_list_items_in_menu_do_not_swallow_the_page() -> None:
    markup = '<ul><li class="menu-item">首页<li class="menu-item">新闻</ul><p>正文内容</p>'
    assert html_to_text(markup) == "正文内容\n"


def test_html_layout_table_around_content_table() -> None:
    markup = (
        "<table><tr><td>"
        "<p>正文开头</p><table><tr><td>1</td><td>任务</td></tr></table><p>正文结尾</p>"
        "</td></tr></table>"
    )
    assert html_to_text(markup) == "正文开头\n| 1 | 任务 |\n正文结尾\n"


def test_html_table_header_row_with_header_class_is_kept() -> None:
    markup = (
        '<table><tr class="header"><th>序号</th><th>牵头单位</th></tr>'
        "<tr><td>1</td><td>区府办</td></tr></table>"
    )
    assert html_to_text(markup) == "| 序号 | 牵头单位 |\n| 1 | 区府办 |\n"


# --------------------------------------------------------------------------- errors


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", b"")
    with pytest.raises(EmptyDocumentError, match="empty.txt: file is empty"):
        read_document(path)


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.txt", " \r\n\t\u3000\n".encode("utf-8"))
    with pytest.raises(EmptyDocumentError, match="blank.txt: file holds only whitespace"):
        read_document(path)


def test_html_without_body_text(tmp_path: Path) -> None:
    markup = b"<html><head><script>load()</script></head><body><nav>x</nav></body></html>"
    path = write(tmp_path / "shell.html", markup)
    with pytest.raises(EmptyDocumentError, match="shell.html: no body text"):
        read_document(path)


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(DecodeError, match="image.txt: looks like a binary file"):
        read_document(path)


def test_binary_file_of_control_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "blob.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 65]) * 20)
    with pytest.raises(DecodeError, match="blob.txt: looks like a binary file"):
        read_document(path)


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.txt", bytes(range(128, 256)) * 3)
    with pytest.raises(DecodeError, match="broken.txt: cannot decode"):
        read_document(path)


def test_unknown_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.png", b"\x89PNG\r\n")
    with pytest.raises(UnsupportedFormatError, match=r"scan.png: unsupported file type '\.png'"):
        read_document(path)


@pytest.mark.parametrize(
    ("name", "target"), [("old.doc", "docx"), ("old.WPS", "docx"), ("old.xls", "xlsx"), ("old.et", "xlsx")]
)
def test_legacy_office_files_say_how_to_convert_them(tmp_path: Path, name: str, target: str) -> None:
    path = write(tmp_path / name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnsupportedFormatError) as info:
        read_document(path)
    assert info.value.reason.endswith(f"files are not read; convert it first: "
                                      f"libreoffice --headless --convert-to {target} {name}")  # fmt: skip


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "docs.txt"
    folder.mkdir()
    with pytest.raises(InputError, match="docs.txt: is a folder"):
        read_document(folder)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.txt: no such file") as info:
        read_document(tmp_path / "missing.txt")
    assert info.type is InputError


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", SIMPLIFIED.encode("utf-8"))
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="secret.txt: permission denied"):
            read_document(path)
    finally:
        path.chmod(0o644)


def test_error_messages_are_one_line(tmp_path: Path) -> None:
    cases = [
        write(tmp_path / "a.txt", b""),
        write(tmp_path / "b.png", b"x"),
        write(tmp_path / "b.docx", b"x"),
        write(tmp_path / "b.doc", b"x"),
        tmp_path / "c.txt",
        tmp_path,
    ]
    for path in cases:
        with pytest.raises(InputError) as info:
            read_document(path)
        assert "\n" not in str(info.value)
        assert "; " in info.value.reason  # what is wrong; what to try


# --------------------------------------------------------------------------- finding files


def test_find_documents_recursive_sorted_filtered(tmp_path: Path) -> None:
    for name in [
        "b/2.html",
        "b/deep/3.HTM",
        "a/1.txt",
        "a/notes.docx",
        "a/~$notes.docx",
        "a/old.DOC",
        "a/image.png",
        "0.TXT",
        ".hidden/x.txt",
        "a/.draft.txt",
    ]:
        write(tmp_path / "corpus" / name, b"x")
    other = write(tmp_path / "extra.png", b"x")
    corpus = tmp_path / "corpus"
    found = find_documents([corpus, other, corpus / "a" / "1.txt"])
    assert found == [
        corpus / "0.TXT",
        corpus / "a" / "1.txt",
        corpus / "a" / "notes.docx",
        corpus / "a" / "old.DOC",
        corpus / "b" / "2.html",
        corpus / "b" / "deep" / "3.HTM",
        other,
    ]


def test_find_documents_keeps_missing_paths_for_read_document_to_report(tmp_path: Path) -> None:
    assert find_documents([tmp_path / "nope.txt"]) == [tmp_path / "nope.txt"]
