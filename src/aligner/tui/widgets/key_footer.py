"""Textual's footer, rebuilt only when the keys it shows change.

Textual's ``Footer`` rebuilds its key widgets each time the screen announces
that its bindings were updated, and it is told so several times while a
screen starts (the screen mounts, then focus settles): each rebuild mounts a
widget per key and styles it, most of a tenth of a second of the app's start
(``bench/bench_tui.py``) for the same keys each time. ``KeyFooter`` looks
before it rebuilds: what it would show, and how, against what it shows.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer

_SETTINGS = ("compact", "show_command_palette", "combine_groups")
"""The footer's own settings that its ``compose`` reads."""


class KeyFooter(Footer):
    """A ``Footer`` that skips rebuilds that would show the same keys."""

    _shown: tuple[Hashable, ...] | None = None
    """What the last rebuild showed (``_keys``)."""

    async def recompose(self) -> None:
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()

    def _keys(self) -> tuple[Hashable, ...]:
        """Everything ``Footer.compose`` reads: the shown bindings and whether
        each is enabled, and the footer's own settings."""
        if not self.is_attached:
            return ()
        shown = tuple(
            (b.key, b.action, b.description, getattr(b, "group", None), enabled, tooltip)
            for _node, b, enabled, tooltip in self.screen.active_bindings.values()
            if b.show
        )
        # Read as Textual's versions have them (not every one has every setting).
        settings = tuple(getattr(self, name, None) for name in _SETTINGS)
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        ready = getattr(self, "_bindings_ready", True)  # Footer shows nothing before
        return (ready, settings, shown, palette and palette[1:])
