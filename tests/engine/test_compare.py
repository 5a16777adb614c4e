"""End-to-end behaviour of ``aligner.compare`` on the bundled accounts."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import aligner
from aligner import Comparison, Options
from aligner.features import Features
from aligner.model import Evidence, Pair, Span
from aligner.segment import segment


def _check_spans(c: Comparison) -> None:
    for p in c.pairs:
        assert (p.a.doc, p.b.doc) == (0, 1)
        for span, text in ((p.a, p.a_text), (p.b, p.b_text)):
            doc = c.documents[span.doc]
            assert 0 <= span.start < span.end <= len(doc.text)
            assert doc.text[span.start : span.end] == text
        assert 0.0 <= p.score <= 1.0
        for op in p.diff:
            assert p.a.start <= op.a_start <= op.a_end <= p.a.end
            assert p.b.start <= op.b_start <= op.b_end <= p.b.end
        for ev in p.evidence:
            assert all(p.a.start <= s < e <= p.a.end for s, e in ev.a)
            assert all(p.b.start <= s < e <= p.b.end for s, e in ev.b)


def test_testament_quotation_is_found_tight(testament_pair: Comparison) -> None:
    """Both accounts quote the postscript of Lenin's Testament in other translations."""
    quotes = [p for p in testament_pair.pairs if p.kind == "quotation"]
    hits = [p for p in quotes if "capricious" in p.a_text and "capricious" in p.b_text]
    assert hits, "the 'less capricious' quotation was not found"
    for p in hits:
        # Tight: the quoted words, not the narration around them.
        assert "Ten days later" not in p.a_text and "He wrote these letters" not in p.b_text


def test_quotation_reaches_through_another_translation(testament_pair: Comparison) -> None:
    """ "has unlimited authority concentrated" / "has concentrated an enormous power" """
    hits = [
        p
        for p in testament_pair.pairs
        if p.kind == "quotation" and "unlimited authority" in p.a_text
    ]
    assert hits and "enormous power" in hits[0].b_text
    assert any(op.tag != "equal" for op in hits[0].diff)
    assert any(op.tag == "equal" for op in hits[0].diff)


def test_testament_retelling_pairs_the_two_accounts(testament_pair: Comparison) -> None:
    """Lenin's note of 25 December 1922, told (and quoted) differently in each."""
    hits = [
        p
        for p in testament_pair.pairs
        if "Testament" in p.a_text and "Testament" in p.b_text and "December" in p.b_text
    ]
    assert hits
    kinds = {e.kind for p in hits for e in p.evidence}
    assert "name" in kinds


def test_retellings_show_their_shared_names(testament_pair: Comparison) -> None:
    retellings = [p for p in testament_pair.pairs if p.kind == "retelling"]
    assert retellings
    for p in retellings:
        assert p.evidence, "every retelling says what the passages share"
        strongest = p.evidence[0]
        assert strongest.a and strongest.b


def test_a_quotation_that_is_a_detail_of_a_retelling_is_shown_once(
    samples: dict[str, Path],
) -> None:
    """The retelling holds the quoted words, the narration around them, and
    names them as a shared phrase."""
    a = samples["revolution-to-counter-revolution"]
    b = samples["what-is-stalinism"]
    pairs = aligner.compare(a, b).pairs
    quotations = [p for p in pairs if p.kind == "quotation"]
    retellings = [p for p in pairs if p.kind == "retelling"]
    assert quotations and retellings
    for q in quotations:
        for r in retellings:
            inside = r.a.start <= q.a.start and q.a.end <= r.a.end
            inside = inside and r.b.start <= q.b.start and q.b.end <= r.b.end
            assert not inside or len(q.a) >= len(r.a) / 2 or len(q.b) >= len(r.b) / 2
    phrases = [e for p in retellings for e in p.evidence if e.kind == "phrase"]
    assert phrases
    text = aligner.compare(a, b).documents[0].text
    for e in phrases:  # the words it marks, in a
        ((start, end),) = e.a
        assert " ".join(text[start:end].split()).startswith(e.term.removesuffix(" …"))
    # Asked for quotations alone, the reader gets the folded ones too.
    only = aligner.compare(a, b, options=Options(kinds=("quotation",)))
    assert len(only.pairs) > len(quotations)


def test_questions_for_discussion_make_no_parallels(testament_pair: Comparison) -> None:
    """One account ends with a study guide's numbered questions: one names
    Kronstadt, which the other account tells, but asks rather than tells."""
    text = testament_pair.documents[0].text
    questions = text.index("Questions for Discussion")
    assert "Kronstadt sailors rebellion" in text[questions:]
    assert all(p.a.end <= questions for p in testament_pair.pairs)


_LICENCE = """Updated editions will replace the previous one, and the old editions will
be renamed. Creating the works from print editions not protected by copyright
law means that no one owns a copyright in these works, so the Foundation can
copy and distribute it without permission and without paying royalties.

THE FULL PROJECT GUTENBERG LICENSE

To protect the Project Gutenberg mission of promoting the free distribution of
electronic works, by using or distributing this work you agree to comply with
all the terms of the Full Project Gutenberg License available with this file.

1.A. By reading or using any part of this Project Gutenberg electronic work,
you indicate that you have read, understand, agree to and accept all the terms
of this license and intellectual property (trademark/copyright) agreement.
"""


def _gutenberg(title: str, text: str) -> tuple[str, int]:
    """``text`` framed as a Project Gutenberg file, and the header's length."""
    header = (
        f"The Project Gutenberg eBook of {title}\n\n"
        "This ebook is for the use of anyone anywhere in the United States and most\n"
        "other parts of the world at no cost and with almost no restrictions whatsoever.\n\n"
        f"Title: {title}\n\nLanguage: English\n\n"
        f"*** START OF THE PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n"
    )
    end = f"\n\n*** END OF THE PROJECT GUTENBERG EBOOK {title.upper()} ***\n\n"
    return header + text + end + _LICENCE, len(header)


def test_a_project_gutenberg_frame_is_no_part_of_the_work(testament_pair: Comparison) -> None:
    """Two files from Project Gutenberg share its header and licence word for
    word: that is no parallel, and the works pair as they do without it."""
    first, second = testament_pair.documents
    (a, shift_a), (b, shift_b) = _gutenberg("First", first.text), _gutenberg("Second", second.text)
    framed = aligner.compare(a, b)
    _check_spans(framed)
    body_a = range(shift_a, shift_a + len(testament_pair.documents[0].text) + 1)
    body_b = range(shift_b, shift_b + len(testament_pair.documents[1].text) + 1)
    for p in framed.pairs:
        assert p.a.start in body_a and p.a.end in body_a, p.a_text[:60]
        assert p.b.start in body_b and p.b.end in body_b, p.b_text[:60]
    moved = [(p.kind, p.a.start - shift_a, p.b.start - shift_b) for p in framed.pairs]
    assert moved == [(p.kind, p.a.start, p.b.start) for p in testament_pair.pairs]


def test_every_span_slices_back_on_every_sample_pair(samples: dict[str, Path]) -> None:
    names = sorted(samples)[:3]
    for x, y in itertools.combinations(names, 2):
        _check_spans(aligner.compare(samples[x], samples[y], options=Options(min_score=0.0)))


def test_swapping_documents_mirrors_the_result(samples: dict[str, Path]) -> None:
    a, b = samples["what-is-stalinism"], samples["how-the-bureaucracy-seized-power"]
    ab = aligner.compare(a, b, options=Options(min_score=0.0))
    ba = aligner.compare(b, a, options=Options(min_score=0.0))
    _check_spans(ba)
    forward = sorted((p.a.start, p.a.end, p.b.start, p.b.end, p.kind, p.score) for p in ab)
    backward = sorted((p.b.start, p.b.end, p.a.start, p.a.end, p.kind, p.score) for p in ba)
    assert forward == backward and forward


def test_a_document_against_itself_is_all_equal(samples: dict[str, Path]) -> None:
    text = samples["what-is-stalinism"].read_text(encoding="utf-8")
    c = aligner.compare(text, text)
    assert c.ordered, "identical texts keep one order"
    assert c.pairs and all(p.a.start == p.b.start and p.a.end == p.b.end for p in c)
    for p in c.pairs:
        assert {op.tag for op in p.diff} == {"equal"}
    assert c.coverage(0) > 0.9 and c.coverage(1) > 0.9


def test_versions_are_aligned_in_order(samples: dict[str, Path]) -> None:
    """A lightly edited copy (a 'version') is detected as ordered and aligned 1-1."""
    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    edited = text.replace("bureaucracy", "officialdom").replace("Lenin", "Ulyanov")
    c = aligner.compare(text, edited)
    assert c.ordered
    kinds = {p.kind for p in c}
    assert kinds == {"version"}
    starts = [(p.a.start, p.b.start) for p in c]
    assert starts == sorted(starts)
    changed = [op for p in c for op in p.diff if op.tag == "replace"]
    assert any(edited[op.b_start : op.b_end] == "officialdom" for op in changed)


def test_the_most_changed_version_of_a_paragraph_stands_out(samples: dict[str, Path]) -> None:
    """An editor's question: which paragraphs did the other version rewrite?

    Every paragraph but one is copied, one gets a word changed, one is half
    rewritten: ``Pair.changed`` ranks them in that order, and sorting by it
    brings the rewritten paragraph first.
    """
    from aligner.model import sort_pairs

    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p.split()) > 60][:8]
    touched, rewritten = paragraphs[2], paragraphs[5]
    words = rewritten.split()
    half = len(words) // 2
    edited = list(paragraphs)
    edited[2] = touched.replace(" the ", " that ", 1)
    edited[5] = " ".join(words[:half] + ["(a passage the editor wrote anew)"] * 3)
    c = aligner.compare("\n\n".join(paragraphs), "\n\n".join(edited))
    assert c.ordered and len(c.pairs) == 8
    by_a = {p.a_text: p for p in c}
    assert all(by_a[p].changed == 0.0 for p in paragraphs if p not in (touched, rewritten))
    assert 0.0 < by_a[touched].changed < 0.05
    assert by_a[rewritten].changed > 0.3
    assert sort_pairs(c.pairs, "changed")[0] is by_a[rewritten]


def test_an_article_quoting_a_book_is_not_a_version_of_it(samples: dict[str, Path]) -> None:
    """A short text quoting four passages of a long one, in the book's order:
    still free order (a version is of comparable length), quotations found."""
    book = samples["soviet-power-to-bonapartism"].read_text(encoding="utf-8")
    long_paragraphs = [p for p in book.split("\n\n") if len(p) > 400]
    quoted = [p[:300] for p in long_paragraphs[10:50:10]]
    article = "\n\n".join(
        ["An essay on the Soviet state."]
        + [f"As the author puts it: “{q}” Memory is fallible; we weigh it." for q in quoted]
    )
    c = aligner.compare(article, book)
    assert not c.ordered
    for q in quoted:
        at = book.index(q)
        assert any(p.kind == "quotation" and p.b.start < at + len(q) and at < p.b.end for p in c), (
            q[:40]
        )
    assert all(p.kind == "quotation" for p in c)


def test_one_paragraph_a_line_reads_like_blank_line_paragraphs(
    samples: dict[str, Path], testament_pair: Comparison
) -> None:
    """Files without blank lines between paragraphs (one a line) align the same."""
    a, b = (d.text.replace("\n\n", "\n") for d in testament_pair.documents)
    c = aligner.compare(a, b)
    assert [(p.kind, p.a_text, p.b_text) for p in c] == [
        (p.kind, p.a_text, p.b_text) for p in testament_pair
    ]
    # Short lines (headings, list items) run together as wrapped lines would.
    assert all(abs(p.score - q.score) < 0.01 for p, q in zip(c, testament_pair, strict=True))


def test_markup_of_saved_web_pages_is_not_text(testament_pair: Comparison) -> None:
    """Tags and entities never match: same pairs, no "class" or "nbsp" evidence."""

    def page(text: str) -> str:
        paragraphs = text.split("\n\n")
        body = "\n".join(f'<p class="para">{p}&nbsp;</p>' for p in paragraphs)
        return f"<html><body>\n<div class='nav'><a href='/'>Home</a></div>\n{body}\n</body></html>"

    a, b = (page(d.text) for d in testament_pair.documents)
    c = aligner.compare(a, b)
    assert [p.kind for p in c] == [p.kind for p in testament_pair]
    terms = {e.term.lower() for p in c for e in p.evidence}
    assert not terms & {"class", "para", "nbsp", "href", "div"}
    for p in c:
        assert not p.a_text.startswith("<") and not p.b_text.startswith("<")


SHORT_RETELLINGS = [
    (
        "The Kronstadt sailors rose in March 1921. The Bolsheviks crushed the revolt.",
        "In March 1921 the garrison of Kronstadt rebelled; the Red Army suppressed the rising.",
    ),
    (
        "Trotsky was deported to Alma-Ata in January 1928.",
        "In 1928 Trotsky was exiled to Alma Ata in Central Asia, near the Chinese border.",
    ),
]


@pytest.mark.parametrize("a, b", SHORT_RETELLINGS, ids=["kronstadt", "alma-ata"])
def test_two_short_passages_telling_one_event_are_paired(a: str, b: str) -> None:
    """A few sentences are too few to count how rare a word is: English at large tells."""
    (pair,) = aligner.compare(a, b).pairs
    assert pair.kind == "retelling" and pair.score >= 0.5


def test_two_short_passages_sharing_a_phrase_are_not_paired() -> None:
    a = "Stalin rose to power in the 1920s through the party apparatus."
    b = "Hitler rose to power in 1933 after the Reichstag elections."
    assert aligner.compare(a, b).pairs == ()


def _typeset(text: str, width: int = 60) -> str:
    """``text`` wrapped as a typesetter would: long words hyphenated at line ends."""
    out = []
    for paragraph in text.split("\n\n"):
        lines, line = [], ""
        for word in paragraph.split():
            room = width - len(line) - 2
            if len(line) + 1 + len(word) <= width:
                line = f"{line} {word}".strip()
            elif room >= 3 and len(word) >= 8 and word.isalpha() and word[room].islower():
                lines.append(f"{line} {word[:room]}-".strip())
                line = word[room:]
            else:
                lines.append(line)
                line = word
        out.append("\n".join([*lines, line]))
    return "\n\n".join(out)


def test_words_hyphenated_at_line_ends_are_whole_words(testament_pair: Comparison) -> None:
    """Text from a PDF: "bureau-\ncracy" is the word "bureaucracy"."""
    a, b = (_typeset(d.text) for d in testament_pair.documents)
    assert a.count("-\n") > 20 and b.count("-\n") > 20
    c = aligner.compare(a, b)
    assert [(p.kind, round(p.score, 2)) for p in c] == [
        (p.kind, round(p.score, 2)) for p in testament_pair
    ]
    words = {w.norm for w in segment(c.documents[0]).words}
    assert "bureaucracy" in words or "bureaucratic" in words


def test_an_abridged_version_skips_what_it_left_out(samples: dict[str, Path]) -> None:
    """Every third paragraph cut: the other version's paragraph is skipped, not merged
    into a neighbour's pair."""
    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 200]
    full = "\n\n".join(paragraphs)
    abridged = "\n\n".join(p for n, p in enumerate(paragraphs) if n % 3 != 1)
    c = aligner.compare(abridged, full.replace("bureaucracy", "officialdom"))
    assert c.ordered and len(c.pairs) == len(abridged.split("\n\n"))
    for p in c:
        assert "\n\n" not in p.b_text, p.b_text[:80]


def test_paragraph_breaks_a_sentence_apart_change_no_words(samples: dict[str, Path]) -> None:
    """An edition that ends each long paragraph a sentence earlier: every pair's
    diff shows only the words the edition replaced, no sentence deleted at the
    end of one pair and inserted at the start of the next."""
    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    ends = re.compile(r"(?<=[a-z]\.) (?=[A-Z][a-z])")  # plain sentence ends only
    paragraphs = [p for p in text.split("\n\n") if len(p) > 200 and len(ends.findall(p)) >= 2]
    edition, carried = [], ""
    for p in paragraphs:
        cut = list(ends.finditer(p))[-1].start()
        edition.append(f"{carried} {p[:cut]}".strip())
        carried = p[cut:].strip()
    edition.append(carried)
    version = "\n\n".join(edition).replace("bureaucracy", "officialdom")
    c = aligner.compare("\n\n".join(paragraphs), version)
    assert c.ordered and len(c.pairs) >= len(paragraphs) - 1
    for p in c:
        for op in p.diff:
            if op.tag != "equal":
                assert op.tag == "replace", (op.tag, p.a_text[:60], p.b_text[:60])
                assert version[op.b_start : op.b_end].startswith("officialdom")


def test_what_an_abridged_version_lacks_is_listed_paragraph_by_paragraph(
    samples: dict[str, Path],
) -> None:
    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    other = samples["what-is-stalinism"].read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 200]
    full = "\n\n".join(paragraphs)
    abridged = "\n\n".join(p for n, p in enumerate(paragraphs) if n % 3 != 1)
    c = aligner.compare(abridged, full)
    assert c.unaligned(0) == ()
    assert [c.text(s) for s in c.unaligned(1)] == paragraphs[1::3]
    # Every report lists them, after the pairs.
    cut, count = paragraphs[1], len(paragraphs[1::3])
    assert c.to_text().splitlines()[3].startswith(f"Only in B: {count} passages")  # up front
    assert "Only in A" not in c.to_text()
    assert " ".join(cut.split()[:8]) in " ".join(c.to_text().split())
    assert f"## Only in B: {count} passages" in c.to_markdown()
    listed = json.loads(c.to_json())["unaligned"]
    assert [(u["doc"], u["text"]) for u in listed] == [(1, p) for p in paragraphs[1::3]]
    # Two accounts in free order leave most of both unpaired: nothing is listed.
    accounts = aligner.compare(other, text)
    assert not accounts.ordered and json.loads(accounts.to_json())["unaligned"] == []
    assert "Only in" not in accounts.to_text() + accounts.to_markdown()


def test_a_preface_is_listed_and_a_paragraph_broken_in_two_stays_whole(
    samples: dict[str, Path],
) -> None:
    """An edition with a long preface, against a translation without it that
    breaks the first paragraph after its first sentence: the preface is what
    the edition adds, and both halves of the first paragraph are its first
    paragraph's (not the first half paired, weakly, with the preface)."""
    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 300 and p.count(". ") >= 3][:12]
    other = samples["what-is-stalinism"].read_text(encoding="utf-8")
    preface = [p for p in other.split("\n\n") if len(p) > 300][:12]
    first = paragraphs[0]
    cut = first.index(". ") + 1
    translation = [first[:cut], first[cut:].strip(), *paragraphs[1:]]
    c = aligner.compare("\n\n".join(preface + paragraphs), "\n\n".join(translation))
    assert c.ordered and c.unaligned(1) == ()
    assert [c.text(s) for s in c.unaligned(0)] == preface
    opening = min(c, key=lambda p: p.a.start)
    assert opening.a_text == first and opening.b_text.startswith(first[:cut])


def test_a_version_that_splits_paragraphs_is_still_in_order(samples: dict[str, Path]) -> None:
    """A translator splits every other paragraph in two: two paragraphs of one
    version match one of the other, which is still one order."""
    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 300 and p.count(". ") >= 3]
    split = []
    for n, p in enumerate(paragraphs):
        if n % 2 == 1:
            cut = p.index(". ", len(p) // 3) + 1
            split += [p[:cut], p[cut:].strip()]
        else:
            split.append(p)
    # The split version also drops its articles: the shorter text, whose
    # paragraphs the engine reads as rows.
    shorter = "\n\n".join(split).replace(" the ", " ")
    c = aligner.compare("\n\n".join(paragraphs), shorter)
    assert c.ordered and {p.kind for p in c} == {"version"}
    assert sum("\n\n" in p.b_text for p in c) >= len(paragraphs) // 2 - 1


def test_a_version_with_a_sentence_a_paragraph_is_aligned_whole(samples: dict[str, Path]) -> None:
    """One version sets every sentence as a paragraph of its own (as a verse
    a line): each paragraph of the other matches the run of its sentences."""
    paragraphs = _flat_paragraphs(samples["what-is-stalinism"], 2)
    runs = [p.replace(". ", ".\n\n") for p in paragraphs]
    versions = "\n\n".join(runs).replace(" the ", " ")
    c = aligner.compare("\n\n".join(paragraphs), versions)
    assert c.ordered and {p.kind for p in c} == {"version"}
    assert c.coverage(1) > 0.95
    # Each pair holds one paragraph and its own sentences, no more.
    whole = [p for p in c if p.a_text.replace(". ", ".\n\n").replace(" the ", " ") == p.b_text]
    assert len(whole) >= 0.9 * len(paragraphs)


def _flat_paragraphs(path: Path, least_sentences: int) -> list[str]:
    """The paragraphs of ``path`` with at least that many ". ", each on one line."""
    text = path.read_text(encoding="utf-8")
    return [" ".join(p.split()) for p in text.split("\n\n") if p.count(". ") >= least_sentences]


def _moving_sentences(
    paragraphs: list[str], told: Callable[[str], str]
) -> tuple[str, dict[int, str]]:
    """Another account of ``paragraphs``: the second sentence of every other
    paragraph moved ten paragraphs on (as ``told`` tells it), " the " dropped.
    Returns it and the moved sentences by the paragraph they left."""
    split = [p.split(". ") for p in paragraphs]
    moved = {k: split[k].pop(1) for k in range(0, len(split), 2)}
    for k, sentence in moved.items():
        target = split[(k + 10) % len(split)]
        target.insert(len(target) // 2, told(sentence))
    return "\n\n".join(". ".join(s) for s in split).replace(" the ", " "), moved


@pytest.mark.parametrize("limit", [None, 100], ids=["by sentence", "by paragraph"])
def test_a_version_without_paragraph_breaks_is_aligned_paragraph_by_paragraph(
    monkeypatch: pytest.MonkeyPatch, samples: dict[str, Path], limit: int | None
) -> None:
    """One version lost its paragraph breaks (pasted as one line): its text is
    cut where the other version's paragraphs are, not matched whole against
    the first of them. Also beyond the sentence limit (``limit``)."""
    from aligner import engine

    paragraphs = _flat_paragraphs(samples["what-is-stalinism"], 2)
    versions = [p.replace(" the ", " ") for p in paragraphs]
    if limit is not None:
        monkeypatch.setattr(engine, "MAX_CELLS", limit)
    c = aligner.compare("\n\n".join(paragraphs), " ".join(versions))
    assert c.ordered and {p.kind for p in c} == {"version"}
    assert c.coverage(1) > 0.95

    def spans(parts: list[str], sep: int) -> list[tuple[int, int]]:
        starts = itertools.accumulate((len(p) + sep for p in parts[:-1]), initial=0)
        return [(s, s + len(p)) for s, p in zip(starts, parts, strict=True)]

    def same(x: Span, y: tuple[int, int]) -> bool:
        # Most of both: a sentence the segmenter puts across a break may move.
        inside = min(x.end, y[1]) - max(x.start, y[0])
        return inside >= 0.8 * max(x.end - x.start, y[1] - y[0])

    found = [
        (a, b)
        for a, b in zip(spans(paragraphs, 2), spans(versions, 1), strict=True)
        if any(same(p.a, a) and same(p.b, b) for p in c)
    ]
    assert len(found) >= 0.9 * len(paragraphs)


def test_a_long_paragraph_takes_in_the_whole_of_its_version_without_breaks(
    samples: dict[str, Path],
) -> None:
    """One version joins six paragraphs into one (eight times a typical one);
    the other lost its breaks: the long paragraph's pair reaches over all of
    its runs, not only as many as a typical long paragraph needs."""
    paragraphs = _flat_paragraphs(samples["what-is-stalinism"], 2)
    versions = " ".join(p.replace(" the ", " ") for p in paragraphs)
    c, pair, long, told = _six_joined(paragraphs, versions)
    assert c.ordered
    assert _inside(pair.a, *long) >= 0.9 * (long[1] - long[0])
    assert _inside(pair.b, *told) >= 0.9 * (told[1] - told[0])


def test_a_paragraph_of_many_sentences_takes_in_all_of_them_set_a_line_each(
    samples: dict[str, Path],
) -> None:
    """One version joins six paragraphs into one holding more sentences than
    ``MAX_MERGED`` (too short to be cut); the other sets every sentence as a
    paragraph (a verse a line): the long paragraph's pair takes in all of
    its sentences, and the pairs after it stay in step."""
    from aligner import ordered

    paragraphs = _flat_paragraphs(samples["what-is-stalinism"], 2)
    assert " ".join(paragraphs[10:16]).count(". ") > ordered.MAX_MERGED
    versions = "\n\n".join(p.replace(". ", ".\n\n") for p in paragraphs).replace(" the ", " ")
    c, pair, long, told = _six_joined(paragraphs, versions)
    assert c.ordered
    assert _inside(pair.b, *told) >= 0.95 * (told[1] - told[0])
    after = [p for p in c if p.a.start > long[1]]
    in_step = [
        p for p in after if p.a_text.replace(". ", ".\n\n").replace(" the ", " ") == p.b_text
    ]
    assert len(in_step) >= 0.9 * len(paragraphs[16:])


def _six_joined(
    paragraphs: list[str], versions: str
) -> tuple[Comparison, Pair, tuple[int, int], tuple[int, int]]:
    """``paragraphs`` with the 11th to 16th joined into one, compared with
    ``versions`` (" the " dropped): the comparison, the pair most over the
    joined paragraph, where that paragraph lies, and where ``versions`` tells it."""
    long = " ".join(paragraphs[10:16])
    text_a = "\n\n".join([*paragraphs[:10], long, *paragraphs[16:]])
    c = aligner.compare(text_a, versions)
    at = text_a.index(long)
    start = versions.index(paragraphs[10].replace(" the ", " ")[:40])
    end = versions.index(paragraphs[15].replace(" the ", " ")[-40:]) + 40
    pair = max(c, key=lambda p: _inside(p.a, at, at + len(long)))
    return c, pair, (at, at + len(long)), (start, end)


def _inside(span: Span, lo: int, hi: int) -> int:
    """Characters of ``span`` inside ``[lo, hi)``."""
    return max(0, min(span.end, hi) - max(span.start, lo))


def test_a_paragraph_an_edition_moved_is_paired_not_missing(samples: dict[str, Path]) -> None:
    """An edition moves two paragraphs elsewhere (too few to be accounts):
    aligned in order, each is a quotation of its old place, and nothing is
    listed as missing from either text."""
    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p) > 200]
    edition = paragraphs[:]
    edition.insert(25, edition.pop(5))
    edition.insert(2, edition.pop(12))
    c = aligner.compare("\n\n".join(paragraphs), "\n\n".join(edition).replace(" the ", " "))
    assert c.ordered and c.unaligned(0) == () and c.unaligned(1) == ()
    moved = sorted(p.a_text for p in c if p.kind == "quotation")
    assert moved == sorted([paragraphs[5], paragraphs[13]])


def test_accounts_that_move_material_are_compared_in_free_order(
    samples: dict[str, Path],
) -> None:
    """A second account follows the first paragraph by paragraph but moves a
    sentence of every other paragraph ten paragraphs away (as one gospel
    does with another): aligned in order, the moved sentences would be lost."""
    paragraphs = _flat_paragraphs(samples["what-is-stalinism"], 3)[:24]
    other, moved = _moving_sentences(paragraphs, lambda sentence: sentence)
    c = aligner.compare("\n\n".join(paragraphs), other)
    assert not c.ordered
    found = [s for s in moved.values() if any(s in p.a_text for p in c if p.kind == "quotation")]
    assert len(found) >= 0.8 * len(moved)
    assert aligner.compare("\n\n".join(paragraphs), other, options=Options(ordered=True)).ordered


def test_accounts_that_move_material_in_other_words_are_compared_in_free_order(
    samples: dict[str, Path],
) -> None:
    """As above, but the moved sentences are told in other words (every third
    word changed: no four words in a row shared, as across two translations):
    free order's retellings far from the ordered pairs tell it."""
    paragraphs = _flat_paragraphs(samples["what-is-stalinism"], 3)[:24]

    def retold(sentence: str) -> str:
        return " ".join("so" if n % 3 == 2 else w for n, w in enumerate(sentence.split()))

    other, moved = _moving_sentences(paragraphs, retold)
    c = aligner.compare("\n\n".join(paragraphs), other)
    assert not c.ordered
    paired = [
        s
        for s in moved.values()
        if any(
            (s in p.a_text or p.a_text in s) and (retold(s) in p.b_text or p.b_text in retold(s))
            for p in c
        )
    ]
    assert len(paired) >= len(moved) / 3


@pytest.mark.parametrize(("repeats", "moved"), [(2, True), (4, False)])
def test_quotations_far_from_the_ordered_pairs_are_moved_unless_repeated(
    repeats: int, moved: bool
) -> None:
    """Quotations whose sides lie two or more pairs apart are moved material;
    not so a passage each text repeats (a decree read out twice pairs
    crosswise)."""
    from aligner import mode
    from aligner.align import Candidate
    from aligner.documents import make_document
    from aligner.features import build_features
    from aligner.match import Run

    words = ["alder", "birch", "cedar", "dogwood", "elm", "fir", "gum", "hazel"]
    text = "\n\n".join(
        f"The old {w} stood by the slow river through the long wet spring of that year. "
        f"The {w} fell."
        for w in words
    )
    segs = tuple(segment(make_document(text, name=n)) for n in "ab")
    feats = build_features(*segs, semantic=False)
    spans = [(s.start, s.end) for s in segs[0].sentences[::2]]  # a paragraph starts each two
    cands = [Candidate(x, x, 1.0, "version") for x in spans]

    def run(pa: int, pb: int) -> Run:
        # The paragraph's first sentence, in paragraph pa of a and pb of b.
        a0, b0 = segs[0].sentences[2 * pa].w0, segs[1].sentences[2 * pb].w0
        return Run(a0, a0 + 14, b0, b0 + 14, 14, repeats)

    runs = [run(0, 3), run(5, 1), run(7, 2), run(4, 5), run(6, 6)]  # three far, two near
    assert mode.moves_material(runs, None, feats, cands) is moved


def _one_text_twice(text: str) -> tuple[Features, list[tuple[int, int]]]:
    """Lexical features of ``text`` against itself, and its sentences' spans."""
    from aligner.documents import make_document
    from aligner.features import build_features

    seg = segment(make_document(text, name="a"))
    feats = build_features(seg, segment(make_document(text, name="b")), semantic=False)
    return feats, [(x.start, x.end) for x in seg.sentences]


def test_pairs_that_continue_each_other_in_both_paragraphs_are_one() -> None:
    """Two stretches of one episode, found apart, a sentence or two apart in
    one paragraph of each document, are one pair; not across a paragraph
    break or three sentences apart."""
    from aligner.align import Candidate, chain

    feats, s = _one_text_twice(
        "Lenin fell ill in the spring of that year. He wrote a letter to the congress. "
        "The letter asked for a new secretary. Trotsky waited in Moscow for news. "
        "Nobody spoke of the letter again.\n\n"
        "The congress met in the following spring. The congress kept its secretary."
    )

    def pair(i: int, j: int, kind: str = "retelling") -> Candidate:
        return Candidate(s[i], s[j], (60 + i) / 100, kind)

    joined = chain([pair(2, 2), pair(0, 0, "quotation"), pair(5, 5), pair(6, 6)], feats)
    assert [(c.a, c.b, c.score, c.kind) for c in joined] == [
        ((s[0][0], s[2][1]), (s[0][0], s[2][1]), 0.62, "retelling"),
        ((s[5][0], s[6][1]), (s[5][0], s[6][1]), 0.66, "retelling"),  # the next paragraph
    ]
    assert len(chain([pair(0, 0), pair(3, 3)], feats)) == 1  # two sentences apart
    assert len(chain([pair(0, 0), pair(4, 4)], feats)) == 2  # three sentences apart
    both_quoted = chain([pair(0, 0, "quotation"), pair(1, 1, "quotation")], feats)
    assert [(c.a, c.kind) for c in both_quoted] == [((s[0][0], s[1][1]), "quotation")]
    crossed = chain([pair(0, 1), pair(1, 0)], feats)  # in one order in a, the other in b
    assert len(crossed) == 2


def test_pairs_that_overlap_and_reach_on_in_both_documents_are_one() -> None:
    """A retelling of an episode and a quotation that starts inside it and
    goes on beyond it, in both documents, are one pair; a quotation inside
    the retelling stays a pair of its own, and so does one going on beyond
    it in only one document."""
    from aligner.align import Candidate, chain

    feats, s = _one_text_twice(
        "There arose a great storm of wind. The waves beat into the ship. He was asleep "
        "on a pillow. They woke him and said, Master, we perish. He rebuked the wind. "
        "There was a great calm."
    )

    def span(i: int, j: int) -> tuple[int, int]:
        return s[i][0], s[j][1]

    told = Candidate(span(0, 3), span(0, 3), 0.9, "retelling")
    quoted = Candidate(span(2, 5), span(3, 5), 0.8, "quotation")
    assert [(c.a, c.b, c.score, c.kind) for c in chain([told, quoted], feats)] == [
        (span(0, 5), span(0, 5), 0.9, "retelling")
    ]
    inside = Candidate(span(2, 3), span(2, 3), 0.8, "quotation")
    assert len(chain([told, inside], feats)) == 2
    one_side = Candidate(span(2, 5), span(1, 2), 0.8, "quotation")
    assert len(chain([told, one_side], feats)) == 2


def test_both_sides_of_a_quotation_start_and_end_with_a_sentence_together() -> None:
    """When one side of a quotation starts (ends) with a sentence and the
    other's sentence began a few words earlier (ends a few words later),
    both start (end) with their sentences; not when the other's sentence
    began long before."""
    from aligner.documents import make_document
    from aligner.quotes import SNAP_ALONG, _snap_together

    text_a = (
        "Then one said unto him, Behold, thy mother and thy brethren stand without, "
        "desiring to speak with thee. He answered nothing. And the whole multitude that "
        "sat about him on the grass said unto him, Behold, thy mother seeks thee."
    )
    text_b = (
        "Behold, thy mother and thy brethren stand without, desiring to speak with thee "
        "today at the door. Behold, thy mother seeks thee."
    )
    a = segment(make_document(text_a, name="a"))
    b = segment(make_document(text_b, name="b"))
    sa, sb = a.sentences, b.sentences
    at = text_a.index("Behold")
    end_b = text_b.index(" today")
    got = _snap_together(a, b, (at, sa[0].end), (sb[0].start, end_b))
    assert got == ((sa[0].start, sa[0].end), (sb[0].start, sb[0].end))  # 5 words back, 4 on
    far = text_a.index("Behold, thy mother seeks")
    assert text_a[sa[2].start : far].count(" ") > SNAP_ALONG
    got = _snap_together(a, b, (far, sa[2].end), (sb[1].start, sb[1].end))
    assert got == ((far, sa[2].end), (sb[1].start, sb[1].end))


def test_a_retelling_keeps_what_it_tells_beyond_a_quotation() -> None:
    """A retelling window overlapping a quotation (not long enough to tell
    the event around it) gives way to it, but the sentences it reaches
    before the quotation on both sides stay a pair, in whole sentences; a
    window reaching before it on one side and after it on the other does not."""
    from aligner.align import Candidate, merge
    from aligner.documents import make_document

    text = (
        "The congress opened in the spring after a long winter of hunger, strikes and "
        "unrest in the cities. Delegates came from every province of the republic to hear "
        "the reports of the central committee. Then the general secretary rose and read "
        "the letter aloud to the hall, slowly and without comment. Nobody in the hall "
        "spoke of the letter again for many years, and the minutes left it out. The "
        "delegates went home at the end of the week to their provinces and their work."
    )
    seg = segment(make_document(text, name="a"))
    segs = (seg, segment(make_document(text, name="b")))
    s = [(x.start, x.end) for x in seg.sentences]
    quote = Candidate((s[2][0] + 9, s[4][1]), (s[2][0] + 9, s[4][1]), 0.9, "quotation")
    window = Candidate((s[0][0], s[2][1]), (s[0][0], s[2][1]), 0.8, "retelling")
    kept = merge([quote, window], segs)
    assert sorted((c.a, c.b, c.kind) for c in kept) == [
        ((s[0][0], s[1][1]), (s[0][0], s[1][1]), "retelling"),  # the sentence cut is left out
        (quote.a, quote.b, "quotation"),
    ]
    crossed = Candidate((s[0][0], s[2][1]), (s[3][0], s[4][1]), 0.8, "retelling")
    assert merge([quote, crossed], segs) == [quote]


def test_joining_pairs_loses_no_passage(
    monkeypatch: pytest.MonkeyPatch, samples: dict[str, Path]
) -> None:
    """Every pair reported without joining lies inside a reported pair, on
    both sides: joining only joins (a quotation continuing a retelling that
    gives way to another quotation is not lost with it)."""
    from aligner import engine

    a, b = samples["revolution-to-counter-revolution"], samples["soviet-power-to-bonapartism"]
    joined = aligner.compare(a, b)
    monkeypatch.setattr(engine, "_chained", lambda pairs, *_: pairs)
    apart = aligner.compare(a, b)
    assert len(joined) < len(apart)

    def inside(x: Span, y: Span) -> bool:
        return y.start <= x.start and x.end <= y.end

    for p in apart:
        assert any(inside(p.a, q.a) and inside(p.b, q.b) for q in joined), p


def test_unrelated_texts_have_no_parallels() -> None:
    a = "The tomato is a fruit that grows on vines in warm gardens. Gardeners water it daily."
    b = "Quantum chromodynamics describes quarks and gluons. Its coupling weakens at high energy."
    assert aligner.compare(a, b).pairs == ()


def test_options_filter_kinds_and_scores(
    testament_pair: Comparison, samples: dict[str, Path]
) -> None:
    a, b = samples["how-the-bureaucracy-seized-power"], samples["clr-james-lenin-stalin"]
    only = aligner.compare(a, b, options=Options(kinds=("quotation",)))
    assert only.pairs and {p.kind for p in only} == {"quotation"}
    scores = sorted(p.score for p in testament_pair)
    floor = (scores[0] + scores[-1]) / 2
    strict = aligner.compare(a, b, options=Options(min_score=floor))
    assert all(p.score >= floor for p in strict)
    assert 0 < len(strict) < len(testament_pair)


def test_pairs_sort_four_ways_and_refuse_a_fifth(testament_pair: Comparison) -> None:
    c = testament_pair
    assert c.sorted("a").pairs == c.pairs  # the engine's order
    assert [p.b.start for p in c.sorted("b")] == sorted(p.b.start for p in c)
    assert [p.score for p in c.sorted("score")] == sorted((p.score for p in c), reverse=True)
    by_change = c.sorted("changed").pairs
    quoted = [p for p in by_change if p.kind != "retelling"]
    assert by_change[: len(quoted)] == tuple(quoted)
    assert [p.changed for p in quoted] == sorted((p.changed for p in quoted), reverse=True)
    with pytest.raises(aligner.OptionsError, match="cannot sort"):
        c.sorted("length")  # type: ignore[arg-type]


def test_bad_options_are_refused() -> None:
    with pytest.raises(aligner.OptionsError):
        Options(min_score=2.0)
    with pytest.raises(aligner.OptionsError):
        Options(kinds=("gossip",))  # type: ignore[arg-type]


def test_identical_texts_are_answered_without_matching() -> None:
    """A file given twice, however repetitive, comes out all parallel at once."""
    text = "the the the " * 20_000 + "\n\n" + "Lenin died in 1924. " * 50
    c = aligner.compare(text, text)
    assert c.ordered and len(c.pairs) == 2
    for p in c.pairs:
        assert p.a_text == p.b_text and [op.tag for op in p.diff] == ["equal"]


def test_too_large_pairs_fall_back_to_quotations(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner import engine

    monkeypatch.setattr(engine, "MAX_CELLS", 2)
    quote = "We took over the old machinery of state and that was our misfortune."
    a = f"Lenin said it plainly in 1922. {quote} The party heard him.\n\nOther things."
    b = f"In his speech to the Comintern he admitted: “{quote}” Few listened.\n\nMore."
    c = aligner.compare(a, b)
    assert c.notes and "quotations only" in c.notes[0]
    assert [p.kind for p in c.pairs] == ["quotation"]
    assert "machinery of state" in c.pairs[0].a_text


def test_versions_beyond_the_sentence_limit_are_still_aligned_in_order(
    monkeypatch: pytest.MonkeyPatch, samples: dict[str, Path]
) -> None:
    """Two versions too long for sentence-by-sentence scoring (two editions of a
    book) are aligned paragraph by paragraph, which costs far less."""
    from aligner import engine

    text = samples["how-the-bureaucracy-seized-power"].read_text(encoding="utf-8")
    edited = text.replace("bureaucracy", "officialdom").replace("Lenin", "Ulyanov")
    dense = aligner.compare(text, edited)
    monkeypatch.setattr(engine, "MAX_CELLS", 100)
    c = aligner.compare(text, edited)
    assert c.ordered and not c.notes and {p.kind for p in c} == {"version"}
    assert c.coverage(0) > 0.9
    # Paragraph by paragraph from the start, the same alignment as through sentences.
    assert [(p.a, p.b, p.score) for p in c] == [(p.a, p.b, p.score) for p in dense]
    monkeypatch.setattr(engine, "MAX_ORDERED_CELLS", 100)
    c = aligner.compare(text, edited)
    assert not c.ordered and "quotations only" in c.notes[0]


def test_pooled_rows_are_the_sums_of_each_paragraphs_sentence_rows(
    samples: dict[str, Path],
) -> None:
    """Versions too long for sentence rows get paragraph rows built directly."""
    import numpy as np

    from aligner.documents import load_document
    from aligner.features import build_features
    from aligner.ordered import version_units

    a = segment(load_document(samples["how-the-bureaucracy-seized-power"]))
    b = segment(load_document(samples["clr-james-lenin-stalin"]))
    by_sentence, pooled = build_features(a, b), build_features(a, b, pooled=True)
    assert pooled.pooled and not by_sentence.pooled
    for side, groups in enumerate(version_units((a, b))):
        summed = np.stack([by_sentence.rows[side][g].sum(axis=0) for g in groups])
        assert pooled.rows[side].shape == summed.shape
        assert np.allclose(pooled.rows[side], summed, atol=1e-5)
        assert not pooled.bags[side]  # not kept: nothing reads them in ordered mode


def test_boilerplate_and_note_markers_make_no_parallels() -> None:
    """Two unrelated pages sharing only web furniture and note numbers."""
    furniture = (
        "Home | News | Donate | Join\n\nShare this Article\n\nFacebook\n\nTwitter\n\nWhatsApp\n\n"
    )
    a = furniture + "The harvest of 1930 was gathered late in the southern provinces.[1]\n"
    b = "Quarks carry a colour charge that gluons exchange.[1]\n\n" + furniture
    assert aligner.compare(a, b, options=Options(min_score=0.0)).pairs == ()


def test_compare_restores_the_garbage_collector() -> None:
    import gc

    from aligner.documents import make_document
    from aligner.model import DocumentError

    a = make_document("One sentence here. Another one there.", name="a")
    b = make_document("A third sentence. And a fourth.", name="b")
    assert gc.isenabled()
    aligner.compare(a, b)
    assert gc.isenabled()
    with pytest.raises(DocumentError):
        aligner.compare(a, Path("/no/such/file.txt"))
    assert gc.isenabled()
    gc.disable()
    try:
        aligner.compare(a, b)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_a_quotation_gives_back_the_words_it_takes_from_the_sentence_before() -> None:
    """A run of shared words that begins with the last three words of the
    sentence before the quotation ("never shall we. And Jesus saith...")
    starts with the quotation's own sentence."""
    from aligner.documents import make_document
    from aligner.quotes import _snap_words

    text = (
        "They went out and sat down by the sea, and the crowd came to them. "
        "Peter said unto him, Although all shall be offended, yet never shall we. And Jesus "
        "saith unto him, Verily I say unto thee, this night thou shalt deny me thrice."
    )
    seg = segment(make_document(text, name="a"))
    w0 = next(k for k, w in enumerate(seg.words) if w.norm == "never")
    start, end = _snap_words(seg, w0, len(seg.words))
    assert text[start:end].startswith("And Jesus saith") and end == len(text)


def test_a_shared_name_ties_the_sentences_naming_it_and_is_no_quotation() -> None:
    """Two accounts naming the same institution in other words share a name,
    not a quotation: the pair holds both sentences that name it, as a retelling."""
    name = "People's Commissariat of Workers' and Peasants' Inspection"
    founded_a = f"As early as 1919 the Bolshevik government had organised the {name}."
    founded_b = f"The eighth congress decided on the establishment of a {name} in February 1920."
    a = (
        "The civil war ended in 1921 with the country in ruins and the working class scattered. "
        f"{founded_a} Famine followed in the Volga region the next summer."
    )
    b = (
        "The party congress met in the spring amid strikes in Petrograd. "
        f"{founded_b} The trade unions debated their role through the winter."
    )
    (pair,) = aligner.compare(a, b).pairs
    assert pair.kind == "retelling"
    assert founded_a in pair.a_text and founded_b in pair.b_text


def test_a_quotation_keeps_its_numbers() -> None:
    """ "35 per cent of the pre-war level" and "18 per cent of the pre-war
    level" share six words but state two things: no quotation."""
    a = (
        "Trade had revived under the new policy, and the peasants sold their grain again. "
        "By 1923 industrial production stood at only 35 per cent of the pre-war level while "
        "prices of manufactured goods rose. The opposition warned of a crisis."
    )
    b = (
        "The civil war had left the factories idle and the cities half empty. Output was only "
        "18 per cent of the pre-war level, the lowest in the history of the country. Workers "
        "left for the villages in search of bread."
    )
    assert not [p for p in aligner.compare(a, b).pairs if p.kind == "quotation"]


def test_note_markers_are_no_numbers_of_a_quotation() -> None:
    """A quotation each account marks with its own note number ("...General.”23"
    and "...General.” [5]") still gives the same numbers: none."""
    from aligner.documents import make_document
    from aligner.quotes import _numbers_differ

    said = "“Stalin is too rude. This defect becomes intolerable in a Secretary General.”"
    a = segment(make_document(f"{said}23 “That is why I suggest removing him.”", name="a"))
    b = segment(make_document(f"{said} [5] “That is why I suggest removing him.”", name="b"))
    whole = ((0, len(a.doc.text)), (0, len(b.doc.text)))
    assert not _numbers_differ(a, whole[0], b, whole[1])
    c = segment(make_document(f"{said} It was 1923.", name="c"))
    d = segment(make_document(f"{said} It was 1924.", name="d"))
    assert _numbers_differ(c, (0, len(c.doc.text)), d, (0, len(d.doc.text)))


def test_a_reference_to_a_source_makes_no_pair() -> None:
    """Two unrelated passages citing the same page of a book are not parallel:
    a reference points at a passage, it tells nothing."""
    from aligner.boilerplate import is_citation

    cited = "(Trotsky, The Revolution Betrayed, p. 55.)"
    a = (
        "For the defence of bourgeois law the workers' state was compelled to create a bourgeois "
        f"type of instrument, the same old gendarme in a new uniform. {cited} The congress then "
        "turned to the question of the trade unions."
    )
    b = (
        "When there are few goods, the purchasers are compelled to stand in line, and a policeman "
        f"keeps order. {cited} The peasants meanwhile hoarded their grain."
    )
    assert aligner.compare(a, b).pairs == ()
    assert is_citation(cited) and is_citation("(Source: A. Nove: An Economic History p191)")
    assert is_citation("(Trotsky, The Revolution Betrayed, Chapter 5)")
    assert not is_citation("(Lenin, 8th November 1917)")
    assert not is_citation(f"{cited} The congress then turned to the trade unions.")


def test_a_turn_of_phrase_in_sentences_that_disagree_is_no_quotation(
    samples: dict[str, Path],
) -> None:
    """Two accounts both writing "the cultural level of the masses" in
    sentences about other things share a turn of phrase, not a quotation; a
    short quotation in sentences that agree ("We took over the old machinery
    of state and that was our misfortune.") stays."""
    c = aligner.compare(
        samples["revolution-to-counter-revolution"], samples["soviet-power-to-bonapartism"]
    )
    quoted = [p.a_text for p in c.pairs if p.kind == "quotation"]
    assert not [q for q in quoted if "cultural level of the masses" in q]
    assert not [q for q in quoted if "bureaucrats in the state and party apparatus" in q]
    assert "We took over the old machinery of state and that was our misfortune." in quoted


def test_a_retelling_grows_over_an_episode_of_ten_sentences() -> None:
    """A window grows over every neighbour that agrees with the other side, up
    to ten sentences a side (a gospel's storm at sea, told verse by verse),
    and no further."""
    import numpy as np

    from aligner.align import _grow

    n = 14
    score = np.full((n, n), -0.1, dtype=np.float32)
    for k in range(n):
        score[k, k] = 0.5  # sentence k of a tells what sentence k of b tells
    best = (score.max(axis=1), score.max(axis=0))
    taken = np.zeros(n, dtype=bool)
    a0, a1, b0, b1 = _grow(score, best, 4, 4, taken, taken.copy())
    assert (a1 - a0 + 1, b1 - b0 + 1) == (10, 10) and a0 <= 4 <= a1


def test_names_mentioned_together_are_one_piece_of_evidence() -> None:
    """A list or title of names ("Bukharin, Rykov and Tomsky") shared by two
    sentences counts once, as its rarest name: the three go together in any
    account. Names that other words link ("Bukharin wrote ... and Tomsky
    agreed") are separate items."""
    from aligner.align import _shared
    from aligner.documents import make_document
    from aligner.features import build_features

    a = (
        "In March Bukharin, Rykov and Tomsky met the delegates from the south. "
        "Bukharin wrote to the delegates from the south about the harvest, and Tomsky agreed. "
        "The delegates waited at Kronstadt to see Trotsky."
    )
    b = (
        "The delegates from the south met Bukharin, Rykov and Tomsky in secret. "
        "Tomsky wrote to the delegates from the south about the harvest, and Bukharin agreed. "
        "At Kronstadt the delegates met Trotsky."
    )
    feats = build_features(*(segment(make_document(t, name=n)) for t, n in ((a, "a"), (b, "b"))))
    names = ("bukharin", "rykov", "tomski")
    assert {*names, "kronstadt", "trotski"} <= feats.names

    def naive(k: int) -> tuple[int, float]:
        common = feats.bags[0][k].keys() & feats.bags[1][k].keys()
        return len(common), sum(feats.idf[t] for t in common)

    listed, apart = _shared(feats, 0, 0), _shared(feats, 1, 1)
    count, mass = naive(0)
    rarest = max(feats.idf[t] for t in names)
    assert listed[0] == count - 2
    assert listed[1] == pytest.approx(mass - sum(feats.idf[t] for t in names) + rarest)
    assert apart == pytest.approx(naive(1))
    assert _shared(feats, 2, 2) == pytest.approx(naive(2))  # "at Kronstadt to see Trotsky"


def test_evidence_gives_a_list_of_names_as_one_item() -> None:
    """The reasons for a pair name a list or a title once, as the engine
    counts it, written as passage a writes it ("Bukharin, Rykov and Tomsky"),
    marked once per mention; an alias in brackets is part of it but not of
    its term or its mark; a quotation mark ends it ('"Testament", Lenin
    wrote')."""
    a = (
        "In March Bukharin, Rykov and Tomsky (Rightists) met the delegates from Odessa. "
        'His "Testament", Lenin wrote, was for the delegates. The workers, workers all, agreed.'
    )
    b = (
        "The delegates from Odessa met Tomsky, Bukharin and Rykov, Rightists all, at night. "
        "Lenin wrote the Testament for the delegates. The workers agreed."
    )
    items = _evidence(a, b)
    names = [e for e in items if e.kind == "name"]
    listed = [e for e in names if "Rykov" in e.term]
    assert [e.term for e in listed] == ["Bukharin, Rykov and Tomsky"]
    assert [a[s:e] for s, e in listed[0].a] == ["Bukharin, Rykov and Tomsky", "Rightists"]
    assert [b[s:e] for s, e in listed[0].b] == ["Tomsky, Bukharin and Rykov, Rightists"]
    # Linked by other words, or by a quotation mark: items of their own.
    assert {"Odessa", "Testament", "Lenin"} <= {e.term for e in names}
    (workers,) = [e for e in items if e.term == "workers"]  # not a name: a span a word
    assert [a[s:e] for s, e in workers.a] == ["workers", "workers"]


def test_a_retelling_side_shorter_than_its_partner_takes_in_its_paragraph_to_match() -> None:
    """A retelling passage of one sentence beside a partner of five takes in
    its paragraph's sentences until it is about as long (not only up to
    ``PAD_CHARS``), stopping where one more sentence would overshoot."""
    from aligner.align import PAD_CHARS

    words = ["harvest", "river", "council", "winter", "railway", "factory", "village", "army"]
    sentences = [
        f"The {w} was mentioned in chapter {n} of the report".ljust(99, "x") + "."
        for n, w in enumerate(words)
    ]
    text_a = " ".join(sentences)  # one paragraph of eight sentences, a hundred characters each

    def padded(partner: int) -> tuple[int, int]:
        text_b = "The " + "long account of the events " * 40
        return _padded(text_a, text_b[: partner - 1].rstrip() + ".", 3)

    def sentences_of(span: tuple[int, int]) -> int:
        return round((span[1] - span[0]) / 100)

    assert PAD_CHARS < 500
    assert sentences_of(padded(520)) == 5  # a sixth would be 80 characters too long
    assert sentences_of(padded(570)) == 6  # a sixth is 30 characters too long, 70 short without
    assert sentences_of(padded(150)) == 3  # a short partner: PAD_CHARS, as before
    assert text_a[slice(*padded(520))].count(".") == 5


def test_evidence_gives_a_date_as_far_as_both_give_it() -> None:
    """A date both passages give is one item of kind ``date``, as far as both
    give it ("December 25" of "December 25, 1922" and "the 25th December"),
    written as a writes it, marked on both sides; another day of one month
    is no shared date; a month or day of the week alone is a date, not a
    name; "May" with no day or year is no date."""
    a = (
        "Lenin wrote on December 25, 1922, the note called the Testament. "
        "On Sunday the warnings came, and in March 1921 Kronstadt rose. "
        "The congress met on 3 April. May the delegates agree."
    )
    b = (
        "The Testament was written on the 25th December in his room. "
        "The sailors of Kronstadt rose in March 1921, warned on Sunday. "
        "The congress met on 10 April. May the delegates agree."
    )
    items = _evidence(a, b)
    dates = {e.term: e for e in items if e.kind == "date"}
    assert set(dates) == {"December 25", "March 1921", "Sunday", "April"}
    assert [b[s:e] for s, e in dates["December 25"].b] == ["25th December"]
    assert [a[s:e] for s, e in dates["March 1921"].a] == ["March 1921"]
    assert not any(e.term in ("December", "25", "1921", "March", "May") for e in items)
    assert not any(e.kind == "name" and e.term in ("Sunday", "April") for e in items)


def test_a_padded_passage_does_not_end_on_an_introduction() -> None:
    """Padding takes in a sentence before the passage rather than one after
    it that ends with a colon: that one introduces a quotation the passage
    would leave out ("Trotsky sums up what happened:")."""
    text_a = (
        "The congress had met in the spring of that year. "
        "But tragically, this policy was not followed through. "
        "Trotsky sums up what happened:\n\n"
        '"The reasons are all to be sought in the tactics."'
    )
    text_b = "These policies produced tragic results, as the congress of that year saw too."
    # The introduction agrees best with b: it is still left out.
    start, end = _padded(text_a, text_b, 1, agree=2)
    assert text_a[start:end].startswith("The congress had met")
    assert not text_a[start:end].rstrip().endswith(":")


def _padded(text_a: str, text_b: str, sentence: int, agree: int | None = None) -> tuple[int, int]:
    """Side a of a retelling of ``text_a``'s sentence ``sentence`` against all
    of ``text_b``, padded (``align.pad``); sentence ``agree`` of a scores 1
    against b, the others 0."""
    import numpy as np

    from aligner.align import Candidate, pad
    from aligner.documents import make_document
    from aligner.features import build_features

    seg_a = segment(make_document(text_a, name="a"))
    seg_b = segment(make_document(text_b, name="b"))
    feats = build_features(seg_a, seg_b, semantic=False)
    s = seg_a.sentences
    one = Candidate((s[sentence].start, s[sentence].end), (0, len(text_b)), 0.9, "retelling")
    score = np.zeros((len(s), len(seg_b.sentences)), dtype=np.float32)
    if agree is not None:
        score[agree] = 1.0
    (got,) = pad([one], score, feats)
    assert got.b == one.b  # b is longer: never padded
    return got.a


def test_accounts_that_keep_one_order_in_sentences_of_their_own_are_free_order() -> None:
    """Two short accounts of the Moon landing tell it day by day in one order
    (but for the launch, which one tells later), each in sentences of its
    own: accounts, not versions. Free order pairs them as retellings, the
    launch too, where versions mode showed them as versions 73-96 % changed
    and lost the launch."""
    data = Path(__file__).resolve().parent.parent / "data"
    c = aligner.compare(data / "moon-landing-a.txt", data / "moon-landing-b.txt")
    assert not c.ordered
    assert c.pairs and all(p.kind == "retelling" for p in c.pairs)
    launch = [p for p in c.pairs if "Saturn V" in p.a_text]
    assert launch and "Saturn V" in launch[0].b_text


def test_a_name_ends_at_a_full_stop_but_for_an_initial_or_a_title() -> None:
    """'...from the Central Committee. In December, Trotsky' names the
    Committee and Trotsky, not one 'Committee. In December'; 'J. V. Stalin'
    and 'St. Petersburg' are one name each."""
    from aligner.documents import make_document
    from aligner.features import name_runs

    text = (
        "Trotsky was expelled from the Central Committee. In December, Trotsky left. "
        "J. V. Stalin stayed in St. Petersburg."
    )
    seg = segment(make_document(text, name="a"))
    names = {w.stem for w in seg.words if w.cap and w.norm not in ("in", "j", "v", "st")}
    names |= {"j", "v", "st"}
    runs = [text[r[0].start : r[-1].end] for r in name_runs(seg.words, names, text)]
    assert "Central Committee" in runs
    assert not any("Committee. In" in r for r in runs)
    assert "J. V. Stalin" in runs
    assert "St. Petersburg" in runs


def test_two_introductions_are_judged_with_what_they_introduce(
    samples: dict[str, Path],
) -> None:
    """ "Victor Serge described Zinoviev's bureaucratic leftist response:" and
    "Victor Serge describes the distortions that were coming into existence:"
    share a name and a verb, but introduce two different passages of Serge:
    read with those, they are no parallel."""
    c = aligner.compare(
        samples["soviet-power-to-bonapartism"], samples["how-the-bureaucracy-seized-power"]
    )
    serge = [p for p in c.pairs if "Victor Serge" in p.a_text and "Victor Serge" in p.b_text]
    assert serge == []
    assert not any(p.a_text.endswith(":") and p.b_text.endswith(":") for p in c.pairs)


def test_evidence_names_a_name_without_its_possessive() -> None:
    """A shared name first written in the possessive ("Lenin’s", "Trotsky's")
    is given as the name, and a list of names as far as its last name; the
    marks still cover the words as written."""
    a = (
        "Lenin’s illness kept him from the congress at Kronstadt. "
        "Trotsky's speech was read by Zinoviev and Kamenev's friends."
    )
    b = (
        "At Kronstadt the congress met without Lenin, who was ill. "
        "Zinoviev and Kamenev read a speech by Trotsky."
    )
    items = _evidence(a, b)
    terms = {e.term for e in items if e.kind == "name"}
    assert {"Lenin", "Trotsky", "Zinoviev and Kamenev", "Kronstadt"} <= terms
    assert not any("'" in t or "’" in t for t in terms)
    (lenin,) = [e for e in items if e.term == "Lenin"]
    assert [a[s:e] for s, e in lenin.a] == ["Lenin’s"]


def test_a_name_in_the_possessive_after_a_comma_is_no_item_of_a_list() -> None:
    """ "my friend Yonov, Zinoviev's brother-in-law" names two people, not the
    list "Yonov, Zinoviev"; "Bukharin, Rykov and Tomsky's men" is one list."""
    a = (
        "The son of my friend Yonov, Zinoviev’s brother-in-law, died of hunger. "
        "Bukharin, Rykov and Tomsky's men voted."
    )
    b = "Yonov lost a son. Zinoviev did nothing. Tomsky, Bukharin and Rykov voted."
    terms = {e.term for e in _evidence(a, b) if e.kind == "name"}
    assert {"Yonov", "Zinoviev", "Bukharin, Rykov and Tomsky"} <= terms
    assert not any("Yonov," in t for t in terms)


def _evidence(a: str, b: str) -> tuple[Evidence, ...]:
    """What passages ``a`` and ``b`` (each a whole document) share, as the engine tells it."""
    from aligner.documents import make_document
    from aligner.evidence import find_evidence
    from aligner.features import build_features

    segs = tuple(segment(make_document(t, name=n)) for t, n in ((a, "a"), (b, "b")))
    return find_evidence(segs[0].words, segs[1].words, build_features(*segs))


def test_a_shared_phrase_is_given_without_the_little_words_at_its_ends() -> None:
    """A run of four shared words or more is a phrase, given (and marked) from
    its first content word to its last: "People's Commissariat of Workers'
    and", cut where the next words differ, read as a phrase left hanging."""
    from aligner.diff import word_diff
    from aligner.documents import make_document
    from aligner.evidence import find_evidence
    from aligner.features import build_features
    from aligner.segment import is_stop, normalise, stem

    a = "In his last article he attacked the People's Commissariat of Inspection."
    b = "He attacked the People's Commissariat of the Workers' Inspection in his last article."
    segs = tuple(segment(make_document(t, name=n)) for t, n in ((a, "a"), (b, "b")))
    diff = word_diff(segs[0].words, segs[1].words)
    found = find_evidence(segs[0].words, segs[1].words, build_features(*segs), diff)
    phrases = [e for e in found if e.kind == "phrase"]
    assert [e.term for e in phrases] == ["attacked the People's Commissariat"]
    for e in phrases:
        words = e.term.split()
        assert not is_stop(stem(normalise(words[0]))) and not is_stop(stem(normalise(words[-1])))
        assert [a[s:t] for s, t in e.a] == [e.term]
        assert [b[s:t] for s, t in e.b] == [e.term]
