"""Benchmark of the TUI on the two largest samples (not a timed test).

Prints three figures:

* launch -> first screen showing aligned passages: from creating the app
  (which starts the compare worker) to the first paint of the pair view with
  a selected pair, engine time included;
* the app's first look-up: ``w`` -> its stretches on screen;
* key press ``n`` -> repaint: from the key's action to the end of the first
  screen refresh after the new pair is selected (``p`` on the way back when
  the list is short), as the median (and worst) over many presses, in the pair
  view and in the whole-document reading mode.

Alongside the wall-clock figure it prints the app's busy time per press: the
time spent handling messages and running timers (selection, scrolling,
rendering, painting) between the key and the paint. Where the two differ, the
app sat idle waiting for its next frame in the test harness, not working.

First, the launch as a user sees it: the ``aligner`` command started in a
pseudo-terminal, until the pair list shows on screen. There the CLI
starts the engine in a second process before the app, so both proceed at
once. Then, in the same terminal, the app's first look-up (``w`` a second
after the pairs show, until its stretches do). The in-process figures
below run the engine in the app's worker thread instead (the fallback where
forking is not possible).

Run: ``.venv/bin/python bench/bench_tui.py [A B]``. Bars (issue 3): first
screen <= 1.5 s, n -> repaint <= 50 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from textual.message import Message
from textual.message_pump import MessagePump
from textual.timer import Timer

from aligner.tui.app import AlignerApp

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = (
    ROOT / "samples" / "revolution-to-counter-revolution.txt",
    ROOT / "samples" / "soviet-power-to-bonapartism.txt",
)
PRESSES = 40


class _Busy:
    """Adds up the time the event loop spends in the app's handlers and timers."""

    def __init__(self) -> None:
        self.total = 0.0
        self._depth = 0
        dispatch = MessagePump._dispatch_message  # noqa: SLF001
        run_timer = Timer._run  # noqa: SLF001
        busy = self

        async def timed_dispatch(pump: MessagePump, message: Message) -> object:
            busy._depth += 1
            start = time.perf_counter()
            try:
                return await dispatch(pump, message)
            finally:
                busy._depth -= 1
                if not busy._depth:  # nested dispatches are counted once
                    busy.total += time.perf_counter() - start

        async def timed_timer(timer: Timer) -> None:
            start = time.perf_counter()
            try:
                await run_timer(timer)
            finally:
                busy.total += time.perf_counter() - start

        MessagePump._dispatch_message = timed_dispatch  # type: ignore[method-assign,assignment]  # noqa: SLF001
        Timer._run = timed_timer  # type: ignore[method-assign]  # noqa: SLF001


BUSY = _Busy()


async def _wait_for_pairs(app: AlignerApp, pilot: object) -> None:
    while app.comparison is None and app.error is None:
        await asyncio.sleep(0.005)
    await pilot.pause()  # type: ignore[attr-defined]


class _Clock:
    """Times key press -> repaint inside the app, without the test harness's own waits.

    The clock starts when the screen's action runs and stops at the end of
    the first compositor refresh (the paint) after the new pair was selected.
    """

    def __init__(self, app: AlignerApp) -> None:
        self.start = 0.0
        self.selected_at = 0.0
        self.times: list[float] = []
        screen = app.compare_screen
        next_pair, previous_pair = screen.action_next_pair, screen.action_previous_pair
        select = screen._select  # noqa: SLF001
        refresh = screen._compositor_refresh  # noqa: SLF001

        def timed(action: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                self.start = time.perf_counter()
                self.selected_at = 0.0
                action()

            return run

        def timed_select(*args: object, **kwargs: object) -> None:
            select(*args, **kwargs)  # type: ignore[arg-type]
            self.selected_at = time.perf_counter()

        def timed_refresh() -> None:
            refresh()
            if self.start and self.selected_at:
                self.times.append(time.perf_counter() - self.start)
                self.start = 0.0

        screen.action_next_pair = timed(next_pair)  # type: ignore[method-assign]
        screen.action_previous_pair = timed(previous_pair)  # type: ignore[method-assign]
        screen._select = timed_select  # type: ignore[method-assign]  # noqa: SLF001
        screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]  # noqa: SLF001


async def _presses(app: AlignerApp, pilot: object, clock: _Clock, busy: list[float]) -> list[float]:
    """Press n through the list (p on the way back when there are few pairs)."""
    clock.times = []
    screen = app.compare_screen
    key = "n"
    for _ in range(PRESSES):
        if screen.current is screen.shown[-1]:
            key = "p"
        elif screen.current is screen.shown[0]:
            key = "n"
        BUSY.total = 0.0
        await pilot.press(key)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        busy.append(BUSY.total)
    return list(clock.times)


async def _ui_launch(done: AlignerApp, size: tuple[int, int]) -> float:
    """Launch -> first painted pair with a precomputed comparison (no engine)."""
    start = time.perf_counter()
    app = AlignerApp(comparison=done.comparison)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.screen._compositor.render_update(full=True)  # noqa: SLF001
        assert app.compare_screen.current is not None
        return time.perf_counter() - start


async def run(paths: tuple[Path, Path], size: tuple[int, int]) -> None:
    start = time.perf_counter()
    app = AlignerApp(paths=list(paths))
    async with app.run_test(size=size) as pilot:
        await _wait_for_pairs(app, pilot)
        app.screen._compositor.render_update(full=True)  # noqa: SLF001
        first = time.perf_counter() - start
        if app.error is not None or app.comparison is None:
            print(f"engine error: {app.error}")
            return
        screen = app.compare_screen
        print(
            f"{paths[0].name} ({len(app.comparison.documents[0].text):,} chars) vs "
            f"{paths[1].name} ({len(app.comparison.documents[1].text):,} chars): "
            f"{len(app.comparison.pairs)} pairs, terminal {size[0]}x{size[1]}"
        )
        engine = sum(seconds for _, seconds in app.comparison.timings)
        print(
            f"launch -> first screen with aligned passages: {first:.2f} s "
            f"(engine {engine:.2f} s of it; current pair: {'yes' if screen.current else 'none'})"
        )
        clock = _Clock(app)
        busy_pairs: list[float] = []
        busy_reading: list[float] = []
        pairs = await _presses(app, pilot, clock, busy_pairs)
        await pilot.press("d")
        await pilot.pause()
        reading = await _presses(app, pilot, clock, busy_reading)
        for label, times, busy in (
            ("pair view", pairs, busy_pairs),
            ("reading mode", reading, busy_reading),
        ):
            ms = sorted(t * 1000 for t in times)
            work = sorted(t * 1000 for t in busy)
            print(
                f"key n -> repaint ({label}): median {statistics.median(ms):.1f} ms, "
                f"worst {ms[-1]:.1f} ms over {len(ms)} presses; app busy per press: "
                f"median {statistics.median(work):.1f} ms, worst {work[-1]:.1f} ms"
            )
    # Not nested in the run above: one app at a time (Textual's active app is global).
    print(f"the app alone, given the comparison: {await _ui_launch(app, size):.2f} s")


_ESCAPES = re.compile(rb"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b[@-_]")


def launch_in_terminal(paths: tuple[Path, Path], size: tuple[int, int], runs: int = 5) -> None:
    """``aligner compare A B`` in a pseudo-terminal: start -> aligned passages.

    The clock runs from starting the command to the moment its output holds
    the pair list's header ("pair 1/..."), i.e. Python's start, imports, the
    engine and the app's first paint, as a user sees them. The output is read
    as it comes (no polling, which would take CPU from the app).
    """
    command, user = _command(paths), _user_env()
    _time_to_pairs(command, size, user)
    for label, env in (
        ("", user),
        (" (one process: ALIGNER_PROCESSES=1)", {**user, "ALIGNER_PROCESSES": "1"}),
    ):
        times = sorted(t for t in (_time_to_pairs(command, size, env) for _ in range(runs)) if t)
        if times:
            print(
                f"launch in a terminal{label} ({size[0]}x{size[1]}): `aligner compare A B` -> "
                f"aligned passages on screen: best {times[0]:.2f} s, median "
                f"{statistics.median(times):.2f} s over {len(times)} runs"
            )


def _command(paths: tuple[Path, Path]) -> list[str]:
    aligner = Path(sys.executable).with_name("aligner")
    return [str(aligner), "compare", str(paths[0]), str(paths[1])]


def _user_env() -> dict[str, str]:
    """The environment as a user's Python runs it: with the bytecode cache of
    the aligner's own modules (site-packages have theirs from pip). A shell
    that sets PYTHONDONTWRITEBYTECODE (some tools' shells do) never writes
    it, and every start compiles the aligner's modules again (0.1 s): the
    first run writes it."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def first_lookup_in_terminal(
    paths: tuple[Path, Path], size: tuple[int, int], runs: int = 3
) -> None:
    """The app's first ``w``: from the key to the look-up's answer on screen.

    Pressed a second after the pairs show (a reader looks at the first pair),
    in the pair view: where does B tell the selected pair's passage of A?
    """
    command, user = _command(paths), _user_env()
    runs_seen = (_time_to_first_lookup(command, size, user) for _ in range(runs))
    times = sorted(t for t in runs_seen if t)
    if times:
        print(
            f"first look-up in the app ({size[0]}x{size[1]}): `w` -> stretches on screen: "
            f"best {times[0]:.2f} s, median {statistics.median(times):.2f} s over {len(times)} runs"
        )


def _time_to_pairs(command: list[str], size: tuple[int, int], env: dict[str, str]) -> float | None:
    start = time.perf_counter()
    with _terminal(command, size, env) as master:
        return time.perf_counter() - start if _shows(master, rb"pair 1/\d+") else None


def _time_to_first_lookup(
    command: list[str], size: tuple[int, int], env: dict[str, str]
) -> float | None:
    with _terminal(command, size, env) as master:
        if not _shows(master, rb"pair 1/\d+"):
            return None
        _shows(master, rb"(?!)", timeout=1.0)  # reads what comes for a second
        start = time.perf_counter()
        os.write(master, b"w")
        return time.perf_counter() - start if _shows(master, rb"Most similar first") else None


@contextlib.contextmanager
def _terminal(command: list[str], size: tuple[int, int], env: dict[str, str]) -> Iterator[int]:
    """``command`` running in a pseudo-terminal of ``size``: its side of it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    proc = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    try:
        yield master
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        os.close(master)


def _shows(master: int, pattern: bytes, timeout: float = 60.0) -> bool:
    """Read the terminal's output as it comes until it shows ``pattern``
    (escape sequences aside); False after ``timeout`` or if the program ends."""
    seen = b""
    start = time.perf_counter()
    while (left := timeout - (time.perf_counter() - start)) > 0:
        if select.select([master], [], [], min(left, 0.5))[0]:
            try:
                seen += os.read(master, 1 << 16)
            except OSError:
                return False
            if re.search(pattern, _ESCAPES.sub(b"", seen[-30_000:])):
                return True
    return False


def main() -> None:
    paths = tuple(Path(p) for p in sys.argv[1:3]) if len(sys.argv) >= 3 else DEFAULT
    for size in ((120, 40), (200, 60)):
        launch_in_terminal((paths[0], paths[1]), size)
    first_lookup_in_terminal((paths[0], paths[1]), (120, 40))
    for size in ((120, 40), (200, 60)):
        asyncio.run(run((paths[0], paths[1]), size))


if __name__ == "__main__":
    main()
