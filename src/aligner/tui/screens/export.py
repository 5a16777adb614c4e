"""The export dialog: ask for a file name, and never overwrite without a yes.

Enter on a new name exports; on an existing file it asks first, and only a
second Enter on the same name overwrites it. The dialog returns the chosen
path and whether overwriting was confirmed; the writing is done elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message_pump import MessagePump
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from aligner.export import (
    OutputError,
    foreign_suffix,
    format_of,
    render_report,
    unusable_name,
    write_output,
)
from aligner.model import Comparison

if TYPE_CHECKING:
    from aligner.synopsis import Synopsis

ExportChoice = tuple[Path, bool]
"""The path to write and whether overwriting it was confirmed."""


def default_name(comparison: Comparison) -> str:
    """``<a>-vs-<b>.md`` from the documents' names."""
    stems = [Path(doc.name).stem or "text" for doc in comparison.documents[:2]]
    return "-vs-".join(stems) + ".md"


HINT = "Markdown, or JSON for a .json name, text for .txt. Enter to export, Escape to cancel."


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Ask where to export the shown pairs."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", show=True)]

    def __init__(self, suggestion: str, count: int, what: str = "pair(s)") -> None:
        super().__init__()
        self.suggestion = suggestion
        self.count = count
        self.what = what
        self._confirming: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            yield Static(
                Text(f"Export {self.count} shown {self.what}", style="bold"),
                classes="dialog-title",
            )
            yield Input(value=self.suggestion, placeholder="file name", id="export-path")
            yield Static(HINT, id="export-hint")

    @on(Input.Changed)
    def _forget_confirmation(self) -> None:
        if self._confirming is not None:
            self._confirming = None
            self.query_one("#export-hint", Static).update(HINT)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        hint = self.query_one("#export-hint", Static)
        if not name:
            hint.update(Text("Type a file name first.", style="bold"))
            return
        path = Path(name).expanduser()
        if problem := unusable_name(path):
            hint.update(Text(f"Cannot use that name ({problem}).", style="bold"))
            return
        if path.is_dir():
            hint.update(Text(f"{path} is a folder: type a file name.", style="bold"))
            return
        if foreign := foreign_suffix(path):
            hint.update(Text(f"Not {foreign}: name the file .md, .json or .txt.", "bold"))
            return
        if path.exists() and self._confirming != path:
            self._confirming = path
            hint.update(
                Text(f"{path} exists. Enter again to overwrite it, Escape to cancel.", "bold")
            )
            return
        self.dismiss((path, path.exists()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def export_dialog(
    owner: MessagePump, comparison: Comparison, on_saved: Callable[[], None] | None = None
) -> tuple[ExportScreen, Callable[[ExportChoice | None], None]]:
    """The dialog for exporting ``comparison``, and the callback that writes it.

    Push both with ``app.push_screen(*export_dialog(...))``; the outcome is
    reported with ``owner.notify``, and ``on_saved`` is called once it is written.
    """

    def save(path: Path, force: bool) -> None:
        write_output(render_report(comparison, format_of(path)), path, force=force)

    return _dialog(
        owner, save, default_name(comparison), len(comparison.pairs), "pair(s)", on_saved
    )


def synopsis_export_dialog(
    owner: MessagePump, synopsis: Synopsis, on_saved: Callable[[], None] | None = None
) -> tuple[ExportScreen, Callable[[ExportChoice | None], None]]:
    """``export_dialog`` for a synopsis: its table of groups and one section each."""

    def save(path: Path, force: bool) -> None:
        write_output(render_report(synopsis, format_of(path)), path, force=force)

    stems = [Path(doc.name).stem or "text" for doc in synopsis.documents]
    name = "-".join(stems[:3]) + ("-etc" if len(stems) > 3 else "") + "-synopsis.md"
    return _dialog(owner, save, name, len(synopsis.groups), "group(s)", on_saved)


def _dialog(
    owner: MessagePump,
    save: Callable[[Path, bool], None],
    name: str,
    count: int,
    what: str,
    on_saved: Callable[[], None] | None,
) -> tuple[ExportScreen, Callable[[ExportChoice | None], None]]:
    def write(choice: ExportChoice | None) -> None:
        if choice is None:
            return
        path, force = choice
        try:
            save(path, force)
        except (OSError, OutputError) as exc:
            owner.app.notify(f"Not exported: {escape(str(exc))}", severity="error", timeout=8)
            return
        owner.app.notify(f"Exported {count} {what} to {escape(str(path))}")
        if on_saved is not None:
            on_saved()

    return ExportScreen(name, count, what), write
