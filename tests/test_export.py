"""Tests for kg.export: the gold-format record, deterministic JSON, atomic writes."""

from __future__ import annotations

import doctest
import errno
import json
import os
import stat
from pathlib import Path

import pytest

from kg import export
from kg.export import (
    OutputError,
    dumps_record,
    extraction_record,
    output_name,
    write_atomic,
    write_extraction,
    write_json,
)
from kg.models import Assignment, Document, Entity, Extraction, Header, Mention

# Normalised text: "文三路" at 2..5, "区住建局" at 10..14, "各街道" at 17..20.
TEXT = "推进文三路整治 | 区住建局 | 各街道"
# The original had a pinyin gloss after 区: every offset from 区 on is shifted by 4 characters.
ORIGINAL = "推进文三路整治 | 區(qū)住建局 | 各街道"


def make_extraction() -> Extraction:
    return Extraction(
        doc="xihu.txt",
        header=Header(index_no="11330106002482215X/2024-00001", publisher="西湖区住建局", date="2024-03-01"),
        jurisdiction="杭州市西湖区",
        jurisdiction_code="330106",
        assignments=(
            Assignment(
                task="推进文三路整治",
                lead=("区住建局",),
                support=("各街道",),
                start=0,
                end=len(TEXT),
                layout="pipe",
                quote=TEXT,
            ),
        ),  # fmt: skip
        mentions=(
            Mention("文三路", "Road", 2, 5),
            Mention("区住建局", "Agency", 10, 14),
            Mention("各街道", "Agency", 17, 20),
        ),
        entities=(
            Entity("agency-1", "Agency", "杭州市西湖区住房和城乡建设局", "杭州市西湖区", ("区住建局",)),
        ),
    )


def make_document() -> Document:
    offsets = tuple(range(11)) + tuple(i + 4 for i in range(11, len(TEXT) + 1))
    return Document(Path("xihu.txt"), "xihu.txt", ORIGINAL, TEXT, offsets, "utf-8", "txt")


def test_doctests() -> None:
    assert doctest.testmod(export).failed == 0


def test_extraction_record_has_the_gold_keys_and_the_extra_ones() -> None:
    assert extraction_record(make_extraction()) == {
        "doc": "xihu.txt",
        "publisher": "西湖区住建局",
        "date": "2024-03-01",
        "index_no": "11330106002482215X/2024-00001",
        "doc_number": None,
        "topic": None,
        "title": None,
        "jurisdiction": "杭州市西湖区",
        "jurisdiction_code": "330106",
        "family": None,
        "assignments": [
            {
                "task": "推进文三路整治",
                "lead": ["区住建局"],
                "support": ["各街道"],
                "layout": "pipe",
                "span": [0, 20],
                "quote": TEXT,
                "source": "xihu.txt",
            }
        ],
        "entities": [
            {"text": "文三路", "type": "Road", "spans": [[2, 5]]},
            {
                "text": "区住建局",
                "type": "Agency",
                "spans": [[10, 14]],
                "id": "agency-1",
                "canonical": "杭州市西湖区住房和城乡建设局",
            },
            {"text": "各街道", "type": "Agency", "spans": [[17, 20]]},
        ],
        "problems": [],
    }


def test_extraction_record_maps_spans_to_the_original_text() -> None:
    record = extraction_record(make_extraction(), make_document())
    assert record["assignments"][0]["span"] == [0, len(ORIGINAL)]
    spans = {e["text"]: e["spans"] for e in record["entities"]}
    assert spans == {"文三路": [[2, 5]], "区住建局": [[10, 18]], "各街道": [[21, 24]]}
    assert ORIGINAL[10:18] == "區(qū)住建局"


def test_entity_record_takes_the_most_frequent_type_once_per_text() -> None:
    mentions = (Mention("之江", "Place", 0, 2), Mention("之江", "Road", 5, 7), Mention("之江", "Road", 9, 11))
    record = extraction_record(Extraction("d.txt", Header(), None, None, (), mentions))
    assert record["entities"] == [{"text": "之江", "type": "Road", "spans": [[0, 2], [5, 7], [9, 11]]}]


def test_dumps_record_is_sorted_indented_and_keeps_chinese() -> None:
    assert dumps_record({"b": ["区"], "a": None}) == '{\n  "a": null,\n  "b": [\n    "区"\n  ]\n}'
    assert dumps_record({"b": 1, "a": "局"}, indent=None) == '{"a": "局", "b": 1}'


def test_write_json_writes_utf8_bytes_with_a_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "r.json"
    write_json(path, {"名": "区住建局", "n": 1})
    assert path.read_bytes() == '{\n  "n": 1,\n  "名": "区住建局"\n}\n'.encode()


def test_write_atomic_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    write_atomic(path, "旧\n")
    write_atomic(path, "新\r\n")  # written as given: no newline translation
    assert path.read_bytes() == "新\r\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_write_atomic_gives_the_file_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644


def _fail_replace(src: object, dst: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_failed_rename_keeps_the_old_file_and_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.json"
    write_atomic(path, "旧\n")
    monkeypatch.setattr(export.os, "replace", _fail_replace)
    with pytest.raises(OutputError, match=r"a\.json: cannot write the file \(No space left on device\)"):
        write_atomic(path, "新\n")
    assert path.read_bytes() == "旧\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_interrupted_write_keeps_the_old_file_and_removes_the_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    path = tmp_path / "a.json"
    write_atomic(path, "旧\n")
    monkeypatch.setattr(export.os, "fsync", interrupt)  # after the bytes went to the temp file
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "新\n")
    assert path.read_bytes() == "旧\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_folder_that_cannot_be_created_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot create the folder") as info:
        write_atomic(tmp_path / "file" / "sub" / "a.json", "{}\n")
    assert info.value.path == tmp_path / "file" / "sub"


def test_write_extraction_names_the_file_after_the_document_stem(tmp_path: Path) -> None:
    path = write_extraction(make_extraction(), tmp_path / "out", make_document())
    assert path == tmp_path / "out" / "xihu.json"
    expected = extraction_record(make_extraction(), make_document())
    assert json.loads(path.read_text(encoding="utf-8")) == expected
    assert path.read_bytes() == (dumps_record(expected) + "\n").encode()


@pytest.mark.parametrize(
    ("doc", "name"),
    [
        ("003_b31d4c8d9ca6cfbf.txt", "003_b31d4c8d9ca6cfbf.json"),
        ("页面.html", "页面.json"),
        ("a.b.htm", "a.b.json"),
    ],
)
def test_output_name(doc: str, name: str) -> None:
    assert output_name(doc) == name
