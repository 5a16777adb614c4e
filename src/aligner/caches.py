"""Caches keyed by object identity: what depends on one document alone.

A synopsis compares each document with every other, and the app looks up
passages in documents it already holds: what one document gives alone (its
statistics, its n-gram index, its segmentation) is computed once and kept
for the last few documents. Keys are held by the cache, so an ``id`` is never
reused while cached. This module stores; it computes nothing itself.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from aligner.segment import Segmented

_T = TypeVar("_T")
_K = TypeVar("_K")


class IdentityCache(Generic[_K, _T]):
    """Values for the last ``kept`` keys, by identity.

    Holding each key itself, so that an id is never reused while cached;
    the oldest entry makes room for a new one.
    """

    def __init__(self, kept: int) -> None:
        self._kept = kept
        self._cache: dict[int, tuple[_K, _T]] = {}
        self._lock = threading.Lock()  # the app looks up in one thread, aligns in another

    def get(self, key: _K) -> _T | None:
        hit = self._cache.get(id(key))
        return hit[1] if hit is not None and hit[0] is key else None

    def pop(self, key: _K) -> _T | None:
        """The value for ``key``, now removed; ``None`` if there is none."""
        with self._lock:
            hit = self._cache.get(id(key))
            if hit is None or hit[0] is not key:
                return None
            del self._cache[id(key)]
            return hit[1]

    def put(self, key: _K, value: _T) -> None:
        with self._lock:
            self._cache.pop(id(key), None)
            if len(self._cache) >= self._kept:
                self._cache.pop(next(iter(self._cache)))
            self._cache[id(key)] = (key, value)


def by_identity(kept: int) -> Callable[[Callable[[_K], _T]], Callable[[_K], _T]]:
    """Cache ``fn(x)`` for the last ``kept`` arguments ``x`` (an ``IdentityCache``)."""

    def wrap(fn: Callable[[_K], _T]) -> Callable[[_K], _T]:
        cache: IdentityCache[_K, _T] = IdentityCache(kept)

        @functools.wraps(fn)
        def cached(x: _K) -> _T:
            value = cache.get(x)
            if value is None:
                value = fn(x)
                cache.put(x, value)
            return value

        return cached

    return wrap


def per_document(fn: Callable[[Segmented], _T]) -> Callable[[Segmented], _T]:
    """Cache ``fn(seg)`` for the last few segmented documents.

    A synopsis compares each document with every other; what depends on one
    document alone is computed once.
    """
    return by_identity(_DOCUMENTS_KEPT)(fn)


_DOCUMENTS_KEPT = 16
