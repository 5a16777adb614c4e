"""Turn a path, a string or bytes into a ``Document``.

This stage decodes and names; it never changes a character of the text, so
that every offset the engine reports indexes the text as
``Path.read_text()`` returns it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from aligner.model import Document, DocumentError

Source = "str | os.PathLike[str] | Document"

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def paragraph_starts(text: str) -> tuple[int, ...]:
    """Offsets where paragraphs (blocks separated by blank lines) begin."""
    starts = [0]
    starts.extend(m.end() for m in _PARAGRAPH_BREAK.finditer(text) if m.end() < len(text))
    return tuple(starts)


def make_document(
    text: str, *, name: str = "text", path: str | None = None, encoding: str = "utf-8"
) -> Document:
    """Wrap ``text`` in a ``Document`` with its paragraph index."""
    return Document(
        text=text,
        name=name,
        path=path,
        encoding=encoding,
        paragraph_starts=paragraph_starts(text),
    )


def decode(data: bytes, *, name: str = "input") -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such; anything
    else is handed to charset-normalizer, which names the encoding it assumed.

    Raises:
        DocumentError: the bytes are not text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if b"\x00" in data[:8192] and not _looks_utf16(data):
        raise DocumentError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_utf16(data):
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", "replace"), (
            "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is None:
        raise DocumentError(f"{name}: looks like a binary file, not text")
    encoding = best.encoding
    return data.decode(encoding, errors="replace"), encoding


def _looks_utf16(data: bytes) -> bool:
    head = data[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read the file at ``path``.

    Raises:
        DocumentError: the file is missing, a directory, unreadable or binary.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise DocumentError(f"{p}: is a directory, not a file") from None
    except PermissionError:
        raise DocumentError(f"{p}: permission denied") from None
    except OSError as exc:
        raise DocumentError(f"{p}: cannot read ({exc.strerror or exc})") from None
    text, encoding = decode(data, name=str(p))
    # Path.read_text() uses universal newlines: offsets must index that text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return make_document(text, name=p.name, path=str(p), encoding=encoding)


def load_document(source: str | os.PathLike[str] | Document, *, name: str | None = None) -> Document:
    """Load ``source``: a ``Document`` (returned as is), a path, or text.

    A ``str`` naming an existing file (one line, no newline) is read as a
    path; any other ``str`` is the text itself.

    Raises:
        DocumentError: a path that cannot be read as text.
    """
    if isinstance(source, Document):
        return source
    if isinstance(source, os.PathLike):
        return read_document(source)
    if isinstance(source, str):
        if "\n" not in source and len(source) < 4096 and _is_file(source):
            return read_document(source)
        return make_document(source.replace("\r\n", "\n").replace("\r", "\n"), name=name or "text")
    raise DocumentError(f"cannot read a document from {type(source).__name__}")


def _is_file(candidate: str) -> bool:
    try:
        return Path(candidate).is_file()
    except (OSError, ValueError):
        return False


def sample_paths() -> tuple[Path, ...]:
    """The bundled sample accounts, in a stable order."""
    folder = Path(__file__).parent / "samples"
    return tuple(sorted(folder.glob("*.txt")))
