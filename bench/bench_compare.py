"""Benchmark: compare the two largest samples end to end, through the CLI.

Prints the CLI's wall time and peak memory (best of --runs), the engine's
per-stage times (in-process), and a plain peer on the same pair: difflib's
SequenceMatcher over the two word lists, with the ratio of the two times.

    python bench/bench_compare.py [--runs 3]

Goal (issue 2): <= 1.5 s wall and <= 200 MB peak on a 2-core machine.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "aligner" / "samples"
A = SAMPLES / "revolution-to-counter-revolution.txt"
B = SAMPLES / "soviet-power-to-bonapartism.txt"


def run_cli() -> tuple[float, float]:
    """One CLI run: (wall seconds, peak RSS in MB of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "aligner", "compare", str(A), str(B), "--format", "json"],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"aligner failed: {proc.stderr.decode()[-500:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far (KB on Linux).
    return wall, max(peak, before) / 1024


def stages() -> list[tuple[str, float]]:
    sys.path.insert(0, str(ROOT / "src"))
    import aligner

    aligner.compare(A, B)  # warm caches (embedding table) as a long-lived process would
    return list(aligner.compare(A, B).timings)


def peer() -> float:
    words_a = re.findall(r"\w+", A.read_text(encoding="utf-8").lower())
    words_b = re.findall(r"\w+", B.read_text(encoding="utf-8").lower())
    t0 = time.perf_counter()
    difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_opcodes()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    runs = [run_cli() for _ in range(args.runs)]
    wall = min(r[0] for r in runs)
    mem = max(r[1] for r in runs)
    print(
        f"pair: {A.name} ({A.stat().st_size // 1024} KB) ~ {B.name} ({B.stat().st_size // 1024} KB)"
    )
    print(f"CLI end to end: {wall:.2f} s wall (best of {args.runs}), {mem:.0f} MB peak")
    print("engine stages (in-process, warm): " + ", ".join(f"{n} {s:.3f} s" for n, s in stages()))
    p = peer()
    print(
        f"peer: difflib.SequenceMatcher over the word lists: {p:.2f} s (aligner/peer = {wall / p:.2f})"
    )


if __name__ == "__main__":
    main()
