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


def test_questions_for_discussion_are_boilerplate() -> None:
    text = (
        "The sailors of Kronstadt rose in March 1921 against the regime of war communism.\n\n"
        "Questions for Discussion\n"
        "1. Was the revolution premature and doomed to failure?\n\n"
        "2. Didn't the crushing of the Kronstadt sailors rebellion in 1921 show "
        "that the Bolsheviks were authoritarian?\n\n"
        "3. Why did the Kronstadt sailors rise in 1921? Ask a friend.\n\n"
        "4. Who led the Tenth Congress?\n"
    )
    seg = segment(make_document(text))

    def boiler(words: str) -> bool:
        (hit,) = [s for s in seg.sentences if words in text[s.start : s.end]]
        return hit.boiler

    # 1 and 2 are a list; 3 is no question alone; 4 stands alone after it
    assert boiler("premature") and boiler("Didn't the crushing")
    assert not boiler("The sailors") and not boiler("Why did") and not boiler("Who led")


@pytest.mark.parametrize("gap", ["\n\n", "\n"], ids=["own-paragraph", "same-paragraph"])
def test_a_project_gutenberg_frame_has_no_words(gap: str) -> None:
    text = (
        "The Project Gutenberg eBook of Esther. You may copy it, give it away or re-use it."
        f"{gap}*** START OF THIS PROJECT GUTENBERG EBOOK ESTHER ***{gap}"
        "Now it came to pass in the days of Ahasuerus. He made a feast unto all his princes."
        f"{gap}*** END OF THIS PROJECT GUTENBERG EBOOK ESTHER ***{gap}"
        "Section 1. General Terms of Use and Redistributing Project Gutenberg electronic works."
    )
    seg = segment(make_document(text))
    assert [w.norm for w in seg.words][:3] == ["now", "it", "came"]
    assert {"gutenberg", "copy", "section", "ebook"}.isdisjoint(w.norm for w in seg.words)
    for w in seg.words:
        assert normalise(text[w.start : w.end]) == w.norm
    assert len(seg.sentences) == 2


def test_a_reading_list_is_boilerplate() -> None:
    text = (
        "Trotsky challenged the bureaucracy in the autumn of 1923 with The New Course.\n\n"
        "Further Reading\n\n"
        "Challenge of the Left Opposition by Trotsky, 3 vols. Volume one covers the beginning "
        "of Trotsky's challenge to bureaucratism, and includes Lessons of October.\n\n"
        "Lenin's Last Struggle, by Moshe Lewin.\n\n" + "The opposition was defeated. " * 20
    )
    seg = segment(make_document(text))

    def boiler(words: str) -> bool:
        return all(s.boiler for s in seg.sentences if words in text[s.start : s.end])

    assert boiler("Challenge of the Left") and boiler("Moshe Lewin")
    assert not boiler("autumn of 1923") and not boiler("The opposition was defeated")


def test_a_number_with_thousands_separators_is_one_word() -> None:
    text = "In 1921, 1,000,000 peasants starved and 25,000 workers left, Smith said."
    seg = segment(make_document(text))
    numbers = [(w.norm, text[w.start : w.end]) for w in seg.words if w.norm[0].isdigit()]
    assert numbers == [("1921", "1921"), ("1000000", "1,000,000"), ("25000", "25,000")]


def test_a_cited_page_is_a_page_of_its_work() -> None:
    text = (
        "He said so. (Stalin, Lenin and Leninism, p. 40.) She wrote it (From Lenin to "
        "Stalin, page 40) and again (The Revolution Betrayed, pages 93, 97). Trotsky agreed "
        "(Trotsky, The Revolution Betrayed, p. 93). In 1921 there were 40 of them (Ibid., "
        "p. 40)."
    )
    seg = segment(make_document(text))
    stems = [w.stem for w in seg.words if w.norm in ("40", "93")]
    forty_a, forty_b, ninety_three, ninety_three_again, forty, ibid = stems
    assert forty_a != forty_b  # page 40 of two different books
    assert ninety_three == ninety_three_again  # page 93 of one book, twice
    assert forty == "40"  # a number in the narrative is a number
    assert ibid == "40@revolution betrayed"  # "Ibid.": the work cited last


def test_web_and_mail_addresses_and_footnote_marks_are_not_words() -> None:
    text = (
        "Source: https://www.marxists.org/archive/trotsky/1936/revbet/ch05.htm (read it). "
        "Write to editor@marxist.com or see www.marxist.com/russia. Lenin died in 1924. "
        "[Captain Smith](https://en.wikipedia.org/wiki/Edward_Smith_(sea_captain)) sailed "
        "(https://example.org/page).[^1]\n\n[^1]: Fleet saw it."
    )
    seg = segment(make_document(text))
    norms = [w.norm for w in seg.words]
    assert norms == ["source", "read", "it", "write", "to", "or", "see", "lenin", "died", "in"] + [
        "1924",
        "captain",
        "smith",
        "sailed",
        "fleet",
        "saw",
        "it",
    ]


def test_note_markers_are_not_words(seg) -> None:  # type: ignore[no-untyped-def]
    norms = [w.norm for w in seg.words]
    assert "2" not in norms and "5" not in norms
    assert "1921" in norms


def test_sentences_split_at_sentence_ends(seg) -> None:  # type: ignore[no-untyped-def]
    texts = [TEXT[s.start : s.end] for s in seg.sentences if not s.boiler]
    assert any(t.startswith("He said so") for t in texts)
    assert any(t.startswith("Trotsky agreed") for t in texts)


@pytest.mark.parametrize(
    "sentences",
    [
        (
            "He said to them, `Take, eat, this is my body.`",
            "And having sung a hymn, they went out to the mount.",
            "Then he said, `All of you will fall away this night.`",
            'Peter`s answer was, "Even if all fall, I will not."',
            "And all said the same.",
        ),
        (
            'He telephoned the bridge: **"Iceberg, right ahead!"**',
            "The officer ordered the helm hard over.",
            'She said: *"Go!"*',
            "Then he left.",
        ),
        (
            "The work was _done._",
            "Then the men went home.",
            "He said __no.__",
            "Later he left, as my_notes.txt says.",
        ),
    ],
    ids=["backtick", "markdown-emphasis", "markdown-underscores"],
)
def test_closing_marks_after_a_full_stop_stay_with_their_sentence(
    sentences: tuple[str, ...],
) -> None:
    """Editions quoting `thus` (or nesting `thus` in double quotes) end a
    sentence at the full stop before the closing backtick, and the backtick
    stays with the sentence it closes (a backtick as an apostrophe is kept);
    so does Markdown's emphasis around a quotation or a word, with asterisks
    or underscores (an underscore inside a word is part of it)."""
    assert tuple(_sentences(" ".join(sentences))) == sentences


def test_a_word_that_only_ends_sentences_is_no_abbreviation() -> None:
    """On a short text Punkt takes a word that stands before a full stop each
    time ("at all.") for an abbreviation, and a heading ("# The ...") then
    decides that the sentence after it does not begin: each sentence is its
    own. Abbreviations that show themselves ("op. cit., p. 12") or a title
    before a name ("Mr. Smith") stay abbreviations."""
    text = (
        "# The Night of the Storm\n\n"
        "The captain would let no men into the boats at all. The first boats left half "
        "empty. Nobody in the saloons believed the warnings at all. The ship sank at dawn, "
        "and the sea was calm. Mr. Smith went down with her; the inquiry (op. cit., p. 12) "
        "said so. Nobody heard the rockets at all. The band played on."
    )
    assert _sentences(text)[1:] == [
        "The captain would let no men into the boats at all.",
        "The first boats left half empty.",
        "Nobody in the saloons believed the warnings at all.",
        "The ship sank at dawn, and the sea was calm.",
        "Mr. Smith went down with her; the inquiry (op. cit., p. 12) said so.",
        "Nobody heard the rockets at all.",
        "The band played on.",
    ]


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("Lenin’s", "lenin's"),
        ("Dzierżyński", "dzierzynski"),
        ("ÉCOLE", "ecole"),
        ("Cæsarea", "caesarea"),
        ("Œuvre", "oeuvre"),
    ],
    ids=["curly-apostrophe", "diacritics", "case", "ligature", "capital-ligature"],
)
def test_normalise(raw: str, norm: str) -> None:
    assert normalise(raw) == norm


def test_stems_make_inflections_meet() -> None:
    seg = segment(make_document("The purges purged. The purge ended."))
    assert len({w.stem for w in seg.words if w.norm.startswith("purg")}) == 1


# ---------------------------------------------------------------- sharing work


def test_lending_returns_the_lent_segmentation_in_its_block_only() -> None:
    import threading

    from aligner.segment import lending

    doc = make_document("A sentence to segment. And another one.", name="x")
    lent = segment(doc)
    with lending([lent]):
        assert segment(doc) is lent
        seen: list[object] = []
        worker = threading.Thread(target=lambda: seen.append(segment(doc)))
        worker.start()
        worker.join()
        assert seen[0] is not lent and seen[0] == lent  # other threads segment afresh
    assert segment(doc) is not lent


# ------------------------------------------------------------ loading NLTK


def _in_a_fresh_python(code: str) -> None:
    """Run ``code`` in a new interpreter (NLTK not yet loaded); it must succeed."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_nltk_is_whole_after_segmenting() -> None:
    """Loading NLTK's two modules alone leaves no stand-in behind."""
    _in_a_fresh_python(
        "import sys\n"
        "from aligner.documents import make_document\n"
        "from aligner.segment import segment\n"
        "s = segment(make_document('Mr. Smith left. He came back.', name='x'))\n"
        "assert [w.stem for w in s.words][-1] == 'back', s.words\n"
        "assert len(s.sentences) == 2, s.sentences\n"
        "assert not [k for k in sys.modules if k.startswith('nltk')]\n"
        "import nltk\n"
        "assert hasattr(nltk, 'word_tokenize') and hasattr(nltk.corpus, 'stopwords')\n"
    )


def test_nltks_path_checks_are_loaded_only_when_called() -> None:
    """Punkt's file functions (never used here) stand in for ``nltk.pathsec``,
    which imports the network stack; called, they call the real ones."""
    _in_a_fresh_python(
        "import sys\n"
        "from aligner import segment\n"
        "punkt = segment._nltk()[0]\n"
        "assert 'nltk.pathsec' not in sys.modules\n"
        "import nltk.pathsec\n"
        "nltk.pathsec.open = lambda *args, **kwargs: ('real', args, kwargs)\n"
        "called = punkt.__init__.__globals__['pathsec_open']('x', mode='rb')\n"
        "assert called == ('real', ('x',), {'mode': 'rb'}), called\n"
    )


def test_nltk_falls_back_to_the_plain_import(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner import segment as seg_mod

    def unknown_layout() -> None:
        raise ImportError("another NLTK")

    monkeypatch.setattr(seg_mod, "_nltk_modules_alone", unknown_layout)
    monkeypatch.delitem(__import__("sys").modules, "nltk", raising=False)
    seg_mod._nltk.cache_clear()
    try:
        punkt, snowball, lang_vars = seg_mod._nltk()
        assert punkt.__name__ == "PunktSentenceTokenizer"
        assert lang_vars.__name__ == "PunktLanguageVars"
        assert snowball("english").stem("running") == "run"
    finally:
        seg_mod._nltk.cache_clear()


def test_common_stems_table_agrees_with_nltk() -> None:
    """The shipped table is NLTK's own output (rebuild it with scripts/build_stems.py)."""
    from aligner import segment as seg_mod

    table = seg_mod._common_stems()
    assert len(table) > 20_000
    stemmer = seg_mod._nltk()[1]("english", ignore_stopwords=False)
    wrong = [w for w, s in table.items() if stemmer.stem(w) != s]
    assert wrong == []
    for word in ("revolutionaries", "kronstadt", "dzherzhinsky", "bureaucratisation"):
        assert seg_mod.stem(word) == stemmer.stem(word)


def test_a_reference_stays_one_sentence_in_a_short_text() -> None:
    """Too short a text teaches Punkt no abbreviation: "Vol." or "viz." ended
    a sentence and cut a reference in two ("(LCW, Vol." / "33, p. 430)")."""
    text = (
        "Lenin wrote about the old state machine in his last articles. "
        "(Lenin, Collected Works, Vol. 33, p. 430)\n\n"
        "The congress met in April, viz. a month later. He cited it (Trotsky, op. cit.) "
        "The next day he left."
    )
    assert _sentences(text) == [
        "Lenin wrote about the old state machine in his last articles.",
        "(Lenin, Collected Works, Vol. 33, p. 430)",
        "The congress met in April, viz. a month later.",
        "He cited it (Trotsky, op. cit.)",
        "The next day he left.",
    ]


def test_a_quotation_ending_inside_a_sentence_does_not_end_it() -> None:
    """An exclamation or question quoted mid-sentence ("chanting "Open the
    gate!", the officer ...") does not end the sentence around it, and a
    month abbreviated before a day ("Nov. 10") is no sentence end either,
    in a text too short for Punkt to learn it; a month abbreviated at the end
    of a sentence still ends it."""
    text = (
        "BERLIN, Nov. 10 - East Germany opened its border last night. At the bridge, where people "
        'were chanting "Open the gate!", the officer raised the barrier. Asked "When?", '
        "he said nothing. The talks were set for Dec. The minister left."
    )
    assert _sentences(text) == [
        "BERLIN, Nov. 10 - East Germany opened its border last night.",
        'At the bridge, where people were chanting "Open the gate!", the officer raised '
        "the barrier.",
        'Asked "When?", he said nothing.',
        "The talks were set for Dec.",
        "The minister left.",
    ]


def _sentences(text: str) -> list[str]:
    """The sentences ``segment`` finds in ``text``, as text."""
    seg = segment(make_document(text, name="text"))
    return [text[s.start : s.end] for s in seg.sentences]
