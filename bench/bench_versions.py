"""Versions whose paragraph breaks fall apart: how much wording each pair shows changed.

Usage:
    .venv/bin/python bench/bench_versions.py [--translation DIR]

Two versions of one text that break their paragraphs in different places
should read as changed only where their words differ. For each case this
prints the pairs, the mean and largest share of changed wording
(``Pair.changed``) and the time of the comparison:

* Esther, KJV against WEB, as given (``../shared/gold/translation``);
* the same with the WEB's breaks moved: each paragraph's last sentence starts
  the next paragraph instead (the wording is the WEB's, so the mean should
  stay that of the first case);
* a bundled account against an edition of it that ends each paragraph a
  sentence earlier and writes "officialdom" for "bureaucracy".

It is a script, not a test.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import aligner  # noqa: E402

TRANSLATION = ROOT.parent / "shared" / "gold" / "translation"
SAMPLE = ROOT / "samples" / "how-the-bureaucracy-seized-power.txt"
_END = re.compile(r"(?<=[a-z][.;:?!]) (?=[A-Z])")
"""A plain sentence end inside a paragraph."""


def moved_breaks(text: str) -> str:
    """``text`` with each paragraph's last sentence moved to the start of the next."""
    out, carried = [], ""
    for par in text.split("\n\n"):
        par = " ".join(par.split())
        if not par:
            continue
        ends = list(_END.finditer(par))
        cut = ends[-1].start() if ends else len(par)
        out.append(f"{carried} {par[:cut]}".strip())
        carried = par[cut:].strip()
    if carried:
        out.append(carried)
    return "\n\n".join(out) + "\n"


def _report(label: str, a: str, b: str) -> None:
    t0 = time.perf_counter()
    c = aligner.compare(a, b)
    seconds = time.perf_counter() - t0
    changed = [p.changed for p in c.pairs] or [0.0]
    mode = "ordered" if c.ordered else "free order"
    print(
        f"{label:48} {len(c.pairs):4} pairs  changed: mean {statistics.mean(changed):6.1%}, "
        f"largest {max(changed):6.1%}  ({mode}, {seconds:.2f} s)"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--translation", type=Path, default=TRANSLATION)
    args = ap.parse_args()
    kjv, web = args.translation / "esther.kjv.txt", args.translation / "esther.web.txt"
    if kjv.exists() and web.exists():
        a, b = kjv.read_text(encoding="utf-8"), web.read_text(encoding="utf-8")
        _report("Esther KJV vs WEB", a, b)
        _report("Esther KJV vs WEB, breaks a sentence later", a, moved_breaks(b))
    else:
        print(f"(no Esther translations in {args.translation}: skipped)")
    text = SAMPLE.read_text(encoding="utf-8")
    pars = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())
    edition = moved_breaks(pars).replace("bureaucracy", "officialdom")
    _report(f"{SAMPLE.name}, edition", pars, edition)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
