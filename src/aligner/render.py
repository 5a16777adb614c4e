"""The plain-text report, and what every report shares: marks and safe text.

``export.py`` turns a ``Comparison`` into Markdown and text (``render_text``
here); both need the same two things, kept here so the TUI can reuse them:

- ``mark_passage`` splits one side of a pair into runs of text, each flagged
  when it should stand out: words the other side lacks (quotations and
  versions, from the diff opcodes) or the shared evidence (retellings, which
  share too few words for a diff to help).
- ``printable`` makes document content safe for a terminal: no control
  character or ANSI escape sequence survives raw.

It never computes a diff or an evidence item: it only reads the ones the
engine put in the ``Pair``.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from typing import TYPE_CHECKING, Literal

from aligner.model import KINDS, Comparison, DiffOp, Document, Pair, Span

if TYPE_CHECKING:
    from aligner.synopsis import Synopsis

Side = Literal["a", "b"]

SIDES = ("A", "B")
"""How reports name the two documents of a comparison."""

# C0 controls (but \n and \t) and DEL become their visible "control picture"
# (ESC -> U+241B); C1 controls, which some terminals obey as CSI, become U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def counted(n: int, noun: str) -> str:
    """``1 pair``, ``2 pairs``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab made visible.

    The result has the same length as ``text``: each control character is
    replaced by one visible character, so an ANSI escape sequence comes out
    as inert text (``"\\x1b[31m"`` -> ``"␛[31m"``).
    """
    return _CONTROL.sub(_picture, text)


BY_HAND = "✎"
"""The mark of a passage or pair the reader added (``Member.by_hand``,
``Pair.by_hand``), in the reports and the app."""


_LINE_END = re.compile(r"\n[ \t]*(?=\S)")
"""A line end, up to the text of the next line."""


def flowed(text: str, origin: int, doc: Document) -> str:
    """``text`` (which starts at offset ``origin`` of ``doc``) with each line
    end inside a paragraph made a space, so that a column rewraps it: a text
    wrapped at 72 characters (mail, Project Gutenberg) would otherwise show
    its short lines in a wider column. Line ends between paragraphs (as
    ``doc`` counts them: blank lines, or a line each) stay. Same length.
    """
    ends = [
        m.start()
        for m in _LINE_END.finditer(text)
        if doc.paragraph_number(origin + m.start()) == doc.paragraph_number(origin + m.end())
    ]
    if not ends:
        return text
    chars = list(text)
    for i in ends:
        chars[i] = " "
    return "".join(chars)


def marks_differences(pair: Pair) -> bool:
    """True when the pair's differences are worth marking word by word.

    Quotations and versions share most words, so what changed is the news;
    retellings share few, so their shared evidence is marked instead.
    """
    return pair.kind != "retelling"


def changed_label(pair: Pair) -> str:
    """How much of the pair's wording differs, for a report: ``"12% changed"``."""
    return f"{pair.changed:.0%} changed"


def mark_passage(pair: Pair, side: Side) -> list[tuple[str, bool]]:
    """Split one side of ``pair`` into ``(text, marked)`` runs, in order.

    For quotations and versions a run is marked when the diff has it only on
    this side (``delete``/``replace`` in a, ``insert``/``replace`` in b; for a
    spelling variant, only the letters its character opcodes change). For
    retellings a run is marked when it is shared evidence. The runs' texts
    join back to exactly the passage text.

    Args:
        pair: The pair to render.
        side: ``"a"`` or ``"b"``.

    Returns:
        Consecutive runs covering the passage, adjacent runs never both marked.
    """
    span = pair.a if side == "a" else pair.b
    text = pair.a_text if side == "a" else pair.b_text
    ranges = _marked_ranges(pair, side)
    return _runs(text, span.start, ranges)


def _marked_ranges(pair: Pair, side: Side) -> list[tuple[int, int]]:
    if not marks_differences(pair):
        return [r for ev in pair.evidence for r in (ev.a if side == "a" else ev.b)]
    return _own_ranges(pair.diff, side)


def _own_ranges(ops: tuple[DiffOp, ...], side: Side) -> list[tuple[int, int]]:
    """Ranges only ``side`` has; a spelling variant marks just its changed letters."""
    own = ("delete", "replace") if side == "a" else ("insert", "replace")
    out: list[tuple[int, int]] = []
    for op in ops:
        if op.tag == "replace" and op.chars:
            out += _own_ranges(op.chars, side)
        elif op.tag in own:
            out.append((op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end))
    return out


def _runs(text: str, origin: int, ranges: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """Cut ``text`` (starting at absolute offset ``origin``) at merged ``ranges``."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        start, end = max(start - origin, 0), min(end - origin, len(text))
        if end <= start:
            continue
        # Join marks split only by spaces: "~~that power~~", not "~~that~~ ~~power~~".
        if merged and (start <= merged[-1][1] or _blank(text[merged[-1][1] : start])):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    runs: list[tuple[str, bool]] = []
    pos = 0
    for start, end in merged:
        if start > pos:
            runs.append((text[pos:start], False))
        runs.append((text[start:end], True))
        pos = end
    if pos < len(text) or not runs:
        runs.append((text[pos:], False))
    return runs


def _blank(gap: str) -> bool:
    return not gap.strip() and "\n" not in gap


def truncate_runs(runs: list[tuple[str, bool]], limit: int) -> tuple[list[tuple[str, bool]], int]:
    """Keep the first ``limit`` characters of ``runs``; return them and how many were cut."""
    kept: list[tuple[str, bool]] = []
    room = limit
    total = sum(len(t) for t, _ in runs)
    for text, marked in runs:
        if room <= 0:
            break
        kept.append((text[:room], marked))
        room -= len(text)
    return kept, max(0, total - limit)


# ---------------------------------------------------------------- text report


def render_text(c: Comparison, *, width: int = 80, max_chars: int = 1200) -> str:
    """``c`` as a compact terminal report: a summary line, then one block per pair.

    Args:
        c: The comparison.
        width: Wrap passages to this many columns.
        max_chars: Show at most this many characters of each passage.
    """
    gaps = unpaired(c)
    lines = [_text_summary(c, gaps), ""]
    if not c.pairs:
        lines.append("no parallel passages found")
    for n, p in enumerate(c.pairs, 1):
        lines += _text_pair(c, n, p, width=width, max_chars=max_chars)
        lines.append("")
    for doc, spans in gaps:
        lines += _text_unaligned(c, doc, spans, width=width, max_chars=max_chars)
    return "\n".join(lines).rstrip() + "\n"


Gaps = list[tuple[int, tuple[Span, ...]]]
"""Per document with any, its unpaired passages (``Comparison.unaligned``)."""


def unpaired(c: Comparison) -> Gaps:
    """For two versions, what each has that the other lacks, for a report;
    nothing in free order, where two accounts leave most of both unpaired."""
    if not c.ordered:
        return []
    return [(doc, spans) for doc in range(len(c.documents)) if (spans := c.unaligned(doc))]


def only_in(doc: int, spans: tuple[Span, ...]) -> str:
    """``"Only in A: 2 passages, 1,425 characters"``, for a report."""
    side = SIDES[doc] if doc < len(SIDES) else str(doc)
    chars = sum(len(s) for s in spans)
    return f"Only in {side}: {counted(len(spans), 'passage')}, {chars:,} characters"


def _text_unaligned(
    c: Comparison, doc: int, spans: tuple[Span, ...], *, width: int, max_chars: int
) -> list[str]:
    side = SIDES[doc] if doc < len(SIDES) else str(doc)
    lines = [only_in(doc, spans)]
    for s in spans:
        number = c.documents[doc].paragraph_label(s.start, s.end)
        body = _clipped(c.text(s), max_chars)
        lines += [f"  {side} ¶{number} {s.start}-{s.end}", *_wrap(printable(body), "    | ", width)]
    return [*lines, ""]


def _clipped(text: str, max_chars: int) -> str:
    """``text`` cut after ``max_chars`` characters, saying how many more there were."""
    if len(text) <= max_chars:
        return text
    return f"{text[:max_chars]} … [{len(text) - max_chars:,} more characters]"


def _text_summary(c: Comparison, gaps: Gaps) -> str:
    lines = []
    for i, doc in enumerate(c.documents):
        side = SIDES[i] if i < len(SIDES) else str(i)
        lines.append(
            f"{side}  {text_name(doc)}  ({len(doc.text):,} chars, {c.coverage(i):.0%} aligned)"
        )
    counts = c.counts()
    by_kind = ", ".join(counted(counts[k], k) for k in KINDS if k in counts)
    order = "ordered" if c.ordered else "free order"
    head = counted(len(c.pairs), "pair") + (f" ({by_kind})" if by_kind else "")
    lines.append(f"{head}; {order}")
    lines += [only_in(doc, spans) for doc, spans in gaps]  # listed in full after the pairs
    lines.extend(f"note: {printable(note)}" for note in c.notes)
    return "\n".join(lines)


def _text_pair(c: Comparison, n: int, p: Pair, *, width: int, max_chars: int) -> list[str]:
    where = "  ".join(
        f"{SIDES[s.doc] if s.doc < 2 else s.doc} "
        f"¶{c.documents[s.doc].paragraph_label(s.start, s.end)} {s.start}-{s.end}"
        for s in (p.a, p.b)
    )
    lines = [f"#{n}  {p.kind}  {p.score:.2f}  {where}"]
    if marks_differences(p):
        lines[0] += f"  {changed_label(p)}"
    if p.by_hand:
        lines[0] += "  added by hand"
    for side in ("a", "b"):
        label = SIDES[(p.a if side == "a" else p.b).doc] if len(c.documents) <= 2 else side
        span = p.a if side == "a" else p.b
        body = _text_passage(p, side, c.documents[span.doc], max_chars=max_chars)
        lines += _wrap(body, f"  {label} | ", width)
    if p.evidence:
        terms = ", ".join(f"{e.kind} {' '.join(e.term.split())!r}" for e in p.evidence[:6])
        lines += _wrap(printable(terms), "  why: ", width)
    return lines


def _text_passage(p: Pair, side: str, doc: Document, *, max_chars: int) -> str:
    runs = mark_passage(p, "a" if side == "a" else "b")
    # Lines wrapped inside a paragraph flow on (the same length, piece by piece).
    text = flowed("".join(t for t, _ in runs), (p.a if side == "a" else p.b).start, doc)
    at = itertools.accumulate(len(t) for t, _ in runs)
    runs = [(text[end - len(t) : end], m) for (t, m), end in zip(runs, at, strict=True)]
    runs, cut = truncate_runs(runs, max_chars)
    if marks_differences(p):
        left, right = ("[-", "-]") if side == "a" else ("{+", "+}")
    else:
        left, right = "*", "*"
    body = "".join(f"{left}{t}{right}" if m and t.strip() else t for t, m in runs)
    if cut:
        body += f" … [{cut:,} more characters]"
    return printable(body)


def _wrap(text: str, prefix: str, width: int) -> list[str]:
    indent = " " * len(prefix)
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        if not para.strip():
            continue
        out += textwrap.wrap(
            " ".join(para.split()),
            width=max(width, len(prefix) + 20),
            initial_indent=prefix if not out else indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )
    return out or [prefix.rstrip()]


# ---------------------------------------------------------------- look-up text


def render_lookup_text(*found: Comparison, width: int = 80, max_chars: int = 1200) -> str:
    """Look-ups of one passage (``aligner.find_parallels``) as a terminal report:
    the passage once, then for each document looked in (B, C, ...) its
    stretches most like it, best first."""
    source = found[0].documents[0]
    targets = [c.documents[1] for c in found]
    lines = [f"A  {text_name(source)}"]
    lines += [f"{target_letter(k)}  {text_name(t)}" for k, t in enumerate(targets)]
    lines.append(
        "stretches most like this passage of A, best first "
        "(scores are similarities: judge them yourself)"
    )
    a = next((c.pairs[0].a for c in found if c.pairs), None)
    if a is not None:
        body = _clipped(source.text[a.start : a.end], max_chars)
        lines += ["", f"A ¶{source.paragraph_label(a.start, a.end)} {a.start}-{a.end}"]
        lines += _wrap(printable(body), "  | ", width)
    for k, c in enumerate(found):
        side, target = target_letter(k), c.documents[1]
        if len(found) > 1:
            lines += ["", f"== in {side}: {text_name(target)}"]
        if not c.pairs:
            lines += ["", f"{side} has no stretch to offer"]
        for n, p in enumerate(c.pairs, 1):
            where = target.paragraph_label(p.b.start, p.b.end)
            head = f"#{n}  {p.score:.2f}  {p.kind}  {side} ¶{where} {p.b.start}-{p.b.end}"
            passage = _text_passage(p, "b", c.documents[1], max_chars=max_chars)
            lines += ["", head, *_wrap(passage, "  | ", width)]
            if p.evidence:
                terms = ", ".join(f"{e.kind} {' '.join(e.term.split())!r}" for e in p.evidence[:6])
                lines += _wrap(printable(terms), "  shared: ", width)
    return "\n".join(lines).rstrip() + "\n"


def text_name(doc: Document) -> str:
    """A document's name on one line, safe to print."""
    return printable(" ".join(doc.name.split()))


def target_letter(target: int) -> str:
    """How a look-up report names its ``target``-th document looked in: B, C, ..."""
    return chr(ord("B") + target) if target < 25 else f"T{target + 1}"


# ---------------------------------------------------------------- synopsis text


def render_synopsis_text(syn: Synopsis, *, width: int = 80, max_chars: int = 600) -> str:
    """A synopsis of three or more documents as a compact terminal report.

    One block per group: a header line (number, kind, score, where each
    document has it or ``-``), then each member's passage, marked against the
    base member as in the Markdown synopsis.
    """
    from aligner.grouping import shown
    from aligner.synopsis_report import label

    docs = syn.documents
    lines = [f"Synopsis of {len(docs)} accounts (differences against {label(syn.base)})"]
    for i, doc in enumerate(docs):
        n = sum(1 for g in syn.groups if g.member(i))
        name = text_name(doc)
        lines.append(f"{label(i)}  {name}  ({len(doc.text):,} chars, in {counted(n, 'group')})")
    lines += [counted(len(syn.groups), "group"), ""]
    if not syn.groups:
        lines.append("no parallel passages found")
    words = syn.words()
    for n, g in enumerate(syn.groups, 1):
        where = "  ".join(
            f"{label(i)} ¶{docs[i].paragraph_label(m.start, m.end)}{' (by hand)' * m.by_hand}"
            if (m := g.member(i))
            else f"{label(i)} -"
            for i in range(len(docs))
        )
        lines.append(f"#{n}  {g.kind}  {g.score:.2f}  {where}")
        ref = g.member(syn.base)
        for m, ops in zip(g.members, g.diffs, strict=True):
            marked = shown(ref, m, ops, g.kind, words)
            body = _text_passage(marked, "b", docs[m.doc], max_chars=max_chars)
            lines += _wrap(body, f"  {label(m.doc)} | ", width)
        if g.topic:
            lines += _wrap(printable(", ".join(g.topic)), "  topic: ", width)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
