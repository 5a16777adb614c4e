from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.diff import word_diff
from aligner.documents import make_document
from aligner.segment import segment


def _words(text: str):  # type: ignore[no-untyped-def]
    return segment(make_document(text)).words


def _apply(ops, a_text: str, b_text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Rebuild b's words from a's words and the opcodes."""
    out: list[str] = []
    for op in ops:
        if op.tag == "equal":
            out.extend(a_text[op.a_start : op.a_end].split())
        elif op.tag in ("replace", "insert"):
            out.extend(b_text[op.b_start : op.b_end].split())
    return out


def test_translation_variants_diff_word_by_word() -> None:
    a = "Stalin has concentrated enormous power in his hands."
    b = "Stalin has unlimited authority concentrated in his hands."
    ops = word_diff(_words(a), _words(b))
    tags = [op.tag for op in ops]
    assert tags[0] == "equal" and a[ops[0].a_start : ops[0].a_end] == "Stalin has"
    assert "insert" in tags or "replace" in tags
    assert ops[-1].tag == "equal" and a[ops[-1].a_start : ops[-1].a_end] == "in his hands"


def test_spelling_variants_get_character_detail() -> None:
    a = "Stalin and Dzherzhinsky are responsible."
    b = "Stalin and Djerzhinsky are responsible."
    ops = word_diff(_words(a), _words(b))
    changed = [op for op in ops if op.tag == "replace"]
    assert len(changed) == 1 and changed[0].chars
    assert a[changed[0].a_start : changed[0].a_end] == "Dzherzhinsky"
    char_tags = {c.tag for c in changed[0].chars}
    assert "equal" in char_tags and char_tags & {"replace", "insert", "delete"}


def test_unrelated_words_get_no_character_detail() -> None:
    ops = word_diff(_words("a cat sat"), _words("a dog sat"))
    assert [op for op in ops if op.tag == "replace"][0].chars == ()


WORDS = st.lists(
    st.sampled_from(["lenin", "stalin", "the", "party", "1924", "purge", "Trotsky"]), max_size=12
)


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS)
def test_opcodes_rebuild_b_and_stay_in_bounds(a_words: list[str], b_words: list[str]) -> None:
    a, b = " ".join(a_words), " ".join(b_words)
    ops = word_diff(_words(a), _words(b))
    assert _apply(ops, a, b) == b.split()
    for op in ops:
        assert 0 <= op.a_start <= op.a_end <= len(a)
        assert 0 <= op.b_start <= op.b_end <= len(b)
