"""What the pair view and the synopsis keep of the reader's corrections.

Each correction (a pair or passage added or removed by hand) replaces the
screen's result; the one before goes on ``history``, which ``z`` pops. An
export records how many there were, so that quitting can ask first while
some are not exported.
"""

from __future__ import annotations

from typing import Any


class Corrections:
    """``history`` and ``exported_at`` of a screen whose results the reader corrects."""

    history: list[Any]
    """The result before each correction, oldest first (``z`` undoes the last)."""
    exported_at: int
    """How many corrections there were at the last export."""

    def _start_corrections(self) -> None:
        self.history = []
        self.exported_at = 0

    @property
    def unexported(self) -> bool:
        """Whether corrections were made (or undone) since the last export."""
        return len(self.history) != self.exported_at

    def _exported(self) -> None:
        self.exported_at = len(self.history)
