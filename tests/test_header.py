"""Tests for kg.extract.header: the metadata block in its page layouts, and date spellings."""

from __future__ import annotations

import pytest

from kg.extract.header import extract_header, normalize_date
from kg.models import Header

XIHU = Header(
    index_no="113301060024821506/2024-00123",
    publisher="西湖区住房和城乡建设局",
    date="2024-05-06",
    doc_number="西住建〔2024〕12号",
    topic="城乡建设",
    title="西湖区2024年城市更新工作要点",
)


def test_pipe_layout() -> None:
    text = "\n".join(
        [
            "索引号: | 113301060024821506/2024-00123 | 主题分类: | 城乡建设 |",
            "文号: | 西住建〔2024〕12号 | 成文日期: | 2024-05-06 |",
            "发布机构: | 西湖区住房和城乡建设局 | 公开方式: | 主动公开 |",
            "西湖区2024年城市更新工作要点",
            "一、总体要求",
        ]
    )
    assert extract_header(text) == XIHU


def test_pipe_layout_one_pair_per_row_without_colons() -> None:
    text = "\n".join(
        [
            "| 索引号 | 113301060024821506/2024-00123 |",
            "| 主题分类 | 城乡建设 |",
            "| 发布机构 | 西湖区住房和城乡建设局 |",
            "| 文号 | 西住建〔2024〕12号 |",
            "| 成文日期 | 2024年5月6日 |",
            "西湖区2024年城市更新工作要点 |",
        ]
    )
    assert extract_header(text) == XIHU


def test_several_pairs_on_a_line_separated_by_spaces() -> None:
    text = "\n".join(
        [
            "索引号 113301060024821506/2024-00123",
            "组配分类 计划总结 发布机构 西湖区住房和城乡建设局",
            "成文日期 2024/5/6 公开方式 主动公开",
            "文号 西住建〔2024〕12号 主题分类 城乡建设",
            "西湖区2024年城市更新工作要点",
        ]
    )
    assert extract_header(text) == XIHU


def test_label_and_value_on_separate_lines() -> None:
    text = "\n".join(
        [
            "索引号:",
            "113301060024821506/2024-00123",
            "主题分类:",
            "城乡建设",
            "发布机构:",
            "西湖区住房和城乡建设局",
            "成文日期:",
            "2024年5月6日",
            "文号:",
            "西住建〔2024〕12号",
            "",
            "西湖区2024年城市更新工作要点",
        ]
    )
    assert extract_header(text) == XIHU


def test_repeated_blocks_first_value_wins_and_empty_doc_number() -> None:
    text = "\n".join(
        [
            "索引号 11510107MB1234567X/2024-00088",
            "发布机构 武侯区民政局",
            "成文日期 2024-03-01",
            "索引号: | 11510107MB1234567X/2024-00088 | ||",
            "文 号: | 主题分类: | 民政 | |",
            "发布机构: | 武侯区民政局 | 成文日期: | 2024-03-01 |",
            "武侯区2024年民政工作计划",
        ]
    )
    assert extract_header(text) == Header(
        index_no="11510107MB1234567X/2024-00088",
        publisher="武侯区民政局",
        date="2024-03-01",
        doc_number=None,
        topic="民政",
        title="武侯区2024年民政工作计划",
    )


def test_empty_doc_number_followed_by_another_label_on_space_separated_line() -> None:
    text = "文 号: 发布机构: 某某县人民政府办公室 发布日期: 2024-1-9\n某某县2024年重点工作任务清单"
    assert extract_header(text) == Header(
        publisher="某某县人民政府办公室", date="2024-01-09", title="某某县2024年重点工作任务清单"
    )


def test_labels_glued_to_the_previous_value() -> None:
    text = (
        "索引号:11510107MB1234567X/2024-00088发布机构:武侯区民政局\n成文日期:2024-03-01文号:武民发〔2024〕3号"
    )
    assert extract_header(text) == Header(
        index_no="11510107MB1234567X/2024-00088",
        publisher="武侯区民政局",
        date="2024-03-01",
        doc_number="武民发〔2024〕3号",
    )


def test_written_date_wins_over_publication_date() -> None:
    text = "发布日期: | 2024-05-10 | 成文日期: | 2024-05-06 |\n西湖区2024年城市更新工作要点"
    assert extract_header(text).date == "2024-05-06"


def test_label_inside_body_text_is_not_a_header_label() -> None:
    # without a header block the first title-like line is still the title
    text = "西湖区2024年城市更新工作要点\n一、项目名称及资金来源:区财政\n二、发布机构改革方案"
    assert extract_header(text) == Header(title="西湖区2024年城市更新工作要点")


def test_no_header() -> None:
    assert extract_header("") == Header()


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024年5月6日", "2024-05-06"),
        ("2024-05-06", "2024-05-06"),
        ("2024/5/6", "2024-05-06"),
        ("2024.5.6", "2024-05-06"),
        ("2024年05月06日 10:30", "2024-05-06"),
        ("2024-13-01", None),
        ("无", None),
    ],
)
def test_normalize_date(value: str, iso: str | None) -> None:
    assert normalize_date(value) == iso
