"""The synopsis screen: pilot tests of its keys, and SVG snapshots.

The synopsis is built by hand from three short accounts (the two of
conftest.py and a third), so these tests are about the screen, not about
how the engine groups passages: six groups whose members are written out
here. Only the word diffs against the base come from the engine
(``Synopsis.with_base``), as they do in the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.table import Table
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from aligner.documents import make_document
from aligner.model import Comparison, Document, Group, Kind, Member, Options, Pair, Span
from aligner.synopsis import Synopsis
from aligner.tui.app import AlignerApp
from aligner.tui.screens.detail import DetailScreen
from aligner.tui.screens.lookup import LookupScreen
from aligner.tui.screens.synopsis import KEYS, PairScreen, SynopsisHelp, SynopsisScreen
from aligner.tui.view_state import Match
from aligner.tui.widgets.group_view import GroupView
from aligner.tui.widgets.side_by_side import SideBySide

TEXT_C = """\
The Defeat of the Opposition

a third account

Lenin's letter to the Congress said: "Comrade Stalin, having become General Secretary, has concentrated unlimited power in his hands, and I am not sure that he will always know how to use that power with sufficient caution."

On 7 November 1927 the Opposition joined the anniversary parade in Moscow with banners reading "Carry out Lenin's Testament!"; the police tore the banners down.

In January 1928 Trotsky was deported to Alma-Ata.

Socialism in one country became the doctrine of the party, and Bukharin its theorist.
"""  # noqa: E501

GROUPS: list[tuple[Kind, float, tuple[str, ...], list[tuple[str, str] | None]]] = [
    (
        "quotation",
        0.91,
        ("Stalin", "General Secretary"),
        [
            ("Comrade Stalin, having", "judgement."),
            ("Comrade Stalin, having", "judgment."),
            ("Comrade Stalin, having", "caution."),
        ],
    ),
    (
        "retelling",
        0.74,
        ("1924", "Congress"),
        [("The Testament was read", "not published."), ("When the Congress met", "decades."), None],
    ),
    (
        "retelling",
        0.68,
        ("7 November 1927", "banners"),
        [
            ("On 7 November 1927", "the marchers."),
            ("The Oppositionists joined", "their hands."),
            ("On 7 November 1927", "banners down."),
        ],
    ),
    (
        "retelling",
        0.55,
        ("Zinoviev", "Trotsky"),
        [("A week later", "from the party."), ("Within weeks", "out of the party."), None],
    ),
    (
        "version",
        0.62,
        ("1928", "Alma-Ata"),
        [
            ("In January 1928", "with his family."),
            ("In 1928 Trotsky", "close to China."),
            ("In January 1928", "Alma-Ata."),
        ],
    ),
    (
        "retelling",
        0.6,
        ("socialism in one country",),
        [
            None,
            ("The theory of socialism", "official doctrine."),
            ("Socialism in one", "theorist."),
        ],
    ),
]
"""Kind, score, topic and, per account, the first and last words of its member."""


def _member(doc: int, document: Document, words: tuple[str, str]) -> Member:
    start = document.text.index(words[0])
    end = document.text.index(words[1], start) + len(words[1])
    return Member(doc, start, end, document.text[start:end])


def build_synopsis(comparison: Comparison, pair_maker: Callable[..., Pair]) -> Synopsis:
    """Three accounts, six groups; the comparison of the first two is conftest's."""
    docs = (*comparison.documents, make_document(TEXT_C, name="defeat.txt", path="defeat.txt"))
    groups = []
    for kind, score, topic, spans in GROUPS:
        members = tuple(_member(d, docs[d], w) for d, w in enumerate(spans) if w is not None)
        missing = tuple(d for d, w in enumerate(spans) if w is None)
        diffs = tuple(() for _ in members)
        groups.append(Group(members, kind, score, missing, diffs, topic=topic))
    others = []
    for i, j in ((0, 2), (1, 2)):
        pairs = [
            pair_maker(docs[i], docs[j], spans[i], spans[j], score, kind)
            for kind, score, _, spans in GROUPS
            if spans[i] is not None and spans[j] is not None
        ]
        pairs.sort(key=lambda p: (p.a.start, p.b.start))
        others.append(Comparison((docs[i], docs[j]), tuple(pairs), Options(min_score=0.0)))
    syn = Synopsis(
        documents=docs,
        comparisons=(comparison, *others),
        groups=tuple(groups),
        options=Options(min_score=0.0),
    )
    return syn.with_base(0)  # the engine's word diffs against the base


@pytest.fixture
def syn(comparison: Comparison, pair_maker: Callable[..., Pair]) -> Synopsis:
    return build_synopsis(comparison, pair_maker)


SIZE = (120, 40)


def screen(app: AlignerApp) -> SynopsisScreen:
    main = app.screen_stack[0]
    assert isinstance(main, SynopsisScreen)
    return main


def status(app: AlignerApp) -> str:
    return str(screen(app).query_one("#status", Static).render())


def grid(app: AlignerApp) -> DataTable[Any]:
    return screen(app).query_one("#groups", DataTable)


def headers(app: AlignerApp) -> list[str]:
    return [str(c.label) for c in grid(app).ordered_columns]


def column_text(app: AlignerApp, column: int) -> list[str]:
    table = grid(app)
    return [
        Text.from_markup(str(table.get_cell_at((r, column)))).plain for r in range(table.row_count)
    ]


async def test_grid_has_one_column_per_account_and_gaps(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE):
        assert headers(app)[2:] == [
            "D1★ last-struggle.txt",
            "D2 revolution-to-bureaucracy.txt",
            "D3 defeat.txt",
        ]
        assert grid(app).row_count == 6
        # The base lacks the socialism group: it comes last, with a gap in D1.
        d1 = [str(c) for c in column_text(app, 2)]
        assert d1[-1] == "—" and d1[0].startswith("¶3 Comrade Stalin, having")
        d3 = [str(c) for c in column_text(app, 4)]
        assert d3.count("—") == 2
        assert "group 1/6" in status(app) and "base D1 last-struggle.txt" in status(app)


async def test_no_groups(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=replace(syn, groups=()))
    async with app.run_test(size=SIZE) as pilot:
        assert grid(app).row_count == 0 and "group 0/0" in status(app)
        members = str(screen(app).query_one("#members", Static).render())
        assert "found no parallels" in members
        await pilot.press("j", "s", "b")
        assert "base D2" in status(app)
        await pilot.press("v")
        assert isinstance(app.screen, PairScreen)


async def test_theme_change_repaints_the_marks(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        view = screen(app).query_one(GroupView)
        before = {s.style for s in view.texts[1].spans}
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        after = {s.style for s in view.texts[1].spans}
        assert after and after != before


async def test_b_cycles_the_base(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        first = screen(app).current
        await pilot.press("b")
        assert screen(app).synopsis is not None and screen(app).synopsis.base == 1
        assert "base D2 revolution-to-bureaucracy.txt" in status(app)
        assert headers(app)[2:4] == ["D1 last-struggle.txt", "D2★ revolution-to-bureaucracy.txt"]
        # Rows follow the new base's order; the selected group stays selected.
        assert first is not None and screen(app).current is not None
        assert screen(app).current.members == first.members
        await pilot.press("b", "b")
        assert screen(app).synopsis.base == 0 and "base D1" in status(app)


async def test_s_sorts_by_accounts_sharing(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        kinds = column_text(app, 1)
        await pilot.press("s")
        assert "by accounts sharing" in status(app)
        rows = screen(app).rows
        assert [len(g.members) for g in rows] == [3, 3, 3, 2, 2, 2]
        assert column_text(app, 1) != kinds
        await pilot.press("s")
        assert "by position in base" in status(app)
        assert [len(g.members) for g in screen(app).rows] == [3, 2, 3, 2, 3, 2]


async def test_selecting_a_group_shows_its_members(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        view = screen(app).query_one(GroupView)
        # First group, a quotation: the other accounts' changes from the base are marked.
        assert set(view.texts) == {0, 1, 2}
        b = view.texts[1]
        marked = {b.plain[s.start : s.end] for s in b.spans}
        assert "unlimited authority" in " ".join(marked)
        assert not view.texts[0].spans  # the base itself carries no marks
        await pilot.press("j")
        assert screen(app).current is screen(app).rows[1]
        assert set(view.texts) == {0, 1}  # D3 lacks the Congress group
        shown = str(view.query_one("#members", Static).render())
        assert "no parallel" in shown and "When the Congress met" in shown
        # A retelling marks the words shared with the base.
        b = view.texts[1]
        assert {b.plain[s.start : s.end] for s in b.spans} >= {"Congress", "delegates"}
        await pilot.press("n", "n", "p", "k")
        assert screen(app).current is screen(app).rows[1]
        # A click on a row selects that group.
        await pilot.click(grid(app), offset=(30, 4))  # the header, then rows 0-3
        await pilot.pause()
        assert screen(app).current is screen(app).rows[3]


async def test_v_opens_the_pair_view_of_chosen_account_and_base(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "right", "right")  # the cursor to D2's column, then D3's
        assert screen(app).account == 2
        await pilot.press("v")
        await pilot.pause()
        pair_screen = app.screen
        assert isinstance(pair_screen, PairScreen)
        assert pair_screen.comparison is not None
        names = [d.name for d in pair_screen.comparison.documents]
        assert names == ["last-struggle.txt", "defeat.txt"]
        # The pair of the selected group is selected there.
        await pilot.pause()
        view = pair_screen.query_one(SideBySide)
        assert view.pair is not None and view.pair.b_text.startswith("Comrade Stalin")
        await pilot.press("q")
        assert app.screen is screen(app) and app.is_running


async def _looked_up(pilot: Pilot[None], app: AlignerApp) -> LookupScreen:
    dialog = app.screen
    for _ in range(100):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if isinstance(dialog, LookupScreen) and dialog.found is not None:
            break
    assert isinstance(dialog, LookupScreen) and dialog.found is not None
    return dialog


async def test_w_looks_up_the_group_where_an_account_lacks_it(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "w")  # the Congress group, which D3 lacks
        dialog = await _looked_up(pilot, app)
        assert dialog.found is not None
        assert dialog.labels == ("D1", "D3")
        docs = [d.name for d in dialog.found.documents]
        assert docs == ["last-struggle.txt", "defeat.txt"]
        assert dialog.found.pairs[0].a_text.startswith("The Testament was read")
        await pilot.press("enter")
        await pilot.pause()
        pair_screen = app.screen
        assert isinstance(pair_screen, PairScreen) and pair_screen.mode == "document"
        await pilot.pause()
        assert pair_screen.state.listing == "stretches"
        assert pair_screen.state.current_match == Match(
            1, dialog.found.pairs[0].b.start, dialog.found.pairs[0].b.end
        )
        await pilot.press("q")
        assert app.screen is screen(app)


async def test_a_in_the_look_up_adds_the_stretch_to_the_group(syn: Synopsis) -> None:
    """``w`` then ``a``: the highlighted stretch becomes the group's passage in
    the account that lacked it, marked by hand in the grid, the group view,
    the status line and the export; ``z`` undoes it."""
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "w")  # the Congress group, which D3 lacks
        dialog = await _looked_up(pilot, app)
        await pilot.press("n", "a")  # the second stretch
        await pilot.pause()
        assert app.screen is screen(app)
        stretch = dialog.found.pairs[1].b  # type: ignore[union-attr]
        group = screen(app).current
        assert group is not None and group.missing == ()
        added = group.member(2)
        assert added is not None and added.by_hand
        assert (added.start, added.end) == (stretch.start, stretch.end)
        assert group.topic == ("1924", "Congress") and len(grid(app).rows) == 6
        row = screen(app).rows.index(group)
        assert column_text(app, 4)[row].startswith("✎ ¶")
        assert "1 by hand" in status(app)
        members = str(screen(app).query_one("#members", Static).render())
        assert "added by hand" in members
        await pilot.press("z")
        assert "by hand" not in status(app)
        assert screen(app).synopsis == syn
        assert screen(app).history == []


async def test_x_removes_the_chosen_accounts_passage_and_z_brings_it_back(
    syn: Synopsis,
) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")  # the cursor is in D1's column: D1 leaves the Stalin quotation
        first = screen(app).current
        assert first is not None and first.missing == (0,) and len(first.members) == 2
        assert grid(app).row_count == 6 and "1 by hand" in status(app)
        await pilot.press("x")  # D1 has no passage there now: nothing happens
        assert screen(app).current == first and "1 by hand" in status(app)
        await pilot.press("right", "x")  # D2 leaves too: one passage is no group
        assert grid(app).row_count == 5 and "2 by hand" in status(app)
        assert screen(app).synopsis is not None
        assert first not in screen(app).synopsis.groups  # type: ignore[union-attr]
        await pilot.press("z", "z")
        assert screen(app).synopsis == syn and grid(app).row_count == 6
        await pilot.press("z")  # nothing left to undo
        assert screen(app).synopsis == syn


async def test_keys_faster_than_the_grid_act_on_the_group_under_the_cursor(
    syn: Synopsis,
) -> None:
    """Typed fast ("jjw" in one go), a key arrives before the grid's highlight
    event: it still acts on the group and account under the cursor, not on
    the one the screen last heard of."""
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        main = screen(app)
        main.action_step(1)  # no await: the grid's events wait in its queue
        main.action_where()  # the Congress group, which D3 lacks
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)
        congress = main.rows[1].member(0)
        assert congress is not None
        assert app.screen.passage == (congress.start, congress.end)
        assert app.screen.labels == ("D1", "D3")
        await pilot.press("escape")
        quotation, congress = main.rows[0], main.rows[1]
        main.action_step(-1)
        main.action_remove_member()  # D1 leaves the Stalin quotation, not the Congress group
        await pilot.pause()
        assert main.synopsis is not None
        assert congress in main.synopsis.groups and quotation not in main.synopsis.groups
        assert any(g.members == quotation.members[1:] for g in main.synopsis.groups)


async def test_a_in_the_pair_view_of_a_synopsis_adds_to_the_synopsis(
    syn: Synopsis, read_at: Callable[..., Awaitable[None]]
) -> None:
    """From the pair view of two accounts, ``a`` in a look-up hands the pair
    (the passage read, the stretch found) to the synopsis."""
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        main = screen(app)
        await pilot.press("right", "right", "v")  # D3 against the base, D1
        await pilot.pause()
        pair_screen = app.screen
        assert isinstance(pair_screen, PairScreen)
        monolithic = syn.documents[0].text.index("Stalin wrote that the party")
        await read_at(pilot, pair_screen, 0, monolithic)
        await pilot.press("w")
        dialog = await _looked_up(pilot, app)
        assert dialog.found is not None
        assert "adds it to the synopsis" in str(dialog.query_one("#lookup-hint", Static).render())
        await pilot.press("a")
        await pilot.pause()
        stretch = dialog.found.pairs[0].b
        assert main.synopsis is not None and "1 by hand" in status(app)
        group = next(g for g in main.synopsis.groups if any(m.by_hand for m in g.members))
        d1, d3 = group.member(0), group.member(2)
        assert d1 is not None and d1.start <= monolithic < d1.end
        assert d3 is not None and (d3.start, d3.end) == (stretch.start, stretch.end)
        await pilot.press("q")
        assert app.screen is main and main.current == group


def _pair(syn: Synopsis, a: tuple[int, str], b: tuple[int, str]) -> Pair:
    """The paragraphs of accounts a[0] and b[0] that start with a[1] and b[1],
    as the pair view of those two accounts has them (A then B)."""
    spans = []
    for side, (doc, words) in enumerate((a, b)):
        text = syn.documents[doc].text
        start = text.index(words)
        spans.append(Span(side, start, text.index("\n", start)))
    texts = [
        syn.documents[d].text[s.start : s.end] for (d, _), s in zip((a, b), spans, strict=True)
    ]
    return Pair(spans[0], spans[1], texts[0], texts[1], 0.3, "retelling")


async def test_a_pair_found_completes_a_group_or_makes_one(syn: Synopsis) -> None:
    """A pair whose passage lies in a group lacking the other account
    completes it; one whose passage lies in a group that has another passage
    there makes a group of its own (shown whatever the floor), never
    replacing that passage."""
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        main = screen(app)
        main.min_score = 0.5
        main.add_pair(0, 2, _pair(syn, (0, "Stalin wrote"), (2, "Socialism in one")))
        await pilot.pause()
        assert main.synopsis is not None
        socialism = next(
            g for g in main.synopsis.groups if g.topic == ("socialism in one country",)
        )
        assert socialism.docs == (0, 1, 2) and socialism.member(0).by_hand  # type: ignore[union-attr]
        assert len(main.synopsis.groups) == len(syn.groups)
        main.add_pair(0, 2, _pair(syn, (0, "Stalin wrote"), (2, "In January 1928")))
        await pilot.pause()
        assert len(main.synopsis.groups) == len(syn.groups) + 1
        new = next(g for g in main.synopsis.groups if all(m.by_hand for m in g.members))
        assert new.docs == (0, 2) and new.score == 0.3 and new in main.rows
        alma_ata = next(g for g in main.synopsis.groups if g.topic == ("1928", "Alma-Ata"))
        assert not any(m.by_hand for m in alma_ata.members)
        assert main.current == new and "2 by hand" in status(app)
        congress = main.synopsis.groups[1]
        main.add_pair(0, 1, _pair(syn, (0, "The Testament was read"), (1, "When the Congress")))
        await pilot.pause()
        assert main.synopsis.groups[1] is congress and "2 by hand" in status(app)
        assert main.current is congress


async def test_quit_asks_once_before_losing_the_synopsis_corrections(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "q")
        await pilot.pause()
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_the_pair_view_of_a_synopsis_takes_no_corrections(syn: Synopsis) -> None:
    """Its pairs are the synopsis's: x, z and the palette leave them as they
    are, and x and z say where a passage is taken out and put back instead."""
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        pair_screen = app.screen
        assert isinstance(pair_screen, PairScreen) and pair_screen.comparison is not None
        before = pair_screen.comparison
        await pilot.press("x", "z")
        pair_screen.action_remove_pair()
        assert pair_screen.comparison is before and pair_screen.history == []
        said = [str(n.message) for n in app._notifications]
        assert any("x in the synopsis" in m for m in said)
        assert any("z in the synopsis" in m for m in said)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Next pair" in titles and "Remove pair" not in titles


async def test_v_on_the_base_column_compares_with_the_next_account(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "j", "v")  # base D2; the cursor is in D1's column
        await pilot.pause()
        assert isinstance(app.screen, PairScreen) and app.screen.comparison is not None
        names = [d.name for d in app.screen.comparison.documents]
        assert names == ["revolution-to-bureaucracy.txt", "last-struggle.txt"]


async def test_help_lists_the_synopsis_keys(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, SynopsisHelp)
        tables = [w.content for w in app.screen.query(Static) if isinstance(w.content, Table)]
        assert len(tables) == 1
        keys, actions = (list(column.cells) for column in tables[0].columns)
        assert keys == [k for k, _ in KEYS] and actions == [a for _, a in KEYS]
        assert any(key.startswith("b") for key in keys) and "v" in keys and "s" in keys
        await pilot.press("q")
        assert app.screen is screen(app)
        await pilot.press("q")
    assert not app.is_running


async def export_as(app: AlignerApp, pilot: Pilot[None], name: str) -> None:
    """Press ``e``, type ``name`` in the export dialog and press Enter."""
    from textual.widgets import Input

    from aligner.tui.screens.export import ExportScreen

    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, ExportScreen)
    app.screen.query_one(Input).value = name
    await pilot.press("enter")
    await pilot.pause()


async def test_export_writes_the_synopsis_and_protects_files(
    syn: Synopsis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.tui.screens.export import ExportScreen

    monkeypatch.chdir(tmp_path)
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await export_as(app, pilot, "out.md")
        written = (tmp_path / "out.md").read_text(encoding="utf-8")
        assert written == syn.to_markdown()
        (tmp_path / "out.md").write_text("mine", encoding="utf-8")
        await export_as(app, pilot, "out.md")  # exists: asks first
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert (tmp_path / "out.md").read_text(encoding="utf-8") == "mine"


async def test_score_and_account_filters_narrow_the_groups(
    syn: Synopsis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        view = screen(app)
        floor = syn.options.min_score
        assert view.rows == syn.groups and f"score ≥ {floor:.2f}" in status(app)
        await pilot.press("a")  # shared by three accounts or more
        shared = tuple(g for g in syn.groups if len(g.members) >= 3)
        assert 0 < len(shared) < len(syn.groups)
        assert view.rows == shared and grid(app).row_count == len(shared)
        assert "in ≥ 3 accounts" in status(app)[:80]
        await export_as(app, pilot, "shown.md")  # exports what is shown
        written = (tmp_path / "shown.md").read_text(encoding="utf-8")
        assert written == replace(syn, groups=shared).to_markdown()
        await pilot.press("a")  # three documents: back to every group
        assert view.rows == syn.groups and "in ≥ 3 accounts" not in status(app)
        scores = sorted({g.score for g in syn.groups})
        steps = 0
        while view.min_score is not None and view.min_score < scores[1]:
            await pilot.press("plus")
            steps += 1
        kept = tuple(g for g in syn.groups if g.score >= view.min_score - 1e-9)
        assert view.rows == kept and len(kept) < len(syn.groups)
        assert f"score ≥ {view.min_score:.2f}" in status(app)
        await pilot.press(*["minus"] * steps)
        assert view.rows == syn.groups and view.min_score == floor
        await pilot.press("minus")  # below the floor nothing was kept: it says so
        await pilot.pause()
        assert view.min_score == floor
        assert any("--min-score" in str(n.message) for n in app._notifications)


async def test_notes_of_the_pairwise_comparisons_are_shown_once(syn: Synopsis) -> None:
    note = "documents too large to compare sentence by sentence: shared quotations only"
    noted = (replace(syn.comparisons[0], notes=(note,)), *syn.comparisons[1:])
    app = AlignerApp(synopsis=replace(syn, comparisons=noted))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")  # a new base shows the synopsis again: no second note
        await pilot.pause()
        assert [n.message for n in app._notifications] == [f"D1–D2: {note}"]


async def test_palette_lists_the_synopsis_actions(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Filter by accounts" in titles and "Next base account" in titles
        assert "Remove passage" in titles and "Undo" in titles
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Next base account"
        )
        await command.callback()
        assert "base D2" in status(app)


async def test_search_finds_groups_in_any_account(syn: Synopsis) -> None:
    from textual.widgets import Input

    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = screen(app)
        rows = view.rows
        # A word of the last group's last member, lower-cased: found case aside.
        target = rows[-1]
        word = max(target.members[-1].text.split(), key=len).strip(".,;:“”\"'").lower()
        holding = [g for g in rows if any(word in m.text.lower() for m in g.members)]
        await pilot.press("slash")
        await pilot.pause()
        search = view.query_one("#search", Input)
        assert search.has_class("-visible") and search.has_focus
        search.value = word
        await pilot.press("enter")
        await pilot.pause()
        assert not search.has_class("-visible")
        assert list(view.found) == holding and view.current is holding[0]
        status = str(view.query_one("#status", Static).render())
        # Within the screen's width: the line is cut at its edge.
        assert f"in {len(holding)} group(s)" in status[: SIZE[0]]
        for expected in holding[1:] + holding[:1]:  # ] cycles through them, wrapping
            await pilot.press("right_square_bracket")
            await pilot.pause()
            assert view.current is expected
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view.current is holding[-1]
        await pilot.press("s")  # new order: the same groups are still found
        await pilot.pause()
        assert {id(g) for g in view.found} == {id(g) for g in holding}


async def test_copy_puts_the_group_passages_on_the_clipboard(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        group = screen(app).current
        assert group is not None
        await pilot.press("c")
        await pilot.pause()
        copied = app.clipboard
        for m in group.members:
            assert m.text in copied and syn.documents[m.doc].name in copied


async def test_worker_builds_a_synopsis_for_three_paths(
    tmp_path: Path, syn: Synopsis, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = []
    for doc in syn.documents:
        paths.append(tmp_path / doc.name)
        paths[-1].write_text(doc.text, encoding="utf-8")
    seen: list[int] = []

    def fake(docs: list[Path], *, options: Options | None = None, progress: Any = None) -> Synopsis:
        seen.append(len(docs))
        progress(0.5)
        return syn

    monkeypatch.setattr("aligner.tui.app.synopsis", fake)
    app = AlignerApp(paths=paths)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert seen == [3] and app.synopsis is syn
        assert app.sub_title == "last-struggle.txt, revolution-to-bureaucracy.txt and defeat.txt"
        assert grid(app).row_count == 6


async def test_worker_runs_the_engine_on_three_files(tmp_path: Path, syn: Synopsis) -> None:
    paths = []
    for doc in syn.documents:
        paths.append(tmp_path / doc.name)
        paths[-1].write_text(doc.text, encoding="utf-8")
    app = AlignerApp(paths=paths)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.synopsis is not None and app.error is None
        assert [d.name for d in app.synopsis.documents] == [p.name for p in paths]
        assert grid(app).row_count == len(app.synopsis.groups)
        assert len(headers(app)) == 2 + 3 and "base D1" in status(app)


async def test_unreadable_file_is_reported(tmp_path: Path, syn: Synopsis) -> None:
    paths = [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "missing.txt"]
    for path, doc in zip(paths[:2], syn.documents, strict=False):
        path.write_text(doc.text, encoding="utf-8")
    app = AlignerApp(paths=paths)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.synopsis is None and app.error is not None and "missing.txt" in app.error
        message = str(screen(app).query_one("#loading-message", Static).render())
        assert "Could not align" in message and "missing.txt" in message


async def test_file_names_with_escapes_are_shown_inert(tmp_path: Path, syn: Synopsis) -> None:
    paths = [tmp_path / f"{n}\x1b]0;PWNED\x07.txt" for n in "abc"]  # none of them exists
    app = AlignerApp(paths=paths)
    async with app.run_test(size=SIZE) as pilot:
        painted = app.export_screenshot()  # "Aligning …" names the files
        assert "PWNED" in painted and "\x1b" not in painted and "\x07" not in painted
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.error is not None and "\x1b" in app.error  # the engine's own words
        painted = app.export_screenshot()
        assert "Could" in painted and "PWNED" in painted  # (spaces are &#160; in SVG)
        assert "\x1b" not in painted and "\x07" not in painted


async def test_columns_follow_the_terminal_width(syn: Synopsis) -> None:
    app = AlignerApp(synopsis=syn)
    async with app.run_test(size=(80, 24)) as pilot:
        narrow = grid(app).ordered_columns[2].width
        # At 80 columns two accounts fit beside the fixed columns.
        assert 14 + 2 * (narrow + 2) <= 80
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        wide = grid(app).ordered_columns[2].width
        assert wide > narrow and 14 + 3 * (wide + 2) <= 200


EVIL = "\x1b[2J\x1b]0;PWNED\x07"
"""Clears the screen and sets the window title, if it reaches a terminal raw."""


async def test_control_characters_never_reach_the_terminal(
    comparison: Comparison, pair_maker: Callable[..., Pair]
) -> None:
    a, b = comparison.documents
    text = a.text.replace("having become", f"having {EVIL}become")
    evil = make_document(text, name="a\x1b[1m.txt")  # file names can hold escapes too
    spans = GROUPS[0][3]
    testament = pair_maker(evil, b, spans[0], spans[1], 0.9, "quotation")
    hostile = Comparison((evil, b), (testament,), comparison.options)
    app = AlignerApp(synopsis=build_synopsis(hostile, pair_maker))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        assert "\x1b" not in screen(app).query_one(GroupView).texts[0].plain
        for step in ("", "v", "d", "i"):  # synopsis, pair view, reading mode, details
            if step:
                await pilot.press(step)
                await pilot.pause()
            painted = app.export_screenshot()  # every character the screen shows
            assert "PWNED" in painted, step
            assert "\x1b" not in painted and "\x07" not in painted, step
            assert "␛[1m.txt" in painted, step
        pair_view = app.screen_stack[-2]
        assert isinstance(app.screen, DetailScreen) and isinstance(pair_view, PairScreen)
        assert pair_view.mode == "document"


def test_docs_list_every_synopsis_key() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "tui.md").read_text(encoding="utf-8")
    for key, _ in KEYS:
        for part in key.replace("click", "").split(" / "):
            for single in part.split():
                assert f"`{single}`" in docs, single


# ---------------------------------------------------------------- snapshots

SnapCompare = Callable[..., bool]
Keys = Callable[..., Any]
SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((200, 50), id="200x50")]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_quotation(
    snap_compare: SnapCompare, keys: Keys, syn: Synopsis, size: tuple[int, int]
) -> None:
    assert snap_compare(AlignerApp(synopsis=syn), terminal_size=size, run_before=keys("right"))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_retelling_base_d2_by_accounts(
    snap_compare: SnapCompare, keys: Keys, syn: Synopsis, size: tuple[int, int]
) -> None:
    app = AlignerApp(synopsis=syn)
    assert snap_compare(app, terminal_size=size, run_before=keys("b", "s", "j"))


def test_snapshot_group_completed_by_hand(
    snap_compare: SnapCompare, keys: Keys, syn: Synopsis
) -> None:
    """The Congress group with a passage of D3 added by hand (✎ in the grid
    and the members), as ``w`` then ``a`` leaves it; which passage matters
    not here (this one is the quotation group's too)."""
    text = syn.documents[2].text
    start = text.index("Lenin's letter")
    edited = syn.with_member(syn.groups[1], 2, start, text.index("\n", start))
    app = AlignerApp(synopsis=edited)
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("j", "right", "right"))
