"""Adversarial and big inputs through the CLI: wall time and peak memory of each.

Usage:
    .venv/bin/python bench/bench_adversarial.py [--only NAME ...] [--timeout SECONDS]

Builds the inputs of issue 5 in a temporary folder from the bundled samples,
runs ``python -m aligner compare A B --format json -o out.json`` on each in
its own process, and prints the wall time, the peak resident memory of that
process (``os.wait4`` rusage), the exit code and the number of pairs found.
Goals (issue 5): repetition cases <= 10 s with bounded memory; 50 MB vs 1 MB
<= 60 s and <= 2 GB. Each run's address space is capped (``--max-gb``) so a
runaway case ends with "out of memory" instead of swapping the machine.
It is a script, not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "aligner" / "samples"
MB = 1_000_000


def _samples() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))


def _sized(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


def _the_the(folder: Path) -> tuple[Path, Path]:
    path = folder / "the-the.txt"
    path.write_text(_sized("the ", MB), encoding="utf-8")
    return path, path


def _same_paragraph(folder: Path) -> tuple[Path, Path]:
    text = (SAMPLES / "clr-james-lenin-stalin.txt").read_text(encoding="utf-8")
    # A typical paragraph (the first of 300-700 characters): about 2.5 MB in all.
    paragraph = next(p.strip() for p in text.split("\n\n") if 300 <= len(p.strip()) <= 700)
    path = folder / "same-paragraph.txt"
    path.write_text("\n\n".join([paragraph] * 5000) + "\n", encoding="utf-8")
    return path, SAMPLES / "clr-james-lenin-stalin.txt"


def _one_line(folder: Path) -> tuple[Path, Path]:
    flat = re.sub(r"[\s.!?]+", " ", _samples())
    path = folder / "one-line.txt"
    path.write_text(_sized(flat, 2 * MB), encoding="utf-8")
    return path, SAMPLES / "revolution-to-counter-revolution.txt"


BIG_MB = 50
"""Size of the big document (``--big-mb``)."""


def _big(folder: Path) -> tuple[Path, Path]:
    text = _samples()
    big, small = folder / f"{BIG_MB}mb.txt", folder / "1mb.txt"
    big.write_text(_sized(text, BIG_MB * MB), encoding="utf-8")
    small.write_text(_sized(text[len(text) // 3 :] + text, MB), encoding="utf-8")
    return big, small


_SYNONYMS = {
    "bureaucracy": "officialdom",
    "revolution": "upheaval",
    "workers": "labourers",
    "party": "organisation",
    "Stalin": "Dzhugashvili",
    "power": "authority",
    "peasants": "farmers",
}


def _versions(folder: Path) -> tuple[Path, Path]:
    """All the samples as one book, and a version of it with words replaced."""
    return _with_version(_samples(), folder / "book.txt", folder / "book-version.txt")


def _with_version(text: str, a: Path, b: Path) -> tuple[Path, Path]:
    """``text`` written to ``a``, and to ``b`` with ``_SYNONYMS`` replaced."""
    version = text
    for word, other in _SYNONYMS.items():
        version = re.sub(rf"\b{word}\b", other, version)
    a.write_text(text, encoding="utf-8")
    b.write_text(version, encoding="utf-8")
    return a, b


def _sentence_a_paragraph(folder: Path) -> tuple[Path, Path]:
    """All the samples as one book, and a version setting a sentence a paragraph."""
    paragraphs = [" ".join(p.split()) for p in _samples().split("\n\n") if p.strip()]
    a, b = folder / "book.txt", folder / "book-sentences.txt"
    a.write_text("\n\n".join(paragraphs), encoding="utf-8")
    lines = "\n\n".join(p.replace(". ", ".\n\n") for p in paragraphs).replace(" the ", " ")
    b.write_text(lines, encoding="utf-8")
    return a, b


def _drawn_paragraphs(size: int) -> list[str]:
    """Paragraphs of the samples' sentences drawn at random (no paragraph
    repeats; each sentence does, about ``size`` / 420 KB times)."""
    import random

    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(_samples().split()))
    rng = random.Random(7)
    paragraphs: list[str] = []
    total = 0
    while total < size:
        paragraphs.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 7))))
        total += len(paragraphs[-1]) + 2
    return paragraphs


def _big_versions(folder: Path) -> tuple[Path, Path]:
    """A 2 MB book and a version of it with words replaced."""
    text = "\n\n".join(_drawn_paragraphs(2 * MB))
    return _with_version(text, folder / "big-book.txt", folder / "big-book-version.txt")


def _big_reordered(folder: Path) -> tuple[Path, Path]:
    """The 2 MB book and its paragraphs in another order: not versions, so
    only searched for quotations, of which every paragraph is one."""
    import random

    paragraphs = _drawn_paragraphs(2 * MB)
    a, b = folder / "big-book.txt", folder / "big-book-reordered.txt"
    a.write_text("\n\n".join(paragraphs), encoding="utf-8")
    random.Random(8).shuffle(paragraphs)
    b.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return a, b


def _largest_samples(_: Path) -> tuple[Path, Path]:
    return (
        SAMPLES / "soviet-power-to-bonapartism.txt",
        SAMPLES / "revolution-to-counter-revolution.txt",
    )


CASES: dict[str, tuple[Callable[[Path], tuple[Path, Path]], str]] = {
    "largest-samples": (_largest_samples, "<= 1.5 s, <= 200 MB (issue 2)"),
    "the-the-1mb-self": (_the_the, "<= 10 s, bounded memory"),
    "same-paragraph-x5000": (_same_paragraph, "<= 10 s, bounded memory"),
    "one-line-2mb": (_one_line, "finishes, no hang"),
    "50mb-vs-1mb": (_big, "<= 60 s, <= 2 GB"),
    "book-versions": (_versions, "in order, bounded memory"),
    "book-sentence-lines": (_sentence_a_paragraph, "in order, bounded memory"),
    "book-versions-2mb": (_big_versions, "in order, <= 2 GB"),
    "book-reordered-2mb": (_big_reordered, "<= 60 s, <= 2 GB"),
}


def _limit_memory(gigabytes: float) -> Callable[[], None]:
    """A child's address-space cap, so a runaway case fails instead of swapping the machine."""

    def cap() -> None:
        limit = int(gigabytes * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return cap


def run_case(
    a: Path, b: Path, out: Path, timeout: float, max_gb: float
) -> tuple[float, float, int, str]:
    """Run the CLI once; return (wall seconds, peak MB, exit code, note)."""
    argv = [sys.executable, "-m", "aligner", "compare", str(a), str(b)]
    argv += ["--format", "json", "-o", str(out), "--force", "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_limit_memory(max_gb)
    )
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, -9, "timed out"
        time.sleep(0.02)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
    proc.returncode = code  # already reaped by wait4
    note = err.splitlines()[-1] if err and code else _pairs(out)
    return wall, usage.ru_maxrss / 1024, code, note  # ru_maxrss is in KB on Linux


def _pairs(out: Path) -> str:
    """The number of pairs and the engine's seconds per stage, from the report."""
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no valid JSON"
    stages = " ".join(f"{k} {v:.2f}" for k, v in report.get("timings", {}).items())
    return f"{len(report.get('pairs', []))} pairs ({stages})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=list(CASES), help="run only these cases")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per case")
    parser.add_argument("--big-mb", type=int, default=50, help="size of the big document")
    parser.add_argument(
        "--max-gb", type=float, default=6.0, help="address-space cap per run (default 6 GB)"
    )
    args = parser.parse_args()
    global BIG_MB
    BIG_MB = args.big_mb
    names = args.only or list(CASES)
    head = f"{'case':22} {'A MB':>6} {'B MB':>6} {'wall s':>8} {'peak MB':>8} {'exit':>4}"
    print(f"{head}  result / goal")
    with tempfile.TemporaryDirectory(prefix="aligner-bench-") as tmp:
        folder = Path(tmp)
        for name in names:
            make, goal = CASES[name]
            a, b = make(folder)
            out = folder / "out.json"
            wall, peak, code, note = run_case(a, b, out, args.timeout, args.max_gb)
            sizes = f"{a.stat().st_size / MB:6.1f} {b.stat().st_size / MB:6.1f}"
            print(
                f"{name:22} {sizes} {wall:8.2f} {peak:8.0f} {code:4}  {note} / {goal}", flush=True
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
