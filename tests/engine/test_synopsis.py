"""Synopsis of several accounts: groups, base diffs, exports, triangulation."""

from __future__ import annotations

import importlib
import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aligner
from aligner import AlignerError, Document, Options, Pair, Span
from aligner.documents import make_document
from aligner.grouping import build_groups
from aligner.synopsis import Group, Synopsis, synopsis
from aligner.triangulate import supported_pairs

# The package exports the function aligner.synopsis; the module is in sys.modules.
synopsis_module = importlib.import_module("aligner.synopsis")

DATA = Path(__file__).resolve().parent.parent / "data"
"""Short texts written for the tests (tests/data)."""
THREE = ("clr-james-lenin-stalin", "how-the-bureaucracy-seized-power", "what-is-stalinism")


@pytest.fixture(scope="module")
def three(samples: dict[str, Path]) -> Synopsis:
    """The three smallest accounts; two of them retell Lenin's Testament."""
    return synopsis([samples[name] for name in THREE])


def _check_group(docs: tuple[Document, ...], g: Group, base: int) -> None:
    held = [m.doc for m in g.members]
    assert held == sorted(set(held)), "one member per document, in document order"
    assert len(held) >= 2
    assert set(held).isdisjoint(g.missing)
    assert sorted(held + list(g.missing)) == list(range(len(docs)))
    assert len(g.diffs) == len(g.members)
    for m in g.members:
        assert 0 <= m.start < m.end <= len(docs[m.doc].text)
        assert docs[m.doc].text[m.start : m.end] == m.text
    ref = g.member(base)
    for m, ops in zip(g.members, g.diffs, strict=True):
        if ref is None or m is ref:
            assert ops == ()
            continue
        for op in ops:
            assert ref.start <= op.a_start <= op.a_end <= ref.end
            assert m.start <= op.b_start <= op.b_end <= m.end
    for p in g.pairs:
        assert p.a.doc < p.b.doc and {p.a.doc, p.b.doc} <= set(held)


def _check(syn: Synopsis) -> None:
    for g in syn.groups:
        _check_group(syn.documents, g, syn.base)
        assert g.score >= syn.options.min_score


# ---------------------------------------------------------------- end to end


def test_three_accounts_end_to_end(three: Synopsis) -> None:
    assert len(three.documents) == 3
    assert three.doc_pairs() == ((0, 1), (0, 2), (1, 2))
    assert len(three.comparisons) == 3
    _check(three)
    testament = [g for g in three.groups if "capricious" in (g.member(0) or g.members[0]).text]
    assert testament, "the Testament's postscript should form a group"
    assert {0, 1} <= set(testament[0].docs)


def test_three_accounts_of_another_event() -> None:
    """Three short accounts of Sarajevo, 1914, written for these tests and
    never tuned on (a newspaper report, a historian's chapter, an officer's
    memoir; other order, other words): the scene at the Town Hall, the
    shooting and the Emperor's reaction each come out as one group of all
    three (the chapter's shooting, not its introduction of the assassin,
    which had come in through the report alone). The report
    and the chapter tell the Emperor's words too loosely to pair alone
    (below the floor): the memoir, close to both, brings them together."""
    names = ("sarajevo-report", "sarajevo-history", "sarajevo-memoir")
    syn = synopsis([DATA / f"{name}.txt" for name in names])
    _check(syn)

    def group_of(word: str) -> Group:
        (group,) = [g for g in syn.groups if all(word in m.text for m in g.members)]
        return group

    town_hall, shooting, emperor = group_of("ayor"), group_of("fired"), group_of("Emperor")
    assert len({id(town_hall), id(shooting), id(emperor)}) == 3
    assert town_hall.docs == shooting.docs == emperor.docs == (0, 1, 2)
    report, history = emperor.member(0), emperor.member(1)
    assert report is not None and history is not None
    assert not any(
        p.a.start < report.end
        and report.start < p.a.end
        and p.b.start < history.end
        and history.start < p.b.end
        for p in syn.comparison(0, 1).pairs
    ), "the report and the chapter pair their Emperor passages only through the memoir"


def test_a_weak_third_link_completes_a_group() -> None:
    """Three accounts of the night the Berlin Wall opened, written for these
    tests (a wire report, a historian's chapter, a nurse's memoir): the
    report and the chapter pair their Schabowski passages (0.57), the chapter
    and the memoir theirs (0.67); the report and the memoir, which never
    names him, only weakly (0.25). That weak link is evidence too: without
    it, the report's average link to the group (0.57 and nothing) fell short
    and its passage was left out of the group the other two made."""
    syn = synopsis([DATA / f"berlin-{name}.txt" for name in ("wire", "history", "memoir")])
    _check(syn)
    (press,) = [g for g in syn.groups if any("Schabowski" in m.text for m in g.members)]
    assert press.docs == (0, 1, 2)
    assert "televised news conference" in press.members[0].text
    assert "valid straight away" in press.members[2].text


def test_groups_follow_the_base_document(three: Synopsis) -> None:
    starts = [g.member(0).start for g in three.groups if g.member(0) is not None]
    assert starts == sorted(starts)
    first_lacking = next((k for k, g in enumerate(three.groups) if g.member(0) is None), None)
    if first_lacking is not None:
        assert all(g.member(0) is None for g in three.groups[first_lacking:])


def test_groups_by_number_of_accounts(three: Synopsis) -> None:
    by_size = three.sorted_groups("accounts")
    assert sorted(map(_key, by_size)) == sorted(map(_key, three.groups))
    sizes = [len(g.members) for g in by_size]
    assert sizes == sorted(sizes, reverse=True)
    assert three.sorted_groups() == three.groups
    with pytest.raises(AlignerError):
        three.sorted_groups("colour")  # type: ignore[arg-type]


def test_comparisons_are_what_compare_reports(three: Synopsis, samples: dict[str, Path]) -> None:
    """Reusing segmentations across pairs must not change the engine's result."""
    direct = aligner.compare(samples[THREE[1]], samples[THREE[2]])
    mine = three.comparison(1, 2)
    assert [(p.a, p.b, p.score, p.kind) for p in mine] == [
        (p.a, p.b, p.score, p.kind) for p in direct
    ]


def test_the_synopsis_documents_stay_segmented_for_look_ups() -> None:
    from aligner.segment import segment, segment_afresh

    # what the synopsis segmented is kept (a look-up in it need not segment
    # again), and it is the document's segmentation, not another's; a
    # synopsis of its own, as other tests' documents push earlier ones out
    syn = synopsis([DATA / "sarajevo-report.txt", DATA / "sarajevo-memoir.txt"])
    doc = syn.documents[0]
    again = segment(doc)
    assert again.doc is doc and segment(doc) is again
    fresh = segment_afresh(doc)
    assert again.words == fresh.words and again.sentences == fresh.sentences


def test_comparison_in_either_order(three: Synopsis) -> None:
    ab, ba = three.comparison(0, 2), three.comparison(2, 0)
    assert ab.documents == ba.documents[::-1]
    assert sorted((p.a.start, p.b.start) for p in ab) == sorted((p.b.start, p.a.start) for p in ba)
    with pytest.raises(AlignerError):
        three.comparison(1, 1)


def test_pairwise_uses_global_document_indices(three: Synopsis) -> None:
    c = three.pairwise()
    assert len(c.pairs) == sum(len(x.pairs) for x in three.comparisons)
    for p in c.pairs:
        assert p.a.doc < p.b.doc
        assert c.documents[p.a.doc].text[p.a.start : p.a.end] == p.a_text
        assert c.documents[p.b.doc].text[p.b.start : p.b.end] == p.b_text


# ---------------------------------------------------------------- base


def test_switching_the_base(three: Synopsis) -> None:
    for base in range(3):
        syn = three.with_base(base)
        assert syn.base == base
        _check(syn)
        assert sorted(map(_key, syn.groups)) == sorted(map(_key, three.groups))
    again = three.with_base(2).with_base(0)
    assert again.groups == three.groups
    with pytest.raises(AlignerError):
        three.with_base(3)


def _key(g: Group) -> tuple[tuple[int, int, int], ...]:
    return tuple((m.doc, m.start, m.end) for m in g.members)


def test_base_member_diff_is_a_word_diff(three: Synopsis) -> None:
    syn = three.with_base(1)
    g = next(g for g in syn.groups if g.member(1) is not None)
    ref = g.member(1)
    assert ref is not None
    for m, ops in zip(g.members, g.diffs, strict=True):
        if m is ref:
            continue
        equal = [op for op in ops if op.tag == "equal"]
        for op in equal:
            left = syn.documents[ref.doc].text[op.a_start : op.a_end].casefold().split()
            right = syn.documents[m.doc].text[op.b_start : op.b_end].casefold().split()
            assert len(left) == len(right)


# ---------------------------------------------------------------- exports


def test_json_round_trip(three: Synopsis) -> None:
    data = json.loads(three.to_json())
    assert data["base"] == 0
    assert [d["name"] for d in data["documents"]] == [d.name for d in three.documents]
    assert len(data["groups"]) == len(three.groups)
    for gd, g in zip(data["groups"], three.groups, strict=True):
        assert gd["kind"] == g.kind
        assert gd["score"] == pytest.approx(g.score)
        assert gd["missing"] == list(g.missing)
        assert gd["topic"] == list(g.topic)
        for md, m, ops in zip(gd["members"], g.members, g.diffs, strict=True):
            assert (md["doc"], md["start"], md["end"], md["text"]) == (
                m.doc,
                m.start,
                m.end,
                m.text,
            )
            assert [op["tag"] for op in md["diff"]] == [op.tag for op in ops]
    assert len(data["pairs"]) == len(three.pairwise().pairs)
    for p in data["pairs"]:
        assert p["a"]["doc"] < p["b"]["doc"]


def test_markdown_synopsis(three: Synopsis) -> None:
    md = three.to_markdown()
    assert md.startswith("# Synopsis of 3 accounts")
    assert "| # | Topic | Kind | Score | D1 | D2 | D3 |" in md
    assert len(re.findall(r"^## Group \d+$", md, re.M)) == len(three.groups)
    table_rows = re.findall(r"^\| \[\d+\]\(#group-\d+\) \|", md, re.M)
    assert len(table_rows) == len(three.groups)
    assert "Not in: " in md
    assert "(base)" in md


def test_shown_marks_members_against_the_base(three: Synopsis) -> None:
    from aligner.render import mark_passage

    for g in three.groups:
        for m in g.members:
            runs = mark_passage(three.shown(g, m), "b")
            assert "".join(text for text, _ in runs) == m.text
            if m.doc == three.base or g.member(three.base) is None:
                assert not any(marked for _, marked in runs)
    testament = next(g for g in three.groups if "capricious" in g.members[0].text)
    runs = mark_passage(three.shown(testament, testament.members[1]), "b")
    assert any(marked for _, marked in runs)


def _hostile_synopsis() -> Synopsis:
    evil = "Stalin | <script>alert(1)</script> *bold* [link](x) ~~gone~~ ends here."
    docs = tuple(
        make_document(f"Intro line number {i} here.\n\n{evil} Trotsky {i}.\n", name=f"d{i}|*.txt")
        for i in range(3)
    )
    start = docs[0].text.index("Stalin")
    pairs = [
        _pair(docs, i, j, (start, len(docs[i].text) - 1), (start, len(docs[j].text) - 1), 0.9)
        for i, j in ((0, 1), (0, 2), (1, 2))
    ]
    groups = build_groups(docs, pairs)
    return Synopsis(docs, (), groups, 0, Options())


def test_markdown_escapes_document_content() -> None:
    syn = _hostile_synopsis()
    assert len(syn.groups) == 1 and len(syn.groups[0].members) == 3
    md = syn.to_markdown()
    assert "<script>" not in md
    assert "\\<script\\>" in md
    assert "d0\\|\\*.txt" in md
    for line in md.splitlines():
        if line.startswith("| [1]"):
            assert line.count(" | ") == 3 + 3  # no cell broken by a document's "|"


# ---------------------------------------------------------------- triangulation


def test_supported_pairs_add_to_the_plain_pairs(three: Synopsis) -> None:
    plain = three.pairwise().pairs
    tri = supported_pairs(three)
    assert sorted(tri) == list(three.doc_pairs())
    flat = [p for ps in tri.values() for p in ps]
    assert set(map(_pkey, plain)) <= set(map(_pkey, flat))
    for p in set(flat) - set(plain):
        # every added pair joins two members of one group
        assert any(
            (m := g.member(p.a.doc))
            and (n := g.member(p.b.doc))
            and p.a.overlaps(m.span)
            and p.b.overlaps(n.span)
            for g in three.groups
        )
    for (i, j), ps in tri.items():
        for p in ps:
            assert (p.a.doc, p.b.doc) == (i, j)
            assert three.documents[i].text[p.a.start : p.a.end] == p.a_text


def _pkey(p: Pair) -> tuple[Span, Span]:
    return (p.a, p.b)


def test_a_third_account_completes_a_pair() -> None:
    """A~C and B~C strong, A~B missing: the group holds all three."""
    docs = tuple(make_document(f"{w} " * 60, name=f"d{i}") for i, w in enumerate("xyz"))
    ac = _pair(docs, 0, 2, (0, 40), (0, 40), 0.9)
    bc = _pair(docs, 1, 2, (0, 40), (4, 44), 0.8)
    (g,) = build_groups(docs, [ac, bc])
    assert g.docs == (0, 1, 2)
    syn = Synopsis(docs, tuple(_empty(docs, i, j) for i, j in ((0, 1), (0, 2), (1, 2))), (g,))
    added = supported_pairs(syn)[(0, 1)]
    assert len(added) == 1 and added[0].score == g.score


def test_no_pair_from_a_third_account_that_disagrees() -> None:
    """A~C on a tight quotation, B~C on a long retelling around it: one group,
    but the two pairs do not agree on C's passage, so no A~B pair is added."""
    docs = tuple(make_document(f"{w} " * 100, name=f"d{i}") for i, w in enumerate("xyz"))
    ac = _pair(docs, 0, 2, (0, 20), (40, 60), 0.9, "quotation")
    bc = _pair(docs, 1, 2, (0, 160), (0, 160), 0.8)
    (g,) = build_groups(docs, [ac, bc])
    assert g.docs == (0, 1, 2) and g.kind == "retelling"
    syn = Synopsis(docs, tuple(_empty(docs, i, j) for i, j in ((0, 1), (0, 2), (1, 2))), (g,))
    assert supported_pairs(syn)[(0, 1)] == []


def test_loose_links_do_not_chain() -> None:
    """A~C strong and C~B weak (another passage of C): no group of three."""
    docs = tuple(make_document("word " * 100, name=f"d{i}") for i in range(3))
    ac = _pair(docs, 0, 2, (0, 40), (0, 40), 0.9)
    cb = _pair(docs, 1, 2, (0, 40), (10, 60), 0.35)
    groups = build_groups(docs, [ac, cb])
    assert [g.docs for g in groups] == [(0, 2)]


def _empty(docs: tuple[Document, ...], i: int, j: int) -> aligner.Comparison:
    return aligner.Comparison((docs[i], docs[j]), ())


def _pair(
    docs: tuple[Document, ...],
    i: int,
    j: int,
    a: tuple[int, int],
    b: tuple[int, int],
    score: float,
    kind: aligner.Kind = "retelling",
) -> Pair:
    return Pair(
        Span(i, *a), Span(j, *b), docs[i].text[a[0] : a[1]], docs[j].text[b[0] : b[1]], score, kind
    )


# ---------------------------------------------------------------- properties

N_DOCS = 4
LENGTH = 400


@st.composite
def _edges(draw: st.DrawFn) -> list[tuple[int, int, int, int, int, int, float]]:
    out = []
    for _ in range(draw(st.integers(0, 25))):
        i, j = sorted(
            draw(st.lists(st.integers(0, N_DOCS - 1), min_size=2, max_size=2, unique=True))
        )
        a0, b0 = draw(st.integers(0, LENGTH - 2)), draw(st.integers(0, LENGTH - 2))
        a1 = draw(st.integers(a0 + 1, min(LENGTH, a0 + 120)))
        b1 = draw(st.integers(b0 + 1, min(LENGTH, b0 + 120)))
        out.append((i, a0, a1, j, b0, b1, draw(st.floats(0.0, 1.0))))
    return out


DOCS = tuple(
    make_document(" ".join(f"w{(k * (i + 3)) % 17}" for k in range(LENGTH))[:LENGTH], name=f"{i}")
    for i in range(N_DOCS)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edges(), st.integers(0, N_DOCS - 1), st.sampled_from([0.0, 0.3, 0.5]))
def test_groups_are_consistent(
    edges: list[tuple[int, int, int, int, int, int, float]], base: int, floor: float
) -> None:
    pairs = [_pair(DOCS, i, j, (a0, a1), (b0, b1), s) for i, a0, a1, j, b0, b1, s in edges]
    groups = build_groups(DOCS, pairs, base=base, min_score=floor)
    for g in groups:
        _check_group(DOCS, g, base)
        assert g.score >= floor
        # never two overlapping spans of one document inside a group
        spans = [m.span for m in g.members]
        assert not any(x.overlaps(y) for k, x in enumerate(spans) for y in spans[k + 1 :])


QUOTE = (
    "Comrade Stalin, having become General Secretary, has concentrated enormous power in his "
    "hands, and I am not sure that he always knows how to use that power with sufficient caution."
)


def test_a_second_process_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small texts would all stay in this process: hand the second one a share.
    monkeypatch.setattr(synopsis_module, "PARALLEL_CHARS", 0)
    assert synopsis_module._remote_share(
        [make_document("x", name=str(k)) for k in range(3)], [(0, 1), (0, 2), (1, 2)]
    )
    texts = [
        f"Account {k}. In December 1922 Lenin dictated a note. {QUOTE} Then he fell ill again.\n"
        for k in range(3)
    ]
    one = synopsis(texts)
    two = synopsis(texts, workers=2)
    assert [_same_group(g) for g in one.groups] == [_same_group(g) for g in two.groups]
    assert [list(map(_same_pair, c.pairs)) for c in one.comparisons] == [
        list(map(_same_pair, c.pairs)) for c in two.comparisons
    ]
    assert all(
        c.documents[0] is two.documents[i]
        for (i, _), c in zip(two.doc_pairs(), two.comparisons, strict=True)
    )
    assert [g.docs for g in one.groups] == [(0, 1, 2)]


def _same_pair(p: Pair) -> tuple[object, ...]:
    # Evidence items of equal weight come in set order, which differs between
    # processes (string hashing): compare them as a set.
    return (p.a, p.b, p.score, p.kind, p.diff, frozenset(p.evidence))


def _same_group(g: Group) -> tuple[object, ...]:
    return (g.members, g.kind, g.score, g.diffs, tuple(map(_same_pair, g.pairs)))


def test_bad_arguments(samples: dict[str, Path]) -> None:
    with pytest.raises(AlignerError):
        synopsis([samples[THREE[0]]])
    with pytest.raises(AlignerError):
        synopsis(["one text.", "another text."], base=2)


def test_a_groups_topic_names_a_name_once_however_its_accounts_spell_it() -> None:
    """Pairs between different accounts give a name in each one's spelling
    (Djerzhinsky, Dzerzhinsky): the topic lists it once, the heavier first."""
    from aligner.grouping import _topic
    from aligner.model import Evidence

    def pair(*terms: tuple[str, float]) -> Pair:
        evidence = tuple(Evidence("name", t, w, (), ()) for t, w in terms)
        return Pair(Span(0, 0, 1), Span(1, 0, 1), "a", "b", 0.9, "retelling", evidence)

    pairs = [
        pair(("Dzerzhinsky", 0.9), ("Georgia", 0.5)),
        pair(("Djerzhinsky", 0.8), ("Ordzhonikidze", 0.7), ("Tiflis", 0.4)),
    ]
    assert _topic(pairs) == ("Dzerzhinsky", "Ordzhonikidze", "Georgia", "Tiflis")


def test_a_groups_topic_lists_a_phrase_not_its_words_again() -> None:
    """A word of a phrase the topic holds is not listed beside it; a phrase
    takes the place of its words listed before it."""
    from aligner.grouping import _topic
    from aligner.model import Evidence

    evidence = (
        Evidence("rare", "horizon", 0.9, (), ()),
        Evidence("rare", "narrow", 0.8, (), ()),
        Evidence("name", "Lenin", 0.7, (), ()),
        Evidence("phrase", "The narrow horizon of bourgeois …", 0.6, (), ()),
        Evidence("rare", "bourgeois", 0.5, (), ()),
        Evidence("rare", "right", 0.4, (), ()),
        Evidence("rare", "wages", 0.3, (), ()),
    )
    pair = Pair(Span(0, 0, 1), Span(1, 0, 1), "a", "b", 0.9, "retelling", evidence)
    assert _topic([pair]) == ("The narrow horizon of bourgeois …", "Lenin", "right", "wages")


def _death_and_levy(kind: aligner.Kind = "retelling") -> tuple[Group, ...]:
    """A one-sentence member of B (0-10) in one group, and B's passage of
    another (12-60) paired again over 0-50: the case of Lenin's death and the
    Lenin Levy told in one passage of an account."""
    docs = tuple(make_document("word " * 100, name=f"d{i}") for i in range(3))
    death = _pair(docs, 0, 1, (0, 40), (0, 10), 0.9, kind)
    levy = _pair(docs, 0, 1, (200, 240), (12, 60), 0.9)
    bc = _pair(docs, 1, 2, (0, 50), (0, 40), 0.85)
    ac = _pair(docs, 0, 2, (200, 240), (0, 30), 0.8)
    return build_groups(docs, [death, levy, bc, ac])


def test_a_passage_joins_the_group_it_shares_most_text_with() -> None:
    """B's passage (0-50) holds all of one group's one-sentence member (0-10)
    and most of another group's (12-60): it is the latter passage, and C,
    paired with both A and that passage, makes one group of three with them."""
    groups = _death_and_levy()
    assert sorted((g.docs, g.member(0).span.start) for g in groups) == [
        ((0, 1), 0),
        ((0, 1, 2), 200),
    ]


def test_a_growing_member_leaves_another_groups_sentence_out() -> None:
    """As above: B's passage of the larger group grows over 0-50 and 12-60,
    but 0-10 is the other group's member (one sentence, one parallel), so it
    starts after it, at the next word; a quotation inside stays inside."""
    spans = sorted((g.member(1).span for g in _death_and_levy()), key=lambda s: s.start)
    assert [(s.start, s.end) for s in spans] == [(0, 9), (10, 59)]  # blanks trimmed
    assert all(not x.overlaps(y) for x, y in itertools.combinations(spans, 2))
    spans = sorted((g.member(1).span for g in _death_and_levy("quotation")), key=lambda s: s.start)
    assert [(s.start, s.end) for s in spans] == [(0, 9), (0, 59)]


def _docs(n: int = 3) -> tuple[Document, ...]:
    return tuple(make_document("word " * 100, name=f"d{i}") for i in range(n))


def test_a_group_takes_the_passage_that_links_best_to_all_its_members() -> None:
    """B's early passage joins A and C's group through its pair with A
    alone; B's later passage, paired with both A and C, comes after (weaker
    pairs are taken later) and takes its place: a group holds, per account,
    the passage that agrees with all its other members (the shooting at
    Sarajevo, not the chapter's introduction of the assassin)."""
    docs = _docs()
    pairs = [
        _pair(docs, 0, 2, (0, 40), (0, 40), 0.9),
        _pair(docs, 0, 1, (0, 40), (100, 140), 0.8),
        _pair(docs, 1, 2, (300, 340), (0, 40), 0.75),
        _pair(docs, 0, 1, (0, 40), (300, 340), 0.7),
    ]
    (group,) = build_groups(docs, pairs)
    member = group.member(1)
    assert member is not None and (member.start, member.end) == (300, 339)  # blank trimmed
    assert all(100 not in (p.a.start, p.b.start) for p in group.pairs)
    # Near a tie (0.415 against 0.4 on average) the passage held stays.
    close = [
        *pairs[:2],
        _pair(docs, 1, 2, (300, 340), (0, 40), 0.45),
        _pair(docs, 0, 1, (0, 40), (300, 340), 0.38),
    ]
    (group,) = build_groups(docs, close)
    member = group.member(1)
    assert member is not None and member.start == 100


# ---------------------------------------------------------------- the reader's corrections


def test_a_reader_adds_the_passage_an_account_has(three: Synopsis) -> None:
    """``with_member`` gives a group the reader's passage of an account it
    lacks (or replaces that account's member): marked by hand, diffed against
    the base, no longer missing, in both exports; the rest stays as it was."""
    syn = three.with_base(0)
    g = next(g for g in syn.groups if g.member(0) is not None and g.missing)
    doc = g.missing[0]
    text = syn.documents[doc].text
    start = text.index("Lenin")
    end = text.index(".", start) + 1
    edited = syn.with_member(g, doc, start, end)
    _check(edited)
    (new,) = [h for h in edited.groups if h.member(doc) and h.member(doc).by_hand]  # type: ignore[union-attr]
    added = new.member(doc)
    assert added is not None and added.text == text[start:end] and added.by_hand
    assert doc not in new.missing and len(new.members) == len(g.members) + 1
    assert not any(m.by_hand for m in g.members)  # the group given is untouched
    ops = new.diffs[new.members.index(added)]
    assert ops and all(added.start <= op.b_start <= op.b_end <= added.end for op in ops)
    assert [h for h in edited.groups if h is not new] == [h for h in syn.groups if h is not g]
    # It survives a change of base, and both exports say whose it is.
    assert edited.with_base(doc).with_base(0).groups == edited.groups
    data = json.loads(edited.to_json())
    flags = [m["by_hand"] for gd in data["groups"] for m in gd["members"]]
    assert flags.count(True) == 1
    assert "by hand" in edited.to_markdown() and "by hand" not in syn.to_markdown()
    from aligner.render import render_synopsis_text

    assert render_synopsis_text(edited).count("(by hand)") == 1
    assert "by hand" not in render_synopsis_text(syn)
    # Replacing: the account's member is the new passage, still one per account.
    again = edited.with_member(new, doc, start, start + 5)
    (kept,) = [h for h in again.groups if h.member(doc) and h.member(doc).by_hand]  # type: ignore[union-attr]
    assert kept.member(doc) == replace_member(added, start, start + 5, text)
    _check(again)


def replace_member(m: aligner.Member, start: int, end: int, text: str) -> aligner.Member:
    return aligner.Member(m.doc, start, end, text[start:end], by_hand=True)


def test_a_reader_removes_a_passage_or_a_group(three: Synopsis) -> None:
    g = next(g for g in three.groups if len(g.members) == 2)
    doc = g.members[1].doc
    edited = three.without_member(g, doc)  # one member left: no group
    assert g not in edited.groups and len(edited.groups) == len(three.groups) - 1
    _check(edited)
    # The Rabkrin group, which all three accounts tell.
    big = next(g for g in three.groups if len(g.members) == 3)
    smaller = three.without_member(big, big.members[0].doc)
    _check(smaller)
    assert len(smaller.groups) == len(three.groups)
    (left,) = [h for h in smaller.groups if h not in three.groups]
    assert left.missing == (big.members[0].doc,) and len(left.members) == 2
    assert (left.kind, left.score, left.topic) == (big.kind, big.score, big.topic)
    assert all(big.members[0].doc not in (p.a.doc, p.b.doc) for p in left.pairs)


def test_corrections_refuse_what_cannot_be(three: Synopsis) -> None:
    g = three.groups[0]
    text = three.documents[0].text
    for start, end in ((5, 5), (10, 3), (-1, 4), (0, len(text) + 1)):
        with pytest.raises(AlignerError, match="characters"):
            three.with_member(g, 0, start, end)
    with pytest.raises(AlignerError, match="document"):
        three.with_member(g, 3, 0, 10)
    stranger = Group(g.members, g.kind, g.score + 0.5, g.missing, g.diffs)
    with pytest.raises(AlignerError, match="not a group of this synopsis"):
        three.with_member(stranger, 0, 0, 10)
    with pytest.raises(AlignerError, match="has no passage"):
        three.without_member(g, next(iter(g.missing), 99))
    blank = text.index("\n\n")
    with pytest.raises(AlignerError, match="blank"):
        three.with_member(g, 0, blank, blank + 2)


def test_a_reader_makes_a_group_the_engine_did_not(three: Synopsis) -> None:
    """``with_group`` adds a parallel of the reader's own: two or more passages
    of different accounts, all by hand, diffed against the base, in base order."""
    docs = three.documents
    spans = [
        Span(0, docs[0].text.index("Kronstadt"), docs[0].text.index("Kronstadt") + 30),
        Span(1, docs[1].text.index("Kronstadt"), docs[1].text.index("Kronstadt") + 40),
    ]
    edited = three.with_group(spans, kind="retelling", score=0.42)
    _check_group(edited.documents, (new := _by_hand(edited)), edited.base)
    assert [(m.doc, m.start, m.end) for m in new.members] == [
        (s.doc, s.start, s.end) for s in spans
    ]
    assert all(m.by_hand for m in new.members) and new.missing == (2,) and new.score == 0.42
    assert len(edited.groups) == len(three.groups) + 1
    assert new.diffs[1] and not new.diffs[0]  # the base's member is the reference
    for bad in ([spans[0]], [spans[0], Span(0, 5, 9)], [spans[0], Span(1, 0, 0)]):
        with pytest.raises(AlignerError):
            three.with_group(bad)


def _by_hand(syn: Synopsis) -> Group:
    (group,) = [g for g in syn.groups if all(m.by_hand for m in g.members)]
    return group
