"""documents.py: decoding, newlines, paragraphs, and refusing what is not text."""

from __future__ import annotations

import os
import textwrap
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.documents import (
    decode,
    document_from_bytes,
    load_document,
    make_document,
    paragraph_spans,
    paragraph_starts,
    read_document,
    sample_paths,
)
from aligner.model import DocumentError

FRENCH = "Le café était très animé; où est la fenêtre? Déjà vu, naïve façade, garçon.\n"
RUSSIAN = "Привет, как дела? Это тест кодировки текста на русском языке.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (FRENCH.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), "utf-8-sig"),
        (FRENCH.encode("utf-16"), "utf-16"),
        (FRENCH.encode("utf-16-le"), "utf-16-le"),
        (FRENCH.encode("utf-16-be"), "utf-16-be"),
        (RUSSIAN.encode("utf-16-le"), "utf-16-le"),
        (RUSSIAN.encode("utf-16-be"), "utf-16-be"),
        (FRENCH.encode("latin-1"), "cp1252"),
        (("“Smart” quotes — and €5. " + FRENCH).encode("cp1252"), "cp1252"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-bom",
        "utf16le",
        "utf16be",
        "ru-utf16le",
        "ru-utf16be",
        "latin1",
        "cp1252",
    ],
)
def test_decode_reads_common_encodings(data: bytes, encoding: str) -> None:
    text, used = decode(data)
    assert used == encoding
    assert "café" in text or "Привет" in text
    assert "\ufffd" not in text


def test_decode_names_a_non_western_code_page_without_garbling_it() -> None:
    text, used = decode((RUSSIAN * 3).encode("cp1251"))
    assert used != "cp1252"
    assert text == RUSSIAN * 3


def test_invalid_utf8_bytes_are_replaced_and_reported() -> None:
    data = ("“Quoted” text — " + FRENCH).encode("utf-8") + b"bad \xff byte\n"
    text, used = decode(data)
    assert used == "utf-8 (1 invalid byte replaced)"
    assert "“Quoted”" in text and "bad \ufffd byte" in text


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (PNG, "PNG"),
        (b"\x00\x01\x02\x03" * 200, ""),
        (bytes(range(256)) * 20, ""),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ],
    ids=["png", "zeros", "all-bytes", "pdf"],
)
def test_binary_data_is_refused(data: bytes, what: str) -> None:
    with pytest.raises(DocumentError, match="looks like a binary file") as info:
        decode(data, name="x")
    assert what in str(info.value)


def test_zip_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", FRENCH * 10)
    with pytest.raises(DocumentError, match="zip archive"):
        read_document(path)


def test_ansi_escapes_do_not_make_a_text_binary() -> None:
    text, _ = decode(("\x1b[31mred\x1b[0m words in a log line\n" * 50).encode())
    assert text.count("\x1b") == 100


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "], ids=["empty", "whitespace"])
def test_empty_and_blank_files_are_refused(data: bytes) -> None:
    with pytest.raises(DocumentError, match="empty|only whitespace"):
        document_from_bytes(data, name="blank.txt")


@pytest.mark.parametrize(
    ("newline", "bom"),
    [("\r\n", b""), ("\r", b""), ("\n", b"\xef\xbb\xbf")],
    ids=["crlf", "cr", "bom"],
)
def test_offsets_index_the_text_read_text_returns(tmp_path: Path, newline: str, bom: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bom + ("One.\n\nTwo café.\nThree.\n").replace("\n", newline).encode("utf-8"))
    doc = read_document(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.paragraph_starts == (0, doc.text.index("Two"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", "no such file"),
        (lambda p: p, "is a directory"),
    ],
    ids=["missing", "directory"],
)
def test_unreadable_paths_raise_one_line_errors(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentError, match=message) as info:
        read_document(make(tmp_path))
    assert "\n" not in str(info.value)


def test_permission_denied_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("text")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(DocumentError, match="permission denied"):
        read_document(path)


def test_load_document_takes_text_paths_and_documents(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(FRENCH, encoding="utf-8")
    from_path = load_document(str(path))
    assert from_path.name == "a.txt" and from_path.text == FRENCH
    assert load_document(from_path) is from_path
    assert load_document("not a file\r\nat all").text == "not a file\nat all"


def test_paragraph_starts_skip_blank_runs() -> None:
    text = "a\n\n\n  b\n \nc"
    assert paragraph_starts(text) == (0, text.index("b"), text.index("c"))


def test_lines_longer_than_wrapped_prose_are_paragraphs_of_their_own() -> None:
    long_a, long_b = "A " * 80 + "end.", "B " * 90 + "end."
    text = f"{long_a}\n{long_b}\n\nshort line one\nshort line two\n"
    spans = paragraph_spans(text)
    assert [text[s:e].strip() for s, e in spans] == [
        long_a,
        long_b,
        "short line one\nshort line two",
    ]
    assert paragraph_starts(text) == (0, text.index("B "), text.index("short"))


def test_hard_wrapped_prose_keeps_its_paragraphs() -> None:
    text = "\n".join(textwrap.wrap("word " * 200, 72)) + "\n\nNext paragraph.\n"
    assert len(paragraph_spans(text)) == 2


PROSE = [
    "Lenin fell ill in 1922 and wrote his Testament in the last days of that year. " * 3,
    "The Testament was read to the delegates in 1924, but it was not published. " * 2,
    "Trotsky was exiled to Alma-Ata in 1928 and expelled from the country a year later. " * 4,
]


@pytest.mark.parametrize("indent", ["", "    "], ids=["flush", "indented"])
def test_wrapped_paragraphs_without_blank_lines_are_found(indent: str) -> None:
    wrapped = [textwrap.wrap(p, 72, initial_indent=indent) for p in PROSE]
    # Each paragraph's last line leaves room for the next one's first word:
    # a wrapping tool would have filled it, so the line was ended there.
    assert all(len(lines[-1]) + 8 < 72 for lines in wrapped)
    text = "\n".join("\n".join(lines) for lines in wrapped) + "\n"
    got = [" ".join(text[s:e].split()) for s, e in paragraph_spans(text)]
    assert got == [" ".join(p.split()) for p in PROSE]


def test_verse_and_lists_stay_whole() -> None:
    verse = (
        "Tyger Tyger, burning bright,\nIn the forests of the night;\n"
        "What immortal hand or eye,\nCould frame thy fearful symmetry?\n"
    )
    items = "- bread\n- peace\n- land\n- all power to the soviets\n"
    for text in (verse, items):
        assert len(paragraph_spans(text)) == 1


def test_a_long_run_of_short_lines_is_one_unit_a_line() -> None:
    """Scripture a verse a line, or a long poem: each line, not one block."""
    verses = [f"{n} And the king said unto Esther, what is thy petition?" for n in range(1, 51)]
    text = "\n".join(verses) + "\n"
    assert [text[s:e].strip() for s, e in paragraph_spans(text)] == verses
    # Lines that run on (wrapped, or verse ending in commas) stay together.
    stanza = "\n".join(v.rstrip("?") + "," for v in verses[:8])
    assert len(paragraph_spans(stanza)) == 1


def test_samples_ship_with_the_package() -> None:
    names = {p.name for p in sample_paths()}
    assert {"revolution-to-counter-revolution.txt", "clr-james-lenin-stalin.txt"} <= names


@settings(max_examples=int(os.environ.get("ALIGNER_EXAMPLES", "200")), deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_document_or_a_document_error(data: bytes) -> None:
    try:
        doc = document_from_bytes(data, name="x")
    except DocumentError as exc:
        assert "\n" not in str(exc)
        return
    assert "\r" not in doc.text and doc.text.strip()
    assert all(0 <= s < len(doc.text) for s in doc.paragraph_starts)


@settings(max_examples=int(os.environ.get("ALIGNER_EXAMPLES", "200")), deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t")).filter(
        lambda t: t.strip()
    )
)
def test_utf8_text_comes_back_as_read_text_gives_it(text: str) -> None:
    doc = document_from_bytes(text.encode("utf-8"), name="x")
    assert doc.text == text.replace("\r\n", "\n").replace("\r", "\n")


def test_a_path_with_a_nul_byte_is_a_document_error() -> None:
    with pytest.raises(DocumentError, match="not a valid path"):
        read_document("a\x00b.txt")


def test_a_passage_across_paragraphs_is_located_by_all_of_them() -> None:
    """Reports say where a passage lies: its paragraph, or the first and last
    of several (a retelling, or a merged run of a version, may cross breaks)."""
    doc = make_document("One.\n\nTwo, the second.\n\nThree, the third.\n", name="d")
    two, three = doc.text.index("Two"), doc.text.index("Three")
    assert doc.paragraph_label(two, two + 4) == "2"
    assert doc.paragraph_label(two, doc.text.index("second") + 6) == "2"
    assert doc.paragraph_range(0, three + 5) == (1, 3)
    assert doc.paragraph_label(0, three + 5) == "1–3"
    assert doc.paragraph_label(two, len(doc.text.rstrip())) == "2–3"
