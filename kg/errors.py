"""Exceptions raised by the library; the CLI turns them into one-line messages."""

from __future__ import annotations

from pathlib import Path

__all__ = ["KGError", "InputError", "DecodeError", "UnsupportedFormatError", "EmptyDocumentError"]


class KGError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(KGError):
    """A document cannot be read: names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class DecodeError(InputError):
    """The bytes are not text in any supported encoding (UTF-8, GB18030/GBK, Big5) or are binary."""


class UnsupportedFormatError(InputError):
    """The file extension is not one the tool reads."""


class EmptyDocumentError(InputError):
    """The file holds no text."""
