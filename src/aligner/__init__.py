"""aligner: find the parallel passages in several accounts of one story.

The public API is :func:`compare` (two documents), :func:`synopsis` (three
or more) and :func:`find_parallels` (where one document tells a passage of
another); :func:`load_report` reads a saved JSON report back; the rest is the
result model and its exports.
Importing ``aligner`` never loads Textual: the TUI lives in ``aligner.tui``.
"""

from __future__ import annotations

from aligner.documents import load_document
from aligner.engine import compare
from aligner.export import from_dict, to_json, to_markdown
from aligner.lookup import find_parallels
from aligner.model import (
    AlignerError,
    Comparison,
    DiffOp,
    Document,
    DocumentError,
    Evidence,
    Group,
    Kind,
    Member,
    Options,
    OptionsError,
    Pair,
    SortKey,
    Span,
    Tag,
)
from aligner.reopen import load_report
from aligner.synopsis import Synopsis, synopsis  # noqa: E402  (after the model)

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
    "SortKey",
    "Span",
    "Tag",
    "Group",
    "Member",
    "Synopsis",
    "__version__",
    "compare",
    "find_parallels",
    "from_dict",
    "load_document",
    "load_report",
    "synopsis",
    "to_json",
    "to_markdown",
]
