"""The synopsis screen: three or more accounts, one column each, one row per group.

Each row is one parallel (a ``Group``); each cell is where an account has
it (paragraph and first words) or ``—`` where the account lacks it. Below
the grid, the selected group's members are shown in full, each marked
against the base account with the marks the engine prepared
(``Synopsis.shown``). The screen holds view state only (base, order,
cursor): it never matches, groups or diffs.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from typing import Literal

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, DataTable, Input, ProgressBar, Static

from aligner.model import AlignerError, Comparison, Group, Member, Pair, Span
from aligner.render import BY_HAND, printable
from aligner.synopsis import Synopsis
from aligner.synopsis_report import label
from aligner.tui.corrections import Corrections
from aligner.tui.render import first_words, location
from aligner.tui.screens.compare import CompareScreen
from aligner.tui.screens.export import synopsis_export_dialog
from aligner.tui.screens.help import HelpScreen
from aligner.tui.screens.loading import LoadingScreen
from aligner.tui.view_state import SCORE_STEP
from aligner.tui.widgets.group_view import GAP, GroupView
from aligner.tui.widgets.key_footer import KeyFooter
from aligner.tui.widgets.pair_list import KIND_LABELS, PairList

Order = Literal["position", "accounts"]
ORDER_LABELS: dict[Order, str] = {"position": "position in base", "accounts": "accounts sharing"}
FIXED = 2
"""Columns before the accounts: group number and kind (they stay when scrolling)."""

KEYS: tuple[tuple[str, str], ...] = (
    ("n / j", "next group"),
    ("p / k", "previous group"),
    ("← → / click", "choose an account (column)"),
    ("enter", "read the group's passages (escape: back to the grid)"),
    ("b", "next base account (differences are marked against it)"),
    ("s", "sort by position in the base, or by how many accounts share the group"),
    ("+ / -", "raise / lower the minimum score of the groups shown"),
    ("a", "only the groups shared by at least 3, 4 … accounts (again: back to all)"),
    ("v", "pair view: the chosen account against the base"),
    ("w", "where the chosen account (or the first lacking it) tells the group (a: add it)"),
    ("x / z", "remove the chosen account's passage from the group / undo"),
    ("/", "find the groups whose passages hold a text, in any account"),
    ("] / [", "next / previous group found"),
    ("e", "export the groups shown (Markdown, .json, .txt; asks for a file name)"),
    ("c", "copy the selected group's passages"),
    ("?", "this help"),
    ("q", "quit (in the pair view: back to the synopsis)"),
)
"""Every key of the synopsis screen, as its help lists them."""

MARKS = (
    "Against the base account: in quotations and versions, [underline]added[/] and "
    "[italic]changed[/] words, [reverse bold]letters[/] of spelling variants; in "
    "retellings, the [underline]words shared[/] with the base. — : the account lacks it."
)


class SynopsisHelp(HelpScreen):
    """The keys of the synopsis screen."""

    HEADING = "aligner synopsis: keys"
    KEYS = KEYS
    MARKS = MARKS


class PairScreen(CompareScreen):
    """The pair view of two accounts, opened from the synopsis; ``q`` goes back.

    Its pairs are the synopsis's: ``x`` and ``z`` do nothing here, and ``a``
    in a look-up hands the pair to ``on_add`` (the synopsis makes it a group,
    or completes one), when given.
    """

    BINDINGS = [Binding("q", "back", "Back")]
    CORRECTIONS = False

    def __init__(
        self, comparison: Comparison | None = None, *, on_add: Callable[[Pair], None] | None = None
    ) -> None:
        super().__init__(comparison)
        self.on_add = on_add

    @property
    def adds(self) -> str:
        return "adds it to the synopsis" if self.on_add is not None else ""

    def _add(self, pair: Pair) -> None:
        if self.on_add is not None:
            self.on_add(pair)

    def action_back(self) -> None:
        self.dismiss(None)


class SynopsisScreen(Corrections, LoadingScreen):
    """All accounts side by side, one row per parallel."""

    ERROR_TITLE = "Could not align the documents"

    BINDINGS = [
        Binding("n", "step(1)", "Next"),
        Binding("j", "step(1)", "Next", show=False),
        Binding("p", "step(-1)", "Prev"),
        Binding("k", "step(-1)", "Prev", show=False),
        Binding("b", "cycle_base", "Base"),
        Binding("s", "cycle_order", "Sort"),
        Binding("plus,equals_sign", "score(1)", "Score+", show=False),
        Binding("minus", "score(-1)", "Score-", show=False),
        Binding("a", "cycle_accounts", "Accounts", show=False),
        Binding("v", "pair_view", "Pair view"),
        Binding("w", "where", "Where", show=False),
        Binding("x", "remove_member", "Remove", show=False),
        Binding("z", "undo", "Undo", show=False),
        Binding("slash", "search", "Find"),
        Binding("right_square_bracket", "next_match", "Next match", show=False),
        Binding("left_square_bracket", "previous_match", "Prev match", show=False),
        Binding("e", "export", "Export"),
        Binding("c", "copy", "Copy"),
        Binding("escape", "to_grid", "Grid", show=False),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, synopsis: Synopsis | None = None) -> None:
        super().__init__()
        self.synopsis = synopsis
        self.order: Order = "position"
        self.rows: tuple[Group, ...] = ()
        self.current: Group | None = None
        self.account: int | None = None
        """The account (document) whose column the cursor is in, if any."""
        self._columns = 0
        self.search_text = ""
        self.min_score: float | None = None
        """Groups scoring below this are not shown (None: the synopsis's floor)."""
        self.min_accounts = 2
        """Groups shared by fewer accounts are not shown."""
        self.found: tuple[Group, ...] = ()
        """The groups holding ``search_text``, in row order."""
        self._start_corrections()

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with ContentSwitcher(id="synopsis-body", initial="loading"):
            with Vertical(id="loading"):
                yield Static("Reading the documents…", id="loading-message")
                yield ProgressBar(total=1.0, show_eta=False, id="progress")
            with Vertical(id="synopsis-view"):
                yield DataTable(id="groups", cursor_type="cell", zebra_stripes=True)
                yield GroupView(id="group-view")
        yield Static(id="legend")
        yield Input(placeholder="search every account's passages, Enter to find", id="search")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.synopsis is not None:
            self.show_synopsis(self.synopsis)
        else:
            self.show_progress(0.0, f"Aligning {self.app.sub_title}…")

    # -- loading -------------------------------------------------------------

    def show_synopsis(self, syn: Synopsis) -> None:
        """Show ``syn``, keeping the selected group and account when they are still there."""
        self.synopsis = syn
        if self.min_score is None:  # the first time: the floor, and the engine's notes
            self.min_score = syn.options.min_score
            for (i, j), c in zip(syn.doc_pairs(), syn.comparisons, strict=True):
                for note in c.notes:
                    text = f"{label(i)}–{label(j)}: {printable(note)}"
                    self.notify(text, title="Note", severity="warning", timeout=15)
        self.query_one("#synopsis-body", ContentSwitcher).current = "synopsis-view"
        self._fill(keep=self.current)
        self.query_one("#groups", DataTable).focus()

    # -- the grid --------------------------------------------------------------

    def _width(self) -> int:
        """Cells per account column: two fit at 80 columns, all of them when there is room."""
        assert self.synopsis is not None
        n = len(self.synopsis.documents)
        # The fixed columns take 14 cells and the scrollbar 2; each column pads 2.
        return max(26, min(60, (self.app.size.width - 16) // n - 2))

    def _fill(self, keep: Group | None) -> None:
        syn = self.synopsis
        assert syn is not None
        floor = self.min_score if self.min_score is not None else syn.options.min_score
        self.rows = tuple(
            g
            for g in syn.sorted_groups(self.order)
            # A group of the reader's own shows whatever the floor: its score is a similarity.
            if (g.score >= floor - 1e-9 or all(m.by_hand for m in g.members))
            and len(g.members) >= self.min_accounts
        )
        table = self.query_one("#groups", DataTable)
        column = table.cursor_column
        table.clear(columns=True)
        table.fixed_columns = FIXED
        table.add_column("#", key="n", width=3)
        table.add_column("kind", key="kind", width=7)
        width = self._columns = self._width()
        for doc, document in enumerate(syn.documents):
            head = Text(f"{label(doc)}{'★' if doc == syn.base else ''} ", style="bold")
            head.append(printable(document.name), "bold" if doc == syn.base else "")
            table.add_column(head, key=f"doc-{doc}", width=width)
        for n, group in enumerate(self.rows, 1):
            kind = KIND_LABELS.get(group.kind, group.kind)
            cells = [self._cell(syn, group, doc, width) for doc in range(len(syn.documents))]
            table.add_row(str(n), kind, *cells)
        if self.search_text:  # sorting and a new base make new rows
            self._find()
        row = self._row_of(keep)
        if self.rows:
            table.move_cursor(row=row, column=max(column, FIXED), animate=False)
        self._select(self.rows[row] if self.rows else None)

    def on_resize(self) -> None:
        if self.synopsis is not None and self._columns and self._width() != self._columns:
            self._fill(keep=self.current)

    def _row_of(self, group: Group | None) -> int:
        """The row of ``group`` (matched by its members: ``with_base`` makes new groups)."""
        if group is not None:
            for row, other in enumerate(self.rows):
                if other.members == group.members:
                    return row
        return 0

    @staticmethod
    def _cell(syn: Synopsis, group: Group, doc: int, width: int) -> Text:
        member = group.member(doc)
        if member is None:
            return Text(GAP, style="dim", justify="center")
        where = location(syn.documents[doc], member.start, member.end)
        cell = Text(style="dim")
        if member.by_hand:
            cell.append(f"{BY_HAND} ", "bold")
        cell.append(f"{where} ")
        words = first_words(member.text, max(8, width - len(where) - 1))
        cell.append(printable(words), "bold" if doc == syn.base else "")
        return cell

    @on(DataTable.CellHighlighted, "#groups")
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        row, column = event.coordinate
        self.account = column - FIXED if column >= FIXED else None
        self._select(self.rows[row] if 0 <= row < len(self.rows) else None)

    @on(DataTable.CellSelected, "#groups")
    def _chosen(self) -> None:
        self.query_one(GroupView).focus()

    def _caught_up(self) -> None:
        """Catch up with the grid's cursor: keys typed fast ("jjw") arrive
        before its highlight events, and must act on the cell under the cursor."""
        if not self.rows:
            return
        row, column = self.query_one("#groups", DataTable).cursor_coordinate
        if 0 <= row < len(self.rows):
            account = column - FIXED if column >= FIXED else None
            if self.rows[row] is not self.current or account != self.account:
                self.account = account
                self._select(self.rows[row])

    def _select(self, group: Group | None) -> None:
        self.current = group
        if self.synopsis is not None:
            self.query_one(GroupView).show(self.synopsis, group, self.account)
        self._update_status()

    def _update_status(self) -> None:
        syn = self.synopsis
        if syn is None:
            return
        row = self._row_of(self.current) + 1 if self.current is not None else 0
        status = Text(f" group {row}/{len(self.rows)}", style="bold")
        # What narrows the rows first, as in the pair view: the line is cut at
        # the screen's edge.
        if self.min_score is not None:
            status.append(f" · score ≥ {self.min_score:.2f}")
        if self.min_accounts > 2:
            status.append(f" · in ≥ {self.min_accounts} accounts", "bold")
        if self.search_text:
            found = f" · “{printable(self.search_text)}” in {len(self.found)} group(s)"
            status.append(found + (" (this one)" if self.current in self.found else ""), "bold")
        status.append(f" · {len(syn.documents)} accounts · base ")
        status.append(f"{label(syn.base)} {printable(syn.documents[syn.base].name)}", "bold")
        status.append(f" · by {ORDER_LABELS[self.order]}")
        if self.history:
            status.append(f" · {len(self.history)} by hand (z undoes)", "bold")
        if self.current is not None:
            status.append(f" · {self.current.kind} {self.current.score:.2f}")
            if self.current.topic:
                status.append(f" · {printable(', '.join(self.current.topic))}", "italic")
        self.query_one("#status", Static).update(status)
        self.query_one("#legend", Static).update(self._legend())

    def _legend(self) -> Text:
        syn, group = self.synopsis, self.current
        if syn is None or group is None:
            return Text()
        palette = self.query_one(GroupView).palette
        base = label(syn.base)
        if group.member(syn.base) is None:
            return Text(f" {base} (the base) lacks this group: nothing to mark; b changes the base")
        if group.kind == "retelling":
            return Text.assemble(f" against {base}: ", ("words shared", palette.word))
        return Text.assemble(
            f" against {base}: ",
            ("added", palette.added),
            "  ",
            ("changed", palette.changed),
            "  ",
            ("spelling", palette.char),
        )

    # -- actions -----------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        table = self.query_one("#groups", DataTable)
        if self.rows:
            row = min(max(table.cursor_row + delta, 0), len(self.rows) - 1)
            table.move_cursor(row=row, animate=False)

    def action_cycle_base(self) -> None:
        self._caught_up()
        if self.synopsis is not None:
            base = (self.synopsis.base + 1) % len(self.synopsis.documents)
            self.show_synopsis(self.synopsis.with_base(base))

    def action_cycle_order(self) -> None:
        self._caught_up()
        if self.synopsis is not None:
            self.order = "accounts" if self.order == "position" else "position"
            self._fill(keep=self.current)

    def action_score(self, step: int) -> None:
        self._caught_up()
        syn = self.synopsis
        if syn is None or self.min_score is None:
            return
        value = round(self.min_score + step * SCORE_STEP, 2)
        if value < syn.options.min_score - 1e-9:
            # Weaker groups were never kept: say how to get them.
            self.notify(
                f"Groups below {syn.options.min_score:.2f} were not kept; "
                "run with --min-score to see weaker ones.",
                severity="warning",
            )
            return
        self.min_score = min(1.0, value)
        self._fill(keep=self.current)

    def action_cycle_accounts(self) -> None:
        self._caught_up()
        if self.synopsis is not None:
            most = len(self.synopsis.documents)
            self.min_accounts = self.min_accounts + 1 if self.min_accounts < most else 2
            self._fill(keep=self.current)

    def action_export(self) -> None:
        if self.synopsis is not None:
            # The groups shown, in the order shown (as the pair view exports its filtered pairs).
            shown = dataclasses.replace(self.synopsis, groups=self.rows)
            self.app.push_screen(*synopsis_export_dialog(self, shown, self._exported))

    def action_copy(self) -> None:
        self._caught_up()
        syn, group = self.synopsis, self.current
        if syn is None or group is None:
            return
        parts = []
        for m in group.members:
            doc = syn.documents[m.doc]
            parts.append(f"{label(m.doc)} {doc.name} {location(doc, m.start, m.end)}\n{m.text}\n")
        self.app.copy_to_clipboard("\n".join(parts))
        self.notify(f"Copied the {len(parts)} passages of the selected group.")

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.add_class("-visible")
        search.value = self.search_text
        search.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        search = self.query_one("#search", Input)
        search.remove_class("-visible")
        self.query_one("#groups", DataTable).focus()
        self.search_text = event.value.strip()
        self._find()
        if self.search_text and not self.found:
            what = escape(printable(self.search_text))
            self.notify(f"No group holds “{what}”.", severity="warning")
        elif self.found:
            self._go_to_match(0)

    def _find(self) -> None:
        """The groups holding the query (case aside, as in the pair view), in row order."""
        pattern = re.compile(re.escape(self.search_text), re.IGNORECASE)
        self.found = tuple(
            g
            for g in self.rows
            if self.search_text and any(pattern.search(m.text) for m in g.members)
        )
        self._update_status()

    def _go_to_match(self, step: int) -> None:
        if not self.found:
            return
        self._caught_up()
        rows = [self._row_of(g) for g in self.found]
        here = self._row_of(self.current) if self.current is not None else -1
        if step > 0:
            row = next((r for r in rows if r > here), rows[0])
        elif step < 0:
            row = next((r for r in reversed(rows) if r < here), rows[-1])
        else:
            row = next((r for r in rows if r >= here), rows[0])
        table = self.query_one("#groups", DataTable)
        table.move_cursor(row=row, animate=False)

    def action_next_match(self) -> None:
        self._go_to_match(1)

    def action_previous_match(self) -> None:
        self._go_to_match(-1)

    def action_to_grid(self) -> None:
        self.query_one("#search", Input).remove_class("-visible")
        self.query_one("#groups", DataTable).focus()

    def action_help(self) -> None:
        self.app.push_screen(SynopsisHelp())

    def partner(self) -> int | None:
        """The account the pair view compares with the base: the chosen one, or
        else the first other account holding the selected group."""
        syn, group = self.synopsis, self.current
        if syn is None:
            return None
        if self.account is not None and self.account != syn.base:
            return self.account
        docs = group.docs if group is not None else ()
        others = [d for d in docs if d != syn.base]
        return others[0] if others else (syn.base + 1) % len(syn.documents)

    def action_pair_view(self) -> None:
        self._caught_up()
        syn, other = self.synopsis, self.partner()
        if syn is None or other is None:
            return
        comparison = syn.comparison(syn.base, other)
        screen = PairScreen(comparison, on_add=functools.partial(self.add_pair, syn.base, other))
        self.app.push_screen(screen)
        pair = self._pair_for(comparison.pairs, syn.base, other)
        if pair is not None:
            screen.call_after_refresh(_select_pair, screen, pair)

    def action_where(self) -> None:
        """Look up where an account tells the selected group: the chosen account
        (column), else the first that lacks it. The passage looked up is the
        base account's member, else the group's first; enter opens the pair
        view of the two accounts on the stretch chosen."""
        self._caught_up()
        syn, group = self.synopsis, self.current
        if syn is None or group is None:
            return
        source = group.member(syn.base) or group.members[0]
        target = self.account if self.account not in (None, source.doc) else None
        if target is None and group.missing:
            target = group.missing[0]
        if target is None:
            self.notify("Every account has this group: choose an account's column to look there.")
            return
        docs = syn.documents
        labels = (label(source.doc), label(target))
        from aligner.tui.screens.lookup import LookupScreen  # only when asked: not at launch

        dialog = LookupScreen(
            (docs[source.doc], docs[target]),
            (source.start, source.end),
            labels,
            adds="adds it to the group",
        )

        def chosen(rank: int | None) -> None:
            if rank is None or dialog.found is None or target is None:
                return
            if dialog.adding:
                stretch = dialog.found.pairs[rank].b
                self._add(group, target, stretch.start, stretch.end)
                return
            screen = PairScreen(
                syn.comparison(source.doc, target),
                on_add=functools.partial(self.add_pair, source.doc, target),
            )
            self.app.push_screen(screen)
            screen.call_after_refresh(screen.show_stretches, dialog.found, 0, rank)

        self.app.push_screen(dialog, chosen)

    def _add(self, group: Group, doc: int, start: int, end: int) -> None:
        """The reader's stretch as the group's passage in account ``doc``."""
        syn = self.synopsis
        assert syn is not None
        try:
            edited = syn.with_member(group, doc, start, end)
        except AlignerError as exc:  # the synopsis changed meanwhile: not expected
            self.notify(f"Not added: {escape(printable(str(exc)))}", severity="error")
            return
        added = Member(doc, start, end, syn.documents[doc].text[start:end], by_hand=True)
        self._edited(edited, next(g for g in edited.groups if added in g.members))
        where = location(syn.documents[doc], start, end)
        self.notify(f"Added {label(doc)} {where} to the group by hand (z undoes).")

    def add_pair(self, a: int, b: int, pair: Pair) -> None:
        """A pair the reader found in the pair view of accounts ``a`` and ``b``
        (``pair.a`` in ``a``): it completes a group that holds one passage and
        lacks the other account, else it is a new group (another passage of a
        group is never replaced unasked); a group holding both has it already."""
        syn = self.synopsis
        assert syn is not None
        spans = (Span(a, pair.a.start, pair.a.end), Span(b, pair.b.start, pair.b.end))
        for here, there in (spans, spans[::-1]):
            for group in syn.groups:
                held, other = group.member(here.doc), group.member(there.doc)
                if not (held and _overlaps(here, held)):
                    continue
                if other is None:
                    self._add(group, there.doc, there.start, there.end)
                    return
                if _overlaps(there, other):  # the synopsis has it already
                    self.current = group
                    self._fill(keep=group)
                    self.notify(f"The synopsis has this parallel already: {label(a)}~{label(b)}.")
                    return
        try:
            edited = syn.with_group(spans, kind=pair.kind, score=pair.score)
        except AlignerError as exc:
            self.notify(f"Not added: {escape(printable(str(exc)))}", severity="error")
            return
        new = next(g for g in edited.groups if g not in syn.groups)
        self._edited(edited, new)
        self.notify(f"A new group of {label(a)} and {label(b)}, by hand (q goes back to it).")

    def action_remove_member(self) -> None:
        self._caught_up()
        syn, group, doc = self.synopsis, self.current, self.account
        if syn is None or group is None:
            return
        if doc is None or group.member(doc) is None:
            self.notify("Choose the column (← →) of an account the group has, then x.")
            return
        edited = syn.without_member(group, doc)
        rest = tuple(m for m in group.members if m.doc != doc)
        left = next((g for g in edited.groups if g.members == rest), None)
        self._edited(edited, left)
        gone = "; the group had two passages and is gone" if left is None else ""
        self.notify(f"Removed {label(doc)}'s passage from the group{gone} (z undoes).")

    def action_undo(self) -> None:
        if not self.history:
            self.notify("Nothing to undo: no passage was added or removed by hand.")
            return
        syn = self.history.pop()
        if self.synopsis is not None and syn.base != self.synopsis.base:
            syn = syn.with_base(self.synopsis.base)
        self.show_synopsis(syn)
        self.notify("Undone.")

    def _edited(self, edited: Synopsis, current: Group | None) -> None:
        assert self.synopsis is not None
        row = self.query_one("#groups", DataTable).cursor_row
        self.history.append(self.synopsis)
        self.current = current
        self.show_synopsis(edited)
        if current is None and self.rows:  # the group went: stay on its row
            self.query_one("#groups", DataTable).move_cursor(
                row=min(row, len(self.rows) - 1), animate=False
            )

    def _pair_for(self, pairs: tuple[Pair, ...], a: int, b: int) -> Pair | None:
        """The comparison's pair for the selected group's members in ``a`` and ``b``."""
        group = self.current
        ma, mb = (group.member(a), group.member(b)) if group else (None, None)
        if ma is None or mb is None:
            return None
        return next((p for p in pairs if _overlaps(p.a, ma) and _overlaps(p.b, mb)), None)


def _overlaps(span: Span, member: Member) -> bool:
    return span.start < member.end and member.start < span.end


def _select_pair(screen: CompareScreen, pair: Pair) -> None:
    screen.query_one(PairList).select_pair(pair)
