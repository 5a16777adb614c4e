"""The look-up dialog (``w``): where the other document tells a passage.

It opens at once and runs ``aligner.find_parallels`` in a worker thread (the
first look-up in a document segments it: a second or so for a book chapter),
then lists the stretches of the other document most like the passage, best
first, and shows the highlighted one beside the passage with what they share
marked. It never ranks anything itself.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from aligner.model import AlignerError, Comparison, Document
from aligner.render import printable
from aligner.tui.render import first_words, location
from aligner.tui.widgets.side_by_side import SideBySide


def option_label(found: Comparison, rank: int, width: int = 80) -> Text:
    """One row of the list, at most ``width`` cells: rank, similarity, where,
    first words."""
    pair, target = found.pairs[rank], found.documents[1]
    label = Text()
    label.append(f"#{rank + 1} ", style="bold")
    label.append(f"{pair.score:.2f} ")
    label.append(f"{location(target, pair.b.start, pair.b.end)} ", style="dim")
    label.append(first_words(pair.b_text, max(10, width - label.cell_len)))
    return label


class LookupScreen(ModalScreen[int | None]):
    """The stretches of one document most like a passage of the other.

    Dismissed with the rank of the stretch to go to, or ``None``.
    """

    BINDINGS = [
        Binding("escape,q,w", "dismiss_none", "Close", show=True),
        Binding("enter", "go", "Go there", show=True),
        Binding("a", "add", "Add to the group", show=True),
        Binding("n,j", "step(1)", "Next", show=False),
        Binding("p,k", "step(-1)", "Prev", show=False),
    ]

    def __init__(
        self,
        docs: tuple[Document, Document],
        passage: tuple[int, int],
        labels: tuple[str, str] = ("A", "B"),
        *,
        found: Comparison | None = None,
        adds: str = "",
    ) -> None:
        """Look up ``docs[0][passage]`` in ``docs[1]``; ``labels`` are how the
        compare screen names them. ``found``: the answer, already known.
        ``adds``: what ``a`` does with the highlighted stretch ("adds it as
        a pair"), if anything: it dismisses with its rank, ``adding`` True."""
        super().__init__()
        self.docs = docs
        self.passage = passage
        self.labels = labels
        self.found = found
        self.adds = adds
        self.adding = False

    def compose(self) -> ComposeResult:
        source, target = self.docs
        title = Text(f"Where does {self.labels[1]}, ", style="bold")
        title.append(printable(target.name))
        title.append(f", tell {self.labels[0]} {location(source, *self.passage)}?")
        with Vertical(id="lookup-box", classes="dialog"):
            yield Static(title, classes="dialog-title")
            yield Static(Text("Looking it up…", style="italic"), id="lookup-hint")
            yield OptionList(id="lookup-list")
            yield SideBySide(id="lookup-pair")

    def on_mount(self) -> None:
        if self.found is not None:
            self._show_found(self.found)
        else:
            self._look_up()

    @work(thread=True, exclusive=True)
    def _look_up(self) -> None:
        from aligner.lookup import find_parallels

        try:
            found = find_parallels(self.docs[0], self.docs[1], *self.passage)
        except AlignerError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show_found, found)

    def _failed(self, message: str) -> None:
        if not self.is_attached:  # closed before the answer came
            return
        self.query_one("#lookup-hint", Static).update(Text(printable(message), style="italic"))

    def _show_found(self, found: Comparison) -> None:
        if not self.is_attached:  # closed before the answer came
            return
        self.found = found
        hint = self.query_one("#lookup-hint", Static)
        if not found.pairs:
            hint.update(Text("Nothing there shares a word with this passage.", style="italic"))
            return
        hint.update(
            Text(
                "Most similar first. Scores are similarities, not the engine's confidence: "
                f"read them and judge. Enter goes there{', a ' + self.adds if self.adds else ''}.",
                style="dim",
            )
        )
        options = self.query_one(OptionList)
        # One line each: the list's width less its padding and scrollbar.
        width = options.content_region.width - 3
        options.add_options(Option(option_label(found, k, width)) for k in range(len(found.pairs)))
        options.highlighted = 0
        options.focus()
        self._show(0)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show(event.option_index)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def _show(self, rank: int) -> None:
        if self.found is not None:
            self.query_one(SideBySide).show(self.found.pairs[rank], self.found.documents)

    @property
    def rank(self) -> int | None:
        """The stretch highlighted in the list (``None`` before the answer)."""
        if self.found is None or not self.found.pairs:
            return None
        return self.query_one(OptionList).highlighted

    def action_step(self, delta: int) -> None:
        if self.found is not None and self.found.pairs:
            options = self.query_one(OptionList)
            options.highlighted = ((options.highlighted or 0) + delta) % len(self.found.pairs)

    def action_go(self) -> None:
        if self.rank is not None:
            self.dismiss(self.rank)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``a`` only where the stretch can be added (hidden elsewhere)."""
        return bool(self.adds) if action == "add" else True

    def action_add(self) -> None:
        if self.adds and self.rank is not None:
            self.adding = True
            self.dismiss(self.rank)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
