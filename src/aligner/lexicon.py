"""How common a word is in English at large, from wordfreq's shipped data.

Rarity inside two documents (idf) cannot tell that "per cent" or "role" are
everyday words when both accounts happen to use them once: general-language
frequency can. We read the small English list that the ``wordfreq`` wheel
ships (offline, 0.05 s) directly, without importing wordfreq's text
pipeline; without the package every word counts as unknown (neutral).
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

UNKNOWN_ZIPF = 2.0
"""Zipf value given to words the list does not know (names, rare words)."""


@lru_cache(maxsize=1)
def _zipf_table() -> dict[str, float]:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_en.msgpack.gz"
    try:
        import msgpack

        with gzip.open(path) as fh:
            buckets = msgpack.load(fh, raw=False)
    except (OSError, ImportError, ValueError):
        return {}
    # cBpack: bucket i holds the words of frequency 10 ** (-i / 100);
    # the Zipf scale is log10(frequency per billion words) = 9 - i / 100.
    table: dict[str, float] = {}
    for i, words in enumerate(buckets[1:]):
        for word in words:
            table[word] = 9.0 - i / 100.0
    return table


def zipf(word: str) -> float:
    """Zipf frequency of a normalised word (7 = "the", 3 = rare, 0-2 unknown)."""
    return _zipf_table().get(word, UNKNOWN_ZIPF)


def available() -> bool:
    """True when the frequency list could be loaded."""
    return bool(_zipf_table())
