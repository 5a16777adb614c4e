"""The sentence features of two documents, whatever was computed before."""

from __future__ import annotations

import dataclasses

import numpy as np

from aligner.documents import load_document
from aligner.features import Features, build_features
from aligner.segment import Segmented, segment

from .conftest import SAMPLES


def _fresh(seg: Segmented) -> Segmented:
    """``seg`` as a new object: nothing cached for it yet."""
    return dataclasses.replace(seg)


def _same(x: Features, y: Features) -> None:
    assert x.idf == y.idf
    assert x.bags == y.bags
    for mx, my in zip(x.rows, y.rows, strict=True):
        np.testing.assert_array_equal(mx, my)
    assert x.vectors is not None and y.vectors is not None
    for mx, my in zip(x.vectors, y.vectors, strict=True):
        np.testing.assert_array_equal(mx, my)


def test_what_a_document_alone_gives_is_reused_unchanged() -> None:
    # A synopsis, and look-ups in one document, build the features of one
    # document with several others: what it gives alone is computed once,
    # and no pair may change it for the next.
    a, b, c = (
        segment(load_document(SAMPLES[name]))
        for name in (
            "how-the-bureaucracy-seized-power",
            "clr-james-lenin-stalin",
            "what-is-stalinism",
        )
    )
    build_features(a, b)
    build_features(b, c)
    _same(build_features(a, c), build_features(_fresh(a), _fresh(c)))
    _same(build_features(c, a), build_features(_fresh(c), _fresh(a)))
