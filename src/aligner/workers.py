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

import os
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

_T = TypeVar("_T")


def available() -> bool:
    """True when a forked helper process may be used here and now."""
    if os.environ.get("ALIGNER_PROCESSES", "").strip() == "1":
        return False
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return False


class Child(Generic[_T]):
    """A forked process computing one value."""

    def __init__(self, fn: Callable[[], _T]) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self._conn, sender = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_run, args=(fn, sender), daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> _T | None:
        """The child's value, or ``None`` if it failed or died (do the work here)."""
        try:
            ok, value = self._conn.recv()
        except (EOFError, OSError):
            ok, value = False, None
        finally:
            self._conn.close()
            self._process.join()
        return value if ok else None


def fork(fn: Callable[[], _T]) -> Child[_T] | None:
    """Start ``fn()`` in a forked process, or return ``None`` where that is unsafe."""
    if not available():
        return None
    try:
        return Child(fn)
    except (OSError, ValueError):
        return None


def _run(fn: Callable[[], object], conn: object) -> None:
    try:
        value: tuple[bool, object] = (True, fn())
    except BaseException:  # noqa: BLE001 - the parent redoes the work itself
        value = (False, None)
    try:
        conn.send(value)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - unpicklable or a closed pipe: the parent gets EOF
        pass
    finally:
        conn.close()  # type: ignore[attr-defined]
