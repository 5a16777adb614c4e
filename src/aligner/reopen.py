"""A saved JSON report opened again: the comparison or the synopsis it holds.

``aligner compare ... --format json`` (or ``-o report.json``, or the app's
export to a ``.json`` name) writes the documents' paths, the pairs and, for a
synopsis, the groups, with the reader's corrections (``by_hand``).
``load_report`` reads the documents again from those paths (as given, else
beside the report) and rebuilds the result without running the engine, so
the app can show it again and the reports can be written in another format.
A document read from stdin has no path: its text is rebuilt from the
passages, spaces elsewhere (``export.from_dict``).

This module reads; it never matches, scores or groups passages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.documents import load_document
from aligner.export import from_dict, rebuild_documents
from aligner.model import AlignerError, Comparison, Document

if TYPE_CHECKING:
    from aligner.synopsis import Synopsis


def load_report(path: str | os.PathLike[str]) -> Comparison | Synopsis:
    """The comparison (two documents) or synopsis (three or more) that the
    JSON report at ``path`` holds, its documents read again.

    Raises:
        AlignerError: the file cannot be read, is not an aligner JSON report,
            or a document is missing or no longer the text the report was made on.
    """
    report = Path(path)
    text = load_document(report).text  # read as documents are: one line per problem
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise AlignerError(f"{report}: not a JSON report (aligner ... --format json)") from None
    if not isinstance(data, dict) or "aligner" not in data or "documents" not in data:
        raise AlignerError(f"{report}: not a report aligner wrote (no documents)")
    if "groups" in data and "base" not in data:
        raise AlignerError(f"{report}: a synopsis without its base document")
    docs = _documents(data, report.parent)
    try:
        if "groups" in data:
            from aligner.synopsis_report import synopsis_from_dict

            return synopsis_from_dict(data, docs)
        return from_dict(data, documents=docs)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise AlignerError(f"{report}: not a report aligner wrote ({exc!r})") from None


def _documents(data: Mapping[str, Any], folder: Path) -> list[Document]:
    """The report's documents, read again and checked against it."""
    try:
        entries: Sequence[Mapping[str, Any]] = data["documents"]
        rebuilt = rebuild_documents(data)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise AlignerError(f"not a report aligner wrote ({exc!r})") from None
    docs = []
    for n, (entry, fallback) in enumerate(zip(entries, rebuilt, strict=True), 1):
        where = entry.get("path")
        if where is None:  # read from stdin: its passages are all there is
            docs.append(fallback)
            continue
        found = _find(str(where), folder)
        if found is None:
            raise AlignerError(
                f"{where}: not found (document {n} of the report); "
                "open the report from the folder it was made in, or put the document beside it"
            )
        doc = load_document(found)
        if len(doc.text) != entry.get("length") or not _holds(doc, n - 1, data):
            raise AlignerError(f"{found}: no longer the text the report was made on")
        docs.append(doc)
    return docs


def _find(where: str, folder: Path) -> Path | None:
    """The document's file: as the report names it, else beside the report."""
    for candidate in (Path(where), folder / where, folder / Path(where).name):
        if candidate.is_file():
            return candidate
    return None


def _holds(doc: Document, index: int, data: Mapping[str, Any]) -> bool:
    """Whether every passage the report gives in document ``index`` is still there."""
    for pair in data.get("pairs") or ():
        for side in ("a", "b"):
            span = pair[side]
            if span["doc"] == index and doc.text[span["start"] : span["end"]] != span["text"]:
                return False
    for group in data.get("groups") or ():
        for m in group["members"]:
            if m["doc"] == index and doc.text[m["start"] : m["end"]] != m["text"]:
                return False
    return True
