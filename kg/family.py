"""Document families: web notices' attachment links + the corpus's file paths -> attachment -> notice.

A government notice page (通知) publishes its real content as attachments (附件1: 任务分解表.xlsx).
When the corpus holds both the saved page and the attachment, they are one document: the page's
header (publisher, date, 索引号) belongs to the attachment too.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from kg.models import Link

__all__ = ["find_families", "link_names", "link_href_path"]

# "附件1:", "附件 2、", "附件:" before the title in a link's text; 《》 and quotes around it.
_ATTACHMENT_PREFIX = re.compile(r"^\s*附件\s*[0-9一二三四五六七八九十]*\s*[:：、.．]?\s*")
_QUOTES = "《》〈〉“”\"'「」 "


def link_href_path(href: str) -> str | None:
    """The file path a link points to, URL-decoded (UTF-8, else GB18030); None for other schemes.

    >>> link_href_path("attach/%E4%BB%BB%E5%8A%A1.xlsx?v=2"), link_href_path("./a/%C8%CE%CE%F1.pdf")
    ('attach/任务.xlsx', './a/任务.pdf')
    >>> link_href_path("mailto:x@y.cn") is None
    True
    """
    parts = urlsplit(href.strip().replace("\\", "/"))
    if parts.scheme and parts.scheme not in ("http", "https", "file"):
        return None
    raw = unquote_to_bytes(parts.path)
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return unquote(parts.path, errors="replace")


def link_names(link: Link) -> tuple[str, ...]:
    """The names a link's target may have on disk, most telling first, case-folded.

    The file name of its href, then its text without the 附件N: prefix (as a file name, or as
    the stem of one: a download saved under the link's title).

    >>> link_names(Link("download.jsp?id=9", "附件1:《任务分解表》"))
    ('download.jsp', '任务分解表')
    """
    names: list[str] = []
    path = link_href_path(link.href)
    if path:
        names.append(PurePosixPath(path).name)
    text = _ATTACHMENT_PREFIX.sub("", unicodedata.normalize("NFKC", link.text)).strip(_QUOTES)
    if text:
        names.append(text)
    return tuple(dict.fromkeys(n.casefold() for n in names if n))


def find_families(notices: Mapping[Path, Sequence[Link]], documents: Iterable[Path]) -> dict[Path, Path]:
    """Match the notices' attachment links to documents of the corpus.

    A link matches the document its href names relative to the notice's folder; else the one
    document under the notice's folder (any depth) whose file name equals the href's file name;
    else the one whose file name or stem equals the link text (附件1: prefix removed), as for an
    opaque ``download.jsp?id=...`` link. A document already claimed by an earlier notice (in
    sorted order) stays with it; a notice is never its own attachment.

    Args:
        notices: each web page's attachment links.
        documents: the corpus's files.

    Returns:
        attachment path -> notice path.
    """
    # compare absolute paths (a corpus may be named by relative and absolute paths), return the given ones
    given = {_absolute(d): Path(d) for d in documents}
    docs = sorted(given)
    pages = {_absolute(n): n for n in notices}
    members: dict[Path, Path] = {}
    for page in sorted(pages):
        home = page.parent
        nearby = [d for d in docs if d.is_relative_to(home) and d != page]
        for link in notices[pages[page]]:
            target = _match(link, home, nearby)
            if target is not None and given[target] not in members and target not in pages:
                members[given[target]] = pages[page]
    return members


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _match(link: Link, home: Path, nearby: Sequence[Path]) -> Path | None:
    path = link_href_path(link.href)
    if path and not path.startswith("/") and not urlsplit(link.href).netloc:
        exact = _absolute(home / path)
        if exact in nearby:
            return exact
    names = link_names(link)
    href_name = PurePosixPath(path).name.casefold() if path else None
    for name in names:
        found = [d for d in nearby if d.name.casefold() == name]
        if name != href_name:  # the link text may be the saved file's stem
            found += [d for d in nearby if d.stem.casefold() == name and d not in found]
        if len(found) == 1:
            return found[0]
        if found:  # several: the nearest, if one is nearer than the others
            depth = min(len(d.parts) for d in found)
            nearest = [d for d in found if len(d.parts) == depth]
            if len(nearest) == 1:
                return nearest[0]
    return None
