"""Paths on disk -> RawDocument (find files, detect encoding, read HTML, Word, Excel and PDF text)."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from pathlib import Path

from charset_normalizer import from_bytes

from kg.errors import DecodeError, EmptyDocumentError, InputError, UnsupportedFormatError
from kg.html_text import html_to_text, parse_html
from kg.models import RawDocument

__all__ = [
    "SUPPORTED_SUFFIXES",
    "LEGACY_SUFFIXES",
    "find_documents",
    "read_document",
    "detect_encoding",
    "html_to_text",
]

#: File extensions read by the tool (compared case-insensitively), mapped to RawDocument.format.
SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pdf": "pdf",
}
#: Legacy binary formats found among government downloads, mapped to the format to convert them to.
#: They are listed by find_documents so that the user hears about them, and refused by read_document.
LEGACY_SUFFIXES: dict[str, str] = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}

_LEGACY_NAMES = {
    ".doc": "Word 97-2003",
    ".wps": "WPS Writer",
    ".xls": "Excel 97-2003",
    ".et": "WPS Spreadsheets",
}
_READ = ", ".join(sorted(SUPPORTED_SUFFIXES))
_TRY = "re-save the file as UTF-8 text"

# --------------------------------------------------------------------------- finding files


def find_documents(paths: Iterable[Path]) -> list[Path]:
    """List the documents named by ``paths``: files as given, folders searched recursively.

    Inside folders the files with a supported extension (.txt, .html, .htm, .docx, .xlsx, .pdf,
    any case) and the legacy ones to convert (.doc, .wps, .xls, .et) are kept, and hidden entries
    (names starting with ``.``, and Office lock files ``~$x.docx``) are skipped. A file named
    explicitly is returned whatever its extension, and so is a path that does not exist, so that
    :func:`read_document` reports it.

    Args:
        paths: files and folders.

    Returns:
        The documents, sorted and without duplicates.
    """
    found: set[Path] = set()
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            found.add(path)
            continue
        # os.walk does not follow symlinked folders, so a link loop cannot recurse forever.
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                candidate = Path(root, name)
                suffix = candidate.suffix.lower()
                if (
                    not name.startswith((".", "~$"))
                    and (suffix in SUPPORTED_SUFFIXES or suffix in LEGACY_SUFFIXES)
                    and candidate.is_file()
                ):
                    found.add(candidate)
    return sorted(found)


# --------------------------------------------------------------------------- reading


def read_document(path: Path) -> RawDocument:
    """Read one document: text and HTML with their encoding detected, Word, Excel and PDF files.

    Args:
        path: the file.

    Returns:
        The text (HTML reduced to its body text, office files and PDFs to paragraphs and pipe
        table rows) with the encoding, the format, the source locations of lines that have one
        and, for HTML, the attachment links.

    Raises:
        UnsupportedFormatError: an unknown extension, a legacy .doc/.xls/.wps/.et file (the
            message says how to convert it), or a password-protected file.
        EmptyDocumentError: the file is empty, only whitespace, an HTML page without body text,
            an empty workbook or a PDF without a text layer.
        DecodeError: the file is binary, damaged, or not UTF-8, GB18030/GBK or Big5 text.
        InputError: the path is missing, a folder, or cannot be read.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(
            path, "is a folder, not a file; name a file, or let find_documents search the folder"
        )
    if not path.exists():
        raise InputError(path, "no such file; check the path")
    suffix = path.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if suffix in LEGACY_SUFFIXES:
        target = LEGACY_SUFFIXES[suffix]
        raise UnsupportedFormatError(
            path,
            f"{_LEGACY_NAMES[suffix]} {suffix} files are not read; convert it first: "
            f"libreoffice --headless --convert-to {target} {path.name}",
        )
    if fmt is None:
        raise UnsupportedFormatError(
            path,
            f"unsupported file type {suffix or '(none)'!r}; convert it to .txt, .docx or .pdf "
            f"(read: {_READ})",
        )
    if fmt in ("docx", "xlsx", "pdf"):
        return _read_office(path, fmt)
    data = _read_bytes(path)
    if not data:
        raise EmptyDocumentError(path, "file is empty (0 bytes); check the download or remove the file")
    text, encoding = detect_encoding(data, path=path, html=fmt == "html")
    if fmt == "html":
        page = parse_html(text)
        if not page.text.strip(_BLANK):
            raise EmptyDocumentError(
                path,
                "no body text left after removing scripts, styles and navigation; "
                "check that the page is not a redirect or a script-rendered shell",
            )
        return RawDocument(
            path=path,
            name=path.name,
            text=page.text,
            encoding=encoding,
            format=fmt,
            locations=page.locations,
            attachments=page.links,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip(_BLANK):
        raise EmptyDocumentError(path, "file holds only whitespace; check the download or remove the file")
    return RawDocument(path=path, name=path.name, text=text, encoding=encoding, format=fmt)


def _read_office(path: Path, fmt: str) -> RawDocument:
    """Read a .docx, .xlsx or .pdf file (binary formats: the encoding is reported as "binary")."""
    from kg import office

    if not _read_bytes(path, limit=1):
        raise EmptyDocumentError(path, "file is empty (0 bytes); check the download or remove the file")
    reader = {"docx": office.read_docx, "xlsx": office.read_xlsx, "pdf": office.read_pdf}[fmt]
    try:
        located = reader(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(path, f"cannot read the file ({reason}); check the path and the file") from exc
    return RawDocument(
        path=path,
        name=path.name,
        text=located.text,
        encoding="binary",
        format=fmt,
        locations=located.locations,
    )


_BLANK = " \t\n\r\f\v\u00a0\u3000\u200b\u200c\u200d\ufeff"


def _read_bytes(path: Path, *, limit: int | None = None) -> bytes:
    """Read the file's bytes (the first ``limit`` ones), turning OSError into InputError with a reason
    and a remedy."""
    try:
        if limit is not None:
            with path.open("rb") as fh:
                return fh.read(limit)
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(path, "no such file; check the path") from exc
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not a file; name a file inside it") from exc
    except PermissionError as exc:
        raise InputError(path, "permission denied; check that the file is readable") from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError(path, f"cannot read the file ({reason}); check the path and the file") from exc


# --------------------------------------------------------------------------- encodings

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (bom, codec to decode the rest, name reported); UTF-32 before UTF-16 as FF FE is a prefix.
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

# Control characters other than tab, newlines, form feed and escape: rare in text, common in binaries.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b") + b"\x7f"
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.1

# A few hundred of the most frequent characters of (government) Chinese, simplified then the
# traditional forms that differ. Text decoded with the right codec hits them far more often
# than mojibake from the wrong one (GB18030 and Big5 both decode most Big5/GBK byte pairs).
_COMMON_CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
    "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使"
    "点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料"
    "象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处府研务局委镇街县市省乡村办室厅司署科站院校医保险税财审规划"
    "交环境卫健康教育旅游住房城改商源态急安劳信访场监督消防综执项目推落完标牵单配责报告快深升优服障济"
    "投企善治群众领导织施"
    "這爲個國時來們於對會發動過說產種後學經進電裏現實兩體機當點從業應開還義間樣與關線內數麼質氣變條沒"
    "結問無軍並題黨員總設長頭資邊級圖統較將組見計別論運農幾區強決幹戰則據處務鎮縣鄉辦廳醫險稅財審規劃"
    "環衛遊態勞訪場監綜執項標牽單責報優濟羣衆領導織為裡眾臺著"
)
_COMMON_RE = re.compile("[" + "".join(sorted(set(_COMMON_CHARS))) + "]")

_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GB_LABELS = frozenset(
    {"gb2312", "gbk", "x-gbk", "gb18030", "cp936", "chinese", "csgb2312", "euc-cn", "gb_2312-80", "iso-ir-58"}
)
_BIG5_LABELS = frozenset({"big5", "big5-hkscs", "big5hkscs", "cn-big5", "x-x-big5", "csbig5", "cp950"})
# Python's "big5" lacks the Microsoft and HKSCS additions that real Big5 files often use.
_BIG5_CODECS = ("big5", "cp950", "big5hkscs")


def detect_encoding(data: bytes, *, path: Path | str = "<bytes>", html: bool = False) -> tuple[str, str]:
    """Decode ``data``, detecting the encoding; never assumes one.

    Order: byte-order mark; strict UTF-8 (when non-ASCII); an HTML ``<meta charset>`` that decodes
    strictly; GB18030 or Big5, whichever decodes strictly with more common Chinese characters;
    charset_normalizer as a last resort.

    Args:
        data: the file content (not empty).
        path: named in error messages.
        html: look for a ``<meta charset>`` / ``http-equiv`` declaration.

    Returns:
        ``(text, encoding)``, e.g. ``("...", "gb18030")``; a UTF-8 BOM gives ``"utf-8-sig"``.

    Raises:
        DecodeError: binary data, or bytes no supported encoding decodes.

    >>> detect_encoding("发布机构".encode("gb18030"))[1]
    'gb18030'
    >>> detect_encoding("發布機構".encode("big5"))[1]
    'big5'
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = _try_decode(data[len(bom) :], codec)
            if text is None:
                raise DecodeError(path, f"has a {name} byte-order mark but does not decode as {name}; {_TRY}")
            _check_not_binary(text, path)
            return text, name
    if b"\x00" in data:
        raise DecodeError(
            path,
            "looks like a binary file (contains NUL bytes) or UTF-16 without a byte-order mark; "
            "supported are .txt/.html text files in UTF-8, GB18030/GBK or Big5",
        )
    sample = data[:_SAMPLE]
    if len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > _MAX_CONTROL_SHARE * len(sample):
        raise DecodeError(path, f"looks like a binary file (mostly control bytes); {_TRY}")
    decoded = _decode_text(data, html=html)
    if decoded is None:
        raise DecodeError(path, f"cannot decode the bytes as UTF-8, GB18030/GBK or Big5; {_TRY}")
    _check_not_binary(decoded[0], path)
    return decoded


def _decode_text(data: bytes, *, html: bool) -> tuple[str, str] | None:
    """Decode BOM-less bytes; None when nothing decodes."""
    utf8 = _try_decode(data, "utf-8")
    is_ascii = data.isascii()
    if utf8 is not None and not is_ascii:
        return utf8, "utf-8"  # valid non-ASCII UTF-8 is almost never an accident
    declared = _decode_declared(data) if html else None
    if declared is not None:
        return declared
    if utf8 is not None:
        return utf8, "utf-8"
    candidates = [(text, name) for text, name in (_decode_gb(data), _decode_big5(data)) if text is not None]
    if candidates:
        # max() keeps the first (GB18030) on a tie.
        return max(candidates, key=lambda item: _score_chinese(item[0]))
    best = from_bytes(data).best()
    # Without a BOM or NUL bytes the data cannot be UTF-16/32, whatever the guesser says.
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        return None
    return str(best), best.encoding


def _decode_declared(data: bytes) -> tuple[str, str] | None:
    """Decode with the charset an HTML ``<meta>`` declares, if that decodes strictly."""
    match = _META_CHARSET_RE.search(data[:_SAMPLE])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    if label in _GB_LABELS:
        text, name = _decode_gb(data)
        return None if text is None else (text, name)
    if label in _BIG5_LABELS:
        text, name = _decode_big5(data)
        return None if text is None else (text, name)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # a BOM-less file cannot really be UTF-16; browsers read it as UTF-8 too
    text = _try_decode(data, name)
    return None if text is None else (text, name)


def _decode_gb(data: bytes) -> tuple[str | None, str]:
    """Decode as GB18030 (a superset of GBK and GB2312)."""
    return _try_decode(data, "gb18030"), "gb18030"


def _decode_big5(data: bytes) -> tuple[str | None, str]:
    """Decode as Big5, then its common extensions cp950 and Big5-HKSCS."""
    for codec in _BIG5_CODECS:
        text = _try_decode(data, codec)
        if text is not None:
            return text, codec
    return None, "big5"


def _try_decode(data: bytes, codec: str) -> str | None:
    """Strictly decode, or None."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _check_not_binary(text: str, path: Path | str) -> None:
    """Raise DecodeError when the decoded text is mostly control characters."""
    sample = text[:_SAMPLE]
    if len(_CONTROL_RE.findall(sample)) > _MAX_CONTROL_SHARE * max(len(sample), 1):
        raise DecodeError(path, f"looks like a binary file (mostly control characters); {_TRY}")


def _score_chinese(text: str) -> int:
    """Count the very common Chinese characters in ``text`` (simplified or traditional).

    >>> _score_chinese("发布机构") > _score_chinese("彂梾璣峔")
    True
    """
    return len(_COMMON_RE.findall(text))
