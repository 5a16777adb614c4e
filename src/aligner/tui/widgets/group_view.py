"""Every member of one group in full, each marked against the base account.

The marks come from the engine (``Synopsis.shown``); the widget only styles
and lays them out.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from aligner.model import Group
from aligner.render import BY_HAND, printable
from aligner.synopsis import Synopsis
from aligner.synopsis_report import label
from aligner.tui.render import Palette, location, passage_text

GAP = "—"
"""What the synopsis shows where an account lacks the group."""


class GroupView(VerticalScroll, can_focus=True):
    """Every member of one group, in full, marked against the base member."""

    COMPONENT_CLASSES = {
        "group-view--added",
        "group-view--changed",
        "group-view--char",
        "group-view--word",
        "group-view--heading",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.texts: dict[int, Text] = {}
        """Each member's passage as shown, by document (for tests)."""
        self._shown: tuple[Synopsis, Group | None, int | None] | None = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        shown = getattr(self, "_shown", None)
        if shown is not None:
            # The theme changed: repaint the marks in its colours.
            self.call_later(self.show, *shown)

    def compose(self) -> ComposeResult:
        yield Static(id="members")

    @property
    def palette(self) -> Palette:
        """The marks, from ``app.tcss`` (only side b's marks are used here)."""
        style = self.get_component_rich_style
        return Palette(
            added=style("group-view--added", partial=True),
            changed=style("group-view--changed", partial=True),
            char=style("group-view--char", partial=True),
            word=style("group-view--word", partial=True),
        )

    def show(self, syn: Synopsis, group: Group | None, chosen: int | None) -> None:
        """Render ``group``'s members; ``chosen`` is the account under the cursor."""
        self._shown, self.texts = (syn, group, chosen), {}
        body = self.query_one("#members", Static)
        if group is None:
            body.update(Text("The engine found no parallels shared by these accounts.", "italic"))
            return
        palette, heading = self.palette, self.get_component_rich_style("group-view--heading")
        out = Text()
        for doc in range(len(syn.documents)):
            member = group.member(doc)
            out.append("▸ " if doc == chosen else "  ", heading)
            out.append(f" {label(doc)} ", "bold reverse")
            out.append(f" {printable(syn.documents[doc].name)}", heading)
            if doc == syn.base:
                out.append("  (base)", "bold")
            if member is None:
                out.append(f"  {GAP} no parallel\n\n", "dim")
                continue
            where = location(syn.documents[doc], member.start, member.end)
            out.append(f"  {where} · {member.start:,}–{member.end:,}", "dim")
            if member.by_hand:
                out.append(f"  {BY_HAND} added by hand", "bold")
            out.append("\n", "dim")
            text = passage_text(syn.shown(group, member), "b", palette, syn.documents[doc])
            self.texts[doc] = text
            out.append_text(text)
            out.append("\n\n")
        out.rstrip()
        body.update(out)
        self.scroll_home(animate=False)
