"""Fast regex scanning: find matches only where the pattern can start (compiled pattern -> matches).

Python's ``re`` tries a pattern at every position unless it starts with a literal or a plain
character set. Suffix grammars start with alternations, lookbehinds and optional groups, so
``finditer`` crawls. :class:`FastPattern` computes the set of characters a match can start with,
jumps between them with a character-class search (done in C), and runs the full pattern only
there: the same matches as ``finditer``, several times faster on Chinese text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:  # Python 3.11+
    from re import _constants as sre_c  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

__all__ = ["FastPattern", "first_chars"]

_MAX_RANGE = 64


def _set_chars(items: list) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            chars.add(chr(av))
        elif op is sre_c.RANGE and av[1] - av[0] <= _MAX_RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # categories, negation, big ranges: anything may start here
            return None
    return chars


def _first(items: list) -> tuple[set[str] | None, bool]:
    """(chars a match of ``items`` can start with, whether ``items`` can match empty)."""
    chars: set[str] = set()
    for op, av in items:
        if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            continue  # zero width: the next item decides
        if op is sre_c.LITERAL:
            return chars | {chr(av)}, False
        if op is sre_c.IN:
            found = _set_chars(av)
            return (None, False) if found is None else (chars | found, False)
        if op is sre_c.SUBPATTERN:
            sub, empty = _first(list(av[-1]))
        elif op is sre_c.BRANCH:
            sub, empty = set(), False
            for alternative in av[1]:
                alt, alt_empty = _first(list(alternative))
                if alt is None:
                    return None, False
                sub |= alt
                empty = empty or alt_empty
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, getattr(sre_c, "POSSESSIVE_REPEAT", None)):
            sub, empty = _first(list(av[2]))
            empty = empty or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        chars |= sub
        if not empty:
            return chars, False
    return chars, True


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or None when any may.

    >>> sorted(first_chars(r"(?<!电)路|大道|(?:高速)?公路"))
    ['公', '大', '路', '高']
    >>> first_chars(r"[\\u4e00-\\u9fff]+路") is None
    True
    """
    chars, empty = _first(list(sre_parse.parse(pattern)))
    return None if chars is None or empty else frozenset(chars)


class FastPattern:
    """A compiled pattern whose ``finditer`` skips to the places a match can start."""

    def __init__(self, pattern: str | re.Pattern[str]) -> None:
        self.regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        self.pattern = self.regex.pattern
        chars = first_chars(self.pattern)
        self._starts = re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]") if chars else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """The matches ``re.finditer`` would give (non-overlapping, left to right)."""
        end = len(text) if endpos is None else endpos
        if self._starts is None:
            yield from self.regex.finditer(text, pos, end)
            return
        search, match = self._starts.search, self.regex.match
        while pos < end:
            hit = search(text, pos, end)
            if hit is None:
                return
            found = match(text, hit.start(), end)
            if found is None:
                pos = hit.start() + 1
                continue
            yield found
            pos = found.end() if found.end() > found.start() else found.start() + 1

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, pos, endpos), None)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        return self.regex.match(text, pos, len(text) if endpos is None else endpos)
