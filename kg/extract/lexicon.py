"""Word lists and suffix grammars shared by the name finders: where a name starts and how it ends."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = [
    "HAN",
    "NAME_CHAR",
    "PHASE",
    "RANGE",
    "boundary_words",
    "left_start",
    "NAME_WORDS",
    "AGENCY_WORDS",
    "PROJECT_WORDS",
]

HAN = "\u4e00-\u9fff"
NAME_CHAR = re.compile(rf"[{HAN}A-Za-z0-9#·\-]")
PHASE = r"(?:[一二三四五六七八九十]+期|[0-9]+期)"
RANGE = r"(?:\([^()\n]{1,16}[-—~至][^()\n]{1,16}\))"

# Verbs and function words of government prose that the dictionary list misses or tags as nouns.
_EXTRA_BOUNDARY = """
推进 推动 加快 加速 建设 建成 完成 实施 开工 启动 新建 改建 扩建 迁建 续建 打造 开展 深化 加强 做好 配合 保障 谋划 力争
确保 持续 继续 全面 积极 争取 实现 投用 开放 包括 以及 其中 沿线 周边 同步 如期 顺利 基本 全力 重点 优化 完善 贯通 打通
畅通 落实 召开 举办 承办 开通 通车 竣工 验收 前期 工作 提升 改造 整治 治理 建立 健全 构建 创建 争创 申报 入选 获评 获批
成功 已经 正在 会同 协调 协同 联动 指导 支持 依托 围绕 聚焦 结合 按照 根据 通过 利用 加大 强化 规范 研究 编制 制定 印发
出台 设立 成立 组建 引进 招引 培育 发展 促进 带动 助力 管理 运营 养护 维护 保护 修缮 投产 开业 签约 落地 交付 交房 出让
拆迁 征迁 征收 签订 对接 洽谈 衔接 配套 新增 累计 全年 年内 目前 当前 今年 明年 去年 上半年 下半年 年度 以来 以上 以下
左右 一批 新一轮 首个 首条 首座 首批 高标准 高质量 高水平 全力以赴 宣贯 纳管 实体化 常态化 市场化 一体化 数字化 智能化
国际化 规范化 精细化 全域 全区 全市 全县 全省 我区 我市 我县 我们 本区 本市 辖区 相关 有关 剩余 其余 服务 参与
推广 试点 示范 打赢 填补 抓好 悉心 开启 走访 进驻 入驻 补齐 对标 重点关注 关注 积极向上 向上 发挥 充分 探索 激发 简化
紧扣 紧盯 紧抓 紧贴 做精 做优 做强 做大 做实 做细 做深 升级 盘活
的 在 对 于 为 与 和 及 或 等 是 将 把 由 向 从 至 到 并 已 获 被 以 了 着 其 经 让 使
""".split()

#: Words that are verbs or adverbs elsewhere but common inside names of every type.
NAME_WORDS = frozenset(
    """
集成 高新 自然 开发 创新 示范 未来 综合 指挥 共享 共富 智慧 便民 惠民 安居 宜居 和美 美丽 文明
""".split()
)

#: Words allowed inside agency names (区住房和城乡建设局, 区公共项目建设管理中心, 开发区开发建设综合局).
AGENCY_WORDS = NAME_WORDS | frozenset(
    """
联合 组织 保障 执法 更新 治理 保护 维护 养护 拆迁 征地 规划 统筹 促进 发展 服务 管理 建设 改革 投资 监督 救助 领导
协同 和 与 交通 运输 城乡 社会 事务 公共 项目 生态 安全 数据 资源 征收 协调 应急 救援 研究 宣传 统战 合作 科技 技术 信息 产业
经济 文化 旅游 体育 卫生 健康 教育 农业 农村 水利 商务 市场 市政 环境 园林 绿化 城市 物流 工作 专项 成员 有限 集团 实验
医疗 村级 集体 壮大 检测 检验 审批 登记 调度 交易 监测 评估 发展和 改革和 制造 股份
""".split()
)

#: Words allowed inside project names (…雨污分流改造提升项目, …水毁修复项目, …迁建工程).
PROJECT_WORDS = NAME_WORDS | frozenset(
    """
改造 提升 修复 修补 迁建 扩建 新建 改建 整治 纳管 修缮 拆除 分流 提质 扩容 建设 零直排 改造提升 提升改造 生态修复 展示
""".split()
)

# Nouns of government prose whose second character starts a boundary word (项目前期 holds 目前,
# 工程度 holds 程度): read as words, so forward matching does not cut inside them.
_NOUNS = frozenset({"项目", "工程"})
_SINGLE = frozenset(w for w in _EXTRA_BOUNDARY if len(w) == 1)
_CONNECTIVES = frozenset("和与及或")
_UNIT_END = frozenset("局委办院所司部队站心组室")
_LEADING_JUNK = re.compile(
    r"(?:[0-9]+(?:\.[0-9]+)?余?(?:个|条|座|处|家|所|项|名|户|套|间|辆|台|万|亿|年|月|日|号|批|次|场|种|类|级|亩|米|公里|平方公里|平方米)"
    r"|[一二两三四五六七八九十百千万]+(?:个|条|座|处|家|所|项|批|名|户|套|次|场|种|类)|第[一二三四五六七八九十0-9]+[批个届次期])+"
)


# the last character that is no name character, with only name characters after it: the run
# of name characters before a position starts after it (one search, no backtracking)
_NAME_BREAK = re.compile(rf"[^{HAN}A-Za-z0-9#·\-](?=[{HAN}A-Za-z0-9#·\-]*\Z)")


def _longest_word(text: str, i: int, words: frozenset[str]) -> str:
    """The longest of ``words`` (of 2 to 4 characters) starting at ``i``, or ""."""
    for n in (4, 3, 2):
        w = text[i : i + n]
        if len(w) == n and w in words:
            return w
    return ""


@cache
def _prefixes() -> frozenset[str]:
    """First two characters of every boundary word: most positions fail this one lookup."""
    return frozenset(w[:2] for w in boundary_words())


@cache
def boundary_words() -> frozenset[str]:
    """Words that end a name on its left: the shipped dictionary list plus government-prose extras."""
    text = resources.files("kg").joinpath("data", "boundary_words.txt").read_text(encoding="utf-8")
    words = {w for w in text.splitlines() if w and not w.startswith("#")}
    return frozenset(words | set(_EXTRA_BOUNDARY))


def left_start(
    text: str, anchor: int, *, max_len: int = 14, allowed: frozenset[str] = NAME_WORDS, min_len: int = 0
) -> int:
    """Start of the name that ends at ``anchor``: extend left over name characters, then cut after
    the last boundary word (a verb, adverb or function word not in ``allowed``) and drop a
    leading count (``3个``, ``2024年``). A boundary word that would leave fewer than ``min_len``
    characters is ignored (钟包围合: 包围 is a verb, but 合 alone is no name).

    >>> text = "加快推进杭甬高速复线"
    >>> text[left_start(text, text.index("高速")):]
    '杭甬高速复线'
    """
    lo = max(0, anchor - max_len)
    run_break = _NAME_BREAK.search(text, lo, anchor)
    j = run_break.end() if run_break else lo
    cut = j
    limit = anchor - min_len
    i = j
    prefixes, words = _prefixes(), boundary_words()
    # forward maximum matching: a word found at i hides the words that start inside it
    # (搭建中石化 is 搭建 + 中石化, not 搭 + 建中 + 石化)
    while i < anchor:
        two = text[i : i + 2]
        if two in _NOUNS:
            i += 2  # 项目前期: the noun hides the false word 目前
            continue
        # most positions fail the one lookup of the words' first two characters
        w = _longest_word(text, i, words) if two in prefixes else ""
        if w:
            # 可 + verb is an adjective inside a name (可回收分拣中心, 可再生能源)
            if i + len(w) <= limit and w not in allowed and text[i - 1 : i] != "可":
                cut = max(cut, i + len(w))
            i += len(w)
            continue
        if text[i] in _SINGLE and text[i] not in allowed and i + 1 <= limit:
            # 和/与/及 join two names only when a name of two characters or more precedes (景和学校)
            if text[i] not in _CONNECTIVES or i - max(cut, j) != 1 or text[i - 1] in _UNIT_END:
                cut = max(cut, i + 1)
        i += 1
    junk = _LEADING_JUNK.match(text, cut, anchor)
    return junk.end() if junk else cut
