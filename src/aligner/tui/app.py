"""AlignerApp: the Textual app that shows one comparison of two accounts,
or a synopsis of three or more.

The app paints at once; a thread worker runs ``aligner.compare`` (or
``aligner.synopsis.synopsis`` for three or more documents) and reports back
with messages (``ComparisonProgress``, ``ComparisonReady``, ``SynopsisReady``,
``ComparisonFailed``). Everything else lives in the compare and synopsis screens.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from aligner.engine import compare
from aligner.model import AlignerError, Comparison, Options, SortKey
from aligner.render import printable
from aligner.segment import Segmented
from aligner.synopsis import Synopsis, synopsis
from aligner.tui.commands import COMMANDS, CORRECTIONS, SYNOPSIS_COMMANDS
from aligner.tui.messages import (
    ComparisonFailed,
    ComparisonProgress,
    ComparisonReady,
    SynopsisReady,
)
from aligner.tui.screens.compare import CompareScreen
from aligner.tui.screens.help import HelpScreen
from aligner.tui.screens.synopsis import SynopsisScreen
from aligner.workers import Child

YOUNG_OBJECTS = 10_000
"""Allocations between two collections of the young generation while the app
runs (Python's default is 700)."""


def _names(paths: Sequence[Path]) -> str:
    """``a.txt and b.txt``, or ``a.txt, b.txt and c.txt``, safe to print."""
    names = [p.name for p in paths]
    return printable(" and ".join([", ".join(names[:-1]), names[-1]] if names else []))


class AlignerApp(App[None]):
    """Two accounts side by side, with their parallel passages lined up."""

    TITLE = "aligner"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(
        self,
        *,
        paths: Sequence[str | Path] | None = None,
        comparison: Comparison | None = None,
        options: Options | None = None,
        synopsis: Synopsis | None = None,
        pending: Child[Comparison | Synopsis] | None = None,
        sort: SortKey = "a",
        segmented: Mapping[int, Segmented] | None = None,
    ) -> None:
        """Open on ``paths`` (aligned in a worker), a ready ``comparison`` or ``synopsis``.

        Args:
            paths: The documents: two are compared, three or more make a synopsis.
            comparison: A precomputed comparison (tests, or a caller that has one).
            options: Engine options for ``paths``.
            synopsis: A precomputed synopsis of three or more documents.
            pending: The alignment of ``paths`` already under way in another
                process (the CLI starts it before the app); if it fails, the
                app aligns ``paths`` itself.
            sort: The first order of the pair list (``s`` cycles it).
            segmented: Documents of ``paths`` (by index) this process has
                segmented already: with ``pending``, kept for the look-ups.
        """
        super().__init__()
        if comparison is None and synopsis is None and (paths is None or len(paths) < 2):
            raise ValueError("AlignerApp needs two or more paths, a comparison or a synopsis")
        self.paths = tuple(Path(p) for p in paths or ())
        self.comparison = comparison
        self.synopsis = synopsis
        self.options = options
        self.pending = pending
        self.sort = sort
        self._segmented = dict(segmented or {})
        self.error: str | None = None
        self._frozen = False
        """Whether this app froze its result out of the cycle collector."""
        self._warned_at: int | None = None
        """How many corrections there were when quitting last warned of them."""
        self._threshold: tuple[int, ...] = gc.get_threshold()
        """The cycle collector's thresholds before the app raised them."""
        self._painted = threading.Event()
        """Set once the result is on screen."""

    def get_default_screen(self) -> Screen[None]:
        if self.synopsis is not None or (self.comparison is None and len(self.paths) > 2):
            return SynopsisScreen(self.synopsis)
        return CompareScreen(self.comparison, sort=self.sort)

    @property
    def compare_screen(self) -> CompareScreen:
        """The topmost compare screen (the main one, or a synopsis's pair view)."""
        screen = next(s for s in reversed(self.screen_stack) if isinstance(s, CompareScreen))
        return screen

    @property
    def main_screen(self) -> CompareScreen | SynopsisScreen:
        """The bottom of the stack: where the worker's results go."""
        screen = self.screen_stack[0]
        assert isinstance(screen, CompareScreen | SynopsisScreen)
        return screen

    def on_mount(self) -> None:
        if self.comparison is None and self.synopsis is None:
            self.sub_title = _names(self.paths)
            # Start once the screen is composed, so results always have widgets to go to.
            self.call_after_refresh(self.run_compare)
        else:  # given the result: it is on screen after the first refresh
            self.call_after_refresh(self._freeze_result)

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare")
    def run_compare(self) -> None:
        """Load and align the documents off the event loop."""
        worker = get_current_worker()

        def progress(share: float) -> None:
            if not self._stopped(worker):
                self.post_message(ComparisonProgress(share))

        outcome: list[Comparison | Synopsis | BaseException] = []
        pending, self.pending = self.pending, None
        if pending is not None:
            done = pending.result(progress, cancelled=lambda: self._stopped(worker))
            if self._stopped(worker):
                return
            if done is not None:
                outcome.append(done)

        def align() -> None:
            try:
                if len(self.paths) > 2:
                    outcome.append(synopsis(self.paths, options=self.options, progress=progress))
                    return
                outcome.append(
                    compare(self.paths[0], self.paths[1], options=self.options, progress=progress)
                )
            except BaseException as exc:  # reported below, in the worker
                outcome.append(exc)

        # The engine cannot be interrupted, so it runs in a daemon thread: quitting
        # while it works cancels this worker, which returns at once instead of
        # keeping the process alive until the alignment ends.
        if not outcome:
            engine = threading.Thread(target=align, name="aligner-compare", daemon=True)
            engine.start()
            while engine.is_alive():
                engine.join(0.05)
                if self._stopped(worker):
                    return
        result = outcome[0]
        if isinstance(result, AlignerError):
            self.post_message(ComparisonFailed(str(result)))
        elif isinstance(result, BaseException):
            raise result
        elif isinstance(result, Synopsis):
            self.post_message(SynopsisReady(result))
        else:
            self.post_message(ComparisonReady(result))
        if pending is not None and not isinstance(result, BaseException):
            self._adopt_segmentations(pending, result, worker)

    def _stopped(self, worker: Worker[None]) -> bool:
        """Whether the worker should give up: cancelled, or its app no longer
        running (a key typed before the app started can end it before the
        worker starts, and then no one cancels it or paints the result)."""
        return worker.is_cancelled or not self.is_running

    def _adopt_segmentations(
        self,
        pending: Child[Comparison | Synopsis],
        result: Comparison | Synopsis,
        worker: Worker[None],
    ) -> None:
        """Once the result is on screen: keep the engine process's segmentations
        of the documents, and load the word vectors, for the look-ups (``w``).

        The first look-up then starts from there instead of segmenting its
        target and loading the vectors itself (a second or more on the samples).
        """
        while not self._painted.wait(0.05):
            if self._stopped(worker):
                return
        packed = pending.after_result(cancelled=lambda: self._stopped(worker))
        if not isinstance(packed, list) or len(packed) != len(result.documents):
            return
        from aligner import parallel, segment
        from aligner.features import prepare

        try:
            for k, (doc, one) in enumerate(zip(result.documents, packed, strict=True)):
                if self._stopped(worker):
                    break
                if one is not None:
                    seg = parallel.unpack(doc, one)
                elif (own := self._segmented.get(k)) is not None and own.doc.text == doc.text:
                    # Segmented here before the app started: the result holds
                    # the engine's copy of the document.
                    seg = dataclasses.replace(own, doc=doc)
                else:
                    continue
                segment.keep(seg)
                prepare(seg)
        except Exception:  # noqa: BLE001 - a head start lost: the look-up does it all itself
            return
        gc.freeze()  # what was kept lives as long as the app

    @on(ComparisonProgress)
    def handle_progress(self, message: ComparisonProgress) -> None:
        names = _names(self.paths)
        self.main_screen.show_progress(message.share, f"Aligning {names}…")

    @on(ComparisonReady)
    def handle_ready(self, message: ComparisonReady) -> None:
        self.comparison = message.comparison
        self.compare_screen.show_comparison(message.comparison)
        self.call_after_refresh(self._freeze_result)

    def _freeze_result(self) -> None:
        """Exempt what the app holds, once the result is in, from the cycle collector.

        The result (and, when the engine ran in this process, its cached
        segmentations: hundreds of thousands of objects) lives as long as the
        app. Each full collection would walk all of it, a pause of 100-200 ms
        in the middle of a key press; frozen (after the first paint), it is not
        walked again until the app ends.

        What each key press draws (a thousand-odd strips at 200x60) makes
        young objects fast: at the default threshold a full collection of
        what the app made since (50-85 ms) fell every six or so presses in
        reading mode. Collections of the young come less often now, and full
        ones not within 40 presses.
        """
        gc.freeze()
        if not self._frozen:
            self._threshold = gc.get_threshold()
            gc.set_threshold(max(self._threshold[0], YOUNG_OBJECTS), *self._threshold[1:])
        self._frozen = True
        self._painted.set()

    def on_unmount(self) -> None:
        if self._frozen:
            gc.unfreeze()  # what the app held may be collected again
            gc.set_threshold(*self._threshold)

    @on(SynopsisReady)
    def handle_synopsis(self, message: SynopsisReady) -> None:
        self.synopsis = message.synopsis
        self.call_after_refresh(self._freeze_result)
        screen = self.main_screen
        assert isinstance(screen, SynopsisScreen)
        screen.show_synopsis(message.synopsis)

    @on(ComparisonFailed)
    def handle_failed(self, message: ComparisonFailed) -> None:
        self.error = message.error
        self.main_screen.show_error(printable(message.error))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a crash of the engine as a message, not a traceback."""
        if event.worker.group == "compare" and event.state == WorkerState.ERROR:
            error = event.worker.error
            text = f"Unexpected {type(error).__name__} in the engine: {error}"
            self.post_message(ComparisonFailed(text))

    async def action_quit(self) -> None:
        """Quit; with corrections not exported, the first ``q`` says so."""
        main = self.screen_stack[0]
        if isinstance(main, CompareScreen | SynopsisScreen) and main.unexported:
            if self._warned_at != len(main.history):
                self._warned_at = len(main.history)
                self.notify(
                    f"{len(main.history)} correction(s) by hand not exported: "
                    "e exports them (a .json name keeps them for aligner open); q again quits.",
                    severity="warning",
                    timeout=8,
                )
                return
        self.exit()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and marks of the aligner", self.action_help)
        if not any(isinstance(s, CompareScreen) for s in self.screen_stack):
            if isinstance(self.main_screen, SynopsisScreen):
                synopsis = self.main_screen
                for title, help_text, action in SYNOPSIS_COMMANDS:
                    yield SystemCommand(title, help_text, partial(synopsis.run_action, action))
            return
        main = self.compare_screen
        for title, help_text, action in COMMANDS:
            if main.CORRECTIONS or action not in CORRECTIONS:
                yield SystemCommand(title, help_text, getattr(main, f"action_{action}"))
