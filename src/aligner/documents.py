"""Turn a path, a string or bytes into a ``Document``.

This stage decodes and names; it never changes a character of the text beyond
``Path.read_text()``'s universal newlines, so that every offset the engine
reports indexes the text as ``Path.read_text()`` returns it. It refuses what
is not text (binary files, empty files) with a ``DocumentError`` whose message
fits on one line; it never segments or matches.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

from aligner.model import AlignerError, Document, DocumentError

Source = "str | os.PathLike[str] | Document"

_BLOCK = re.compile(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*")
"""A block of lines between blank (or whitespace-only) lines."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LETTER = re.compile(r"[^\W\d_]")

# Magic numbers of common non-text files, for a message that names the type.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (or a .docx/.odt/.epub)"),
    (b"PK\x05\x06", "a zip archive"),
    (b"%PDF-", "a PDF (extract its text first)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Share of control characters (other than whitespace and ESC) above which
# decoded bytes are taken for binary: random bytes give about 10 %, prose 0 %,
# and a coloured log with ANSI escapes still 0 % since ESC is not counted.
_MAX_CONTROL_SHARE = 0.02

# Letters a Western European text in cp1252 is made of, beyond ASCII.
_WESTERN = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœŒšŠžŽŸ’‘“”„–—…€•«»°§£¡¿·\u00a0"
)


WRAP_WIDTH = 100
"""Longest line of hard-wrapped prose (most wrap at 70-80 characters). A block
with a longer line before its last is not wrapped: it holds one paragraph a
line, as files written without blank lines between paragraphs do."""


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]``'s span without the blanks around it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text``.

    Paragraphs are the blocks between blank lines; a block whose lines are not
    hard-wrapped (see ``WRAP_WIDTH``) is one paragraph per line, and a block of
    short lines is cut as ``_wrapped_paragraph_starts`` reads it (wrapped
    paragraphs, a sentence or verse a line, or a stanza). Every module that
    numbers or cuts paragraphs uses this one definition.
    """
    spans: list[tuple[int, int]] = []
    for m in _BLOCK.finditer(text):
        start, end = m.span()
        lines = m.group().split("\n")
        if len(lines) == 1:
            spans.append((start, end))
            continue
        if all(len(line) <= WRAP_WIDTH for line in lines[:-1]):
            firsts = _wrapped_paragraph_starts(lines)
        else:
            firsts = list(range(len(lines)))
        offsets = [start]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        bounds = [*firsts, len(lines)]
        for k, k_next in itertools.pairwise(bounds):
            span = (offsets[k], min(offsets[k_next] - 1, end))
            if text[span[0] : span[1]].strip():
                spans.append(span)
    return spans


MIN_WRAPPED_LINES = 4
"""Fewest lines in a block for it to be read as several wrapped paragraphs."""
MANY_LINES = 40
"""More lines than a stanza or a list has: a block this long without blank
lines that is not wrapped prose holds one unit (verse, line) a line."""
MIN_WRAP_WIDTH = 50
"""Prose is wrapped at 60-80 characters; shorter lines of even length are verse."""
_ENDS_SENTENCE = tuple('.!?:;"”’)')


def _wrapped_paragraph_starts(lines: list[str]) -> list[int]:
    """The lines of a block of short lines that begin a paragraph (0 first).

    Hard-wrapped prose without blank lines between paragraphs marks them as a
    typewriter did: the last line of a paragraph ends a sentence short of the
    wrap width (the next word would have fitted on it), or the first line is
    indented. A block whose lines nearly all end a sentence holds one sentence
    (or verse) a line. A block that is not wrapped prose (lines under 50
    characters, or most far short of the longest: verse, a list) is one
    paragraph, as a wrapped paragraph between blank lines is.
    """
    width = max(len(line.rstrip()) for line in lines)
    if len(lines) < MIN_WRAPPED_LINES:
        return [0]
    sentence_ends = sum(line.rstrip().endswith(_ENDS_SENTENCE) for line in lines[:-1])
    if sentence_ends >= 0.7 * (len(lines) - 1):
        return list(range(len(lines)))  # wrapping ends few lines at a sentence's end
    full = sum(len(line.rstrip()) >= 0.75 * width for line in lines[:-1])
    if width < MIN_WRAP_WIDTH or full < 0.5 * (len(lines) - 1):
        # Not wrapped prose: a stanza or a list is one paragraph; a long run
        # of such lines (a verse-a-line scripture, a whole poem) is one a line.
        return [0] if len(lines) < MANY_LINES else list(range(len(lines)))
    indented = [line[:1] in (" ", "\t") for line in lines]
    flush = sum(indented) < 0.5 * len(lines)
    starts = [0]
    for k in range(1, len(lines)):
        before, words = lines[k - 1].rstrip(), lines[k].split()
        # A wrapping tool moves a word down only when it does not fit: where
        # the next line's first word would have fitted, the line was ended.
        fits = bool(words) and len(before) + 1 + len(words[0]) <= width
        stopped = fits and before.endswith(_ENDS_SENTENCE) or len(before) < 0.5 * width
        if stopped or (flush and indented[k] and not indented[k - 1]):
            starts.append(k)
    return starts


def paragraph_starts(text: str) -> tuple[int, ...]:
    """Offsets where paragraphs' text begins (indentation skipped; the first from 0)."""
    starts = [0]
    for start, end in paragraph_spans(text)[1:]:
        chunk = text[start:end]
        starts.append(start + len(chunk) - len(chunk.lstrip()))
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

    UTF-8 (with or without BOM) and UTF-16 (with BOM, or detected from its
    zero bytes) are read as such. UTF-8 with a few invalid bytes is decoded
    with U+FFFD replacements, and the encoding says how many. Anything else is
    handed to charset-normalizer, with a preference for cp1252 (a superset of
    Latin-1) when that reads as Western European text, since the detector
    often guesses a Baltic or Mac code page for short Latin-1 files.

    Raises:
        DocumentError: the bytes are not text.
    """
    _refuse_known_binary(data, name)
    if data.startswith(b"\xef\xbb\xbf"):
        # Keep the BOM as U+FEFF: Path.read_text() does, and offsets index that text.
        return _check_text(data.decode("utf-8", errors="replace"), name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _check_text(data.decode("utf-16", errors="replace"), name), "utf-16"
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _check_text(data.decode(encoding, errors="replace"), name), encoding
    if b"\x00" in data[:8192]:
        return _decode_utf16_or_refuse(data, name)
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _decode_mostly_utf8(data)
    if mostly_utf8 is not None:
        return _check_text(mostly_utf8[0], name), mostly_utf8[1]
    text, encoding = _decode_detected(data, name)
    return _check_text(text, name), encoding


def _decode_utf16_or_refuse(data: bytes, name: str) -> tuple[str, str]:
    """Zero bytes: UTF-16 of a non-Latin script if it decodes cleanly, else binary."""
    head = data[:8192]
    # ASCII spaces and punctuation put their zero byte first in big-endian.
    big_first = head[0::2].count(0) > head[1::2].count(0)
    for encoding in ("utf-16-be", "utf-16-le") if big_first else ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.count("\x00") == 0 and not _BINARY_CONTROL.search(text, 0, 65536):
            return text, encoding
    raise DocumentError(f"{name}: looks like a binary file, not text")


def _refuse_known_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DocumentError(f"{name}: looks like a binary file ({what}), not text")


def _check_text(text: str, name: str) -> str:
    """Refuse decoded text that is mostly control characters (binary data)."""
    head = text[:65536]
    controls = len(_BINARY_CONTROL.findall(head))
    if head and controls > _MAX_CONTROL_SHARE * len(head):
        raise DocumentError(f"{name}: looks like a binary file, not text")
    return text


_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
"""Control characters that text files do not hold (tab, newlines, form feed
and escape are allowed)."""


def _decode_mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few bad bytes: more valid multi-byte characters than errors."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))  # C speed on 50 MB
    valid = non_ascii - replaced
    if valid <= 0 or replaced > valid:
        return None
    noun = "byte" if replaced == 1 else "bytes"
    return text, f"utf-8 ({replaced} invalid {noun} replaced)"


def _decode_detected(data: bytes, name: str) -> tuple[str, str]:
    western = _as_western(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1 << 20]).best()
    if best is None:
        raise DocumentError(f"{name}: looks like a binary file, not text")
    return data.decode(best.encoding, errors="replace"), best.encoding


def _as_western(data: bytes) -> str | None:
    """``data`` as cp1252, when that reads as Western European prose."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    sample = text[: 1 << 20]
    high = _NON_ASCII.findall(sample)
    letters = len(_LETTER.findall(sample))
    # Western languages put few accented letters among many ASCII ones; a
    # Cyrillic or Greek code page read as cp1252 is almost all accented.
    if not high or len(high) > 0.3 * max(letters, 1):
        return None
    if sum(1 for ch in high if ch in _WESTERN) < 0.95 * len(high):
        return None
    return text


def _looks_utf16(data: bytes) -> bool:
    head = data[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)


def document_from_bytes(data: bytes, *, name: str, path: str | None = None) -> Document:
    """Decode ``data`` (a file's or stdin's bytes) into a ``Document``.

    Line endings become ``\\n`` (universal newlines, as ``Path.read_text()``).

    Raises:
        DocumentError: the bytes are not text, or hold no text at all.
    """
    label = path or name
    if not data:
        raise DocumentError(f"{label}: the file is empty")
    text, encoding = decode(data, name=label)
    # Path.read_text() uses universal newlines: offsets must index that text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{label}: the file holds only whitespace")
    return make_document(text, name=name, path=path, encoding=encoding)


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read the file at ``path``.

    Raises:
        DocumentError: the file is missing, a directory, unreadable, binary
            or empty.
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
    except MemoryError:
        raise DocumentError(f"{p}: too large to read into memory") from None
    except OSError as exc:
        raise DocumentError(f"{p}: cannot read ({exc.strerror or exc})") from None
    except ValueError:  # e.g. an embedded NUL from the Python API
        raise DocumentError(f"{p!r}: not a valid path") from None
    return document_from_bytes(data, name=p.name, path=str(p))


def load_document(
    source: str | os.PathLike[str] | Document, *, name: str | None = None
) -> Document:
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
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        return make_document(text, name=name or "text")
    raise DocumentError(f"cannot read a document from {type(source).__name__}")


def _is_file(candidate: str) -> bool:
    try:
        return Path(candidate).is_file()
    except (OSError, ValueError):
        return False


def paragraph_span(doc: Document, number: int) -> tuple[int, int]:
    """Where paragraph ``number`` (1-based, as reports number them) of ``doc`` lies.

    Raises:
        AlignerError: ``doc`` has no such paragraph.
    """
    starts = doc.paragraph_starts or (0,)
    if not 1 <= number <= len(starts):
        raise AlignerError(f"{doc.name} has paragraphs 1 to {len(starts)}, not {number}")
    end = starts[number] if number < len(starts) else len(doc.text)
    return starts[number - 1], end


def sample_paths() -> tuple[Path, ...]:
    """The bundled sample accounts, in a stable order."""
    folder = Path(__file__).parent / "samples"
    return tuple(sorted(folder.glob("*.txt")))
