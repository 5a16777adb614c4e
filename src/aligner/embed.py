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

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


class WordVectors:
    """Word -> unit-length vector, computed once per distinct word."""

    def __init__(self, table: npt.NDArray[np.float32], tokenizer: object) -> None:
        self._table = table
        self._tokenizer = tokenizer
        self.dim = int(table.shape[1])

    def vectors(self, words: list[str]) -> npt.NDArray[np.float32]:
        """One row per word (distinct words are embedded once)."""
        import numpy as np

        encodings = self._tokenizer.encode_batch(  # type: ignore[attr-defined]
            [" " + w for w in words], add_special_tokens=False
        )
        out = np.zeros((len(words), self.dim), dtype=np.float32)
        limit = self._table.shape[0] - 1
        for row, enc in enumerate(encodings):
            ids = [i for i in enc.ids if 0 < i <= limit]
            if ids:
                out[row] = self._table[ids].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        out /= norms
        return out


@lru_cache(maxsize=1)
def load() -> WordVectors | None:
    """The shipped word vectors, or ``None`` when ``wordllama`` is absent."""
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
    table = next(iter(tensors.values())).astype("float32")
    tokenizer = Tokenizer.from_file(str(configs[0]))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return WordVectors(table, tokenizer)
