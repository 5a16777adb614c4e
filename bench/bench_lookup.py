"""Benchmark of the look-up (``aligner.find_parallels``, ``aligner where``).

Prints two things:

* how long a look-up takes on the two largest samples: the first one, which
  segments the document searched, and the next ones in it (what the app's
  ``w`` costs after the first), best of ``--runs``;
* with the dev gold at hand (``../shared/gold/dev.json``), how often a gold
  passage's partner is among the first 1, 3, 5 and 10 stretches offered, by
  kind, both directions of every gold pair (a stretch finds the partner at
  the scorer's *found* level: |P & G| / max(|P|, |G|) >= 0.2).

    python bench/bench_lookup.py [--runs 3] [--gold FILE --docs DIR]

It is a script, not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gold import FOUND, GOLD, SEEDS, side_score  # noqa: E402

import aligner  # noqa: E402
from aligner.documents import load_document, paragraph_span, sample_paths  # noqa: E402

RANKS = (1, 3, 5, 10)


def _timing(runs: int) -> None:
    first = float("inf")
    for _ in range(runs):
        # A fresh process each time: the first look-up segments the target.
        code = (
            "import time, sys; sys.path.insert(0, 'src'); import aligner;"
            "from aligner.documents import load_document, paragraph_span, sample_paths;"
            "s = {p.stem: p for p in sample_paths()};"
            "a = load_document(s['revolution-to-counter-revolution']);"
            "b = load_document(s['soviet-power-to-bonapartism']);"
            "t = time.perf_counter(); aligner.find_parallels(a, b, *paragraph_span(a, 77));"
            "print(time.perf_counter() - t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        first = min(first, float(out.stdout))
    samples = {p.stem: p for p in sample_paths()}
    a = load_document(samples["revolution-to-counter-revolution"])
    b = load_document(samples["soviet-power-to-bonapartism"])
    aligner.find_parallels(a, b, *paragraph_span(a, 1))
    times = []
    for number in range(60, 60 + 10 * runs):
        t0 = time.perf_counter()
        aligner.find_parallels(a, b, *paragraph_span(a, number))
        times.append(time.perf_counter() - t0)
    print(f"look-up of a paragraph, {a.name} in {b.name}:")
    print(f"  first (segments the target): {first:.2f} s best of {runs} fresh processes")
    median = sorted(times)[len(times) // 2]
    print(f"  next ones: {min(times) * 1000:.0f} ms best, {median * 1000:.0f} ms median")


def _gold(gold: Path, docs: Path) -> None:
    entries = json.loads(gold.read_text(encoding="utf-8"))
    loaded = {}
    ranks: dict[str, list[int | None]] = defaultdict(list)
    for e in entries:
        members = e["members"]
        for m in members:
            loaded.setdefault(m["doc"], load_document(docs / m["doc"]))
        for q in members:
            for t in members:
                if q["doc"] == t["doc"]:
                    continue
                found = aligner.find_parallels(
                    loaded[q["doc"]], loaded[t["doc"]], q["start"], q["end"], limit=max(RANKS)
                )
                target = (t["start"], t["end"])
                rank = next(
                    (
                        n
                        for n, p in enumerate(found.pairs, 1)
                        if side_score((p.b.start, p.b.end), target) >= FOUND
                    ),
                    None,
                )
                ranks[e["kind"]].append(rank)
    print(f"gold partner among the first k stretches ({gold.name}, both directions):")
    for kind, values in sorted(ranks.items()):
        shares = "  ".join(
            f"@{k} {sum(1 for r in values if r is not None and r <= k) / len(values):4.0%}"
            for k in RANKS
        )
        print(f"  {kind:11} {len(values):4} look-ups  {shares}")


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--docs", type=Path, default=SEEDS)
    args = ap.parse_args()
    _timing(args.runs)
    if args.gold.exists():
        _gold(args.gold, args.docs)
    else:
        print(f"(no gold at {args.gold}: recall skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
