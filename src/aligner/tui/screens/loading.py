"""What a results screen shows while the engine works, or when it fails."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import ProgressBar, Static


class LoadingScreen(Screen[None]):
    """A screen with a ``#loading-message`` and a progress bar, shown before its results.

    The compare and synopsis screens both start this way; only the words of
    the error differ (``ERROR_TITLE``).
    """

    ERROR_TITLE = "Could not compare the documents"

    def show_progress(self, share: float, label: str = "Aligning…") -> None:
        """Show how far the engine has got."""
        self.query_one("#loading-message", Static).update(Text(f"{label} {share:.0%}"))
        self.query_one(ProgressBar).update(progress=share)

    def show_error(self, message: str) -> None:
        """Show an engine error in place of the results."""
        self.query_one(ProgressBar).display = False
        error = Text(f"{self.ERROR_TITLE}\n\n", style="bold")
        error.append(message, style="")
        error.append("\n\nPress q to quit.", style="dim")
        self.query_one("#loading-message", Static).update(error)
        self.query_one("#loading-message").add_class("-error")
