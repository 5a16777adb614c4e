"""The compare screen: pair list, both accounts side by side, reading mode.

The screen owns the view state (filters, order, search, selected pair) and
tells the widgets what to show. It never matches, aligns or diffs: all of
that is in the ``Comparison`` it is given.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, Literal

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Input,
    ProgressBar,
    Static,
)

from aligner.documents import paragraph_span
from aligner.model import AlignerError, Comparison, Pair, SortKey, sort_pairs
from aligner.render import printable
from aligner.tui.corrections import Corrections
from aligner.tui.render import location
from aligner.tui.screens.detail import DetailScreen
from aligner.tui.screens.export import export_dialog
from aligner.tui.screens.loading import LoadingScreen
from aligner.tui.view_state import Match, ViewState, nearest_pair, pair_at, span_of
from aligner.tui.widgets.coverage import CoverageStrip
from aligner.tui.widgets.document_view import DocumentView
from aligner.tui.widgets.key_footer import KeyFooter
from aligner.tui.widgets.pair_list import SORT_LABELS, PairList
from aligner.tui.widgets.side_by_side import SideBySide

Mode = Literal["pairs", "document"]


def _holds(span: tuple[int, int], offset: int) -> bool:
    return span[0] <= offset < span[1]


class CompareScreen(Corrections, LoadingScreen):
    """Everything about one comparison of two documents."""

    BINDINGS = [
        Binding("n", "next_pair", "Next"),
        Binding("j", "next_pair", "Next", show=False),
        Binding("p", "previous_pair", "Prev"),
        Binding("k", "previous_pair", "Prev", show=False),
        Binding("d", "toggle_mode", "Read"),
        Binding("i", "details", "Why"),
        Binding("slash", "search", "Find"),
        Binding("e", "export", "Export"),
        Binding("s", "cycle_sort", "Sort", show=False),
        Binding("plus,equals_sign", "score_up", "Score+", show=False),
        Binding("minus", "score_down", "Score-", show=False),
        Binding("t", "cycle_kind", "Kind", show=False),
        Binding("u", "unpaired", "Unpaired", show=False),
        Binding("w", "where", "Where", show=False),
        Binding("right_square_bracket", "next_match", "Next match", show=False),
        Binding("left_square_bracket", "previous_match", "Prev match", show=False),
        Binding("escape", "clear_search", "Clear search", show=False),
        Binding("c", "copy", "Copy", show=False),
        Binding("x", "remove_pair", "Remove", show=False),
        Binding("z", "undo", "Undo", show=False),
    ]
    CORRECTIONS: ClassVar[bool] = True
    """Whether the reader may add and remove pairs here (``x``, ``z``, ``a`` in
    a look-up); the pair view of a synopsis shows the synopsis's pairs only."""

    def __init__(self, comparison: Comparison | None = None, *, sort: SortKey = "a") -> None:
        super().__init__()
        self.comparison: Comparison | None = comparison
        self.state = ViewState(sort=sort)
        self.shown: tuple[Pair, ...] = ()
        self.current: Pair | None = None
        self.mode: Mode = "pairs"
        self._pair_view_stale = False
        self._legend: Text | None = None
        """The legend shown (updated only when it changes)."""
        self._start_corrections()

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield PairList(id="pairs")
        with Horizontal(id="heads"):
            for side in (0, 1):
                with Vertical(classes="head"):
                    yield Static(id=f"name-{side}", classes="doc-name")
                    yield CoverageStrip(side, id=f"strip-{side}")
        with ContentSwitcher(id="body", initial="loading"):
            with Vertical(id="loading"):
                yield Static("Reading the documents…", id="loading-message")
                # No spinner: its animation costs the engine a third of a core.
                yield ProgressBar(total=1.0, show_eta=False, id="progress")
            yield SideBySide(id="pair-view")
            with Horizontal(id="document-view"):
                yield DocumentView(0, id="doc-0")
                yield DocumentView(1, id="doc-1")
        yield Static(id="legend")
        yield Input(placeholder="search both documents, Enter to find", id="search")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.comparison is not None:
            self.show_comparison(self.comparison)
        else:
            self.add_class("-loading")
            self.show_progress(0.0, f"Aligning {self.app.sub_title}…")

    # -- loading ---------------------------------------------------------

    def show_comparison(self, comparison: Comparison) -> None:
        """Show ``comparison``, keeping the current filters."""
        if self.shown == () and self.current is None:
            # Start from the floor the engine applied, so the status line tells the truth.
            self.state.min_score = comparison.options.min_score
        self.comparison = comparison
        self.remove_class("-loading")
        self._refresh_names()
        self._refilter(keep=None)
        self._show_mode()
        for note in comparison.notes:  # e.g. only quotations were searched
            self.notify(printable(note), title="Note", severity="warning", timeout=15)

    def _refresh_names(self) -> None:
        """Each document's name and how much of it the pairs cover."""
        assert self.comparison is not None
        for side, doc in enumerate(self.comparison.documents[:2]):
            label = "AB"[side]
            name = Text(f"{label} ", style="bold reverse")
            name.append(f" {printable(doc.name)}", style="bold")
            name.append(f"  {self.comparison.coverage(side):.0%} aligned", style="dim")
            self.query_one(f"#name-{side}", Static).update(name)

    # -- filters and selection -------------------------------------------

    def _refilter(self, keep: Pair | None) -> None:
        assert self.comparison is not None
        self.shown = self.state.shown(self.comparison)
        docs = self.comparison.documents
        for side in (0, 1):
            spans = [span_of(p, side) for p in self.shown]
            self.query_one(f"#strip-{side}", CoverageStrip).show(len(docs[side].text), spans)
            view = self.query_one(f"#doc-{side}", DocumentView)
            if view.text is not docs[side].text:
                view.load(docs[side].text, spans)
            else:
                view.set_aligned(spans)
        self.current = None
        self.query_one(PairList).show(self.shown, docs, keep)
        if not self.shown:
            self._select(None)

    @on(PairList.Selected)
    def _pair_selected(self, event: PairList.Selected) -> None:
        if event.pair is not self.current or event.pair is None:
            self._select(event.pair)

    def _caught_up(self) -> None:
        """Catch up with the list's cursor: keys typed fast ("nni") arrive
        before its highlight events, and must act on the pair under the cursor."""
        if self.comparison is None:
            return
        pair = self.query_one(PairList).selected
        if pair is not None and pair is not self.current:
            self._select(pair)

    def _select(self, pair: Pair | None, *, scroll: bool = True) -> None:
        """Make ``pair`` the selected one in every widget."""
        self.current = pair
        if self.comparison is None:
            return
        empty = "No pair passes the filters: press - to lower the minimum score, t for kinds."
        if not self.comparison.pairs:
            empty = "The engine found no parallel passages between these documents."
        if self.mode == "pairs":
            self.query_one(SideBySide).show(pair, self.comparison.documents, empty=empty)
        else:  # hidden in reading mode: brought up to date on the way back
            self._pair_view_stale = True
        for side in (0, 1):
            span = span_of(pair, side) if pair else None
            self.query_one(f"#strip-{side}", CoverageStrip).select(span)
            self.query_one(f"#doc-{side}", DocumentView).set_selected(span)
        if scroll and pair is not None and self.mode == "document":
            self._line_up(pair)
        self._update_status()

    def _line_up(self, pair: Pair) -> None:
        """Scroll both documents so that the pair's passages start on the same row."""
        for side in (0, 1):
            self.query_one(f"#doc-{side}", DocumentView).scroll_to_offset(span_of(pair, side)[0])

    def _update_status(self) -> None:
        status = Text()
        total = len(self.comparison.pairs) if self.comparison else 0
        row = self.shown.index(self.current) + 1 if self.current in self.shown else 0
        status.append(f" pair {row}/{len(self.shown)}", style="bold")
        if len(self.shown) != total:
            status.append(f" (of {total})")
        status.append(f" · score ≥ {self.state.min_score:.2f}")
        status.append(f" · {self.state.kind or 'all kinds'}")
        status.append(f" · by {SORT_LABELS[self.state.sort]}")
        if self.history:
            status.append(f" · {len(self.history)} by hand (z undoes)", style="bold")
        match = self.state.current_match
        if match is not None:
            at = f"{self.state.match_index + 1}/{len(self.state.matches)}"
            status.append(f" · {self.state.match_label} {at} in {'AB'[match.side]}", style="bold")
        # One row each, whatever the text: no layout pass (a whole screen's) needed.
        self.query_one("#status", Static).update(status, layout=False)
        legend = self.query_one(SideBySide).legend()
        if self.mode == "document":
            legend = Text.from_markup(" │ aligned  ┃ selected pair  [dim]dim: no parallel[/]")
        if legend != self._legend:  # the same for most pairs: not rendered again
            self._legend = legend
            self.query_one("#legend", Static).update(legend, layout=False)

    # -- modes and following -----------------------------------------------

    def _show_mode(self) -> None:
        body = self.query_one("#body", ContentSwitcher)
        if self.comparison is None:
            return
        body.current = "pair-view" if self.mode == "pairs" else "document-view"
        self.query_one(PairList).display = self.mode == "pairs"
        if self.mode == "pairs":
            self.query_one(PairList).focus()
            if self._pair_view_stale:
                self._pair_view_stale = False
                self._select(self.current, scroll=False)
        elif not isinstance(self.focused, DocumentView):
            self.query_one("#doc-0", DocumentView).focus()
        if self.mode == "document" and self.current is not None:
            pair = self.current
            self.call_after_refresh(self._line_up, pair)
        self._update_status()

    @on(DocumentView.Scrolled)
    def _follow(self, event: DocumentView.Scrolled) -> None:
        """The other document follows to the parallel of the passage being read."""
        leader = event.view
        pair = self.current
        if pair is None or not _holds(span_of(pair, leader.side), event.offset):
            pair = pair_at(self.shown, leader.side, event.offset)
        if pair is None:
            return
        start, end = span_of(pair, leader.side)
        other_start, other_end = span_of(pair, 1 - leader.side)
        share = (event.offset - start) / max(1, end - start)
        follower = self.query_one(f"#doc-{1 - leader.side}", DocumentView)
        follower.scroll_to_offset(other_start + int(share * (other_end - other_start)))
        if pair is not self.current:
            self._select(pair, scroll=False)
            self.query_one(PairList).select_pair(pair)

    @on(CoverageStrip.Jump)
    def _jump(self, event: CoverageStrip.Jump) -> None:
        pair = nearest_pair(self.shown, event.strip.side, event.offset)
        if pair is not None:
            self.query_one(PairList).select_pair(pair)
            if self.mode == "document":
                self._line_up(pair)

    @on(DocumentView.Clicked)
    def _clicked(self, event: DocumentView.Clicked) -> None:
        """A click on an aligned passage selects its pair."""
        pair = pair_at(self.shown, event.view.side, event.offset)
        if pair is not None and pair is not self.current:
            self._select(pair, scroll=False)
            self.query_one(PairList).select_pair(pair)
            other = self.query_one(f"#doc-{1 - event.view.side}", DocumentView)
            other.scroll_to_offset(span_of(pair, other.side)[0])

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_details()

    # -- search -------------------------------------------------------------

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        search = self.query_one("#search", Input)
        search.remove_class("-visible")
        if self.comparison is None:
            return
        match = self.state.search(self.comparison, event.value)
        self._mark_matches()
        if match is None:
            self.notify(f"No match for “{escape(printable(event.value))}”", severity="warning")
            self._update_status()
            self._show_mode()
            return
        self._go_to(match)

    def _mark_matches(self) -> None:
        current = self.state.current_match
        for side in (0, 1):
            spans = [(m.start, m.end) for m in self.state.matches if m.side == side]
            cur = (current.start, current.end) if current and current.side == side else None
            self.query_one(f"#doc-{side}", DocumentView).set_matches(spans, cur)

    def _go_to(self, match: Match) -> None:
        """Show ``match`` in reading mode, with the other document following
        (or, for a look-up's stretch, showing the passage it was found for)."""
        self._mark_matches()
        if self.mode != "document":
            self.mode = "document"
            self._show_mode()
        view = self.query_one(f"#doc-{match.side}", DocumentView)
        view.focus()
        passage = self.state.passage if self.state.listing == "stretches" else None

        def scroll() -> None:
            view.scroll_to_offset(match.start)
            if passage is not None:
                other = self.query_one(f"#doc-{passage.side}", DocumentView)
                other.scroll_to_offset(passage.start)
            else:
                self._follow(DocumentView.Scrolled(view, match.start))

        self.call_after_refresh(scroll)
        self._update_status()

    # -- actions ------------------------------------------------------------

    def _step(self, delta: int) -> None:
        # The table's highlight message selects the pair (see _pair_selected):
        # measured, that paints sooner than selecting here in the same frame.
        self.query_one(PairList).step(delta)

    def action_next_pair(self) -> None:
        self._step(1)

    def action_previous_pair(self) -> None:
        self._step(-1)

    def action_toggle_mode(self) -> None:
        self._caught_up()
        self.mode = "document" if self.mode == "pairs" else "pairs"
        self._show_mode()

    def action_details(self) -> None:
        self._caught_up()
        if self.comparison is not None and self.current is not None:
            self.app.push_screen(DetailScreen(self.comparison, self.current))

    def action_cycle_sort(self) -> None:
        self._caught_up()
        self.state.cycle_sort()
        if self.comparison is not None:
            self._refilter(keep=self.current)

    def _rescore(self, delta: int) -> None:
        self._caught_up()
        self.state.step_score(delta)
        if self.comparison is not None:
            self._refilter(keep=self.current)

    def action_score_up(self) -> None:
        self._rescore(1)

    def action_score_down(self) -> None:
        self._rescore(-1)

    def action_cycle_kind(self) -> None:
        self._caught_up()
        self.state.cycle_kind()
        if self.comparison is not None:
            self._refilter(keep=self.current)

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-visible")
        search.value = self.state.query
        search.focus()

    def action_unpaired(self) -> None:
        if self.comparison is None:
            return
        match = self.state.unpaired(self.comparison)
        self._mark_matches()
        if match is None:
            self.notify("Every passage of both documents is in a pair.")
            self._update_status()
            return
        self._go_to(match)

    def action_where(self) -> None:
        """Look up where the other document tells the passage being read: in
        reading mode the paragraph at the reading row of the focused document,
        in the pair view the selected pair's passage in A."""
        self._caught_up()
        if self.comparison is None:
            return
        if self.mode == "document":
            view = self.focused if isinstance(self.focused, DocumentView) else None
            view = view or self.query_one("#doc-0", DocumentView)
            side, offset = view.side, view.offset_at_row(view.reading_row)
            doc = self.comparison.documents[side]
            start, end = paragraph_span(doc, doc.paragraph_number(offset))
        elif self.current is not None:
            side, (start, end) = 0, span_of(self.current, 0)
        else:
            self.notify("Select a pair, or read a paragraph (d), to look it up.")
            return
        docs = self.comparison.documents
        labels = ("A", "B") if side == 0 else ("B", "A")

        def chosen(rank: int | None) -> None:
            if rank is not None and dialog.found is not None and dialog.adding:
                self._add(as_pair_of_a_and_b(dialog.found.pairs[rank], side))
            elif rank is not None and dialog.found is not None:
                self.show_stretches(dialog.found, side, rank)

        from aligner.tui.screens.lookup import LookupScreen  # only when asked: not at launch

        dialog = LookupScreen(
            (docs[side], docs[1 - side]),
            (start, end),
            labels,
            adds=self.adds,
        )
        self.app.push_screen(dialog, chosen)

    # -- the reader's corrections ------------------------------------------

    @property
    def adds(self) -> str:
        """What ``a`` in a look-up does, as its hint says it ("" for nothing)."""
        return "adds it as a pair" if self.CORRECTIONS else ""

    def _add(self, pair: Pair) -> None:
        """A look-up's passage and stretch (A then B) as a pair by hand."""
        assert self.comparison is not None
        try:
            edited = self.comparison.with_pair(pair)
        except AlignerError as exc:  # a look-up of other documents: not expected
            self.notify(f"Not added: {escape(printable(str(exc)))}", severity="error")
            return
        self._edited(edited, next(p for p in edited.pairs if p == replace(pair, by_hand=True)))
        docs = self.comparison.documents
        where = f"A {location(docs[0], pair.a.start, pair.a.end)}"
        where += f" ~ B {location(docs[1], pair.b.start, pair.b.end)}"
        self.notify(f"Added {where} as a pair by hand (z undoes).")

    def action_remove_pair(self) -> None:
        self._caught_up()
        if not self.CORRECTIONS:
            self.notify("These pairs are the synopsis's: x in the synopsis takes a passage out.")
            return
        if self.comparison is None or self.current is None:
            return
        at = self.shown.index(self.current) if self.current in self.shown else 0
        edited = self.comparison.without_pair(self.current)
        rest = [p for p in self.shown if p is not self.current]
        self._edited(edited, rest[min(at, len(rest) - 1)] if rest else None)
        self.notify("Removed the pair (z undoes).")

    def action_undo(self) -> None:
        if not self.CORRECTIONS:
            self.notify("These pairs are the synopsis's: z in the synopsis undoes its corrections.")
            return
        if not self.history:
            self.notify("Nothing to undo: no pair was added or removed by hand.")
            return
        keep = self.current
        self.comparison = self.history.pop()
        self._refresh_names()
        self._refilter(keep=keep if keep in self.comparison.pairs else None)
        self.notify("Undone.")

    def _edited(self, edited: Comparison, keep: Pair | None) -> None:
        assert self.comparison is not None
        self.history.append(self.comparison)
        self.comparison = edited
        self._refresh_names()
        self._refilter(keep=keep)

    def show_stretches(self, found: Comparison, side: int, rank: int) -> None:
        """Go to stretch ``rank`` of a look-up of a passage of document ``side``
        (``aligner.find_parallels``) in reading mode; ``]`` / ``[`` step on."""
        match = self.state.stretches(found, side, rank)
        if match is not None:
            self._go_to(match)

    def action_next_match(self) -> None:
        match = self.state.step_match(1)
        if match is not None:
            self._go_to(match)

    def action_previous_match(self) -> None:
        match = self.state.step_match(-1)
        if match is not None:
            self._go_to(match)

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.has_class("-visible"):
            search.remove_class("-visible")
            self._show_mode()
            return
        self.state.clear_search()
        self._mark_matches()
        self._update_status()

    def action_export(self) -> None:
        if self.comparison is not None:
            pairs = sort_pairs(self.shown, "a")
            shown = replace(self.comparison, pairs=pairs)
            self.app.push_screen(*export_dialog(self, shown, self._exported))

    def action_copy(self) -> None:
        self._caught_up()
        if self.comparison is None or self.current is None:
            return
        pair, (a, b) = self.current, self.comparison.documents[:2]
        text = (
            f"{a.name} {location(a, pair.a.start, pair.a.end)}\n{pair.a_text}\n\n"
            f"{b.name} {location(b, pair.b.start, pair.b.end)}\n{pair.b_text}\n"
        )
        self.app.copy_to_clipboard(text)
        self.notify("Copied the selected pair's text.")


def as_pair_of_a_and_b(stretch: Pair, side: int) -> Pair:
    """A look-up's pair (the passage of document ``side``, then the stretch
    found in the other) as a pair of the compared documents, A then B."""
    return stretch.mirrored() if side == 1 else stretch  # from B: the stretch is in A
