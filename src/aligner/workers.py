"""Work shared with a second process, where that is safe and pays.

Segmenting a document is pure Python (Punkt, Snowball, the word loop), so two
documents segment in half the time on two cores only in two processes. A
*forked* child starts in milliseconds and inherits the documents without
copying them; it sends its result back pickled. Forking is only done where
it is safe: Linux, more than one usable core, and a process with no other
thread running (a fork copies only the calling thread, so a thread holding a
lock would leave the child stuck; the TUI's worker thread is such a case, and
there the work stays in one process).

``ALIGNER_PROCESSES=1`` in the environment turns the second process off.
"""

from __future__ import annotations

import atexit
import functools
import gc
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")


def available() -> bool:
    """True when a forked helper process may be used here and now."""
    if os.environ.get("ALIGNER_PROCESSES", "").strip() == "1":
        return False
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    return cores() > 1


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


Report = Callable[[float], None]
"""Called with the share of work done, 0.0-1.0."""


class Child(Generic[_T]):
    """A forked process computing one value, reporting its progress on the way.

    With ``after``, the child then sends ``after(value)`` too, once the value
    is on its way: what the parent wants later, off the critical path.
    """

    def __init__(
        self, fn: Callable[[Report], _T], after: Callable[[_T], object] | None = None
    ) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self._conn, sender = ctx.Pipe(duplex=False)
        self._share = 0.0
        """The latest share of work the child reported."""
        self._final: tuple[str, object] | None = None
        """The child's last message: ("ok", value) or ("failed", None)."""
        # What this process buffered must not be written a second time by the child.
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        # Not a daemon: a daemon process may not fork, and the child may want
        # to (to segment two documents at once). One left running when this
        # process exits is ended by ``end_children``.
        self._after = after is not None
        """Whether a second value follows the first (``after_result``)."""
        self._process = ctx.Process(target=_run, args=(fn, sender, after))
        self._process.start()
        sender.close()
        _LIVE.add(self)  # type: ignore[arg-type]
        _hook_exit()

    def wait(self, share: float, timeout: float) -> None:
        """Block until the child reports ``share`` of its work done, ends, or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        while self._final is None and (left := deadline - time.monotonic()) > 0:
            if not self._conn.poll(left):
                return
            done = self._read()
            if done is None and self._share >= share:
                return

    def result(
        self, progress: Report | None = None, *, cancelled: Callable[[], bool] | None = None
    ) -> _T | None:
        """The child's value, or ``None`` if it failed, died or was cancelled.

        Args:
            progress: Called here with each share of work the child reports
                (first with the last one it reported during ``wait``).
            cancelled: Polled while waiting; when it returns True the child
                is stopped and ``None`` returned.
        """
        try:
            if progress is not None and self._share:
                progress(self._share)
            while self._final is None:
                while cancelled is not None and not self._conn.poll(0.05):
                    if cancelled():
                        self._process.terminate()
                        return None
                if self._read() is None and progress is not None:
                    progress(self._share)
            tag, value = self._final
            return value if tag == "ok" else None  # type: ignore[return-value]
        finally:
            if not (self._after and self._final is not None and self._final[0] == "ok"):
                self._end()

    def after_result(self, *, cancelled: Callable[[], bool] | None = None) -> object | None:
        """``after(value)``, once ``result`` has returned the value; ``None``
        if there is none (no ``after``, a failure, the child died, or
        ``cancelled`` returned True while waiting)."""
        if not self._after or self._conn.closed:
            return None
        try:
            while cancelled is not None and not self._conn.poll(0.05):
                if cancelled():
                    self._process.terminate()
                    return None
            tag, value = self._conn.recv()
        except (EOFError, OSError):
            return None
        finally:
            self._end()
        return value if tag == "after" else None

    def _end(self) -> None:
        self._conn.close()
        self._process.join()

    def _read(self) -> tuple[str, object] | None:
        """One message from the child: its final one, or None for progress."""
        try:
            tag, value = self._conn.recv()
        except (EOFError, OSError):
            tag, value = "failed", None
        if tag == "progress":
            self._share = value
            return None
        self._final = (tag, value)
        return self._final

    def stop(self) -> None:
        """End the child without waiting for its value."""
        self._process.terminate()
        self._process.join()
        self._conn.close()


def fork(
    fn: Callable[[Report], _T], after: Callable[[_T], object] | None = None
) -> Child[_T] | None:
    """Start ``fn(report)`` in a forked process, or return ``None`` where that is unsafe.

    Args:
        fn: The work, called with a function to report its progress.
        after: Called in the child with ``fn``'s value once that is sent;
            its own value is the child's ``after_result``.
    """
    if not available():
        return None
    try:
        return Child(fn, after)
    except (OSError, ValueError, AssertionError):
        return None


_LIVE: weakref.WeakSet[Child[object]] = weakref.WeakSet()


@functools.cache
def _hook_exit() -> None:
    # Registered after multiprocessing's own exit hook (set when it was
    # imported), so it runs first: that one waits for non-daemon children.
    atexit.register(end_children)


def end_children() -> None:
    """Stop the helper processes still running (at exit)."""
    for child in list(_LIVE):
        if child._process.is_alive():  # noqa: SLF001
            child._process.terminate()  # noqa: SLF001


def _run(
    fn: Callable[[Report], object], conn: object, after: Callable[[object], object] | None
) -> None:
    # The child computes one value, sends it and exits: the cycle collector
    # would only walk what it built, as its last act before sending (50 ms
    # after comparing the two largest samples, on the way to the app).
    gc.disable()

    def report(share: float) -> None:
        conn.send(("progress", share))  # type: ignore[attr-defined]

    try:
        value: tuple[str, object] = ("ok", fn(report))
    except BaseException:  # noqa: BLE001 - the parent redoes the work itself
        value = ("failed", None)
    try:
        conn.send(value)  # type: ignore[attr-defined]
        if after is not None and value[0] == "ok":
            conn.send(("after", after(value[1])))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - unpicklable or a closed pipe: the parent gets EOF
        pass
    finally:
        conn.close()  # type: ignore[attr-defined]
