"""Segmenting several documents at once, the larger share in a second process.

Segmenting is pure Python (Punkt, Snowball, the word loop): two documents
segment in about half the time on two cores only in two processes
(``workers``). A segmentation crosses between processes packed (``pack``,
``unpack``): arrays and a table of forms, which pickle fast. A process may
also segment documents for one it forks (``Handover``, ``expect``): the app's
does so for the engine's before Textual starts. What is
segmented here is kept (``segment.keep``) for the look-ups that follow. This
module schedules segmentation; how a text is cut is ``segment``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aligner.caches import IdentityCache
from aligner.model import Document
from aligner.segment import (
    BOOK_CHARS,
    Segmented,
    Sentence,
    Word,
    keep,
    known,
    segment_afresh,
    warm_up,
)


def segment_all(
    docs: Sequence[Document],
    *,
    first: Callable[[], object] | None = None,
    meanwhile: Callable[[list[Segmented]], object] | None = None,
) -> list[Segmented]:
    """``[segment(d) for d in docs]``, the larger share in a forked process.

    Args:
        docs: The documents.
        first: Called in this process before it segments its share, once
            the other process has started (e.g. to load the word vectors
            while the other segments: this process's share is the smaller).
        meanwhile: Called in this process with the documents it segmented,
            once they are done, while the other process finishes (e.g. to
            embed their words).
    """
    from aligner import workers

    out: list[Segmented | None] = [known(d) for d in docs]
    coming = {k: receive for k, d in enumerate(docs) if (receive := _COMING.pop(d)) is not None}
    todo = [k for k, seg in enumerate(out) if seg is None and k not in coming]
    # Another process segmenting some already: the rest is done here.
    remote = [] if coming else _remote_share([docs[k] for k in todo])
    child = None
    if remote and workers.available():
        # Loaded once here, before the fork, rather than in both processes:
        # NLTK's modules cost 0.1 s of CPU, and two processes on this
        # machine's two cores do 1.3 times the work of one, not twice.
        warm_up()
        remote = [todo[k] for k in remote]
        child = workers.fork(lambda _: [pack(segment_afresh(docs[k])) for k in remote])
    if first is not None:
        first()
    local = [k for k in todo if child is None or k not in remote]
    for k in local:
        out[k] = segment_afresh(docs[k])
    if meanwhile is not None:
        meanwhile([out[k] for k in local])  # type: ignore[misc]
    for k, receive in coming.items():
        out[k] = _received(docs[k], receive)
    if child is not None:
        packed = child.result()
        for n, k in enumerate(remote):
            out[k] = unpack(docs[k], packed[n]) if packed else segment_afresh(docs[k])
    for k in (*todo, *coming):
        keep(out[k])  # type: ignore[arg-type]
    return [seg for seg in out if seg is not None]


_COMING: IdentityCache[Document, Callable[[], object]] = IdentityCache(8)
"""Documents another process segments for this one (``expect``)."""


def expect(doc: Document, receive: Callable[[], object]) -> None:
    """Let the next ``segment_all`` of ``doc`` take its segmentation from
    another process: ``receive()`` returns what ``pack`` made of it there,
    waiting as needed. It is called once this process has done its own share
    (``first``, its own documents, ``meanwhile``). Should it fail or return
    anything else, the document is segmented here after all.
    """
    _COMING.put(doc, receive)


def _received(doc: Document, receive: Callable[[], object]) -> Segmented:
    try:
        packed = receive()
        if isinstance(packed, tuple):
            return unpack(doc, packed)
    except Exception:  # noqa: BLE001,S110 - the other process failed us: segment it here
        pass
    return segment_afresh(doc)


FORK_MIN_CHARS = 30_000
"""Below this much text for the second process, forking costs more than it
saves. It never takes a book (``BOOK_CHARS``): sending millions of words back
would cost more than segmenting them."""


def _remote_share(docs: Sequence[Document]) -> list[int]:
    """Indices of ``docs`` for the second process: about half of the text."""
    sizes = sorted(((len(d.text), k) for k, d in enumerate(docs)), reverse=True)
    local = remote = 0
    share: list[int] = []
    for size, k in sizes:
        if remote <= local and size <= BOOK_CHARS:
            remote += size
            share.append(k)
        else:
            local += size
    if not local or remote < FORK_MIN_CHARS:
        return []
    return share


def pack(seg: Segmented) -> tuple[object, ...]:
    """``seg`` without its document, in a form that pickles fast (to send
    it to another process, which has the document: ``unpack``)."""
    from array import array

    forms: dict[tuple[str, str], int] = {}
    index = array("l", (forms.setdefault((w.norm, w.stem), len(forms)) for w in seg.words))
    return (
        array("q", (w.start for w in seg.words)),
        array("q", (w.end for w in seg.words)),
        index,
        bytes(w.cap for w in seg.words),
        list(forms),
        [tuple(s) for s in seg.sentences],
        seg.paragraphs,
    )


def unpack(doc: Document, packed: tuple[object, ...]) -> Segmented:
    """The segmentation ``pack`` made of ``doc`` (or of a copy of it)."""
    starts, ends, index, caps, forms, sentences, paragraphs = packed
    norms = [forms[k][0] for k in index]  # type: ignore[index,attr-defined]
    stems = [forms[k][1] for k in index]  # type: ignore[index,attr-defined]
    words = tuple(map(Word, starts, ends, norms, stems, map(bool, caps)))  # type: ignore[call-overload]
    sents = tuple(Sentence(*s) for s in sentences)  # type: ignore[attr-defined]
    return Segmented(doc, words, sents, paragraphs, tuple(s.end for s in sents))  # type: ignore[arg-type]


def handed_over(docs: Sequence[Document], limit: int) -> list[int]:
    """The documents a process segments for the one it forks (``Handover``):
    the largest, unless it is too small to be worth sending or larger than
    ``limit``, too large to wait for."""
    if len(docs) < 2:
        return []
    k = max(range(len(docs)), key=lambda k: len(docs[k].text))
    return [k] if FORK_MIN_CHARS <= len(docs[k].text) <= limit else []


class Handover:
    """This process segmenting some documents for a process it forks.

    Made before the fork. In the app, while the engine's process loads its
    word vectors and segments the other documents, the app's process (which
    would otherwise wait for it before starting Textual) segments these,
    keeps them for its look-ups and sends them over a pipe.
    """

    def __init__(self, docs: Sequence[Document], here: list[int]) -> None:
        import multiprocessing

        warm_up()  # NLTK, for both processes at the cost of one
        self.docs = docs
        self.here = here
        self._inbox, self._outbox = multiprocessing.Pipe(duplex=False)

    def expect(self) -> None:
        """In the forked process: take these documents' segmentations from the pipe."""
        self._outbox.close()  # the other end: without it, a dead sender is no EOF here
        for k in self.here:
            expect(self.docs[k], self._inbox.recv)

    def segment_and_send(self) -> dict[int, Segmented]:
        """In this process: segment, keep, and send (from a thread, as the
        other reads once it has done its own share)."""
        import threading

        self._inbox.close()
        try:
            segs = {k: segment_afresh(self.docs[k]) for k in self.here}
            packed = [pack(segs[k]) for k in self.here]
        except Exception:  # noqa: BLE001 - the other process segments them and reports
            self._outbox.close()
            return {}
        for seg in segs.values():
            keep(seg)
        sender = threading.Thread(target=self._send, args=(packed,), name="aligner-send")
        sender.daemon = True
        sender.start()
        return segs

    def _send(self, packed: list[tuple[object, ...]]) -> None:
        try:
            for one in packed:
                self._outbox.send(one)
        except OSError:
            pass  # the other process is gone (the app then aligns by itself)
        finally:
            self._outbox.close()

    def close(self) -> None:
        """No forked process after all."""
        self._inbox.close()
        self._outbox.close()
