"""Export: JSON shape and round trip, golden Markdown and text, escaping, atomic writes.

The comparison is built by hand, so these tests do not move when the engine
changes. Regenerate the golden files after reviewing a change with
``ALIGNER_UPDATE_GOLDEN=1 pytest tests/test_export.py``.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import aligner
from aligner import export
from aligner.documents import make_document
from aligner.export import OutputError, from_dict, to_dict, to_json, to_markdown, to_text
from aligner.model import Comparison, DiffOp, Document, Evidence, Options, Pair, Span
from aligner.render import mark_passage, printable

DATA = Path(__file__).parent / "data"
EXAMPLES = int(os.environ.get("ALIGNER_EXAMPLES", "200"))
"""Hypothesis examples per property; raise it for a long run."""

TEXT_A = (
    "Preface.\n\n"
    '1. Lenin wrote that Stalin "has concentrated enormous power in his hands" and '
    "that he is *too rude* | <script>alert('x')</script>.\n"
    "# Not a heading [link](http://example.com)\n\n"
    "On 7 November 1927 the Opposition marched with its own banners.\x1b[31m red\x1b[0m\n\n"
    "The colour of the flag was red.\n"
)
TEXT_B = (
    "Introduction.\n\n"
    'Lenin wrote that Stalin "has unlimited authority concentrated in his hands" and '
    "that he is _too rude_ | <script>alert('x')</script>.\n\n"
    "At the demonstration of 7 November 1927, oppositionists carried banners of their own.\n\n"
    "The color of the flag was red.\n"
)


def _at(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def _span(doc: Document, index: int, first: str, last: str) -> Span:
    start = doc.text.index(first)
    end = doc.text.index(last, start) + len(last)
    return Span(index, start, end)


def _op(tag: str, a: tuple[int, int], b: tuple[int, int], chars: tuple[DiffOp, ...] = ()) -> DiffOp:
    return DiffOp(tag, a[0], a[1], b[0], b[1], chars)  # type: ignore[arg-type]


def _pair(
    a: Document, b: Document, sa: Span, sb: Span, score: float, kind: str, **kw: object
) -> Pair:
    return Pair(
        sa,
        sb,
        a.text[sa.start : sa.end],
        b.text[sb.start : sb.end],
        score,
        kind,
        **kw,  # type: ignore[arg-type]
    )


def small_comparison() -> Comparison:
    """Three hand-made pairs: a quotation, a retelling and a version with a spelling variant."""
    a = make_document(TEXT_A, name="a|one.txt", path="samples/a|one.txt")
    b = make_document(TEXT_B, name="b.txt", path="samples/b.txt", encoding="cp1252")
    A, B = a.text, b.text
    q_a = _span(a, 0, "1. Lenin", "# Not a heading [link](http://example.com)")
    q_b = _span(b, 1, "Lenin wrote", "</script>.")
    quote_ops = (
        _op("delete", _at(A, "1."), (q_b.start, q_b.start)),
        _op(
            "equal", _at(A, 'Lenin wrote that Stalin "has'), _at(B, 'Lenin wrote that Stalin "has')
        ),
        _op(
            "replace",
            _at(A, "concentrated enormous power"),
            _at(B, "unlimited authority concentrated"),
        ),
        _op("equal", _at(A, "in his hands"), _at(B, "in his hands")),
        _op("replace", _at(A, "*too rude*"), _at(B, "_too rude_")),
        _op("delete", _at(A, "# Not a heading [link](http://example.com)"), (q_b.end, q_b.end)),
    )
    stalin = Evidence("name", "Stalin", 0.5, (_at(A, "Stalin"),), (_at(B, "Stalin"),))
    r_a = _span(a, 0, "On 7 November", "\x1b[0m")
    r_b = _span(b, 1, "At the demonstration", "of their own.")
    ev = (
        Evidence(
            "date",
            "7 November 1927",
            0.8,
            (_at(A, "7 November 1927"),),
            (_at(B, "7 November 1927"),),
        ),
        Evidence("rare", "banners", 0.4, (_at(A, "banners"),), (_at(B, "banners"),)),
    )
    v_a = _span(a, 0, "The colour", "red.\n")
    v_b = _span(b, 1, "The color", "red.\n")
    colour = _at(A, "colour")
    color = _at(B, "color")
    chars = (
        _op("equal", (colour[0], colour[0] + 4), (color[0], color[0] + 4)),
        _op("delete", (colour[0] + 4, colour[0] + 5), (color[0] + 4, color[0] + 4)),
        _op("equal", (colour[0] + 5, colour[1]), (color[0] + 4, color[1])),
    )
    version_ops = (
        _op("equal", _at(A, "The"), _at(B, "The")),
        _op("replace", colour, color, chars),
        _op("equal", _at(A, "of the flag was red."), _at(B, "of the flag was red.")),
    )
    pairs = (
        _pair(a, b, q_a, q_b, 0.9123, "quotation", evidence=(stalin,), diff=quote_ops),
        _pair(a, b, r_a, r_b, 0.61, "retelling", evidence=ev),
        _pair(a, b, v_a, v_b, 0.97, "version", diff=version_ops),
    )
    options = Options(min_score=0.2, kinds=("quotation", "retelling", "version"))
    return Comparison((a, b), pairs, options, False, (("load", 0.01), ("match", 0.5)))


def _golden(name: str, actual: str) -> None:
    path = DATA / name
    if os.environ.get("ALIGNER_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def test_markdown_matches_golden_file() -> None:
    _golden("small.md", to_markdown(small_comparison()))


def test_text_matches_golden_file() -> None:
    _golden("small.txt", to_text(small_comparison()))


def test_json_has_the_canonical_shape_and_spans_slice_back() -> None:
    c = small_comparison()
    d = json.loads(to_json(c))
    assert d["documents"][1] == {
        "path": "samples/b.txt",
        "name": "b.txt",
        "length": len(TEXT_B),
        "encoding": "cp1252",
    }
    assert d["counts"] == {"quotation": 1, "retelling": 1, "version": 1}
    for p in d["pairs"]:
        for side in ("a", "b"):
            s = p[side]
            text = (TEXT_A, TEXT_B)[s["doc"]]
            assert text[s["start"] : s["end"]] == s["text"]
            assert s["paragraph"] == c.documents[s["doc"]].paragraph_number(s["start"])
            last = c.documents[s["doc"]].paragraph_number(s["end"] - 1)
            assert s["last_paragraph"] == last
    version = d["pairs"][2]
    i, j = TEXT_A.index("colour") + 4, TEXT_B.index("color") + 4
    assert version["diff"][1]["chars"][1] == {"tag": "delete", "a": [i, i + 1], "b": [j, j]}
    assert d["pairs"][1]["evidence"][0]["a"] == [list(_at(TEXT_A, "7 November 1927"))]


def test_changed_is_the_share_of_the_wording_the_diff_marks() -> None:
    c = small_comparison()
    quotation, retelling, version = c.pairs
    # Only the "u" of "colour" / "color" differs; the other words are equal.
    words = 2 * len("The") + len("colour") + len("color") + 2 * len("of the flag was red.")
    assert version.changed == pytest.approx(1 / words)
    # Two deletions and two replacements out of the words the diff covers.
    assert 0.5 < quotation.changed < 0.7
    assert retelling.changed == 0.0  # no diff: nothing is marked changed
    assert to_dict(c)["pairs"][2]["changed"] == round(version.changed, 4)
    headers = [line for line in to_text(c).splitlines() if line.startswith("#")]
    assert headers[0].endswith("  61% changed") and headers[2].endswith("  2% changed")
    assert "changed" not in headers[1]  # a retelling is told in other words anyway
    markdown = to_markdown(c)
    assert "## 3. Version (score 0.97, 2% changed)" in markdown
    assert "## 2. Retelling (score 0.61)" in markdown


def test_json_lays_out_pairs_and_keeps_each_opcode_on_one_line() -> None:
    c = small_comparison()
    text = to_json(c)
    assert json.loads(text) == json.loads(json.dumps(to_dict(c)))
    lines = text.splitlines()
    assert '  "pairs": [' in lines and '      "diff": [' in lines
    # One opcode a line, as the C encoder writes it (indent turns that encoder off).
    assert any(line.strip().startswith('{"tag": "replace", "a": [') for line in lines)
    assert json.loads(to_json(c, indent=None)) == json.loads(text)
    assert "\n" not in to_json(c, indent=None)


def test_json_round_trips_with_and_without_documents() -> None:
    c = small_comparison()
    d = json.loads(to_json(c))
    assert from_dict(d, documents=c.documents) == c
    rebuilt = from_dict(d)
    assert rebuilt.pairs == c.pairs
    assert [len(doc) for doc in rebuilt.documents] == [len(doc) for doc in c.documents]
    # Without the documents, paragraph numbers are unknown; everything else survives.
    assert _without_paragraphs(rebuilt) == _without_paragraphs(c)


def _without_paragraphs(c: Comparison) -> list[dict[str, object]]:
    pairs: list[dict[str, dict[str, object]]] = to_dict(c)["pairs"]
    for p in pairs:
        for side in ("a", "b"):
            del p[side]["paragraph"], p[side]["last_paragraph"]
    return list(pairs)


def test_from_dict_refuses_other_json() -> None:
    with pytest.raises(export.AlignerError):
        from_dict({"pairs": [{"a": 1}]})


def test_json_escapes_control_characters_even_c1() -> None:
    doc = make_document("x\x1b[2J\x9b31m y", name="evil")
    pair = Pair(Span(0, 0, 9), Span(1, 0, 9), doc.text, doc.text, 1.0, "quotation")
    out = to_json(Comparison((doc, doc), (pair,)))
    assert "\x1b" not in out and "\x9b" not in out
    assert json.loads(out)["pairs"][0]["a"]["text"] == doc.text


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "| a | b |",
        "**bold** _it_ `code`",
        "[x](javascript:y)",
        "1. item",
        "# heading",
        "- item",
        "&lt;b&gt;",
        "$x^2$",
        "~~gone~~",
        "> quote",
    ],
)
def test_markdown_escapes_document_content(hostile: str) -> None:
    doc = make_document(f"{hostile}\n\nok", name=hostile)
    pair = Pair(
        Span(0, 0, len(hostile)), Span(1, 0, len(hostile)), hostile, hostile, 0.9, "quotation"
    )
    md = to_markdown(Comparison((doc, doc), (pair,)))
    quoted = [line[2:] for line in md.splitlines() if line.startswith("> ")]
    assert len(quoted) == 2
    for line in quoted:
        # Every Markdown-special character is backslash-escaped...
        assert re.search(r"(?<!\\)[<>|*_`\[\]~$&#]", line) is None
        # ...and removing the escapes gives back the document's text.
        assert re.sub(r"\\(.)", r"\1", line) == hostile


def test_markdown_strikes_removed_and_bolds_added_words() -> None:
    md = to_markdown(small_comparison())
    assert "~~concentrated enormous power~~" in md
    assert "**unlimited authority concentrated**" in md
    assert "**7 November 1927**" in md  # retelling: the shared evidence
    assert "colo~~u~~r" in md and "**color**" not in md  # a spelling variant: one letter


def test_text_report_never_carries_raw_control_characters() -> None:
    out = to_text(small_comparison())
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out) is None
    assert "␛[31m" in out
    assert (
        "[-concentrated enormous power-]" in out and "{+unlimited authority concentrated+}" in out
    )


def test_text_report_counts_in_words() -> None:
    """One pair, one quotation: no "1 pairs"."""
    c = aligner.compare(
        "Lenin wrote that Comrade Stalin has concentrated enormous power in his hands.",
        "He wrote: Comrade Stalin has concentrated enormous power in his hands, and more.",
    )
    assert len(c.pairs) == 1
    assert "1 pair (1 quotation); free order" in to_text(c).splitlines()


def test_text_report_cuts_long_passages() -> None:
    doc = make_document("word " * 1000, name="long")
    pair = Pair(Span(0, 0, 5000), Span(1, 0, 5000), doc.text, doc.text, 1.0, "quotation")
    out = to_text(Comparison((doc, doc), (pair,)), max_chars=100)
    assert "[4,900 more characters]" in out
    assert len(out) < 1500


def test_empty_comparison_says_no_parallels_in_every_format() -> None:
    doc = make_document("alpha", name="a")
    c = Comparison((doc, doc), ())
    assert "No parallel passages found." in to_markdown(c)
    assert "no parallel passages found" in to_text(c)
    assert json.loads(to_json(c))["pairs"] == []


def test_write_output_refuses_existing_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("precious")
    with pytest.raises(OutputError, match="already exists"):
        export.write_output("new", target)
    assert target.read_text() == "precious"
    export.write_output("new", target, force=True)
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temp file left


def test_write_output_refuses_bad_destinations(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        export.write_output("x", tmp_path)
    with pytest.raises(OutputError, match="does not exist"):
        export.write_output("x", tmp_path / "missing" / "r.md")


def test_interrupted_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.md"

    def fail(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(export.os, "fsync", fail)
    with pytest.raises(KeyboardInterrupt):
        export.write_output("half", target)
    assert list(tmp_path.iterdir()) == []


def test_write_markdown_writes_a_readable_file(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    export.write_markdown(small_comparison(), target)
    assert target.read_text(encoding="utf-8") == to_markdown(small_comparison())
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_marks_split_only_by_spaces_are_joined() -> None:
    a = make_document("to use that power with care", name="a")
    b = make_document("to use it with care", name="b")
    ops = (
        _op("equal", _at(a.text, "to use"), _at(b.text, "to use")),
        _op("replace", _at(a.text, "that"), _at(b.text, "it")),
        _op("delete", _at(a.text, "power"), (b.text.index(" with"),) * 2),
        _op("equal", _at(a.text, "with care"), _at(b.text, "with care")),
    )
    pair = _pair(a, b, Span(0, 0, len(a.text)), Span(1, 0, len(b.text)), 1.0, "quotation", diff=ops)
    md = to_markdown(Comparison((a, b), (pair,)))
    assert "> to use ~~that power~~ with care" in md
    assert "> to use **it** with care" in md


# ---------------------------------------------------------------- properties


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text())
def test_escape_markdown_is_inert_and_reversible(text: str) -> None:
    escaped = export.escape_markdown(text)
    assert re.search(r"(?<!\\)[<>|*_`\[\]~$&#]", re.sub(r"\\\\", "", escaped)) is None
    assert re.sub(r"\\(.)", r"\1", escaped) == printable(text).replace("\t", " ")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text())
def test_printable_keeps_length_and_drops_every_control(text: str) -> None:
    out = printable(text)
    assert len(out) == len(text)
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out) is None


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.text(min_size=1),
    st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=6),
    st.sampled_from(["quotation", "retelling"]),
)
def test_marked_runs_join_back_to_the_passage(
    text: str, ranges: list[tuple[int, int]], kind: str
) -> None:
    doc = make_document(text, name="t")
    ops = tuple(_op("delete", (s, e), (0, 0)) for s, e in ranges if s <= e)
    ev = tuple(Evidence("word", "w", 0.5, ((s, e),), ((s, e),)) for s, e in ranges)
    pair = _pair(
        doc, doc, Span(0, 0, len(text)), Span(1, 0, len(text)), 0.5, kind, diff=ops, evidence=ev
    )
    for side in ("a", "b"):
        runs = mark_passage(pair, side)  # type: ignore[arg-type]
        assert "".join(t for t, _ in runs) == text
        assert all(not (m1 and m2) for (_, m1), (_, m2) in zip(runs, runs[1:], strict=False))
    md = to_markdown(Comparison((doc, doc), (pair,)))
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", md) is None
    to_text(Comparison((doc, doc), (pair,)))


MARKDOWNISH = st.lists(
    st.sampled_from(
        [
            *"ab 1.#*_-+=>|<[]()!`~$&\\:/\n\t",
            "<script>",
            "http://x.y",
            "&amp;",
            "    ",
            "1. ",
            "```",
        ]
    ),
    min_size=1,
    max_size=30,
).map("".join)


@settings(max_examples=EXAMPLES, deadline=None)
@given(MARKDOWNISH.filter(lambda t: t.strip()))
def test_rendered_markdown_shows_exactly_the_document_text(text: str) -> None:
    """Render with a CommonMark parser (plus GFM tables and strikethrough): the
    passage must come out as plain text, no element made from its content."""
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    doc = make_document(text, name="t")
    pair = Pair(Span(0, 0, len(text)), Span(1, 0, len(text)), text, text, 0.9, "quotation")
    page = parser.render(to_markdown(Comparison((doc, doc), (pair,))))
    quotes = re.findall(r"<blockquote>\n(.*?)</blockquote>", page, re.S)
    assert len(quotes) == 2
    assert re.search(r"<(?!/?(p|br ?/?)>)", quotes[0]) is None  # no tag but paragraphs
    plain = html.unescape(re.sub(r"<[^>]+>", "", quotes[0]))
    assert plain.split() == printable(text).split()


def test_text_report_flows_a_hard_wrapped_passage() -> None:
    """A text wrapped at 72 characters is rewrapped paragraph by paragraph in
    the text report: a marked word no longer breaks the source's lines into
    fragments ("*lunar*" alone on a line); paragraphs stay apart."""
    import aligner

    data = Path(__file__).resolve().parent / "data"
    c = aligner.compare(data / "moon-landing-a.txt", data / "moon-landing-b.txt")
    assert c.documents[0].text.count("\n") > 20  # wrapped at 72
    blocks: list[list[str]] = []
    in_a = False
    for line in c.to_text().splitlines():
        if line.startswith("  A | "):
            blocks.append([line])
        elif in_a and line.startswith("      "):
            blocks[-1].append(line)
        else:
            in_a = False
            continue
        in_a = True
    (block,) = [b for b in blocks if "Tranquillity" in " ".join(b)]  # the landing: 3 paragraphs
    width = max(len(line) for line in block)
    short = [line for line in block[:-1] if len(line) < width - 25]
    assert len(short) <= 2, short  # only the ends of its paragraphs


def test_a_pair_added_by_hand_is_marked_in_every_report() -> None:
    """``with_pair`` adds the reader's pair in order of position in A, marked
    by hand (in JSON, which round-trips it, and in both reports);
    ``without_pair`` takes one out; neither touches the comparison given."""
    c = small_comparison()
    a, b = c.documents
    sa, sb = _span(a, 0, "Preface", "."), _span(b, 1, "Introduction", ".")
    mine = _pair(a, b, sa, sb, 0.33, "retelling")
    edited = c.with_pair(mine)
    assert [p.by_hand for p in edited.pairs] == [True, False, False, False]
    assert edited.pairs[0] == replace(mine, by_hand=True) and not any(p.by_hand for p in c.pairs)
    d = json.loads(to_json(edited))
    assert [p["by_hand"] for p in d["pairs"]] == [True, False, False, False]
    assert from_dict(d, documents=c.documents) == edited
    assert "## 1. Retelling (score 0.33) · added by hand" in to_markdown(edited)
    assert to_text(edited).count("added by hand") == 1
    assert "by hand" not in to_markdown(c) + to_text(c)
    assert edited.without_pair(edited.pairs[0]) == c
    assert edited.without_pair(edited.pairs[2]).pairs == edited.pairs[:2] + edited.pairs[3:]


def test_a_pair_by_hand_must_be_of_the_documents() -> None:
    c = small_comparison()
    a, b = c.documents
    good = _pair(
        a, b, _span(a, 0, "Preface", "."), _span(b, 1, "Introduction", "."), 0.3, "retelling"
    )
    for bad, message in (
        (replace(good, a=Span(0, 5, 5 + len(good.a_text))), "is not"),
        (replace(good, b=Span(1, 0, len(TEXT_B) + 1)), "not a passage"),
        (replace(good, b=Span(0, good.a.start, good.a.end), b_text=good.a_text), "two documents"),
        (replace(good, b=Span(2, 0, 3)), "no document"),
    ):
        with pytest.raises(aligner.AlignerError, match=message):
            c.with_pair(bad)
    with pytest.raises(aligner.AlignerError, match="not a pair"):
        c.without_pair(good)
