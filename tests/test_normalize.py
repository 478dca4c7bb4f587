"""Tests for kg.normalize: glosses, traditional -> simplified, width, offsets, idempotence."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import opencc
import pytest

import kg.normalize
from kg.models import Document, RawDocument
from kg.normalize import normalize_document, normalize_text

T2S = opencc.OpenCC("t2s")


def check_offsets(original: str, out: str, offsets: tuple[int, ...]) -> None:
    """Every output character maps to itself or to its traditional / full-width source."""
    assert len(offsets) == len(out) + 1
    assert offsets[-1] == len(original)
    assert list(offsets) == sorted(offsets)
    for i, char in enumerate(out):
        source = original[offsets[i]]
        assert char in (
            source,
            T2S.convert(source),
            unicodedata.normalize("NFKC", source),
            " " if source in "\u3000\u00a0" else source,
            "\n" if source == "\r" else source,
        ), (i, char, source)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("發(fā)布機構", "发布机构"),
        ("區(qū)域", "区域"),
        ("環(huán)境", "环境"),
        ("業(yè)務", "业务"),
        ("生態(tài)", "生态"),
        ("區（qū）域", "区域"),
        ("發(fā)展(zhǎn)規(guī)劃(huà)", "发展规划"),
        ("區(qū)(qū)委", "区委"),
        ("綠(lǜ)化", "绿化"),
        ("區\u200b(qū)域", "区域"),
    ],
    ids=["fa", "qu", "huan", "ye", "tai", "full-width", "in-a-row", "repeated", "lv", "zero-width"],
)
def test_pinyin_glosses_are_removed(text: str, expected: str) -> None:
    out, offsets = normalize_text(text)
    assert out == expected
    check_offsets(text, out, offsets)


@pytest.mark.parametrize(
    "text",
    [
        "一期工程(一期)",
        "车型(B型)",
        "长度(km)",
        "年度(2024)",
        "助词(de)",
        "音节(zhuàngzhuang)",
        "abc(qū)",
        "区 (qū)",
    ],
)
def test_ordinary_parentheses_are_kept(text: str) -> None:
    assert normalize_text(text)[0] == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("發布機構", "发布机构"),
        ("區域", "区域"),
        ("建設與交通管理局", "建设与交通管理局"),
        ("綜合", "综合"),
        ("區住房和城鄉建設局", "区住房和城乡建设局"),
    ],
)
def test_traditional_to_simplified(text: str, expected: str) -> None:
    out, offsets = normalize_text(text)
    assert out == expected
    check_offsets(text, out, offsets)


@pytest.mark.parametrize("text", ["区住房和城乡建设局", "干部", "发展", "推进城市基础设施建设。"])
def test_simplified_passes_through(text: str) -> None:
    assert normalize_text(text) == (text, tuple(range(len(text) + 1)))


def test_width_and_spaces() -> None:
    text = "（一）牵头：区府办；配合，区财政局！？１２ＡＢｃ\u3000甲\u00a0乙"
    out, offsets = normalize_text(text)
    assert out == "(一)牵头:区府办;配合,区财政局!?12ABc 甲 乙"
    check_offsets(text, out, offsets)


def test_chinese_punctuation_is_kept() -> None:
    text = "一、《规划》中“重点”。"
    assert normalize_text(text)[0] == text


def test_zero_width_removed_and_crlf_normalised() -> None:
    text = "\ufeff甲\u200b乙\u200c丙\u200d\r\n丁\r戊"
    out, offsets = normalize_text(text)
    assert out == "甲乙丙\n丁\n戊"
    assert offsets == (1, 3, 5, 8, 9, 10, 11, 12)


def test_other_whitespace_is_not_collapsed() -> None:
    text = "序号\n\n目标任务\n\n\n牵头单位  配合单位\t\n"
    assert normalize_text(text) == (text, tuple(range(len(text) + 1)))


MIXED = (
    "發(fā)布機構: | 建設和交通管理局(生態環境局) |\r\n"
    "（一）推進區（qū）域發(fā)展(zhǎn)，完成１２項任務\u3000\u200b\r\n"
    "二期工程(二期)(B型)、《規劃》“重點”。\n"
)


def test_mixed_text_and_offsets() -> None:
    out, offsets = normalize_text(MIXED)
    assert out == (
        "发布机构: | 建设和交通管理局(生态环境局) |\n"
        "(一)推进区域发展,完成12项任务 \n"
        "二期工程(二期)(B型)、《规划》“重点”。\n"
    )
    check_offsets(MIXED, out, offsets)


@pytest.mark.parametrize(
    "text",
    [MIXED, "區(ｑū)域", "區\u200b（qū）域", "乾淨的乾隆", "", "\r\n", "臺灣著名"],
)
def test_idempotent(text: str) -> None:
    once = normalize_text(text)[0]
    assert normalize_text(once)[0] == once


def test_offsets_stay_valid_when_conversion_changes_length(monkeypatch: pytest.MonkeyPatch) -> None:
    class Converter:
        def convert(self, text: str) -> str:
            return text.replace("甲乙", "丙").replace("丁", "戊己")

    monkeypatch.setattr(kg.normalize, "_converter", Converter)
    text = "一甲乙二\n三丁四\n五"
    out, offsets = normalize_text(text)
    assert out == "一丙二\n三戊己四\n五"
    assert offsets == (0, 1, 3, 4, 5, 6, 6, 7, 8, 9, 10)


def test_normalize_document() -> None:
    raw = RawDocument(path=Path("d/a.txt"), name="a.txt", text="區(qū)域", encoding="big5", format="txt")
    assert normalize_document(raw) == Document(
        path=Path("d/a.txt"),
        name="a.txt",
        original="區(qū)域",
        text="区域",
        offsets=(0, 5, 6),
        encoding="big5",
        format="txt",
    )
    assert normalize_document(raw).source_span(0, 2) == (0, 6)
