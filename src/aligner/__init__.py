"""aligner: find the parallel passages in several accounts of one story.

The public API is :func:`compare`; everything else here is the result model.
Importing ``aligner`` never loads Textual: the TUI lives in ``aligner.tui``.
"""

from __future__ import annotations

from aligner.documents import load_document
from aligner.engine import compare
from aligner.model import (
    AlignerError,
    Comparison,
    DiffOp,
    Document,
    DocumentError,
    Evidence,
    Kind,
    Options,
    OptionsError,
    Pair,
    Span,
    Tag,
)

__version__ = "0.1.0"

__all__ = [
    "AlignerError",
    "Comparison",
    "DiffOp",
    "Document",
    "DocumentError",
    "Evidence",
    "Kind",
    "Options",
    "OptionsError",
    "Pair",
    "Span",
    "Tag",
    "__version__",
    "compare",
    "load_document",
]
