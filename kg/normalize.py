"""RawDocument -> Document (pinyin glosses removed, simplified Chinese, half-width forms, offset map)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import chain

import opencc

from kg.models import Document, RawDocument

__all__ = ["normalize_text", "normalize_document"]

#: An offset map: ``offsets[i]`` is the index in the input of the character behind ``out[i]``,
#: plus one final entry for the end; ``None`` stands for the identity map.
_Offsets = list[int] | None

# Zero-width characters carry nothing; the \r of \r\n goes so that lines end in \n only.
_DELETE_RE = re.compile("[\u200b-\u200d\ufeff]|\r(?=\n)")

# Full-width ASCII forms -> ASCII, wide and no-break spaces -> space, a lone \r -> \n (all 1:1).
_WIDTH_TABLE: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE.update({0x3000: 0x20, 0xA0: 0x20, 0x0D: 0x0A})

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_PINYIN = "a-z" + _TONED
# Some web converters leave the pinyin of a converted character in brackets after it:
# 區(qū)域, 發(fā)布. A gloss has 1-7 pinyin letters, at least one of them tone-marked or ü, so
# (一期), (B型), (km) and (2024) are not glosses. Runs of glosses go at once (idempotence).
_GLOSS_RE = re.compile(rf"(?<=[{_CJK}])(?:\((?=[{_PINYIN}]{{0,6}}[{_TONED}])[{_PINYIN}]{{1,7}}\))+")


def normalize_text(text: str) -> tuple[str, tuple[int, ...]]:
    """Normalise Chinese text and map every output character back to the input.

    Steps: drop zero-width characters and the ``\\r`` of ``\\r\\n``; full-width ASCII forms to
    ASCII and wide/no-break spaces to spaces; remove pinyin glosses; traditional to simplified
    (OpenCC ``t2s``, phrase level). Width goes before the gloss step so that a gloss written with
    full-width brackets is removed in one pass, which keeps the function idempotent. Other
    whitespace is kept: line structure matters downstream.

    Args:
        text: the decoded document text.

    Returns:
        ``(out, offsets)`` where ``offsets[i]`` is the index in ``text`` of the character that
        produced ``out[i]`` and ``offsets[len(out)] == len(text)``.

    >>> normalize_text("發(fā)布機構")[0]
    '发布机构'
    >>> normalize_text("區（qū）域：ＡＢ　１")
    ('区域:AB 1', (0, 5, 6, 7, 8, 9, 10, 11))
    >>> normalize_text("一期(一期)(B型)(km)")[0]
    '一期(一期)(B型)(km)'
    >>> normalize_text("建設與交通管理局 区住房和城乡建设局 干部")[0]
    '建设与交通管理局 区住房和城乡建设局 干部'
    """
    maps: list[_Offsets] = []
    out, offsets = _delete(text, _DELETE_RE)
    maps.append(offsets)
    out = out.translate(_WIDTH_TABLE)
    out, offsets = _delete(out, _GLOSS_RE)
    maps.append(offsets)
    out, offsets = _simplify(out)
    maps.append(offsets)
    return out, _compose(maps, len(out))


def normalize_document(raw: RawDocument) -> Document:
    """Normalise a document read from disk.

    Args:
        raw: the decoded document.

    Returns:
        The document with normalised ``text``, the decoded text as ``original`` and the offsets
        between them; source locations (in ``original`` offsets) and attachment links as read.
    """
    text, offsets = normalize_text(raw.text)
    return Document(
        path=raw.path,
        name=raw.name,
        original=raw.text,
        text=text,
        offsets=offsets,
        encoding=raw.encoding,
        format=raw.format,
        locations=raw.locations,
        attachments=raw.attachments,
    )


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    """The OpenCC converter, built once on first use (loading its dictionaries takes a while)."""
    return opencc.OpenCC("t2s")


def _delete(text: str, pattern: re.Pattern[str]) -> tuple[str, _Offsets]:
    """Remove every match of ``pattern``; return the text and its offset map (None if unchanged)."""
    kept: list[range] = []
    pos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if start > pos:
            kept.append(range(pos, start))
        pos = end
    if not kept and not pos:  # no match
        return text, None
    kept.append(range(pos, len(text)))
    offsets = list(chain.from_iterable(kept))
    offsets.append(len(text))
    return "".join(text[r.start : r.stop] for r in kept), offsets


def _simplify(text: str) -> tuple[str, _Offsets]:
    """Traditional -> simplified; the offset map is None while OpenCC keeps every line's length."""
    converter = _converter()
    out = converter.convert(text)
    if out == text:
        return text, None
    # OpenCC's table has a few chains (薴 -> 苧 -> 苎): convert again until nothing changes,
    # so that normalisation is idempotent
    again = converter.convert(out)
    while again != out:
        out, again = again, converter.convert(again)
    src_lines = text.split("\n")
    out_lines = out.split("\n")
    if len(out_lines) != len(src_lines):  # OpenCC keeps newlines; be safe if it ever does not
        out_lines = [converter.convert(line) for line in src_lines]
        out = "\n".join(out_lines)
    if all(len(a) == len(b) for a, b in zip(src_lines, out_lines, strict=True)):
        return out, None
    offsets: list[int] = []
    start = 0
    for src, dst in zip(src_lines, out_lines, strict=True):
        if len(src) == len(dst):
            offsets.extend(range(start, start + len(src)))
        else:
            offsets.extend(start + i for i in _align(src, dst))
        offsets.append(start + len(src))  # the \n after the line (or the end of the text)
        start += len(src) + 1
    return out, offsets


def _align(src: str, dst: str) -> Iterable[int]:
    """For each character of ``dst``, the index of the ``src`` character it came from."""
    last = max(len(src) - 1, 0)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, src, dst, autojunk=False).get_opcodes():
        if op == "delete":
            continue
        width = i2 - i1
        for k in range(j2 - j1):
            # equal or same-length replace: 1:1; otherwise spread dst over the src span
            yield min(i1 + (k * width // (j2 - j1) if width else 0), last)


def _compose(maps: list[_Offsets], length: int) -> tuple[int, ...]:
    """Chain the offset maps of successive steps into one map from the output to the input."""
    result: list[int] | None = None
    for offsets in reversed(maps):
        if offsets is None:
            continue
        result = offsets if result is None else list(map(offsets.__getitem__, result))
    return tuple(range(length + 1)) if result is None else tuple(result)
