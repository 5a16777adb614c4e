"""Pilot tests of the app: every key binding and the main flows."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, Input, OptionList, Static

import aligner
from aligner.cli import _segmentations
from aligner.model import Comparison, Document, Options
from aligner.tui.app import AlignerApp
from aligner.tui.screens.compare import CompareScreen
from aligner.tui.screens.detail import DetailScreen
from aligner.tui.screens.export import ExportScreen
from aligner.tui.screens.help import KEYS, HelpScreen
from aligner.tui.screens.lookup import LookupScreen
from aligner.tui.view_state import Match, span_of
from aligner.tui.widgets.coverage import CoverageStrip
from aligner.tui.widgets.document_view import DocumentView
from aligner.tui.widgets.pair_list import PairList
from aligner.tui.widgets.side_by_side import SideBySide

SIZE = (120, 40)
ReadAt = Callable[..., Awaitable[None]]
"""The ``read_at`` fixture (conftest.py)."""


def main(app: AlignerApp) -> CompareScreen:
    return app.compare_screen


def status(app: AlignerApp) -> str:
    return str(main(app).query_one("#status", Static).render())


def passage(app: AlignerApp, side: str) -> str:
    view = main(app).query_one(SideBySide)
    if view.pair is None:
        return str(view.query_one("#passages", Static).render())
    return view.texts[0 if side == "a" else 1].plain


async def test_opens_on_first_pair(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main(app)
        table = screen.query_one(PairList)
        assert table.row_count == len(comparison.pairs) == 7
        assert screen.current is comparison.pairs[0]
        assert "pair 1/7" in status(app)
        assert "General Secretary" in passage(app, "a")
        assert "Secretary-General" in passage(app, "b")
        names = str(screen.query_one("#name-0", Static).render())
        assert "last-struggle.txt" in names


async def test_n_p_j_k_move_through_pairs(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("n")
        assert screen.current is comparison.pairs[1]
        await pilot.press("j", "j")
        assert screen.current is comparison.pairs[3]
        await pilot.press("p")
        assert screen.current is comparison.pairs[2]
        await pilot.press("k", "k", "k")  # stops at the first pair
        assert screen.current is comparison.pairs[0]
        for _ in range(10):
            await pilot.press("n")
        assert screen.current is comparison.pairs[-1]
        assert "pair 7/7" in status(app)
        assert comparison.pairs[-1].b_text in passage(app, "b")


async def test_click_on_pair_selects_it(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        # Row 0 of the table is its header; the third pair is on row 3.
        await pilot.click(PairList, offset=(20, 3))
        await pilot.pause()
        assert main(app).current is comparison.pairs[2]


async def test_brackets_in_the_texts_are_shown_as_written() -> None:
    """Editors' brackets ("[is]", "[sic]", even "[/b]") are text, not markup:
    the pair list, the evidence and a search that finds nothing show them as
    written, and nothing fails to render."""
    quoted = (
        "[is] it lawful to do good [/b] on the sabbath days, or to do evil? "
        "to save life, or to kill? But they held their peace."
    )
    c = aligner.compare(
        f"{quoted}\n\nThen he went away into the mountains.",
        f"And he said unto them: {quoted}\n\nThe sea was calm that night.",
    )
    assert c.pairs and c.pairs[0].a_text.startswith("[is]")
    app = AlignerApp(comparison=c)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = main(app).query_one(PairList)
        assert str(table.get_cell_at(Coordinate(0, 5))).startswith("[is] it lawful to do good [/b]")
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("slash", *"[/x]", "enter")
        await pilot.pause()
        assert any("[/x]" in str(n.message) for n in app._notifications)


async def test_retelling_highlights_evidence_not_diff(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        pair = main(app).current
        assert pair is not None and pair.kind == "retelling"
        text = main(app).query_one(SideBySide).texts[1]
        styled = {str(text)[s.start : s.end] for s in getattr(text, "spans", [])}
        assert {"1924", "Congress", "delegates"} <= {t.strip() for t in styled} | styled
        assert "shared:" in str(main(app).query_one("#legend", Static).render())


async def test_quotation_marks_diff_and_spelling(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = main(app).query_one(SideBySide).texts[0]
        plain = str(text)
        marked = {plain[s.start : s.end] for s in getattr(text, "spans", [])}
        assert "enormous power" in marked  # replaced words
        assert "e" in marked  # the extra letter of "judgement" vs "judgment"
        assert "removed" in str(main(app).query_one("#legend", Static).render())


async def test_pair_list_shows_how_much_quotations_changed(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = main(app).query_one(PairList)
        column = [str(table.get_cell_at(Coordinate(row, 2))) for row in range(len(table.pairs))]
        for pair, shown in zip(table.pairs, column, strict=True):
            assert shown == ("" if pair.kind == "retelling" else f"{pair.changed:.0%}")
        assert any(shown not in ("", "0%") for shown in column)


async def test_a_passage_across_paragraphs_is_located_by_all_of_them() -> None:
    """A version that sets a sentence a paragraph pairs each paragraph of the
    other with a run of its own: the pair list shows "¶4–6" whole, widening
    its column, and the pair's heading says the same."""
    paragraphs = [
        f"The {word} congress met in the spring. Its delegates came from the provinces. "
        f"They heard the {word} report on the harvest."
        for word in ("first", "second", "third", "fourth")
    ]
    c = aligner.compare(
        "\n\n".join(paragraphs), "\n\n".join(p.replace(". ", ".\n\n") for p in paragraphs)
    )
    assert c.ordered
    app = AlignerApp(comparison=c)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = main(app).query_one(PairList)
        column = [str(table.get_cell_at(Coordinate(row, 4))) for row in range(len(table.pairs))]
        assert column[:2] == ["¶1–3", "¶4–6"]
        await pilot.press("n")
        await pilot.pause()
        assert "¶4–6&#160;·&#160;" in app.export_screenshot()  # the heading of the B side


async def test_u_goes_through_what_an_abridged_version_lacks() -> None:
    full = "\n\n".join(
        f"Paragraph {n} tells of the {word} congress and of the delegates who spoke there."
        for n, word in enumerate(("first", "second", "third", "fourth", "fifth", "sixth"), 1)
    )
    cut = full.split("\n\n")
    abridged = "\n\n".join(cut[:2] + cut[3:])
    comparison = aligner.compare(abridged, full, options=Options(ordered=True, min_score=0.0))
    assert [comparison.text(s) for s in comparison.unaligned(1)] == [cut[2]]
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        screen = main(app)
        assert screen.mode == "document" and "unpaired 1/1 in B" in status(app)
        assert screen.state.current_match == Match(
            1, full.index(cut[2]), full.index(cut[2]) + len(cut[2])
        )
        await pilot.press("escape")
        assert "unpaired" not in status(app)


async def _look_up(app: AlignerApp, pilot: Pilot[None]) -> LookupScreen:
    await pilot.press("w")
    for _ in range(100):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if isinstance(app.screen, LookupScreen) and app.screen.found is not None:
            await pilot.pause()
            return app.screen
    raise AssertionError("the look-up never showed")


async def test_w_looks_up_where_the_other_tells_the_paragraph_read(
    comparison: Comparison, read_at: ReadAt
) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        march = comparison.documents[0].text.index("On 7 November 1927")
        await read_at(pilot, screen, 0, march)
        view_a = screen.query_one("#doc-0", DocumentView)
        found = await _look_up(app, pilot)
        assert found.labels == ("A", "B")
        b = comparison.documents[1].text
        first = found.found.pairs[0]
        assert first.b_text.startswith("The Oppositionists joined the anniversary demonstration")
        assert first.a.start == march
        listed = found.query_one(OptionList)
        assert listed.option_count == len(found.found.pairs) > 1
        assert found.query_one(SideBySide).pair is first
        await pilot.press("n")
        assert found.query_one(SideBySide).pair is found.found.pairs[1]
        await pilot.press("p", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.mode == "document"
        assert f"stretch 1/{len(found.found.pairs)} in B" in status(app)
        view_b = screen.query_one("#doc-1", DocumentView)
        start = b.index("The Oppositionists joined")
        assert view_b.line_of(start) - round(view_b.scroll_y) == view_b.reading_row
        assert view_a.line_of(march) - round(view_a.scroll_y) == view_a.reading_row
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert f"stretch 2/{len(found.found.pairs)} in B" in status(app)
        # Escape closes the dialog without moving.
        await _look_up(app, pilot)
        await pilot.press("escape")
        assert app.screen is screen


async def test_w_in_the_pair_view_looks_up_the_selected_passage(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        found = await _look_up(app, pilot)
        pair = main(app).current
        assert pair is comparison.pairs[1]
        assert found.found.pairs[0].a_text == pair.a_text.strip()
        await pilot.press("w")  # closes it again
        assert isinstance(app.screen, CompareScreen) and main(app).mode == "pairs"


async def test_a_in_the_look_up_adds_the_stretch_as_a_pair_and_z_undoes(
    comparison: Comparison, read_at: ReadAt
) -> None:
    """``w`` then ``a``: the highlighted stretch and the passage looked up
    become a pair by hand, selected, listed whatever the score floor (its
    score is a similarity), marked in the list and the status line; ``z``
    undoes it. From B in reading mode the pair still reads A then B."""
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("n")
        found = await _look_up(app, pilot)
        await pilot.press("n", "a")
        await pilot.pause()
        assert app.screen is screen and screen.comparison is not None
        stretch = found.found.pairs[1]
        added = screen.current
        assert added is not None and added.by_hand and added in screen.shown
        assert (added.a, added.b) == (stretch.a, stretch.b)
        assert len(screen.comparison.pairs) == len(comparison.pairs) + 1
        row = screen.shown.index(added)
        assert str(screen.query_one(PairList).get_row_at(row)[0]).startswith("✎")
        assert "1 by hand" in status(app)
        await pilot.press("z")
        assert screen.comparison == comparison and "by hand" not in status(app)
        # Reading mode, B focused: the stretch found is in A.
        march = comparison.documents[1].text.index("The Oppositionists joined")
        await read_at(pilot, screen, 1, march)
        found = await _look_up(app, pilot)
        assert found.labels == ("B", "A")
        await pilot.press("a")
        await pilot.pause()
        added = next(p for p in screen.comparison.pairs if p.by_hand)
        a_text, b_text = (d.text for d in comparison.documents)
        assert (added.a.doc, added.b.doc) == (0, 1) and added.b.start == march
        assert a_text[added.a.start : added.a.end] == added.a_text
        assert b_text[added.b.start : added.b.end] == added.b_text


async def test_a_stretch_that_is_not_of_these_documents_is_not_added(
    comparison: Comparison,
) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        stranger = replace(comparison.pairs[0], a_text="not what A holds there")
        screen._add(stranger)
        await pilot.pause()
        assert screen.comparison == comparison and screen.history == []
        assert any("Not added" in str(n.message) for n in app._notifications)


async def test_x_removes_the_selected_pair_and_z_brings_it_back(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        first, second = screen.shown[0], screen.shown[1]
        await pilot.press("x")
        assert screen.comparison is not None and first not in screen.comparison.pairs
        assert screen.current is second and "1 by hand" in status(app)
        await pilot.press("z")
        assert screen.comparison == comparison and screen.current is second
        await pilot.press("z")  # nothing left to undo
        assert screen.comparison == comparison


async def test_quit_asks_once_before_losing_corrections(
    comparison: Comparison, tmp_path: Path
) -> None:
    """With corrections not exported, the first q says so and the second
    quits; an export makes them safe, and q quits at once."""
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "q")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert any("not exported" in str(n.message) for n in app._notifications)
        await _export(pilot, app, tmp_path / "kept.json")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "q", "q")
        await pilot.pause()
    assert app.return_code == 0


async def test_app_opens_in_the_order_asked_for(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison, sort="changed")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert main(app).query_one(PairList).pairs == comparison.sorted("changed").pairs
        assert "most changed" in status(app)


async def test_sort_cycles_b_then_score_then_most_changed(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        table = main(app).query_one(PairList)
        await pilot.press("s")
        assert [p.b.start for p in table.pairs] == sorted(p.b.start for p in comparison.pairs)
        assert "position in B" in status(app)
        await pilot.press("s")
        assert [p.score for p in table.pairs] == sorted((p.score for p in comparison), reverse=True)
        assert main(app).current is table.pairs[table.cursor_row]
        await pilot.press("s")
        assert "most changed" in status(app)
        worded = [p for p in table.pairs if p.kind != "retelling"]
        assert table.pairs[: len(worded)] == tuple(worded)  # retellings last
        assert [p.changed for p in worded] == sorted((p.changed for p in worded), reverse=True)
        assert worded[0].changed > worded[-1].changed
        await pilot.press("s")
        assert table.pairs == comparison.pairs


async def test_min_score_and_kind_filters(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press(*["plus"] * 12)  # 0.60
        assert screen.state.min_score == 0.6
        assert {p.score for p in screen.shown} == {0.91, 0.74, 0.68, 0.97, 0.62}
        assert "score ≥ 0.60" in status(app)
        await pilot.press("minus", "minus")
        assert {p.score for p in screen.shown} >= {0.55}
        await pilot.press("t")
        assert screen.state.kind == "quotation"
        assert {p.kind for p in screen.shown} == {"quotation"} and len(screen.shown) == 2
        await pilot.press("t")
        assert {p.kind for p in screen.shown} == {"retelling"}
        await pilot.press("t", "t")  # version (none), then all again
        assert screen.state.kind is None
        await pilot.press(*["plus"] * 10)  # 0.50 -> 1.00
        assert screen.shown == () and screen.current is None
        assert "No pair passes the filters" in passage(app, "a")


async def test_reading_mode_and_following(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main(app)
        await pilot.press("d")
        await pilot.pause()
        assert screen.query_one("#body", ContentSwitcher).current == "document-view"
        assert not screen.query_one(PairList).display
        view_a = screen.query_one("#doc-0", DocumentView)
        view_b = screen.query_one("#doc-1", DocumentView)
        assert view_a.selected == (comparison.pairs[0].a.start, comparison.pairs[0].a.end)
        last = comparison.pairs[-1]
        await pilot.press(*["n"] * 6)
        await pilot.pause()
        assert screen.current is last
        # Both passages of the selected pair start on the same row.
        row_a = view_a.line_of(last.a.start) - round(view_a.scroll_y)
        row_b = view_b.line_of(last.b.start) - round(view_b.scroll_y)
        assert row_a == row_b == view_a.reading_row
        # Scrolling A to the demonstration brings B to its parallel passage.
        demo = comparison.pairs[2]
        view_a.scroll_to(y=view_a.line_of(demo.a.start) - view_a.reading_row, animate=False)
        await pilot.pause()
        assert screen.current is demo
        row_b = view_b.line_of(demo.b.start) - round(view_b.scroll_y)
        assert row_b == view_b.reading_row
        # Clicking an aligned passage selects its pair.
        quote = comparison.pairs[0]
        view_a.scroll_to_offset(quote.a.start)
        await pilot.pause()
        line = view_a.line_of(quote.a.start)
        column = 2 + quote.a.start - view_a.lines[line][0] + 1  # past the gutter
        await pilot.click(view_a, offset=(column, line - round(view_a.scroll_y)))
        await pilot.pause()
        assert screen.current is quote
        await pilot.press("n")  # moves the selection while the pair view is hidden
        await pilot.pause()
        moved = screen.current
        assert moved is not quote and moved is not None
        await pilot.press("d")
        await pilot.pause()
        assert screen.query_one("#body", ContentSwitcher).current == "pair-view"
        # The pair view shows the pair selected in reading mode.
        assert screen.query_one(SideBySide).pair is moved
        assert moved.a_text.split()[0] in passage(app, "a")


async def test_coverage_strip_click_jumps(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        strip = main(app).query_one("#strip-1", CoverageStrip)
        last = max(comparison.pairs, key=lambda p: p.b.start)
        await pilot.click(strip, offset=(strip.size.width - 1, 0))
        await pilot.pause()
        assert main(app).current is last


async def test_details_screen(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "i")
        assert isinstance(app.screen, DetailScreen)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "retelling" in shown and "0.74" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("q")
        assert isinstance(app.screen, CompareScreen)


async def test_keys_faster_than_the_list_act_on_the_pair_under_the_cursor(
    comparison: Comparison,
) -> None:
    """Typed fast ("nni" in one go), a key arrives before the list's highlight
    event: it still acts on the pair under the cursor."""
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert isinstance(main, CompareScreen)
        main.action_next_pair()
        main.action_next_pair()  # no await: the list's events wait in its queue
        third = main.query_one(PairList).selected
        assert third is not None and third is not main.shown[0]
        main.action_details()
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.pair is third
        await pilot.press("escape")
        main.action_previous_pair()
        main.action_copy()
        await pilot.pause()
        assert main.current is main.shown[1]
        assert main.shown[1].a_text in app.clipboard


async def test_search_next_previous_and_clear(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"trotsky", "enter")
        await pilot.pause()
        sides = [m.side for m in screen.state.matches]
        assert sides == [0, 0, 1, 1]
        assert screen.mode == "document"
        assert "1/4 in A" in status(app)
        view_a = screen.query_one("#doc-0", DocumentView)
        first = screen.state.matches[0]
        assert view_a.current_match == (first.start, first.end)
        # The match is scrolled to the reading row.
        assert view_a.line_of(first.start) - round(view_a.scroll_y) == view_a.reading_row > 0
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert "3/4 in B" in status(app)
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert "4/4 in B" in status(app)
        await pilot.press("escape")
        assert screen.state.matches == [] and "trotsky" not in status(app)


async def test_search_without_match(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"xyzzy", "enter")
        assert main(app).state.matches == []
        assert main(app).mode == "pairs"
        await pilot.press("slash", "escape")
        assert not main(app).query_one("#search", Input).has_class("-visible")


async def _export(pilot: Pilot[None], app: AlignerApp, path: Path) -> None:
    await pilot.press("e")
    assert isinstance(app.screen, ExportScreen)
    app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


async def test_export_writes_and_protects(comparison: Comparison, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")  # quotations only: the export holds what is shown
        await _export(pilot, app, target)
        assert isinstance(app.screen, CompareScreen)
        written = target.read_text(encoding="utf-8")
        assert "Comrade Stalin" in written and "Oppositionists" not in written
        target.write_text("keep me", encoding="utf-8")
        await _export(pilot, app, target)
        assert isinstance(app.screen, ExportScreen)  # asks first
        assert "exists" in str(app.screen.query_one("#export-hint", Static).render())
        await pilot.press("escape")
        assert target.read_text(encoding="utf-8") == "keep me"
        await _export(pilot, app, target)
        await pilot.press("enter")  # confirmed: overwrite
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert "Comrade Stalin" in target.read_text(encoding="utf-8")


async def test_export_writes_the_format_its_name_asks_for(
    comparison: Comparison, tmp_path: Path
) -> None:
    """As ``-o`` does: a .json name gets JSON (the reader's corrections kept,
    so they can be read back), a .txt name the text report, others Markdown."""
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")  # a correction, which the JSON keeps
        await _export(pilot, app, tmp_path / "out.json")
        data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
        assert len(data["pairs"]) == len(comparison.pairs) - 1
        assert aligner.export.from_dict(data, documents=comparison.documents).pairs == (
            main(app).shown
        )
        await _export(pilot, app, tmp_path / "out.txt")
        text = (tmp_path / "out.txt").read_text(encoding="utf-8")
        assert text.startswith("A  last-struggle.txt") and "#1  " in text
        await _export(pilot, app, tmp_path / "notes.report")
        assert (tmp_path / "notes.report").read_text(encoding="utf-8").startswith("# ")


async def test_export_refuses_a_format_it_does_not_write(
    comparison: Comparison, tmp_path: Path
) -> None:
    target = tmp_path / "out.pdf"
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await _export(pilot, app, target)
        assert isinstance(app.screen, ExportScreen)
        assert "name the file .md" in str(app.screen.query_one("#export-hint", Static).render())
        await pilot.press("escape")
    assert list(tmp_path.iterdir()) == []


async def test_export_refuses_a_name_no_file_can_have(
    comparison: Comparison, tmp_path: Path
) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await _export(pilot, app, tmp_path / ("a" * 5000))
        assert isinstance(app.screen, ExportScreen)
        hint = str(app.screen.query_one("#export-hint", Static).render())
        assert "Cannot use that name (File name too long)" in hint
        await pilot.press("escape")
        assert isinstance(app.screen, CompareScreen)
    assert list(tmp_path.iterdir()) == []


async def test_copy_pair_text(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert len(copied) == 1
        assert comparison.pairs[0].a_text in copied[0]
        assert comparison.pairs[0].b_text in copied[0]


async def test_help_screen_lists_every_binding(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = " ".join(key for key, _ in KEYS)
        for binding in [*CompareScreen.BINDINGS, *AlignerApp.BINDINGS]:
            for key in binding.key.split(","):  # type: ignore[union-attr]
                display = {
                    "slash": "/",
                    "plus": "+",
                    "equals_sign": "+",
                    "minus": "-",
                    "question_mark": "?",
                    "right_square_bracket": "]",
                    "left_square_bracket": "[",
                }.get(key, key)
                assert display in listed, key
        await pilot.press("escape")
        assert isinstance(app.screen, CompareScreen)


async def test_the_footer_is_rebuilt_only_when_its_keys_change(comparison: Comparison) -> None:
    from textual.widgets._footer import FooterKey

    from aligner.tui.widgets.key_footer import KeyFooter

    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)

        def shown() -> list[FooterKey]:
            return list(footer.query(FooterKey))

        keys = shown()
        assert [k.description for k in keys][:4] == ["Next", "Prev", "Read", "Why"]
        app.screen.refresh_bindings()  # the same keys: nothing rebuilt
        await pilot.pause()
        await footer.recompose()
        assert shown() == keys and all(k.is_attached for k in keys)
        await pilot.press("slash")  # the search box has the keys now
        await pilot.pause()
        assert [k.description for k in shown()] == ["Find", "palette"]
        await pilot.press("escape")
        await pilot.pause()
        assert [k.description for k in shown()] == [k.description for k in keys]
        assert not any(k.is_attached for k in keys)  # rebuilt


async def test_command_palette_lists_actions(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Next pair", "Export", "Search", "Help", "Remove pair", "Undo"} <= set(titles)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Next pair")
        command.callback()
        await pilot.pause()
        assert main(app).current is comparison.pairs[1]


async def test_engine_notes_are_shown(comparison: Comparison) -> None:
    note = "documents too large to compare sentence by sentence: shared quotations only"
    app = AlignerApp(comparison=replace(comparison, notes=(note,)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications] == [note]


async def test_quit(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def _wait_for_engine(app: AlignerApp, pilot: Pilot[None]) -> None:
    """Wait for the compare worker, which starts after the first refresh."""
    for _ in range(100):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if app.comparison is not None or app.error is not None:
            await pilot.pause()
            return


async def test_result_is_kept_out_of_the_cycle_collector_while_the_app_runs(
    sample_files: tuple[Path, Path],
) -> None:
    gc.unfreeze()
    app = AlignerApp(paths=list(sample_files))
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_engine(app, pilot)
        await pilot.pause()
        assert app.comparison is not None
        # Frozen objects are never walked by a collection (no pause mid-keypress).
        assert gc.get_freeze_count() > 0
        await pilot.press("n")
    assert gc.get_freeze_count() == 0  # handed back to the collector at exit


async def test_a_given_result_is_kept_out_of_the_cycle_collector_too(
    comparison: Comparison,
) -> None:
    gc.unfreeze()
    before = gc.get_threshold()
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0
        # young objects are collected less often while the app runs
        assert gc.get_threshold()[0] >= 10_000 > before[0]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


async def test_worker_path(sample_files: tuple[Path, Path]) -> None:
    app = AlignerApp(paths=list(sample_files))
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_engine(app, pilot)
        assert app.comparison is not None and app.error is None
        names = [d.name for d in app.comparison.documents]
        assert names == ["last-struggle.txt", "revolution-to-bureaucracy.txt"]
        screen = main(app)
        assert screen.comparison is app.comparison
        assert screen.query_one("#body", ContentSwitcher).current == "pair-view"
        if not app.comparison.pairs:
            assert "no parallel passages" in passage(app, "a")


async def test_engine_in_another_process(
    sample_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's path: the alignment runs in a forked process the app waits for."""
    from aligner import workers
    from aligner.engine import compare

    monkeypatch.setattr(workers, "available", lambda: True)
    parent = threading.get_ident()
    shares: list[float] = []

    def align(report: workers.Report) -> Comparison:
        report(0.5)
        return compare(*sample_files)

    pending = workers.fork(align)
    assert pending is not None
    from aligner.tui.screens.loading import LoadingScreen

    original = LoadingScreen.show_progress

    def seen(screen: LoadingScreen, share: float, label: str = "") -> None:
        shares.append(share)
        original(screen, share, label)

    monkeypatch.setattr(LoadingScreen, "show_progress", seen)
    app = AlignerApp(paths=list(sample_files), pending=pending)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_engine(app, pilot)
        assert app.comparison is not None and app.error is None
        here = compare(*sample_files)
        assert [(p.a, p.b, p.kind) for p in app.comparison.pairs] == [
            (p.a, p.b, p.kind) for p in here.pairs
        ]
        assert main(app).query_one("#body", ContentSwitcher).current == "pair-view"
    assert 0.5 in shares  # the child's progress reached the app
    assert threading.get_ident() == parent


async def test_the_engine_process_segmentations_serve_the_look_ups(
    sample_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the result is shown, the app keeps the documents as the engine's
    process segmented them: the first ``w`` does not segment them again."""
    from aligner import segment, workers
    from aligner.cli import _align

    monkeypatch.setattr(workers, "available", lambda: True)
    options = Options()
    docs = [aligner.load_document(p) for p in sample_files]
    pending = workers.fork(lambda report: _align(docs, options, report), after=_segmentations)
    assert pending is not None
    app = AlignerApp(paths=list(sample_files), pending=pending)
    async with app.run_test(size=SIZE) as pilot:
        shown = await _kept_for_look_ups(app, pilot)
        made: list[str] = []
        fresh = segment.segment_afresh
        monkeypatch.setattr(segment, "segment_afresh", lambda d: made.append(d.text) or fresh(d))
        await pilot.press("d")
        await pilot.pause()
        dialog = await _look_up(app, pilot)
        assert dialog.found is not None and dialog.found.pairs
        assert made and not {d.text for d in shown} & set(made)  # only the passage itself


async def test_what_the_apps_process_segmented_for_the_engine_serves_the_look_ups(
    sample_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the CLI starts the app: its process segments the larger document
    for the engine's; the app keeps that one, and the engine's of the other."""
    import functools

    from aligner import segment, workers
    from aligner.cli import _align_helped
    from aligner.parallel import Handover

    monkeypatch.setattr(workers, "available", lambda: True)
    docs = [aligner.load_document(p) for p in sample_files]
    helping = Handover(docs, [1])
    pending = workers.fork(
        functools.partial(_align_helped, docs, Options(), helping),
        after=functools.partial(_segmentations, skip=[1]),
    )
    assert pending is not None
    own = helping.segment_and_send()
    app = AlignerApp(paths=list(sample_files), pending=pending, segmented=own)
    async with app.run_test(size=SIZE) as pilot:
        shown = await _kept_for_look_ups(app, pilot)
        assert segment.kept(shown[1]).words is own[1].words  # type: ignore[union-attr]


async def _kept_for_look_ups(app: AlignerApp, pilot: Pilot[None]) -> tuple[Document, ...]:
    """Once the result shows: the documents shown, each kept segmented (as
    ``segment_afresh`` would) for the look-ups, waiting for the app to keep them."""
    from aligner import segment

    await _wait_for_engine(app, pilot)
    assert app.comparison is not None
    shown = app.comparison.documents
    for _ in range(200):
        if all(segment.kept(d) is not None for d in shown):
            break
        await pilot.pause(0.02)
    for doc in shown:
        seg = segment.kept(doc)
        assert seg is not None and seg.doc is doc
        assert seg.words == segment.segment_afresh(doc).words
    return shown


async def test_a_garbled_head_start_for_look_ups_is_no_error(
    sample_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner import segment, workers
    from aligner.cli import _align

    monkeypatch.setattr(workers, "available", lambda: True)
    options = Options()
    docs = [aligner.load_document(p) for p in sample_files]
    pending = workers.fork(
        lambda report: _align(docs, options, report), after=lambda result: [("garbled",), None]
    )
    app = AlignerApp(paths=list(sample_files), pending=pending)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_engine(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.comparison is not None and app.error is None
        assert all(segment.kept(d) is None for d in app.comparison.documents)
        dialog = await _look_up(app, pilot)  # the look-up segments for itself
        assert dialog.found is not None and dialog.found.pairs


async def test_failed_engine_process_falls_back_to_the_app(
    sample_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner import workers

    monkeypatch.setattr(workers, "available", lambda: True)

    def broken(report: workers.Report) -> Comparison:
        raise MemoryError("killed")

    pending = workers.fork(broken)
    app = AlignerApp(paths=list(sample_files), pending=pending)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_engine(app, pilot)
        assert app.comparison is not None and app.error is None
        assert app.pending is None


async def test_worker_error_is_readable(tmp_path: Path) -> None:
    app = AlignerApp(paths=[tmp_path / "missing.txt", tmp_path / "other.txt"])
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_engine(app, pilot)
        assert app.error is not None and "missing.txt" in app.error
        message = str(main(app).query_one("#loading-message", Static).render())
        assert "Could not compare" in message and "no such file" in message
        await pilot.press("n", "d", "i", "e", "c")  # nothing to act on: no crash
        assert isinstance(app.screen, CompareScreen)


def test_needs_paths_or_comparison() -> None:
    with pytest.raises(ValueError):
        AlignerApp()


async def test_side_by_side_palette_has_non_colour_cues(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE):
        palette = main(app).query_one(SideBySide).palette
        assert palette.removed.strike and palette.added.underline and palette.changed.italic
        assert palette.char.reverse and palette.name.bold and palette.rare.underline


def test_docs_list_every_key() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "tui.md").read_text(encoding="utf-8")
    for key, _ in KEYS:
        for part in key.replace("click", "").split(" / "):
            for single in part.split():
                assert f"`{single}`" in docs, single


async def test_engine_crash_is_reported(
    sample_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> Comparison:
        raise RuntimeError("index out of range in the aligner")

    monkeypatch.setattr("aligner.tui.app.compare", broken)
    app = AlignerApp(paths=list(sample_files))
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for_engine(app, pilot)
        assert app.error is not None and "RuntimeError" in app.error
        message = str(main(app).query_one("#loading-message", Static).render())
        assert "index out of range" in message


async def test_quit_while_engine_works(
    sample_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, comparison: Comparison
) -> None:
    release = threading.Event()
    progress_seen = threading.Event()

    def slow(*args: object, progress: object = None, **kwargs: object) -> Comparison:
        progress(0.5)  # type: ignore[operator]
        progress_seen.set()
        release.wait(10)
        return comparison

    monkeypatch.setattr("aligner.tui.app.compare", slow)
    app = AlignerApp(paths=list(sample_files))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause()
            if progress_seen.is_set():
                break
        await pilot.pause()
        assert "50%" in str(main(app).query_one("#loading-message", Static).render())
        await pilot.press("q")
    # The app ended although the engine is still busy.
    assert app.comparison is None and not release.is_set()
    release.set()


async def test_theme_change_repaints_marks(comparison: Comparison) -> None:
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        view = main(app).query_one(SideBySide)
        before = view.palette.removed
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        assert view.palette.removed.strike and view.palette.removed != before
        assert view.pair is comparison.pairs[0]


async def test_closing_the_look_up_before_it_answers(
    comparison: Comparison, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from aligner import lookup

    real = lookup.find_parallels

    def slow(*args: Any, **kwargs: Any) -> Comparison:
        time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(lookup, "find_parallels", slow)
    app = AlignerApp(comparison=comparison)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w", "escape")  # closed at once, the worker still busy
        await asyncio.sleep(1.0)  # the answer arrives after the dialog has gone
        for _ in range(5):
            await pilot.pause()
        assert app.is_running and isinstance(app.screen, CompareScreen)
        assert app.return_code is None


async def test_lines_outside_the_selected_passages_stay_rendered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stepping to another pair re-renders only the lines of the passages
    selected before and now: back on a pair, the rest paints from the cache."""
    from aligner.documents import sample_paths

    samples = {p.stem: p for p in sample_paths()}
    found = aligner.compare(
        samples["revolution-to-counter-revolution"], samples["soviet-power-to-bonapartism"]
    )
    app = AlignerApp(comparison=found)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("d", "n")
        await pilot.pause()
        first = screen.current
        await pilot.press("n")
        await pilot.pause()
        second = screen.current
        assert first is not None and second is not None and first is not second
        rendered: list[tuple[int, int]] = []
        render = DocumentView._render_index

        def counted(view: DocumentView, index: int, *args: Any) -> Any:
            rendered.append((view.side, view.lines[index][0]))
            return render(view, index, *args)

        monkeypatch.setattr(DocumentView, "_render_index", counted)
        await pilot.press("p")
        await pilot.pause()
        assert screen.current is first
        for side, start in rendered:  # at most the passages' lines, now (un)selected
            spans = [span_of(first, side), span_of(second, side)]
            view = screen.query_one(f"#doc-{side}", DocumentView)
            end = view.lines[view.line_of(start)][1]
            assert any(s <= max(start, end - 1) and start < e for s, e in spans)


def test_a_worker_outliving_its_app_does_not_wait_for_a_paint(comparison: Comparison) -> None:
    """A ``q`` typed before the app started ends it before its worker starts:
    no one then cancels the worker or paints its result, so the worker must
    not wait for that paint (it kept the process from exiting)."""
    from types import SimpleNamespace

    app = AlignerApp(paths=["a.txt", "b.txt"])  # never run: as after an early quit
    done = threading.Event()

    def adopt() -> None:
        worker = SimpleNamespace(is_cancelled=False)
        app._adopt_segmentations(None, comparison, worker)  # type: ignore[arg-type]  # noqa: SLF001
        done.set()

    threading.Thread(target=adopt, daemon=True).start()
    assert done.wait(5)
