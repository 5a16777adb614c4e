"""Comparison -> JSON, Markdown and text; and safe, atomic writing of a report.

Every function here reads a finished ``Comparison`` and never matches, aligns
or diffs. Document content is escaped for the target: Markdown cannot be
broken (or made to run HTML) by a document, and the text report never sends a
raw control character or ANSI escape sequence to a terminal.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aligner.model import (
    KINDS,
    AlignerError,
    Comparison,
    DiffOp,
    Document,
    Evidence,
    Options,
    Pair,
    Span,
)
from aligner.render import (
    SIDES,
    Gaps,
    Side,
    changed_label,
    mark_passage,
    marks_differences,
    only_in,
    printable,
    render_text,
    target_letter,
    unpaired,
)

if TYPE_CHECKING:
    from aligner.synopsis import Synopsis


class OutputError(AlignerError):
    """A report could not be written where the user asked."""


# ---------------------------------------------------------------- JSON


def to_dict(c: Comparison) -> dict[str, Any]:
    """The canonical JSON-ready form of ``c`` (documented in docs/cli.md).

    Document texts are not included (only their path, name, length and
    encoding); each pair carries the text of both passages.
    """
    from aligner import __version__

    return {
        "aligner": __version__,
        "documents": [_document_dict(d) for d in c.documents],
        "ordered": c.ordered,
        "options": {
            "min_score": c.options.min_score,
            "kinds": list(c.options.kinds),
            "ordered": c.options.ordered,
            "semantic": c.options.semantic,
        },
        "counts": c.counts(),
        "coverage": [round(c.coverage(i), 4) for i in range(len(c.documents))],
        "timings": {stage: round(secs, 4) for stage, secs in c.timings},
        "notes": list(c.notes),
        "pairs": [_pair_dict(c, p) for p in c.pairs],
        "unaligned": [_span_dict(c, s, c.text(s)) for _, spans in unpaired(c) for s in spans],
    }


def _document_dict(d: Document) -> dict[str, Any]:
    return {"path": d.path, "name": d.name, "length": len(d.text), "encoding": d.encoding}


def _span_dict(c: Comparison, span: Span, text: str) -> dict[str, Any]:
    doc = c.documents[span.doc]
    return {
        "doc": span.doc,
        "start": span.start,
        "end": span.end,
        "text": text,
        **paragraphs_dict(doc, span.start, span.end),
    }


def paragraphs_dict(doc: Document, start: int, end: int) -> dict[str, int]:
    """The first and last paragraph numbers of a span, JSON-ready."""
    first, last = doc.paragraph_range(start, end)
    return {"paragraph": first, "last_paragraph": last}


def _pair_dict(c: Comparison, p: Pair) -> dict[str, Any]:
    return {
        "a": _span_dict(c, p.a, p.a_text),
        "b": _span_dict(c, p.b, p.b_text),
        "score": round(p.score, 4),
        "kind": p.kind,
        "changed": round(p.changed, 4),
        "evidence": [
            {
                "kind": e.kind,
                "term": e.term,
                "weight": round(e.weight, 4),
                # Tuples of (start, end): JSON arrays, without copying each.
                "a": e.a,
                "b": e.b,
            }
            for e in p.evidence
        ],
        "diff": [op_dict(op) for op in p.diff],
        "by_hand": p.by_hand,
    }


def op_dict(op: DiffOp) -> dict[str, Any]:
    out: dict[str, Any] = {"tag": op.tag, "a": [op.a_start, op.a_end], "b": [op.b_start, op.b_end]}
    if op.chars:
        out["chars"] = [op_dict(ch) for ch in op.chars]
    return out


_C1 = re.compile(r"[\x80-\x9f]")


def to_json(c: Comparison, *, indent: int | None = 2) -> str:
    """``to_dict(c)`` as JSON text (UTF-8 characters kept, C1 controls escaped)."""
    return dumps(to_dict(c), indent=indent)


def dumps(data: object, *, indent: int | None = 2) -> str:
    """JSON text safe to print: json escapes C0 controls, this escapes C1 too.

    With ``indent``, the outer ``PRETTY_LEVELS`` levels are laid out one item
    a line and what lies deeper (a diff opcode, an evidence item's ranges)
    stays on one line: as readable, and written by json's C encoder, which
    ``indent`` would otherwise turn off (20 s for 40,000 pairs).
    """
    text = _ENCODE(data) if indent is None else _pretty(data, indent, 0)
    # C1 characters only occur inside JSON strings, where \\u escapes are valid.
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


PRETTY_LEVELS = 4
"""Levels of nesting that ``dumps`` lays out one item a line."""


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
"""One encoder for every call (``json.dumps`` with options builds one each time)."""


def _pretty(value: object, indent: int, level: int) -> str:
    if level >= PRETTY_LEVELS or not isinstance(value, dict | list | tuple) or not value:
        return _ENCODE(value)
    inner = "\n" + " " * (indent * (level + 1))
    if isinstance(value, dict):
        items = [f"{_ENCODE(str(k))}: {_pretty(v, indent, level + 1)}" for k, v in value.items()]
        opening, closing = "{", "}"
    else:
        items = [_pretty(v, indent, level + 1) for v in value]
        opening, closing = "[", "]"
    return opening + inner + ("," + inner).join(items) + "\n" + " " * (indent * level) + closing


def from_dict(d: Mapping[str, Any], *, documents: Sequence[Document] | None = None) -> Comparison:
    """Rebuild a ``Comparison`` from ``to_dict`` output.

    Args:
        d: The dictionary (e.g. ``json.loads`` of ``to_json``).
        documents: The compared documents. Without them each document's text
            is rebuilt from the pairs' passages, with spaces elsewhere, so
            that every span still slices back to its passage.

    Raises:
        AlignerError: ``d`` is not in the expected shape.
    """
    try:
        docs = tuple(documents) if documents is not None else rebuild_documents(d)
        options = options_from(d)
        pairs = tuple(pair_from(p) for p in d["pairs"])
        timings = tuple((str(k), float(v)) for k, v in (d.get("timings") or {}).items())
        notes = tuple(str(n) for n in d.get("notes") or ())
        return Comparison(docs, pairs, options, bool(d.get("ordered", False)), timings, notes)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise AlignerError(f"not an aligner comparison: {exc!r}") from None


def rebuild_documents(d: Mapping[str, Any]) -> tuple[Document, ...]:
    """The documents of ``to_dict`` output (or a synopsis's) as far as it
    gives them: each passage of a pair or a group in place, spaces elsewhere,
    so that every span still slices back to its passage."""
    from aligner.documents import make_document

    texts = [[" "] * int(doc["length"]) for doc in d["documents"]]
    spans = [p[side] for p in d["pairs"] for side in ("a", "b")]
    spans += [m for g in d.get("groups") or () for m in g["members"]]
    for span in spans:
        texts[span["doc"]][span["start"] : span["end"]] = list(span["text"])
    return tuple(
        make_document(
            "".join(chars), name=doc["name"], path=doc.get("path"), encoding=doc["encoding"]
        )
        for doc, chars in zip(d["documents"], texts, strict=True)
    )


def options_from(d: Mapping[str, Any]) -> Options:
    """The ``Options`` of ``to_dict`` output (defaults where it gives none)."""
    opts = d.get("options") or {}
    return Options(
        min_score=float(opts.get("min_score", 0.0)),
        kinds=tuple(opts.get("kinds", KINDS)),
        ordered=opts.get("ordered"),
        semantic=bool(opts.get("semantic", True)),
    )


def pair_from(p: Mapping[str, Any]) -> Pair:
    """One pair of ``to_dict`` output as a ``Pair``."""
    return Pair(
        a=Span(p["a"]["doc"], p["a"]["start"], p["a"]["end"]),
        b=Span(p["b"]["doc"], p["b"]["start"], p["b"]["end"]),
        a_text=p["a"]["text"],
        b_text=p["b"]["text"],
        score=float(p["score"]),
        kind=p["kind"],
        evidence=tuple(
            Evidence(
                e["kind"],
                e["term"],
                float(e["weight"]),
                tuple((s, t) for s, t in e["a"]),
                tuple((s, t) for s, t in e["b"]),
            )
            for e in p.get("evidence", ())
        ),
        diff=tuple(_op_from(op) for op in p.get("diff", ())),
        by_hand=bool(p.get("by_hand", False)),
    )


def _op_from(op: Mapping[str, Any]) -> DiffOp:
    chars = tuple(_op_from(ch) for ch in op.get("chars", ()))
    return DiffOp(op["tag"], op["a"][0], op["a"][1], op["b"][0], op["b"][1], chars)


# ---------------------------------------------------------------- Markdown

# Backslash-escape every character Markdown (GitHub flavour) gives a meaning to
# in running text; CommonMark allows a backslash before any ASCII punctuation.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$&#])")
_MD_LINE_START = re.compile(r"^(\d{1,9})([.)])|^([-+=])")


def escape_markdown(text: str) -> str:
    """``text`` as inert Markdown: no emphasis, link, HTML, code or table cell."""
    return _MD_SPECIAL.sub(r"\\\1", printable(text).replace("\t", " "))


def _escape_line_start(line: str) -> str:
    line = line.lstrip(" \t")  # four spaces of indent would start a code block
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line)


def to_markdown(c: Comparison) -> str:
    """``c`` as GitHub-flavoured Markdown: a summary, then one section per pair."""
    gaps = unpaired(c)
    parts = [_md_summary(c, gaps)]
    parts.extend(_md_pair(c, n, p) for n, p in enumerate(c.pairs, 1))
    parts.extend(_md_unaligned(c, doc, spans) for doc, spans in gaps)
    return "\n\n".join(parts) + "\n"


def _md_unaligned(c: Comparison, doc: int, spans: tuple[Span, ...]) -> str:
    lines = [f"## {only_in(doc, spans)}"]
    for s in spans:
        lines += [
            "",
            f"¶ {c.documents[doc].paragraph_label(s.start, s.end)} · "
            f"characters {s.start:,}–{s.end:,}",
            "",
        ]
        for line in printable(c.text(s)).replace("\t", " ").split("\n"):
            text = _escape_line_start(escape_markdown(line.strip()))
            lines.append(f"> {text}" if text else ">")
    return "\n".join(lines)


def md_name(doc: Document) -> str:
    return escape_markdown(" ".join(doc.name.split()))


def _md_summary(c: Comparison, gaps: Gaps) -> str:
    names = " and ".join(md_name(d) for d in c.documents)
    lines = [f"# Parallel passages: {names}", ""]
    lines += ["| | Document | Characters | Aligned | Encoding |", "|---|---|--:|--:|---|"]
    for i, doc in enumerate(c.documents):
        side = SIDES[i] if i < len(SIDES) else str(i)
        lines.append(
            f"| {side} | {md_name(doc)} | {len(doc.text):,} | {c.coverage(i):.1%} "
            f"| {escape_markdown(doc.encoding)} |"
        )
    counts = c.counts()
    lines += ["", "| Kind | Pairs |", "|---|--:|"]
    lines += [f"| {kind} | {counts[kind]} |" for kind in KINDS if kind in counts]
    lines += [f"| **all** | {len(c.pairs)} |", ""]
    order = "ordered (one text's versions, in order)" if c.ordered else "free order"
    lines.append(f"Alignment: {order}.")
    for k, spans in gaps:
        lines += ["", f"{only_in(k, spans)} (listed after the pairs)."]
    for note in c.notes:
        lines.append("")
        lines.append(f"Note: {escape_markdown(note)}")
    if not c.pairs:
        lines += ["", "No parallel passages found."]
    else:
        lines += [
            "",
            "In quotations and versions, ~~struck~~ words are only in A and **bold** words "
            "only in B; in retellings, **bold** marks what both share (phrases, names, "
            "dates, numbers, rare words).",
        ]
    return "\n".join(lines)


def _md_pair(c: Comparison, number: int, p: Pair) -> str:
    heading = f"## {number}. {p.kind.capitalize()} (score {p.score:.2f}"
    if marks_differences(p):
        heading += f", {changed_label(p)}"
    lines = [heading + ")" + (" · added by hand" if p.by_hand else ""), ""]
    sides: tuple[tuple[Side, Span], ...] = (("a", p.a), ("b", p.b))
    for side, span in sides:
        doc = c.documents[span.doc]
        label = SIDES[span.doc] if span.doc < len(SIDES) else str(span.doc)
        lines.append(
            f"**{label}** · {md_name(doc)} · ¶ {doc.paragraph_label(span.start, span.end)} · "
            f"characters {span.start:,}–{span.end:,}"
        )
        lines += ["", md_quote(p, side), ""]
    if p.evidence:
        lines.append("Evidence:")
        lines += [
            f"- {e.kind}: {escape_markdown(' '.join(e.term.split()))} ({e.weight:.2f})"
            for e in p.evidence[:8]
        ]
    return "\n".join(lines).rstrip()


def lookup_markdown(*found: Comparison) -> str:
    """Look-ups of one passage (``aligner.find_parallels``) as GitHub-flavoured
    Markdown: the passage, then for each document looked in its stretches
    most like it, best first, one section each."""
    source = found[0].documents[0]
    several = len(found) > 1
    where = f"{len(found)} documents tell" if several else f"{md_name(found[0].documents[1])} tells"
    lines = [f"# Where {where} a passage of {md_name(source)}", ""]
    first = next((c.pairs[0] for c in found if c.pairs), None)
    if first is not None:
        a = first.a
        lines.append(
            f"**A** · {md_name(source)} · ¶ {source.paragraph_label(a.start, a.end)} · "
            f"characters {a.start:,}–{a.end:,}"
        )
        lines += ["", md_quote(dataclasses.replace(first, diff=(), evidence=()), "a"), ""]
    lines.append(
        "The stretches most like it, best first. Scores are similarities, not the engine's "
        "confidence: judge them yourself. **Bold** marks what a stretch shares with the "
        "passage (in a quotation: its own words)."
    )
    for k, c in enumerate(found):
        target, heading = c.documents[1], "###" if several else "##"
        side = target_letter(k)
        if several:
            lines += ["", f"## In {side}: {md_name(target)}"]
        if not c.pairs:
            lines += ["", f"{md_name(target)} has no stretch to offer."]
        for n, p in enumerate(c.pairs, 1):
            lines += [
                "",
                f"{heading} {side}{n}. ¶ {target.paragraph_label(p.b.start, p.b.end)} · characters "
                f"{p.b.start:,}–{p.b.end:,} (similarity {p.score:.2f}, {p.kind})",
                "",
                md_quote(p, "b"),
            ]
            if p.evidence:
                terms = ", ".join(
                    f"{e.kind} {escape_markdown(' '.join(e.term.split()))}" for e in p.evidence[:8]
                )
                lines += ["", f"Shared: {terms}."]
    return "\n".join(lines) + "\n"


def lookups_dict(found: Sequence[Comparison]) -> dict[str, Any]:
    """Look-ups of one passage in several documents, JSON-ready: one
    comparison model each (``to_dict``), in the order looked in."""
    from aligner import __version__

    return {"aligner": __version__, "lookups": [to_dict(c) for c in found]}


def md_quote(p: Pair, side: Side) -> str:
    """One passage as a blockquote, its marked runs struck or bold."""
    marker = "~~" if side == "a" and marks_differences(p) else "**"
    lines: list[str] = [""]
    for text, marked in mark_passage(p, side):
        # Controls made visible first: str.strip() would treat \r or \x1f as space.
        for i, chunk in enumerate(printable(text).replace("\t", " ").split("\n")):
            if i:
                lines.append("")
            lines[-1] += _md_run(chunk, marked, marker, at_start=not lines[-1])
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1] != ">"):
            out.append(f"> {line}" if line else ">")
    while out and out[-1] == ">":
        out.pop()
    return "\n".join(out) or ">"


def _md_run(chunk: str, marked: bool, marker: str, *, at_start: bool) -> str:
    core = chunk.strip()
    if not core:
        return "" if at_start else chunk.replace("\t", " ")
    lead = "" if at_start else chunk[: len(chunk) - len(chunk.lstrip())]
    trail = chunk[len(chunk.rstrip()) :]
    body = escape_markdown(core)
    if at_start:
        body = _escape_line_start(body)
    if marked:
        body = f"{marker}{body}{marker}"
    return f"{lead}{body}{trail}".replace("\t", " ")


def write_markdown(c: Comparison, path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write ``to_markdown(c)`` to ``path`` atomically (see ``write_output``)."""
    write_output(to_markdown(c), path, force=force)


# ---------------------------------------------------------------- text


def to_text(c: Comparison, *, width: int = 80, max_chars: int = 1200) -> str:
    """``c`` as a compact terminal report: a summary, then one block per pair.

    Control characters and ANSI escapes in the documents come out visible and
    inert. Passages longer than ``max_chars`` are cut, with a note.

    Args:
        c: The comparison.
        width: Wrap passages to this many columns.
        max_chars: Show at most this many characters of each passage.
    """
    return render_text(c, width=width, max_chars=max_chars)


# ---------------------------------------------------------------- writing


def render_report(result: Comparison | Synopsis, fmt: str, *, width: int = 80) -> str:
    """``result`` (a comparison or a synopsis) as the report ``fmt`` names:
    ``json``, ``markdown`` or ``text`` (``width`` columns), as the CLI and the
    app's export write it."""
    if fmt == "json":
        return (to_json(result) if isinstance(result, Comparison) else result.to_json()) + "\n"
    if fmt == "markdown":
        return to_markdown(result) if isinstance(result, Comparison) else result.to_markdown()
    if isinstance(result, Comparison):
        return to_text(result, width=width)
    from aligner.render import render_synopsis_text

    return render_synopsis_text(result, width=width)


SUFFIX_FORMATS = {".md": "markdown", ".markdown": "markdown", ".json": "json", ".txt": "text"}
"""The report format a file name asks for by its suffix (any other: Markdown)."""


def format_of(path: str | os.PathLike[str]) -> str:
    """``markdown``, ``json`` or ``text``, as ``path``'s suffix asks (Markdown by default)."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), "markdown")


FOREIGN_SUFFIXES = frozenset(
    ".pdf .html .htm .xhtml .doc .docx .odt .rtf .epub .csv .tsv .xls .xlsx .xml .yaml .yml".split()
)
"""Suffixes of formats aligner does not write: a report named ``report.pdf``
is refused rather than filled with Markdown (any other suffix gets Markdown)."""


def foreign_suffix(path: str | os.PathLike[str]) -> str | None:
    """``path``'s suffix when it names a format aligner does not write (".pdf")."""
    suffix = Path(path).suffix.lower()
    return suffix if suffix in FOREIGN_SUFFIXES else None


def unusable_name(path: str | os.PathLike[str]) -> str | None:
    """Why no file can have ``path``'s name ("File name too long", a NUL
    byte), or ``None``: asking the file system about it would raise."""
    try:
        Path(path).exists()
    except (OSError, ValueError) as exc:
        return getattr(exc, "strerror", None) or str(exc)
    return None


def check_output(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Check that a report can be written to ``path``, before any long work.

    Raises:
        OutputError: ``path`` exists (and ``force`` is false), is a directory,
            cannot be a file name (too long), or its folder is missing or not
            writable.
    """
    p = Path(path)
    if problem := unusable_name(p):
        raise OutputError(f"{p}: cannot be a file name ({problem})")
    if p.is_dir():
        raise OutputError(f"{p}: is a directory")
    if p.exists() and not force:
        raise OutputError(f"{p}: already exists (use --force to overwrite it)")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{p}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{p}: folder {folder} is not writable")
    return p


def write_output(text: str, path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    The text goes to a temporary file in the same folder, which then replaces
    ``path`` in one step, so an interrupted write never leaves half a file.
    Without ``force`` an existing file is never replaced, even one created
    while the report was being computed.

    Raises:
        OutputError: see ``check_output``; or the write itself failed.
    """
    p = check_output(path, force=force)
    tmp = _write_temp(text, p)
    try:
        _publish(tmp, p, force=force)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_temp(text: str, p: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
    except OSError as exc:
        raise OutputError(f"{p}: cannot write ({exc.strerror or exc})") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give a normal file's mode
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{p}: cannot write ({exc.strerror or exc})") from None
    except BaseException:  # Ctrl-C mid-write: leave nothing behind
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _publish(tmp: Path, p: Path, *, force: bool) -> None:
    try:
        if force:
            os.replace(tmp, p)
            return
        try:
            os.link(tmp, p)  # fails if p appeared meanwhile: never clobber
        except FileExistsError:
            raise OutputError(f"{p}: already exists (use --force to overwrite it)") from None
        except OSError:
            if p.exists():  # no hard links on this file system
                raise OutputError(f"{p}: already exists (use --force to overwrite it)") from None
            os.replace(tmp, p)
    except OSError as exc:
        raise OutputError(f"{p}: cannot write ({exc.strerror or exc})") from None
