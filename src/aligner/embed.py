"""Static word embeddings for sentence similarity, loaded offline.

The vectors are the 256-d token table that the ``wordllama`` wheel ships (no
download, ever). We read the table with ``safetensors`` and cut words into
subword tokens with the wheel's ``tokenizers`` config, which is what
``WordLlama.embed`` does too, without importing WordLlama's own stack (0.4 s
of pydantic and requests on every start). A word's vector is the mean of its
subword vectors; callers weight and pool words themselves.

When the wheel is missing, ``load()`` returns ``None`` and the engine works on
lexical signals alone.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


_CHUNK = 8192
_CACHE_WORDS = 100_000
"""Word vectors kept between calls (a synopsis embeds each document's words
once); about 50 MB at most, cleared when full."""


class WordVectors:
    """Word -> unit-length vector, computed once per distinct word."""

    def __init__(self, table: npt.NDArray[np.float32], tokenizer: object) -> None:
        import numpy as np

        self._table = table
        self._tokenizer = tokenizer
        self.dim = int(table.shape[1])
        # The cache: word -> row of ``_rows``; kept in float16 (half the
        # memory, and cosines move by < 0.001).
        self._index: dict[str, int] = {}
        self._rows = np.zeros((0, self.dim), dtype=np.float16)
        # The app embeds in two threads at times (its first look-up while it
        # warms up for look-ups): the cache's rows and index change together.
        self._lock = threading.Lock()

    def vectors(self, words: list[str]) -> npt.NDArray[np.float32]:
        """One unit row per word (each distinct word is embedded once per process)."""
        with self._lock:
            return self._vectors(words)

    def _vectors(self, words: list[str]) -> npt.NDArray[np.float32]:
        import numpy as np

        missing = [w for w in dict.fromkeys(words) if w not in self._index]
        if missing:
            fresh = np.zeros((len(missing), self.dim), dtype=np.float32)
            # In chunks, so the subword rows held at once stay a few MB.
            for start in range(0, len(missing), _CHUNK):
                fresh[start : start + _CHUNK] = self._mean_rows(missing[start : start + _CHUNK])
            norms = np.linalg.norm(fresh, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            fresh /= norms
            if len(self._index) + len(missing) > _CACHE_WORDS:
                self._index.clear()
                self._rows = self._rows[:0]
            base = len(self._rows)
            self._index.update((w, base + k) for k, w in enumerate(missing))
            self._rows = np.concatenate((self._rows, fresh.astype(np.float16)))
        index = self._index
        return self._rows[[index[w] for w in words]].astype(np.float32)

    def _mean_rows(self, words: list[str]) -> npt.NDArray[np.float32]:
        """Mean of each word's subword vectors, a chunk of words at once."""
        import numpy as np

        encodings = self._tokenizer.encode_batch(  # type: ignore[attr-defined]
            [" " + w for w in words], add_special_tokens=False
        )
        out = np.zeros((len(words), self.dim), dtype=np.float32)
        limit = self._table.shape[0] - 1
        ids_per_word = [[i for i in enc.ids if 0 < i <= limit] for enc in encodings]
        # Words with the same number of subwords are averaged together, as
        # one (words, k) block of rows: a few numpy calls in all.
        by_count: dict[int, list[int]] = {}
        for k, ids in enumerate(ids_per_word):
            if ids:
                by_count.setdefault(len(ids), []).append(k)
        for which in by_count.values():
            rows = np.array([ids_per_word[k] for k in which])  # (words, subwords)
            out[which] = self._table[rows].astype(np.float32).mean(axis=1)
        return out


def load() -> WordVectors | None:
    """The shipped word vectors, or ``None`` when ``wordllama`` is absent."""
    with _LOADING:  # once, even when two threads ask at once
        return _load()


_LOADING = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> WordVectors | None:
    import importlib.util

    # find_spec locates the wheel's files without running its __init__.
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    weights = sorted((root / "weights").glob("*_256.safetensors"))
    configs = sorted((root / "tokenizers").glob("*_tokenizer_config.json"))
    if not weights or not configs:
        return None
    tensors = load_file(str(weights[0]))
    # Kept in the file's float16 (16 MB): only the rows used are widened.
    table = next(iter(tensors.values()))
    tokenizer = Tokenizer.from_file(str(configs[0]))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return WordVectors(table, tokenizer)
