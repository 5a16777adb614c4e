"""What the benchmarks that read the dev gold share: where it is, and the
scorer's *found* test (``../shared/eval/score.py``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold" / "dev.json"
SEEDS = ROOT.parent / "shared" / "seeds"
FOUND = 0.2
"""A predicted span finds a gold one when ``side_score`` reaches this."""


def side_score(p: tuple[int, int], g: tuple[int, int]) -> float:
    """|P & G| / max(|P|, |G|), as the scorer measures one side of a pair."""
    inter = max(0, min(p[1], g[1]) - max(p[0], g[0]))
    longest = max(p[1] - p[0], g[1] - g[0])
    return inter / longest if longest > 0 else 0.0
