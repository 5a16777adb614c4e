"""Several documents segmented at once: in two processes, kept, packed."""

from __future__ import annotations

import pytest

from aligner import parallel
from aligner.documents import make_document
from aligner.segment import BOOK_CHARS, keep, kept, segment, segment_afresh


def _long(seed: str, paragraphs: int) -> str:
    """A document of ``paragraphs`` dated, numbered paragraphs."""
    return "\n\n".join(
        f"{seed} paragraph {k} begins here. Dr. Smith met the committee on 3 May 19{k % 100:02d}. "
        f"It voted, and the motion carried (p. {k})."
        for k in range(paragraphs)
    )


def test_segment_all_in_two_processes_equals_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner import workers

    docs = [
        make_document(_long("First", 400), name="a"),
        make_document(_long("Second", 500), name="b"),
    ]
    assert parallel._remote_share(docs) == [1]  # the larger one goes to the other process
    monkeypatch.setattr(workers, "available", lambda: True)
    shared = parallel.segment_all(docs)
    alone = [segment_afresh(d) for d in docs]
    for got, want, doc in zip(shared, alone, docs, strict=True):
        assert got.doc is doc
        assert got.words == want.words and got.sentences == want.sentences
        assert got.paragraphs == want.paragraphs and got.sentence_ends == want.sentence_ends
        assert all(type(w.cap) is bool for w in got.words)


def test_segment_all_redoes_what_a_failed_child_did_not(monkeypatch: pytest.MonkeyPatch) -> None:
    from aligner import workers

    docs = [
        make_document(_long("First", 400), name="a"),
        make_document(_long("Second", 500), name="b"),
    ]
    monkeypatch.setattr(workers, "available", lambda: True)

    def broken(_seg: object) -> object:
        raise RuntimeError("child fails")

    monkeypatch.setattr(parallel, "pack", broken)  # inherited by the forked child
    called: list[list[object]] = []
    shared = parallel.segment_all(docs, meanwhile=lambda segs: called.append([x.doc for x in segs]))
    assert called == [[docs[0]]]  # what this process segmented: the smaller document
    assert [s.words for s in shared] == [segment_afresh(d).words for d in docs]


def test_first_runs_while_the_other_process_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """``first`` (the engine loads its word vectors there) runs once the other
    process has its share, before this process segments its own."""
    from aligner import workers

    docs = [
        make_document(_long("First", 400), name="a"),
        make_document(_long("Second", 500), name="b"),
    ]
    monkeypatch.setattr(workers, "available", lambda: True)
    order: list[str] = []
    fork, afresh = workers.fork, parallel.segment_afresh

    def logged_fork(*args: object, **kwargs: object) -> object:
        order.append("fork")
        return fork(*args, **kwargs)  # type: ignore[arg-type]

    def logged_segment(doc: object) -> object:
        order.append(f"segment {doc.name}")  # type: ignore[attr-defined]
        return afresh(doc)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "fork", logged_fork)
    monkeypatch.setattr(parallel, "segment_afresh", logged_segment)
    shared = parallel.segment_all(docs, first=lambda: order.append("first"))
    # The child's own calls are logged in its copy of ``order``, not here.
    assert order == ["fork", "first", "segment a"]
    assert [s.words for s in shared] == [afresh(d).words for d in docs]


def test_a_segmentation_expected_from_another_process_is_taken_after_this_ones_share(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aligner import workers

    docs = [
        make_document(_long("First", 400), name="a"),
        make_document(_long("Second", 500), name="b"),
    ]
    monkeypatch.setattr(workers, "available", lambda: True)
    order: list[str] = []
    monkeypatch.setattr(workers, "fork", lambda *a, **k: order.append("fork"))
    elsewhere = parallel.pack(segment_afresh(docs[1]))

    def receive() -> object:
        order.append("receive")
        return elsewhere

    parallel.expect(docs[1], receive)
    shared = parallel.segment_all(
        docs,
        first=lambda: order.append("first"),
        meanwhile=lambda segs: order.append(f"meanwhile {[s.doc.name for s in segs]}"),
    )
    # No second process of its own: the other one does the larger share.
    assert order == ["first", "meanwhile ['a']", "receive"]
    assert [s.words for s in shared] == [segment_afresh(d).words for d in docs]
    assert kept(docs[1]) is shared[1]
    order.clear()
    parallel.segment_all([make_document(_long("First", 400), name="a"), docs[1]])
    assert "receive" not in order  # expected once


@pytest.mark.parametrize("sent", [EOFError, ("garbled",), None])
def test_what_the_other_process_fails_to_send_is_segmented_here(sent: object) -> None:
    docs = [
        make_document(_long("First", 40), name="a"),
        make_document(_long("Second", 50), name="b"),
    ]

    def receive() -> object:
        if isinstance(sent, type):
            raise sent
        return sent

    parallel.expect(docs[1], receive)
    shared = parallel.segment_all(docs)
    assert [s.words for s in shared] == [segment_afresh(d).words for d in docs]


def test_small_and_book_sized_documents_stay_in_one_process() -> None:
    small = [make_document("One sentence here.", name="a"), make_document("Two.", name="b")]
    assert parallel._remote_share(small) == []
    book = make_document("word " * (BOOK_CHARS // 5 + 10), name="book")
    mid = make_document("word " * 20_000, name="mid")
    # the book stays here; the other document may go
    assert parallel._remote_share([book, mid]) == [1]
    assert parallel._remote_share([book]) == []


def test_what_segment_all_made_or_another_process_sent_is_kept() -> None:
    docs = [
        make_document(_long("First", 40), name="a"),
        make_document(_long("Second", 50), name="b"),
    ]
    shared = parallel.segment_all(docs)
    assert all(kept(d) is s and segment(d) is s for d, s in zip(docs, shared, strict=True))
    copy = make_document(docs[0].text, name="a")  # the same text, another document
    assert kept(copy) is None
    sent = parallel.unpack(copy, parallel.pack(shared[0]))  # as the app gets the engine's
    assert sent.doc is copy and sent.words == shared[0].words
    assert sent.sentences == shared[0].sentences and sent.paragraphs == shared[0].paragraphs
    keep(sent)
    assert segment(copy) is sent
    for k in range(10):  # only the latest few are kept
        keep(segment_afresh(make_document(f"Document {k} is short.", name=str(k))))
    assert kept(copy) is None and segment(copy) is not sent
