"""The detail screen: why two passages were paired (score, kind, evidence)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from aligner.model import Comparison, Pair
from aligner.render import changed_label, marks_differences, printable
from aligner.tui.render import first_words, location


def _occurrences(spans: tuple[tuple[int, int], ...]) -> str:
    return f"{len(spans)}×"


def evidence_table(pair: Pair) -> Table:
    """The evidence of ``pair``, strongest first."""
    table = Table(box=None, padding=(0, 1), expand=True, header_style="bold")
    table.add_column("what", no_wrap=True)
    table.add_column("shared", ratio=1)
    table.add_column("weight", justify="right", no_wrap=True)
    table.add_column("A", justify="right", no_wrap=True)
    table.add_column("B", justify="right", no_wrap=True)
    for ev in pair.evidence:
        term = Text(printable(ev.term))  # a str cell is read as markup
        table.add_row(ev.kind, term, f"{ev.weight:.2f}", _occurrences(ev.a), _occurrences(ev.b))
    return table


def summary(comparison: Comparison, pair: Pair) -> Text:
    """Kind, score, both locations and the first words of each passage."""
    a, b = comparison.documents[0], comparison.documents[1]
    out = Text()
    out.append(f"{pair.kind}", "bold")
    out.append(f" · score {pair.score:.2f}")
    if marks_differences(pair):
        out.append(f" · {changed_label(pair)}")
    out.append("\n\n")
    for doc, span, text in ((a, pair.a, pair.a_text), (b, pair.b, pair.b_text)):
        out.append(f"{printable(doc.name)} {location(doc, span.start, span.end)}", "bold")
        out.append(f"  {span.start:,}–{span.end:,} ({len(span):,} chars)\n", "dim")
        out.append(f"  {first_words(text, 150)}\n\n")
    out.rstrip()
    return out


class DetailScreen(ModalScreen[None]):
    """Score, kind and evidence of one pair."""

    BINDINGS = [Binding("escape,q,i,enter", "dismiss", "Close", show=True)]

    def __init__(self, comparison: Comparison, pair: Pair) -> None:
        super().__init__()
        self.comparison = comparison
        self.pair = pair

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-box", classes="dialog"):
            yield Static(
                Text("Why these passages are paired", style="bold"), classes="dialog-title"
            )
            yield Static(summary(self.comparison, self.pair), id="detail-summary")
            if self.pair.evidence:
                yield Static(evidence_table(self.pair), id="detail-evidence")
            else:
                yield Static(Text("The engine gave no evidence for this pair.", style="italic"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
