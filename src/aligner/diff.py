"""Word-level differences inside a matched pair, in difflib's vocabulary.

Opcodes come from rapidfuzz's Levenshtein alignment of the two word
sequences (compared case-folded, without diacritics or typographic quotes);
a one-word ``replace`` of spelling variants ("Dzherzhinsky"/"Djerzhinsky")
carries character-level opcodes too. Ranges are absolute document offsets
and cover words: the spaces and punctuation between words belong to no op.
This module never decides what is parallel.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from aligner.model import DiffOp, Tag
from aligner.segment import Word, words_in

VARIANT_SIMILARITY = 0.6
"""Two words at least this similar (normalised Levenshtein) are spelling
variants of each other, and get character-level opcodes."""


def word_diff(a: Sequence[Word], b: Sequence[Word]) -> tuple[DiffOp, ...]:
    """Opcodes turning the words ``a`` into the words ``b``."""
    ops: list[DiffOp] = []
    if not a and not b:
        return ()
    na = [w.norm for w in a]
    nb = [w.norm for w in b]
    for op in Levenshtein.opcodes(na, nb):
        ops.extend(_ops(op.tag, a, b, op.src_start, op.src_end, op.dest_start, op.dest_end))
    return tuple(_merge(ops))


def _ops(
    tag: str, a: Sequence[Word], b: Sequence[Word], i1: int, i2: int, j1: int, j2: int
) -> list[DiffOp]:
    a_range = _range(a, i1, i2)
    b_range = _range(b, j1, j2)
    if tag == "replace" and i2 - i1 == j2 - j1:
        # Word for word: mark spelling variants at the character level.
        out = []
        for k in range(i2 - i1):
            wa, wb = a[i1 + k], b[j1 + k]
            out.append(DiffOp("replace", wa.start, wa.end, wb.start, wb.end, _char_ops(wa, wb)))
        return out
    return [DiffOp(_tag(tag), *a_range, *b_range)]


def _tag(tag: str) -> Tag:
    if tag in ("equal", "replace", "insert", "delete"):
        return tag  # type: ignore[return-value]
    raise ValueError(tag)


def _range(words: Sequence[Word], i1: int, i2: int) -> tuple[int, int]:
    if i2 > i1:
        return words[i1].start, words[i2 - 1].end
    # An empty range sits where the missing words would be.
    if i1 < len(words):
        return words[i1].start, words[i1].start
    if words:
        return words[-1].end, words[-1].end
    return 0, 0


def _char_ops(wa: Word, wb: Word) -> tuple[DiffOp, ...]:
    if Levenshtein.normalized_similarity(wa.norm, wb.norm) < VARIANT_SIMILARITY:
        return ()
    if len(wa.norm) != wa.end - wa.start or len(wb.norm) != wb.end - wb.start:
        return ()  # normalisation changed the length: offsets would not map back
    return tuple(
        DiffOp(
            _tag(op.tag),
            wa.start + op.src_start,
            wa.start + op.src_end,
            wb.start + op.dest_start,
            wb.start + op.dest_end,
        )
        for op in Levenshtein.opcodes(wa.norm, wb.norm)
    )


def _merge(ops: list[DiffOp]) -> list[DiffOp]:
    """Join neighbouring ``replace`` ops without character detail."""
    out: list[DiffOp] = []
    for op in ops:
        prev = out[-1] if out else None
        if prev is not None and prev.tag == op.tag == "replace" and not prev.chars and not op.chars:
            out[-1] = DiffOp("replace", prev.a_start, op.a_end, prev.b_start, op.b_end)
        else:
            out.append(op)
    return out


def equal_words(ops: Sequence[DiffOp], a: Sequence[Word]) -> int:
    """How many words of ``a`` the opcodes mark ``equal``."""
    return sum(len(words_in(a, op.a_start, op.a_end)) for op in ops if op.tag == "equal")
