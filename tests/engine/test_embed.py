"""The word vectors: one row per word, the same from any thread."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from aligner import embed


def test_words_embedded_in_several_threads_at_once_get_their_own_vectors() -> None:
    # The app embeds in two threads at times (a look-up while it warms up).
    shipped = embed.load()
    if shipped is None:
        pytest.skip("no word vectors installed")
    words = [
        f"{stem}{k}" for stem in ("bureau", "commissar", "peasant", "kulak") for k in range(600)
    ]
    alone = embed.WordVectors(shipped._table, shipped._tokenizer).vectors(words)
    for _ in range(5):  # a race shows in some rounds only
        _embed_at_once(embed.WordVectors(shipped._table, shipped._tokenizer), words, alone)


def _embed_at_once(shared: embed.WordVectors, words: list[str], alone: np.ndarray) -> None:
    got: dict[int, np.ndarray | BaseException] = {}

    def embed_some(k: int) -> None:
        try:
            got[k] = shared.vectors(words[k::4] + words[: 200 * (k + 1)])
        except BaseException as exc:  # noqa: BLE001 - reported below, in the test's thread
            got[k] = exc

    threads = [threading.Thread(target=embed_some, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        want = np.concatenate([alone[k::4], alone[: 200 * (k + 1)]])
        assert not isinstance(got[k], BaseException), got[k]
        np.testing.assert_array_equal(got[k], want)
