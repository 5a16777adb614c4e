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


# As a user's Python runs it: with the bytecode cache of the aligner's own
# modules. A shell that sets PYTHONDONTWRITEBYTECODE (some tools' shells do)
# never writes it, and every start compiles them again (0.1 s).
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_cli(env: dict[str, str] | None = None, *, sample: bool = False) -> tuple[float, float]:
    """One CLI run: (wall seconds, peak MB).

    The CLI may fork a helper to segment one document. With ``sample``, the
    peak is the largest sum of the resident sets of the CLI and its children,
    read every 10 ms (the reading takes CPU from them, so such a run is not
    timed); without, it is the largest single process's own peak.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aligner", "compare", str(A), str(B), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**USER_ENV, "PYTHONPATH": str(ROOT / "src"), **(env or {})},
    )
    together = 0
    while sample and proc.poll() is None:
        together = max(together, _tree_rss_kb(proc.pid))
        time.sleep(0.01)
    proc.wait()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"aligner failed: {proc.stderr.read().decode()[-500:] if proc.stderr else ''}")
    # ru_maxrss of children is the largest child so far (KB on Linux).
    single = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return wall, max(together, single) / 1024


def _tree_rss_kb(pid: int) -> int:
    """Resident KB of ``pid`` and its descendants (0 once they are gone)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) if "VmRSS:" in status else 0
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


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
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    runs, alone = [], []
    run_cli()  # writes the bytecode cache, if missing
    for _ in range(args.runs):  # interleaved: this host's speed drifts
        runs.append(run_cli())
        alone.append(run_cli({"ALIGNER_PROCESSES": "1"}))
    memory = run_cli(sample=True)[1]
    print(
        f"pair: {A.name} ({A.stat().st_size // 1024} KB) ~ {B.name} ({B.stat().st_size // 1024} KB)"
    )
    for label, got in (("CLI end to end", runs), ("one process (ALIGNER_PROCESSES=1)", alone)):
        walls = sorted(r[0] for r in got)
        print(
            f"{label}: {walls[0]:.2f} s wall (best of {len(walls)}; median "
            f"{walls[len(walls) // 2]:.2f} s), largest process {max(r[1] for r in got):.0f} MB"
        )
    print(f"memory: {memory:.0f} MB peak, the CLI and its helper process together")
    print("engine stages (in-process, warm): " + ", ".join(f"{n} {s:.3f} s" for n, s in stages()))
    p = peer()
    wall = min(r[0] for r in runs)
    print(f"peer: difflib.SequenceMatcher over the word lists: {p:.2f} s")
    print(f"aligner / peer = {wall / p:.2f}")


if __name__ == "__main__":
    main()
