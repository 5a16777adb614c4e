"""The list of pairs: kind, score, share of the wording changed (quotations
and versions), location in each document, first words.

It holds view state only (which pairs are shown, in what order, which is
selected); the screen tells it what to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from aligner.model import Document, Pair, SortKey
from aligner.render import BY_HAND
from aligner.tui.render import first_words, location

SORT_LABELS: dict[SortKey, str] = {
    "score": "score",
    "a": "position in A",
    "b": "position in B",
    "changed": "most changed",
}
KIND_LABELS = {"quotation": "quote", "retelling": "retell", "version": "version"}
LOCATION_WIDTH = 5
"""Width of the location columns ("¶123"); wider when a location needs it."""


class PairList(DataTable[str | Text]):
    """A table of pairs, one row each; the cursor row is the selected pair."""

    @dataclass
    class Selected(Message):
        """The cursor moved to another pair."""

        index: int
        """Row of the pair in the list."""
        pair: Pair | None
        """The pair, or ``None`` when the list is empty."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.pairs: tuple[Pair, ...] = ()
        self._widths = (0, 0)

    def on_mount(self) -> None:
        self._columns(LOCATION_WIDTH, LOCATION_WIDTH)

    def _columns(self, width_a: int, width_b: int) -> None:
        """(Re)make the columns, the locations ``width_a`` and ``width_b`` wide."""
        self.clear(columns=True)
        self.add_column("kind", key="kind", width=7)
        self.add_column("score", key="score", width=5)
        self.add_column("chg", key="changed", width=4)
        self.add_column("A", key="a", width=width_a)
        self.add_column("B", key="b", width=width_b)
        self.add_column("first words (A)", key="words")
        self._widths = (width_a, width_b)

    def show(self, pairs: tuple[Pair, ...], docs: tuple[Document, ...], keep: Pair | None) -> None:
        """Replace the rows with ``pairs``; keep the cursor on ``keep`` if still shown."""
        self.pairs = pairs
        a, b = docs[0], docs[1]
        where = [(location(a, p.a.start, p.a.end), location(b, p.b.start, p.b.end)) for p in pairs]
        # A passage across paragraphs reads "¶12–14": the columns widen to show it whole.
        widths = tuple(max([LOCATION_WIDTH, *(len(w[k]) for w in where)]) for k in (0, 1))
        if widths != self._widths:
            self._columns(*widths)
        else:
            self.clear()
        width = max(20, self.app.size.width - 30 - sum(widths))
        self.add_rows(
            (
                (BY_HAND if p.by_hand else "") + KIND_LABELS.get(p.kind, p.kind),
                f"{p.score:.2f}",
                # How much of the wording differs; retellings are told in other words.
                "" if p.kind == "retelling" else f"{p.changed:.0%}",
                loc_a,
                loc_b,
                Text(first_words(p.a_text, width)),  # a str cell is read as markup
            )
            for p, (loc_a, loc_b) in zip(pairs, where, strict=True)
        )
        row = pairs.index(keep) if keep is not None and keep in pairs else 0
        if pairs:
            self.move_cursor(row=row, animate=False)
        self.post_message(self.Selected(row, pairs[row] if pairs else None))

    @property
    def selected(self) -> Pair | None:
        """The pair under the cursor."""
        row = self.cursor_row
        return self.pairs[row] if 0 <= row < len(self.pairs) else None

    def step(self, delta: int) -> Pair | None:
        """Move the cursor ``delta`` rows, staying in the list; return the pair there."""
        if not self.pairs:
            return None
        row = min(max(self.cursor_row + delta, 0), len(self.pairs) - 1)
        self.move_cursor(row=row, animate=False)
        return self.pairs[row]

    def select_pair(self, pair: Pair) -> None:
        """Put the cursor on ``pair`` if it is shown."""
        if pair in self.pairs:
            self.move_cursor(row=self.pairs.index(pair), animate=False)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = event.cursor_row
        if 0 <= row < len(self.pairs):
            self.post_message(self.Selected(row, self.pairs[row]))
