"""Tests for kg.extract.assignments: every layout of lead/support assignments, and prose without any.

Snippets are hand-made for other places (杭州市西湖区, 成都市武侯区, a 县) and already normalised:
half-width ``:`` ``,`` ``(`` ``)`` ``;``, as the extractor receives them.
"""

from __future__ import annotations

import pytest

from kg.extract.assignments import classify_column, extract_assignments, first_sentence

Row = tuple[str, list[str], list[str]]


def rows(text: str) -> list[Row]:
    """The whole output of extract_assignments as (task, lead, support) tuples, in text order."""
    return [(a.task, list(a.lead), list(a.support)) for a in extract_assignments(text)]


def cells(*lines: str, sep: str = "\n\n") -> str:
    """A table flattened one cell per line, cells joined by ``sep``."""
    return sep.join(lines)


# ---------------------------------------------------------------------------------------------
# Layout 1: tables flattened one cell per line
# ---------------------------------------------------------------------------------------------

XIHU_TABLE_ROWS: list[Row] = [
    ("新建城市绿道15公里", ["区园林文物局"], []),
    (
        "推进老旧小区改造30个,加装既有住宅电梯100台",
        ["区住房和城乡建设局"],
        ["区财政局", "区民政局", "各街道"],
    ),
    ("完成文三路综合整治", ["区城市管理局"], ["西溪街道", "翠苑街道"]),
]


def test_flattened_blank_separated_empty_cell_as_two_blank_lines() -> None:
    # an empty 配合单位 cell leaves two blank lines before the next number
    text = (
        "西湖区2024年政府工作任务分解\n\n"
        + cells("序号", "目标任务", "牵头单位", "配合单位", "1", "新建城市绿道15公里。", "区园林文物局")
        + "\n\n\n"
        + cells(
            "2",
            "推进老旧小区改造30个,加装既有住宅电梯100台。",
            "区住房和城乡建设局",
            "区财政局、区民政局等部门、单位,各街道",
            "3",
            "完成文三路综合整治。",
            "区城市管理局",
            "西溪街道、翠苑街道",
        )
    )
    assert rows(text) == XIHU_TABLE_ROWS


def test_flattened_blank_separated_empty_cell_as_three_blank_lines() -> None:
    # cells joined by a blank line; an empty cell between two separators gives three blank lines
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "1",
        "新建城市绿道15公里。",
        "区园林文物局",
        "",
        "2",
        "推进老旧小区改造30个,加装既有住宅电梯100台。",
        "区住房和城乡建设局",
        "区财政局、区民政局等部门、单位,各街道",
        "3",
        "完成文三路综合整治。",
        "区城市管理局",
        "西溪街道、翠苑街道",
    )
    assert "区园林文物局\n\n\n\n2" in text
    assert rows(text) == XIHU_TABLE_ROWS


def test_flattened_without_blank_lines_empty_cell_is_one_blank_line() -> None:
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "1",
        "新建城市绿道15公里。",
        "区园林文物局",
        "",
        "2",
        "推进老旧小区改造30个,加装既有住宅电梯100台。",
        "区住房和城乡建设局",
        "区财政局、区民政局等部门、单位,各街道",
        "3",
        "完成文三路综合整治。",
        "区城市管理局",
        "西溪街道、翠苑街道",
        sep="\n",
    )
    assert rows(text) == XIHU_TABLE_ROWS


def test_flattened_empty_lead_cell_keeps_support_in_its_column() -> None:
    text = cells(
        "序号", "目标任务", "牵头单位", "配合单位", "1", "完善社区养老服务。", "", "各街道", sep="\n"
    )
    assert rows(text) == [("完善社区养老服务", [], ["各街道"])]


def test_flattened_numbering_restarts_per_sub_table_with_headings_between() -> None:
    text = cells(
        "武侯区2024年重点任务清单",
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "一、城市建设",
        "1",
        "推进红牌楼片区城市更新。",
        "区住房建设和交通运输局",
        "红牌楼街道",
        "2",
        "建成社区综合体3个。",
        "区民政局",
        "",
        "二、民生保障",
        "1",
        "新增托位500个。",
        "区卫生健康局",
        "区教育局、各街道",
        "2",
        "新建口袋公园5个。",
        "区公园城市建设和城市更新局",
        "",
        "三、保障措施",
        "各单位要加强组织领导,确保各项任务落到实处。",
    )
    assert rows(text) == [
        ("推进红牌楼片区城市更新", ["区住房建设和交通运输局"], ["红牌楼街道"]),
        ("建成社区综合体3个", ["区民政局"], []),
        ("新增托位500个", ["区卫生健康局"], ["区教育局", "各街道"]),
        ("新建口袋公园5个", ["区公园城市建设和城市更新局"], []),
    ]


def test_flattened_repeated_header_rows() -> None:
    header = ("序号", "目标任务", "牵头单位", "配合单位")
    text = cells(
        *header,
        "1",
        "建成区级文化中心。",
        "区文化广电旅游局",
        "区财政局",
        *header,
        "2",
        "举办社区运动会20场。",
        "区体育局",
        "各街道",
        *header,
        "3",
        "完成排水管网改造12公里。",
        "区水务局",
        "",
    )
    assert rows(text) == [
        ("建成区级文化中心", ["区文化广电旅游局"], ["区财政局"]),
        ("举办社区运动会20场", ["区体育局"], ["各街道"]),
        ("完成排水管网改造12公里", ["区水务局"], []),
    ]


def test_flattened_multi_line_task_cell() -> None:
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "1",
        "实施城中村改造5个,\n完成征迁1200户。",
        "区住房和城乡建设局",
        "区征迁办,相关街道",
        "2",
        "打造夜间经济街区2条。",
        "区商务局",
        "区市场监管局",
    )
    assert rows(text) == [
        ("实施城中村改造5个,完成征迁1200户", ["区住房和城乡建设局"], ["区征迁办", "相关街道"]),
        ("打造夜间经济街区2条", ["区商务局"], ["区市场监管局"]),
    ]


def test_flattened_multi_line_task_cell_without_blank_lines() -> None:
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "1",
        "实施城中村改造5个,",
        "完成征迁1200户。",
        "区住房和城乡建设局",
        "区征迁办,相关街道",
        "2",
        "打造夜间经济街区2条。",
        "区商务局",
        "",
        sep="\n",
    )
    assert rows(text) == [
        ("实施城中村改造5个,完成征迁1200户", ["区住房和城乡建设局"], ["区征迁办", "相关街道"]),
        ("打造夜间经济街区2条", ["区商务局"], []),
    ]


def test_flattened_with_deadline_column() -> None:
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "完成时限",
        "1",
        "建成县城污水处理厂三期。",
        "县住房和城乡建设局",
        "县生态环境分局",
        "2024年12月底",
        "2",
        "新增城乡公交线路4条。",
        "县交通运输局",
        "",
        "2024年6月底",
        "3",
        "改造农村危房50户。",
        "县住房和城乡建设局",
        "各乡镇",
        "长期坚持",
    )
    assert rows(text) == [
        ("建成县城污水处理厂三期", ["县住房和城乡建设局"], ["县生态环境分局"]),
        ("新增城乡公交线路4条", ["县交通运输局"], []),
        ("改造农村危房50户", ["县住房和城乡建设局"], ["各乡镇"]),
    ]


def test_flattened_with_deadline_column_and_multi_line_task_without_blank_lines() -> None:
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "完成时限",
        "1",
        "建成县城污水处理厂三期,",
        "配套管网10公里。",
        "县住房和城乡建设局",
        "县生态环境分局",
        "2024年12月底",
        "2",
        "新增城乡公交线路4条。",
        "县交通运输局",
        "",
        "2024年6月底",
        sep="\n",
    )
    assert rows(text) == [
        ("建成县城污水处理厂三期,配套管网10公里", ["县住房和城乡建设局"], ["县生态环境分局"]),
        ("新增城乡公交线路4条", ["县交通运输局"], []),
    ]


def test_flattened_without_seq_column() -> None:
    text = cells(
        "工作任务",
        "牵头单位",
        "配合单位",
        "建成区级文化中心。",
        "区文化广电旅游局",
        "区财政局",
        "举办社区运动会20场。",
        "区体育局",
        "各街道",
    )
    assert rows(text) == [
        ("建成区级文化中心", ["区文化广电旅游局"], ["区财政局"]),
        ("举办社区运动会20场", ["区体育局"], ["各街道"]),
    ]


def test_flattened_without_seq_column_with_empty_cells() -> None:
    text = cells(
        "工作任务",
        "牵头单位",
        "配合单位",
        "建成区级文化中心。",
        "区文化广电旅游局",
        "",
        "举办社区运动会20场。",
        "区体育局",
        "各街道",
        "新建口袋公园5个。",
        "区园林文物局",
        "",
    )
    assert rows(text) == [
        ("建成区级文化中心", ["区文化广电旅游局"], []),
        ("举办社区运动会20场", ["区体育局"], ["各街道"]),
        ("新建口袋公园5个", ["区园林文物局"], []),
    ]


def test_flattened_without_seq_column_without_blank_lines() -> None:
    text = cells(
        "工作任务",
        "牵头单位",
        "配合单位",
        "建成区级文化中心。",
        "区文化广电旅游局",
        "",
        "举办社区运动会20场。",
        "区体育局",
        "各街道",
        "以上任务年底前完成。",
        sep="\n",
    )
    assert rows(text) == [
        ("建成区级文化中心", ["区文化广电旅游局"], []),
        ("举办社区运动会20场", ["区体育局"], ["各街道"]),
    ]


def test_flattened_task_cell_with_a_paragraph_break() -> None:
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "1",
        "实施城中村改造5个。",
        "完成征迁1200户。",
        "区住房和城乡建设局",
        "区征迁办",
        "2",
        "打造夜间经济街区2条。",
        "区商务局",
        "区市场监管局",
    )
    assert rows(text) == [
        ("实施城中村改造5个", ["区住房和城乡建设局"], ["区征迁办"]),
        ("打造夜间经济街区2条", ["区商务局"], ["区市场监管局"]),
    ]


def test_flattened_without_seq_column_stops_at_short_prose_lines() -> None:
    text = cells(
        "工作任务",
        "牵头单位",
        "配合单位",
        "建成区级文化中心。",
        "区文化广电旅游局",
        "区财政局",
        "二、保障措施",
        "各单位要高度重视",
        "切实抓好落实",
        sep="\n",
    )
    assert rows(text) == [("建成区级文化中心", ["区文化广电旅游局"], ["区财政局"])]


def test_flattened_with_completion_column() -> None:
    text = cells(
        "序号",
        "工作任务",
        "责任单位",
        "完成情况",
        "1",
        "新建绿道8公里。",
        "县住房和城乡建设局",
        "已完成新建绿道9公里,超额完成。",
        "2",
        "新建公园2个。",
        "县自然资源和规划局",
        "已完成",
    )
    assert rows(text) == [
        ("新建绿道8公里", ["县住房和城乡建设局"], []),
        ("新建公园2个", ["县自然资源和规划局"], []),
    ]


def test_flattened_table_followed_by_prose_with_brackets() -> None:
    # the last row ends at its last cell: what follows is read on its own
    text = cells(
        "序号",
        "目标任务",
        "牵头单位",
        "配合单位",
        "1",
        "新建城市绿道15公里。",
        "区园林文物局",
        "区城市管理局",
        "二、其他工作",
        "一是推进垃圾分类[牵头单位:区城市管理局;责任单位:各街道]。",
    )
    assert rows(text) == [
        ("新建城市绿道15公里", ["区园林文物局"], ["区城市管理局"]),
        ("推进垃圾分类", ["区城市管理局"], ["各街道"]),
    ]


def test_flattened_short_task_cell_is_not_a_header_label() -> None:
    text = cells("序号", "目标任务", "牵头单位", "配合单位", "1", "重点项目", "区发展和改革局", "各街道")
    assert rows(text) == [("重点项目", ["区发展和改革局"], ["各街道"])]
    text = cells("目标任务", "牵头单位", "配合单位", "重点项目", "区发展和改革局", "各街道")
    assert rows(text) == [("重点项目", ["区发展和改革局"], ["各街道"])]


def test_flattened_header_synonyms() -> None:
    text = cells(
        "序号",
        "重点工作",
        "主要责任单位",
        "协同配合单位",
        "1",
        "创建国家卫生县城。",
        "县卫生健康局",
        "县爱卫会成员单位",
        "2",
        "开展全民健身活动。",
        "县文化和旅游体育局",
        "县总工会、团县委",
    )
    assert rows(text) == [
        ("创建国家卫生县城", ["县卫生健康局"], ["县爱卫会成员单位"]),
        ("开展全民健身活动", ["县文化和旅游体育局"], ["县总工会", "团县委"]),
    ]


def test_flattened_lead_and_responsible_columns() -> None:
    # with a 牵头单位 column, 责任单位 units support
    text = cells(
        "序号",
        "工作任务",
        "牵头单位",
        "责任单位",
        "1",
        "整治背街小巷20条。",
        "区城市管理局",
        "区住房和城乡建设局、各街道",
    )
    assert rows(text) == [("整治背街小巷20条", ["区城市管理局"], ["区住房和城乡建设局", "各街道"])]


def test_flattened_single_responsible_column_units_lead() -> None:
    text = cells(
        "序号",
        "工作任务",
        "责任单位",
        "1",
        "完成河道清淤8公里。",
        "区农业农村局、区水利局",
        "2",
        "推进乡村振兴示范带建设。",
        "区农业农村局",
    )
    assert rows(text) == [
        ("完成河道清淤8公里", ["区农业农村局", "区水利局"], []),
        ("推进乡村振兴示范带建设", ["区农业农村局"], []),
    ]


def test_flattened_single_responsible_column_first_listed_leads() -> None:
    text = "说明:责任单位中排在第一位的为牵头单位。\n" + cells(
        "序号",
        "工作任务",
        "责任单位",
        "1",
        "完成河道清淤8公里。",
        "县水利局、县农业农村局,各乡镇",
        "2",
        "推进乡村振兴示范带建设。",
        "县农业农村局",
    )
    assert rows(text) == [
        ("完成河道清淤8公里", ["县水利局"], ["县农业农村局", "各乡镇"]),
        ("推进乡村振兴示范带建设", ["县农业农村局"], []),
    ]


# ---------------------------------------------------------------------------------------------
# Layout 2: one row per line, pipes or tabs
# ---------------------------------------------------------------------------------------------

PIPE_ROWS: list[Row] = [
    ("建设西溪湿地三期", ["区园林文物局"], ["蒋村街道"]),
    ("推进之江转塘单元城市更新", ["区住房和城乡建设局"], []),
    ("开通公交微循环线路6条", ["区交通运输局"], ["区城市管理局", "各街道"]),
]


def test_pipe_rows_with_outer_pipes() -> None:
    text = "\n".join(
        [
            "| 序号 | 目标任务 | 牵头单位 | 配合单位 |",
            "| 1 | 建设西溪湿地三期。 | 区园林文物局 | 蒋村街道 |",
            "| 2 | 推进之江转塘单元城市更新;完成征迁300户。 | 区住房和城乡建设局 | |",
            "| 3 | 开通公交微循环线路6条。 | 区交通运输局 | 区城市管理局、各街道等单位 |",
        ]
    )
    assert rows(text) == PIPE_ROWS


def test_pipe_rows_without_outer_pipes() -> None:
    text = "\n".join(
        [
            "序号 | 目标任务 | 牵头单位 | 配合单位",
            "1 | 建设西溪湿地三期。 | 区园林文物局 | 蒋村街道",
            "2 | 推进之江转塘单元城市更新;完成征迁300户。 | 区住房和城乡建设局 | ",
            "3 | 开通公交微循环线路6条。 | 区交通运输局 | 区城市管理局、各街道等单位",
        ]
    )
    assert rows(text) == PIPE_ROWS


def test_tab_separated_rows() -> None:
    text = "\n".join(
        [
            "序号\t目标任务\t牵头单位\t配合单位",
            "1\t建设西溪湿地三期。\t区园林文物局\t蒋村街道",
            "2\t推进之江转塘单元城市更新;完成征迁300户。\t区住房和城乡建设局\t",
            "3\t开通公交微循环线路6条。\t区交通运输局\t区城市管理局、各街道等单位",
        ]
    )
    assert rows(text) == PIPE_ROWS


def test_tab_separated_rows_with_empty_first_cell() -> None:
    text = "\n".join(
        [
            "序号\t目标任务\t牵头单位\t配合单位",
            "\t建设西溪湿地三期。\t区园林文物局\t蒋村街道",
        ]
    )
    assert rows(text) == PIPE_ROWS[:1]


def test_pipe_rows_with_deadline_column_and_no_seq() -> None:
    text = "\n".join(
        [
            "| 工作任务 | 责任单位 | 完成时限 |",
            "| 完成农村公路提档升级30公里。 | 县交通运输局、县财政局 | 2024年底 |",
            "| 建成县级物流园。 | 县商务局 | 2025年6月 |",
        ]
    )
    assert rows(text) == [
        ("完成农村公路提档升级30公里", ["县交通运输局", "县财政局"], []),
        ("建成县级物流园", ["县商务局"], []),
    ]


def test_pipe_rows_with_repeated_header_row() -> None:
    header = "| 序号 | 目标任务 | 牵头单位 | 配合单位 |"
    text = "\n".join(
        [
            header,
            "| 1 | 建设西溪湿地三期。 | 区园林文物局 | 蒋村街道 |",
            header,
            "| 2 | 推进之江转塘单元城市更新;完成征迁300户。 | 区住房和城乡建设局 | |",
        ]
    )
    assert rows(text) == PIPE_ROWS[:2]


def test_pipe_rows_end_at_non_table_line() -> None:
    text = "\n".join(
        [
            "| 序号 | 目标任务 | 牵头单位 | 配合单位 |",
            "| 1 | 建设西溪湿地三期。 | 区园林文物局 | 蒋村街道 |",
            "二、工作要求",
            "| 联系人 | 张三 | 电话 | 88888888 |",
        ]
    )
    assert rows(text) == PIPE_ROWS[:1]


# ---------------------------------------------------------------------------------------------
# Layout 3: label lines under the task
# ---------------------------------------------------------------------------------------------


def test_label_lines_under_task() -> None:
    text = "\n".join(
        [
            "1.推进红牌楼片区城市更新。年内完成征迁200户。",
            "牵头单位:区住房建设和交通运输局",
            "责任单位:区财政局、红牌楼街道",
            "2.新增托位500个。",
            "牵头单位:区卫生健康局",
            "配合单位:区教育局等部门、单位",
        ]
    )
    assert rows(text) == [
        ("推进红牌楼片区城市更新", ["区住房建设和交通运输局"], ["区财政局", "红牌楼街道"]),
        ("新增托位500个", ["区卫生健康局"], ["区教育局"]),
    ]


def test_label_lines_with_blank_lines_between() -> None:
    text = "\n\n".join(
        [
            "(一)推进红牌楼片区城市更新",
            "牵头单位:区住房建设和交通运输局",
            "责任单位:区财政局、红牌楼街道",
            "(二)新增托位500个",
            "责任单位:区卫生健康局、区教育局",
        ]
    )
    assert rows(text) == [
        ("推进红牌楼片区城市更新", ["区住房建设和交通运输局"], ["区财政局", "红牌楼街道"]),
        ("新增托位500个", ["区卫生健康局", "区教育局"], []),
    ]


def test_label_responsible_before_lead() -> None:
    text = "推进老旧小区改造。\n责任单位:各街道\n牵头单位:区住房和城乡建设局"
    assert rows(text) == [("推进老旧小区改造", ["区住房和城乡建设局"], ["各街道"])]


def test_labels_on_one_line_after_task() -> None:
    text = "推进老旧小区改造30个。牵头单位:县住房和城乡建设局;配合单位:各乡镇"
    assert rows(text) == [("推进老旧小区改造30个", ["县住房和城乡建设局"], ["各乡镇"])]
    text = "推进老旧小区改造30个。牵头单位:县住房和城乡建设局 配合单位:各乡镇"
    assert rows(text) == [("推进老旧小区改造30个", ["县住房和城乡建设局"], ["各乡镇"])]


def test_label_line_under_a_bracket_line_is_not_a_second_task() -> None:
    text = "推进垃圾分类[牵头单位:区城市管理局]。\n配合单位:各街道"
    assert rows(text) == [("推进垃圾分类", ["区城市管理局"], [])]


def test_label_value_with_parentheses() -> None:
    text = "推进机关效能建设。\n牵头单位:区委(区政府)办公室\n配合单位:区纪委(区监委)机关、各街道"
    assert rows(text) == [("推进机关效能建设", ["区委(区政府)办公室"], ["区纪委(区监委)机关", "各街道"])]


# ---------------------------------------------------------------------------------------------
# Layout 4: brackets after a task sentence
# ---------------------------------------------------------------------------------------------


def test_square_brackets_enumerated_yi_shi() -> None:
    text = (
        "(一)提升城市品质。一是推进老旧小区改造30个[牵头单位:区住房和城乡建设局;责任单位:区财政局、各街道]。"
        "二是新建口袋公园5个,提升绿道10公里[牵头单位:区园林文物局]。"
        "三是完成排水管网改造[牵头单位:区林水局;责任单位:区城市管理局等部门、单位,相关街道]。"
    )
    assert rows(text) == [
        ("推进老旧小区改造30个", ["区住房和城乡建设局"], ["区财政局", "各街道"]),
        ("新建口袋公园5个,提升绿道10公里", ["区园林文物局"], []),
        ("完成排水管网改造", ["区林水局"], ["区城市管理局", "相关街道"]),
    ]


def test_round_brackets_enumerated_with_parenthesised_numbers() -> None:
    text = (
        "(1)建成社区综合体3个(牵头单位:区民政局;责任单位:各街道)。(2)新增托位500个(牵头单位:区卫生健康局)。"
    )
    assert rows(text) == [
        ("建成社区综合体3个", ["区民政局"], ["各街道"]),
        ("新增托位500个", ["区卫生健康局"], []),
    ]


def test_lenticular_brackets_enumerated_with_dotted_numbers() -> None:
    text = (
        "1.打造夜间经济街区2条【牵头单位:区商务局】。"
        "2.举办消费季活动【牵头单位:区商务局;配合单位:区文化广电旅游局】"
    )
    assert rows(text) == [
        ("打造夜间经济街区2条", ["区商务局"], []),
        ("举办消费季活动", ["区商务局"], ["区文化广电旅游局"]),
    ]


def test_brackets_without_enumerators_each_close_their_sentence() -> None:
    text = "推进垃圾分类[牵头单位:区城市管理局]。深化河湖长制[牵头单位:区林水局;责任单位:各街道]。"
    assert rows(text) == [
        ("推进垃圾分类", ["区城市管理局"], []),
        ("深化河湖长制", ["区林水局"], ["各街道"]),
    ]


def test_bracket_after_the_full_stop() -> None:
    text = "加快建设成都南站综合交通枢纽。[牵头单位:区住房建设和交通运输局;责任单位:火车南站街道]"
    assert rows(text) == [("加快建设成都南站综合交通枢纽", ["区住房建设和交通运输局"], ["火车南站街道"])]


def test_round_bracket_with_parenthesised_unit() -> None:
    text = "深化政务服务改革(牵头单位:区委(区政府)办公室;责任单位:区行政审批局)。"
    assert rows(text) == [("深化政务服务改革", ["区委(区政府)办公室"], ["区行政审批局"])]


def test_bracket_responsible_units_first_listed_leads() -> None:
    text = (
        "各项任务责任单位中排在第一位的为牵头单位。\n强化财政资金监管[责任单位:县财政局、县审计局、各乡镇]。"
    )
    assert rows(text) == [("强化财政资金监管", ["县财政局"], ["县审计局", "各乡镇"])]


def test_bracket_with_only_responsible_units_and_collective_unit() -> None:
    text = "落实最低生活保障制度[责任单位:区民政局、区社会救助工作领导小组成员单位]。"
    assert rows(text) == [("落实最低生活保障制度", ["区民政局", "区社会救助工作领导小组成员单位"], [])]


# ---------------------------------------------------------------------------------------------
# Layout 5: tails
# ---------------------------------------------------------------------------------------------


def test_tails_lead_and_support() -> None:
    text = (
        "一是加快文三路改造(区住房和城乡建设局牵头,区交通运输局、西溪街道配合)。"
        "二是推进数字城管(区城市管理局牵头,各街道按职责分工负责);"
        "三是开展爱国卫生运动(区卫生健康局负责)。"
    )
    assert rows(text) == [
        ("加快文三路改造", ["区住房和城乡建设局"], ["区交通运输局", "西溪街道"]),
        ("推进数字城管", ["区城市管理局"], ["各街道"]),
        ("开展爱国卫生运动", ["区卫生健康局"], []),
    ]


def test_tail_with_several_leads_and_group_suffix() -> None:
    text = "1.开展安全生产大排查(县应急管理局、县住房和城乡建设局牵头,县市场监督管理局等部门配合)"
    assert rows(text) == [
        ("开展安全生产大排查", ["县应急管理局", "县住房和城乡建设局"], ["县市场监督管理局"]),
    ]


def test_tails_in_separate_paragraphs_and_with_you() -> None:
    text = "一是推进智慧停车建设(由区交通运输局牵头,各街道配合)。\n二是整治背街小巷(区城市管理局负责)。"
    assert rows(text) == [
        ("推进智慧停车建设", ["区交通运输局"], ["各街道"]),
        ("整治背街小巷", ["区城市管理局"], []),
    ]


def test_tail_first_listed_leads_rule_does_not_reorder_explicit_lead() -> None:
    text = "责任单位排名第一的为牵头单位。\n推进智慧停车建设(区交通运输局牵头,区公安分局配合)。"
    assert rows(text) == [("推进智慧停车建设", ["区交通运输局"], ["区公安分局"])]


# ---------------------------------------------------------------------------------------------
# Layouts mixed in one document
# ---------------------------------------------------------------------------------------------


def test_mixed_layouts_in_text_order() -> None:
    text = "\n".join(
        [
            "一、总体要求",
            "| 序号 | 目标任务 | 牵头单位 | 配合单位 |",
            "| 1 | 建设西溪湿地三期。 | 区园林文物局 | 蒋村街道 |",
            "二、重点任务",
            "(一)推进垃圾分类[牵头单位:区城市管理局;责任单位:各街道]。",
            "(二)开展爱国卫生运动(区卫生健康局负责)。",
        ]
    )
    assert rows(text) == [
        ("建设西溪湿地三期", ["区园林文物局"], ["蒋村街道"]),
        ("推进垃圾分类", ["区城市管理局"], ["各街道"]),
        ("开展爱国卫生运动", ["区卫生健康局"], []),
    ]


# ---------------------------------------------------------------------------------------------
# Prose with no assignment
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2023年,区住建局牵头推进了老旧小区改造,会同区教育局签订协议,完成校舍加固12所。",
        "我局牵头召开联席会议3次,协调解决问题20个。",
        "在区委区政府的坚强领导下,区住房和城乡建设局负责的12个项目全部完工。",
        "明确牵头单位和责任单位,压实工作责任,确保各项任务落地见效。",
        "完成城中村改造(含拆迁安置房建设)3个,新增停车位(含公共泊位)2000个。",
        "主动对接区发改局、区财政局(区国资办),争取专项债资金5亿元。",
        "项目由街道负责实施,社区配合完成入户调查(由街道负责)。",
        "序号\n\n目标任务\n\n完成情况\n\n1\n\n新建绿道8公里。\n\n已完成。",
        "| 编号 | 目标任务 | 完成情况 |\n| 1 | 新建绿道8公里。 | 已完成,区住建局牵头。 |",
    ],
)
def test_prose_reporting_what_was_done_has_no_assignment(text: str) -> None:
    assert rows(text) == []


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("序号", "seq"),
        ("目标任务", "task"),
        ("重点工作", "task"),
        ("牵头单位", "lead"),
        ("主要责任单位", "lead"),
        ("责任单位", "resp"),
        ("配合单位", "support"),
        ("协同配合单位", "support"),
        ("协办单位", "support"),
        ("相关单位", "support"),
        ("完成时限", "other"),
        ("牵头领导", "other"),
        ("二、重点项目", None),
        ("推进城市更新工作,完成任务。", None),
    ],
)
def test_classify_column(label: str, role: str | None) -> None:
    assert classify_column(label) == role


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("2.推动闲置岸线资源高效集约利用。开工两个项目。", "推动闲置岸线资源高效集约利用"),
        ("(三)实施城中村改造5个;完成征迁1200户", "实施城中村改造5个"),
        ("一是优化营商环境", "优化营商环境"),
        ("12、建成县级物流园", "建成县级物流园"),
    ],
)
def test_first_sentence(text: str, task: str) -> None:
    assert first_sentence(text) == task


def test_spans_and_layouts() -> None:
    text = "\n".join(
        [
            "前言",
            "| 序号 | 目标任务 | 牵头单位 |",
            "| 1 | 建设西溪湿地三期。 | 区园林文物局 |",
            "推进垃圾分类[牵头单位:区城市管理局]。",
        ]
    )
    found = extract_assignments(text)
    assert [a.layout for a in found] == ["pipe", "bracket"]
    assert [text[a.start : a.end] for a in found] == [
        "| 1 | 建设西溪湿地三期。 | 区园林文物局 |",
        "推进垃圾分类[牵头单位:区城市管理局]",
    ]
