"""SVG snapshots of the main screens at 80x24 and 160x48 (pytest-textual-snapshot).

The comparison is the hand-made one from conftest.py, so the pictures only
change when the screen does. Review ``snapshot_report.html`` before running
``--snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from aligner.model import Comparison, Pair, Span
from aligner.tui.app import AlignerApp
from aligner.tui.screens.lookup import LookupScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
SnapCompare = Callable[..., bool]
Keys = Callable[..., Any]


@pytest.mark.parametrize("size", SIZES)
def test_pair_view_quotation(
    snap_compare: SnapCompare, keys: Keys, comparison: Comparison, size: tuple[int, int]
) -> None:
    app = AlignerApp(comparison=comparison)
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_pair_view_retelling(
    snap_compare: SnapCompare, keys: Keys, comparison: Comparison, size: tuple[int, int]
) -> None:
    app = AlignerApp(comparison=comparison)
    assert snap_compare(app, terminal_size=size, run_before=keys("n", "n"))


@pytest.mark.parametrize("size", SIZES)
def test_reading_mode(
    snap_compare: SnapCompare, keys: Keys, comparison: Comparison, size: tuple[int, int]
) -> None:
    app = AlignerApp(comparison=comparison)
    assert snap_compare(app, terminal_size=size, run_before=keys("n", "n", "d"))


@pytest.mark.parametrize("size", SIZES)
def test_detail_evidence(
    snap_compare: SnapCompare, keys: Keys, comparison: Comparison, size: tuple[int, int]
) -> None:
    app = AlignerApp(comparison=comparison)
    assert snap_compare(app, terminal_size=size, run_before=keys("n", "n", "i"))


@pytest.mark.parametrize("size", SIZES)
def test_help(
    snap_compare: SnapCompare, keys: Keys, comparison: Comparison, size: tuple[int, int]
) -> None:
    app = AlignerApp(comparison=comparison)
    assert snap_compare(app, terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_lookup(snap_compare: SnapCompare, comparison: Comparison, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("n", "n", "w")
        for _ in range(100):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            screen = pilot.app.screen
            if isinstance(screen, LookupScreen) and screen.found is not None:
                break
        await pilot.pause()

    app = AlignerApp(comparison=comparison)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_pair_view_with_corrections(
    snap_compare: SnapCompare, keys: Keys, comparison: Comparison
) -> None:
    """A pair removed (x) and one added by hand (the headings, ✎ in the list)."""
    a, b = comparison.documents
    heads = Pair(
        Span(0, 0, a.text.index("\n")),
        Span(1, 0, b.text.index("\n")),
        a.text[: a.text.index("\n")],
        b.text[: b.text.index("\n")],
        0.31,
        "retelling",
    )
    app = AlignerApp(comparison=comparison.with_pair(heads))
    assert snap_compare(app, terminal_size=(120, 40), run_before=keys("n", "x"))
