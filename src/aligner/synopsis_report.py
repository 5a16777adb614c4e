"""A synopsis as JSON-ready data and as Markdown.

The Markdown is a table of groups (topic words, which accounts have each,
where) followed by one section per group with each account's passage, marked
against the base account. This module formats; it never groups or diffs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aligner.export import escape_markdown, md_name, md_quote, op_dict, paragraphs_dict, to_dict
from aligner.grouping import Words, shown
from aligner.model import Comparison, Document, Group, Member
from aligner.render import BY_HAND

if TYPE_CHECKING:
    from aligner.synopsis import Synopsis


def synopsis_dict(syn: Synopsis) -> dict[str, Any]:
    out = to_dict(syn.pairwise())
    out["base"] = syn.base
    out["groups"] = [
        {
            "kind": g.kind,
            "score": round(g.score, 4),
            "topic": list(g.topic),
            "missing": list(g.missing),
            "members": [
                {
                    "doc": m.doc,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    **paragraphs_dict(syn.documents[m.doc], m.start, m.end),
                    "diff": [op_dict(op) for op in ops],
                    "by_hand": m.by_hand,
                }
                for m, ops in zip(g.members, g.diffs, strict=True)
            ],
        }
        for g in syn.groups
    ]
    return out


def synopsis_from_dict(d: Mapping[str, Any], documents: Sequence[Document]) -> Synopsis:
    """Rebuild a ``Synopsis`` from ``synopsis_dict`` output and its documents:
    the pairwise comparisons, the groups with the reader's corrections, the
    base; the members' diffs are computed again. A group's pairs are not
    saved: it has none."""
    import itertools

    from aligner.export import options_from, pair_from
    from aligner.synopsis import Synopsis

    docs = tuple(documents)
    pairs = [pair_from(p) for p in d["pairs"]]
    options = options_from(d)
    comparisons = tuple(
        Comparison(
            (docs[i], docs[j]),
            tuple(p.in_documents(0, 1) for p in pairs if (p.a.doc, p.b.doc) == (i, j)),
            options,
        )
        for i, j in itertools.combinations(range(len(docs)), 2)
    )
    groups = tuple(
        Group(
            members=tuple(
                Member(m["doc"], m["start"], m["end"], m["text"], bool(m.get("by_hand", False)))
                for m in g["members"]
            ),
            kind=g["kind"],
            score=float(g["score"]),
            missing=tuple(g["missing"]),
            diffs=tuple(() for _ in g["members"]),
            topic=tuple(g.get("topic", ())),
        )
        for g in d["groups"]
    )
    syn = Synopsis(docs, comparisons, groups, base=0, options=options)
    return syn.with_base(int(d["base"]))


def label(doc: int) -> str:
    """How the synopsis names document ``doc``: D1, D2 ..."""
    return f"D{doc + 1}"


def synopsis_markdown(syn: Synopsis) -> str:
    docs = syn.documents
    lines = [f"# Synopsis of {len(docs)} accounts", ""]
    lines += ["| | Document | Characters | Groups |", "|---|---|--:|--:|"]
    for i, d in enumerate(docs):
        n = sum(1 for g in syn.groups if g.member(i))
        base = " (base)" if i == syn.base else ""
        lines.append(f"| {label(i)} | {md_name(d)}{base} | {len(d.text):,} | {n} |")
    lines.append("")
    if not syn.groups:
        return "\n".join(lines + ["No parallel passages found."]) + "\n"
    head = " | ".join(label(i) for i in range(len(docs)))
    lines += [f"| # | Topic | Kind | Score | {head} |", "|--:|---|---|--:|" + "---|" * len(docs)]
    for n, g in enumerate(syn.groups, 1):
        where = " | ".join(
            f"¶ {docs[i].paragraph_label(m.start, m.end)}{' ' + BY_HAND if m.by_hand else ''}"
            if (m := g.member(i))
            else "—"
            for i in range(len(docs))
        )
        topic = escape_markdown(", ".join(g.topic)) or "—"
        lines.append(f"| [{n}](#group-{n}) | {topic} | {g.kind} | {g.score:.2f} | {where} |")
    lines += ["", _legend(syn)]
    words = syn.words()
    sections = [_md_group(syn, n, g, words) for n, g in enumerate(syn.groups, 1)]
    return "\n\n".join(["\n".join(lines), *sections]) + "\n"


def _legend(syn: Synopsis) -> str:
    base = label(syn.base)
    legend = (
        f"Differences are shown against the base account, {base}: in quotations **bold** "
        f"words are not in {base}'s passage; in retellings **bold** marks the content words "
        f"shared with it."
    )
    if any(m.by_hand for g in syn.groups for m in g.members):
        legend += f" {BY_HAND} marks a passage added by hand."
    return legend


def _md_group(syn: Synopsis, n: int, g: Group, words: Words) -> str:
    title = escape_markdown(", ".join(g.topic)) or g.kind
    lines = [f"## Group {n}", "", f"{g.kind.capitalize()} (score {g.score:.2f}): {title}", ""]
    ref = g.member(syn.base)
    for m, ops in zip(g.members, g.diffs, strict=True):
        doc = syn.documents[m.doc]
        base = " · base" if m.doc == syn.base else ""
        hand = " · added by hand" if m.by_hand else ""
        lines.append(
            f"**{label(m.doc)}** · {md_name(doc)} · ¶ {doc.paragraph_label(m.start, m.end)}"
            f" · characters {m.start:,}–{m.end:,}{base}{hand}"
        )
        lines += ["", md_quote(shown(ref, m, ops, g.kind, words), "b"), ""]
    if g.missing:
        lines.append(
            "Not in: " + ", ".join(f"{label(d)} ({md_name(syn.documents[d])})" for d in g.missing)
        )
    return "\n".join(lines).rstrip()
