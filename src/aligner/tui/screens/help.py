"""The help screen (``?``): every key, grouped, in a table that scrolls (↑ ↓) where
the terminal is too small for it, as 80x24 is."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, str], ...] = (
    ("n / j", "next pair"),
    ("p / k", "previous pair"),
    ("↑ ↓ / click", "move in the pair list"),
    ("d", "whole-document reading mode / pair view"),
    ("i / enter", "details: score, kind, evidence"),
    ("s", "sort: place in A, in B, score, most changed"),
    ("+ / -", "raise / lower the minimum score"),
    ("t", "show all kinds, or one kind"),
    ("/", "search both documents"),
    ("u", "unpaired passages: what the other lacks"),
    ("w", "where the other tells the passage read (look-up)"),
    ("x / z", "remove the selected pair / undo"),
    ("] / [", "next / previous match or stretch"),
    ("escape", "clear the search"),
    ("e", "export the shown pairs (Markdown, .json, .txt)"),
    ("c", "copy the selected pair's text"),
    ("ctrl+p", "command palette"),
    ("?", "this help"),
    ("q", "quit"),
)
"""Every key of the app, as the help screen and docs/tui.md list them."""

MARKS = (
    "Quotations: [strike]removed[/] in A, [underline]added[/] in B, [italic]changed[/] words, "
    "[reverse bold]letters[/] that differ in spelling variants.\n"
    "Retellings: shared [bold]names[/], [bold]dates[/] and [bold]numbers[/], "
    "[underline]rare words[/].\n"
    "Reading mode: │ aligned passage, ┃ selected pair, [dim]dim: no parallel[/]."
)


class HelpScreen(ModalScreen[None]):
    """Keys and marks; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", show=True),
    ]

    HEADING = "aligner: keys"
    """The dialog's title."""
    KEYS: tuple[tuple[str, str], ...] = KEYS
    """(key, action) rows; subclasses list their own screen's keys."""
    MARKS: str = MARKS
    """The key to the passage marks, as Rich markup."""

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action", ratio=1)
        for key, action in self.KEYS:
            table.add_row(key, action)
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static(Text(self.HEADING, style="bold"), classes="dialog-title")
            yield Static(table)
            yield Static(Text.from_markup(self.MARKS), id="help-marks")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
