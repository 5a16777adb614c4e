"""App-level messages: what the compare worker reports back to the app.

The worker runs in a thread; these messages are the only way its results
reach the widgets (``App.post_message`` is thread-safe).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from aligner.model import Comparison
from aligner.synopsis import Synopsis


@dataclass
class ComparisonProgress(Message):
    """The engine reports how far it has got."""

    share: float
    """Share of the work done, 0.0-1.0."""


@dataclass
class ComparisonReady(Message):
    """The engine finished: here is what it found."""

    comparison: Comparison
    """The result to show."""


@dataclass
class SynopsisReady(Message):
    """The engine aligned three or more documents together."""

    synopsis: Synopsis
    """The result to show."""


@dataclass
class ComparisonFailed(Message):
    """The engine could not compare the documents."""

    error: str
    """A readable explanation, shown to the user as is."""
