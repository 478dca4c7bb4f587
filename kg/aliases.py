"""Names a document gives its agencies itself: declared short names and contractions -> {short: full}."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.agency_names import _table, split_prefix

__all__ = ["document_aliases", "contraction_aliases"]

_HAN = "\u4e00-\u9fff"
_QUOTES = "\"'“”‘’「」『』"
_ALIAS = re.compile(
    rf"(?P<run>[{_HAN}A-Za-z0-9]{{1,40}}?)\s*(?P<sep>[(（,，])?\s*"
    rf"(?:(?:以下|下文)?简称|(?:以下|下文)称)\s*[:：]?\s*"
    rf"(?:[{_QUOTES}](?P<quoted>[^{_QUOTES}\n]{{1,20}}?)[{_QUOTES}]"
    rf"|(?P<bare>[^{_QUOTES}()（）,，;；:：。、\s]{{1,20}}))"
)
_ALIAS_WORD = re.compile(r"简称|(?:以下|下文)称")
_LEADING_WORDS = (
    "根据", "按照", "依据", "关于", "印发", "会同", "联合", "成立", "设立", "组建", "推进",
    "由", "请", "对", "将", "把", "向", "从", "在", "为", "是", "和", "与", "及", "并",
)  # fmt: skip


def document_aliases(text: str) -> dict[str, str]:
    """Find the short names a document declares, as in ``建设和交通管理局(以下简称建设局)``.

    The full name is the longest stretch before the declaration that reads as an agency name
    (or else the whole stretch) and contains the short name's characters in order. The form
    ``建设和交通管理局(生态环境局)`` (two names of one body) is not an alias and is left out.

    Args:
        text: the normalised document text.

    Returns:
        ``{short: full}``, sorted by short name.

    >>> document_aliases('由区建设和交通管理局(以下简称"建设局")牵头')
    {'建设局': '区建设和交通管理局'}
    >>> document_aliases("建设和交通管理局(生态环境局)")
    {}
    """
    found: dict[str, str] = {}
    if not _ALIAS_WORD.search(text):
        return {}
    for match in _ALIAS.finditer(text):
        short = match.group("quoted") or match.group("bare")
        if match.group("bare") and not _bare_alias_closed(text, match):
            continue
        full = _full_from_run(match.group("run"), short.strip())
        if full:
            found.setdefault(short.strip(), full)
    return dict(sorted(found.items()))


_TWO_NAMES = re.compile(r"^(?P<main>[^()]{2,30})\((?P<other>[^()]{2,30})\)$")


def contraction_aliases(names: Iterable[str], *, publisher: str | None = None) -> dict[str, str]:
    """Short names a document uses for its own longer agency names: ``{short: full}``.

    A short name is a contraction of a full name when it starts with the same character, ends
    with the same suffix character and keeps the full name's characters in order (建设局 in
    建设和交通管理局); only a contraction of exactly one full name counts. ``与`` and ``和`` are
    the same connective. A publisher written as two names of one body (``A(B)``) makes B an
    alias of A.

    >>> contraction_aliases(["建设局", "建设与交通管理局"], publisher="建设和交通管理局(生态环境局)")
    {'建设与交通管理局': '建设和交通管理局', '建设局': '建设和交通管理局', '生态环境局': '建设和交通管理局'}
    """
    found: dict[str, str] = {}
    full_names = set(names)
    if publisher:
        two = _TWO_NAMES.match(publisher)
        main = two.group("main") if two else publisher
        if two:
            found[two.group("other")] = main
        full_names.add(main)
    # each name compared only with the names of its spelling class and of its first and last character
    spelled = {f: f.replace("与", "和") for f in full_names}
    spellings: dict[str, list[str]] = {}
    ends: dict[tuple[str, str], list[str]] = {}
    for f in full_names:
        spellings.setdefault(spelled[f], []).append(f)
        ends.setdefault((f[0], f[-1]), []).append(f)
    for name in sorted(full_names):
        if name in found:
            continue
        same = [f for f in spellings[spelled[name]] if f != name]
        if same and publisher and any(f in publisher for f in same):
            found[name] = next(f for f in sorted(same) if f in publisher)
            continue
        longer = sorted(
            f for f in ends[(name[0], name[-1])]
            if len(f) > len(name) and _in_order(name, f) and spelled[f] != spelled[name]
        )
        if len({spelled[f] for f in longer}) == 1 and len(name) >= 3:
            found[name] = next((f for f in longer if publisher and f in publisher), longer[0])
    # follow chains (建设局 -> 建设与交通管理局 -> 建设和交通管理局)
    for short, full in list(found.items()):
        seen = {short}
        while full in found and full not in seen:
            seen.add(full)
            full = found[full]
        found[short] = full
    return dict(sorted(found.items()))


def _bare_alias_closed(text: str, match: re.Match[str]) -> bool:
    # An unquoted short name is trusted only inside (…) or between commas, where its end is sure.
    after = text[match.end() : match.end() + 1]
    if match.group("sep") in ("(", "（"):
        return after in (")", "）")
    return match.group("sep") is not None and (not after or after in ",，;；。)）")


def _full_from_run(run: str, short: str) -> str | None:
    for tail in ("以下", "下文"):
        run = run.removesuffix(tail)
    run = run.rsplit("的", 1)[-1]
    while stripped := next((w for w in _LEADING_WORDS if run.startswith(w)), None):
        run = run[len(stripped) :]
    known = _table().known
    for start in range(len(run) - len(short)):
        candidate = run[start:]
        if _in_order(short, candidate) and split_prefix(candidate)[1] in known:
            return candidate
    if len(run) > len(short) and _in_order(short, run):
        return run
    return None


def _in_order(short: str, full: str) -> bool:
    chars = iter(full)
    return all(char in chars for char in short)
