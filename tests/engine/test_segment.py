from __future__ import annotations

import pytest

from aligner.documents import make_document
from aligner.segment import normalise, segment

TEXT = """Home | News | Donate | Join

Share this Article

In 1921 the tenth congress adopted the N.E.P. as a retreat.
Mr. Smith, the visitor, was not convinced.[2] He said so in print.

Lenin called it “a retreat”.5 Trotsky agreed at once.
"""


@pytest.fixture(scope="module")
def seg():  # type: ignore[no-untyped-def]
    return segment(make_document(TEXT))


def test_every_offset_slices_back(seg) -> None:  # type: ignore[no-untyped-def]
    for w in seg.words:
        assert normalise(TEXT[w.start : w.end]) == w.norm
    for s in seg.sentences:
        assert TEXT[s.start : s.end].strip() == TEXT[s.start : s.end]
        assert s.start < s.end


def test_navigation_and_share_lines_are_boilerplate(seg) -> None:  # type: ignore[no-untyped-def]
    boiler = [TEXT[s.start : s.end] for s in seg.sentences if s.boiler]
    assert "Home | News | Donate | Join" in boiler
    assert "Share this Article" in boiler
    assert all(not s.boiler for s in seg.sentences if "congress" in TEXT[s.start : s.end])


def test_note_markers_are_not_words(seg) -> None:  # type: ignore[no-untyped-def]
    norms = [w.norm for w in seg.words]
    assert "2" not in norms and "5" not in norms
    assert "1921" in norms


def test_sentences_split_at_sentence_ends(seg) -> None:  # type: ignore[no-untyped-def]
    texts = [TEXT[s.start : s.end] for s in seg.sentences if not s.boiler]
    assert any(t.startswith("He said so") for t in texts)
    assert any(t.startswith("Trotsky agreed") for t in texts)


@pytest.mark.parametrize(
    ("raw", "norm"),
    [("Lenin’s", "lenin's"), ("Dzierżyński", "dzierzynski"), ("ÉCOLE", "ecole")],
    ids=["curly-apostrophe", "diacritics", "case"],
)
def test_normalise(raw: str, norm: str) -> None:
    assert normalise(raw) == norm


def test_stems_make_inflections_meet() -> None:
    seg = segment(make_document("The purges purged. The purge ended."))
    assert len({w.stem for w in seg.words if w.norm.startswith("purg")}) == 1
