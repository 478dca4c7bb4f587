"""Tests for kg.extract.units: splitting responsibility cells and recognising unit names."""

from __future__ import annotations

import pytest

from kg.extract.units import (
    is_collective,
    is_unit_name,
    looks_like_unit_list,
    split_units,
    strip_group_suffix,
)


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        ("区财政局、区民政局等部门、单位,各街道", ["区财政局", "区民政局", "各街道"]),
        ("区财政局、区民政局等部门", ["区财政局", "区民政局"]),
        ("县水利局等单位;相关乡镇", ["县水利局", "相关乡镇"]),
        ("县水利局、县农业农村局等有关部门", ["县水利局", "县农业农村局"]),
        ("区委(区政府)办公室、区发展和改革局", ["区委(区政府)办公室", "区发展和改革局"]),
        ("各镇(街道)、县公安局", ["各镇(街道)", "县公安局"]),
        ("区社会救助工作领导小组成员单位,各街道", ["区社会救助工作领导小组成员单位", "各街道"]),
        ("区卫生健康局 、 区教育局。", ["区卫生健康局", "区教育局"]),
        (
            "区卫生健康局;区教育局、区体育局等部门、单位;红牌楼街道",
            ["区卫生健康局", "区教育局", "区体育局", "红牌楼街道"],
        ),
        ("无", []),
        ("/", []),
        ("", []),
    ],
)
def test_split_units(cell: str, units: list[str]) -> None:
    assert split_units(cell) == units


@pytest.mark.parametrize(
    ("segment", "stripped"),
    [
        ("区财政局等部门、单位", "区财政局"),
        ("区财政局等部门", "区财政局"),
        ("区财政局等单位", "区财政局"),
        ("区财政局等", "区财政局"),
        ("区发改局等区级有关部门", "区发改局"),
        ("区财政局", "区财政局"),
        ("相关单位", "相关单位"),
    ],
)
def test_strip_group_suffix(segment: str, stripped: str) -> None:
    assert strip_group_suffix(segment) == stripped


@pytest.mark.parametrize(
    "name",
    [
        "区住房和城乡建设局",
        "杭州市西湖区人民政府",
        "成都市武侯区公园城市建设和城市更新局",
        "县交通运输局",
        "区公安分局",
        "区委宣传部",
        "区城市更新指挥部",
        "区城市建设投资集团有限公司",
        "团县委",
        "县妇联",
        "区征迁办",
        "县创文办",
        "西溪街道",
        "火车南站街道",
        "三墩镇",
        "各乡镇",
        "相关街道",
        "区社会救助工作领导小组成员单位",
    ],
)
def test_is_unit_name(name: str) -> None:
    assert is_unit_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "推进项目建设",
        "完成征迁1200户",
        "新建绿道8公里。",
        "由街道",
        "2024年12月底",
        "已完成",
        "建设特色小镇",
        "举办",
        "市场开办",
    ],
)
def test_is_not_unit_name(name: str) -> None:
    assert not is_unit_name(name)


@pytest.mark.parametrize(
    ("name", "collective"),
    [
        ("各街道", True),
        ("相关街道", True),
        ("有关部门", True),
        ("各镇(街道)", True),
        ("各乡镇", True),
        ("区社会救助工作领导小组成员单位", True),
        ("区民政局", False),
        ("西溪街道", False),
    ],
)
def test_is_collective(name: str, collective: bool) -> None:
    assert is_collective(name) is collective


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("区交通运输局、区公安分局,相关街道", True),
        ("县水利局等部门、单位,三墩镇", True),
        ("新建绿道8公里。", False),
        ("2024年12月底", False),
        ("区住建局牵头推进", False),
        ("", False),
    ],
)
def test_looks_like_unit_list(cell: str, expected: bool) -> None:
    assert looks_like_unit_list(cell) is expected
