"""The forked helper process: values, progress, waiting, failure, stopping."""

from __future__ import annotations

import time

import pytest

from aligner import workers


@pytest.fixture(autouse=True)
def _fork_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "available", lambda: True)


def test_value_and_progress_come_back() -> None:
    def work(report: workers.Report) -> dict[str, int]:
        report(0.25)
        report(0.5)
        return {"answer": 42}

    child = workers.fork(work)
    assert child is not None
    seen: list[float] = []
    assert child.result(seen.append) == {"answer": 42}
    assert seen == [0.25, 0.5]


def test_wait_returns_at_the_share_and_result_replays_it() -> None:
    def work(report: workers.Report) -> str:
        report(0.2)
        report(0.5)
        time.sleep(0.5)
        return "done"

    child = workers.fork(work)
    assert child is not None
    start = time.monotonic()
    child.wait(0.4, timeout=10)
    assert time.monotonic() - start < 0.45  # back before the child's last half second
    seen: list[float] = []
    assert child.result(seen.append) == "done"
    assert seen[0] == 0.5


def test_wait_gives_up_after_its_timeout() -> None:
    child = workers.fork(lambda report: time.sleep(3))
    assert child is not None
    start = time.monotonic()
    child.wait(0.4, timeout=0.2)
    assert time.monotonic() - start < 1.0
    child.stop()


def test_failure_and_cancelling_give_none() -> None:
    def broken(report: workers.Report) -> None:
        raise ValueError("no")

    child = workers.fork(broken)
    assert child is not None
    child.wait(0.4, timeout=5)  # the end counts as reached
    assert child.result() is None
    slow = workers.fork(lambda report: time.sleep(30))
    assert slow is not None
    start = time.monotonic()
    assert slow.result(cancelled=lambda: True) is None
    assert time.monotonic() - start < 5


def test_not_forked_where_unsafe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    monkeypatch.setenv("ALIGNER_PROCESSES", "1")
    assert not workers.available()
    assert workers.fork(lambda report: 1) is None


def test_a_second_value_follows_the_first() -> None:
    child = workers.fork(lambda report: {"answer": 42}, after=lambda value: value["answer"] * 2)
    assert child is not None
    assert child.result() == {"answer": 42}
    assert child.after_result() == 84
    assert child.after_result() is None  # once


def test_no_second_value_without_after_or_after_a_failure() -> None:
    plain = workers.fork(lambda report: 1)
    assert plain is not None and plain.result() == 1
    assert plain.after_result() is None

    def broken(report: workers.Report) -> int:
        raise ValueError("no")

    failed = workers.fork(broken, after=lambda value: 2)
    assert failed is not None and failed.result() is None
    assert failed.after_result() is None
    slow = workers.fork(lambda report: 1, after=lambda value: time.sleep(30))
    assert slow is not None and slow.result() == 1
    start = time.monotonic()
    assert slow.after_result(cancelled=lambda: True) is None
    assert time.monotonic() - start < 5
