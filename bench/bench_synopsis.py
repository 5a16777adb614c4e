"""Synopsis of the five samples: wall time, gold groups, triangulated pairs.

Usage:
    .venv/bin/python bench/bench_synopsis.py [time] [--repeat N]
    .venv/bin/python bench/bench_synopsis.py gold [--gold FILE] [--docs DIR] [--show]
    .venv/bin/python bench/bench_synopsis.py pairs A B [--triangulate]

``time`` (the default) runs ``aligner.synopsis`` on the five bundled samples
and prints the wall time (goal, issue 4: <= 4 s) and the pairwise engine's
summed stage times. ``gold`` measures the groups against the gold entries with
three or more members: the share whose members all land in one group and in
no other ("whole"), the share whose members all land in one group, and the
share where at least two members share a group ("partly"). A member lands in
a group when the group's member in its document overlaps it at the scorer's
*found* level (|P & G| / max(|P|, |G|) >= 0.2).

``pairs`` is a ``--cmd`` for ``../shared/eval/score.py``: it prints the pairs
of documents A and B as ``aligner compare`` would, from a synopsis of every
``*.txt`` in A's folder (computed once, then cached in the temp folder); with
``--triangulate`` it adds the pairs that groups support (``supported_pairs``):

    python ../shared/eval/score.py --gold ../shared/gold/dev.json --docs ../shared/seeds \\
        --cmd '.venv/bin/python bench/bench_synopsis.py pairs {a} {b} --cache /tmp/syn.json'
    ... --cmd '... pairs {a} {b} --cache /tmp/syn.json --triangulate'

It is a script, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gold import FOUND, GOLD, SEEDS, side_score  # noqa: E402

from aligner.documents import sample_paths  # noqa: E402
from aligner.export import to_dict  # noqa: E402
from aligner.model import Comparison, Pair  # noqa: E402
from aligner.synopsis import Synopsis, synopsis  # noqa: E402
from aligner.triangulate import supported_pairs  # noqa: E402


def _time(repeat: int, workers: int, child: bool) -> int:
    if not child:
        return _time_variants(repeat)
    paths = sample_paths()
    best, cpu = float("inf"), 0.0
    syn = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        syn = synopsis(paths, workers=workers)
        if time.perf_counter() - t0 < best:
            best, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert syn is not None
    stages: dict[str, float] = defaultdict(float)
    for c in syn.comparisons:
        for stage, secs in c.timings:
            stages[stage] += secs
    sizes = " + ".join(f"{len(d.text) // 1000} KB" for d in syn.documents)
    print(f"  {best:.2f} s wall, {cpu:.2f} s CPU in this process ({sizes})")
    print("  pairwise stages, summed: " + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    by_size = {n: sum(1 for g in syn.groups if len(g.members) == n) for n in range(2, 6)}
    print(f"  groups: {len(syn.groups)} (by size: {by_size})")
    return 0


def _time_variants(repeat: int) -> int:
    """Each variant in a fresh process, as the CLI would run it."""
    import os
    import subprocess

    print("synopsis of the 5 samples (goal, issue 4: <= 4 s wall)")
    variants = [
        ("default (one process)", [], {}),
        ("one process, OPENBLAS_NUM_THREADS=1", [], {"OPENBLAS_NUM_THREADS": "1"}),
        ("workers=2, OPENBLAS_NUM_THREADS=1", ["--workers", "2"], {"OPENBLAS_NUM_THREADS": "1"}),
    ]
    for label, extra, env in variants:
        print(f"{label}:", flush=True)
        argv = [sys.executable, __file__, "time", "--child", "--repeat", str(repeat), *extra]
        subprocess.run(argv, env={**os.environ, **env}, check=True)
    load = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load:.1f} on {os.cpu_count()} cores")
    return 0


def _gold(gold: Path, docs: Path, show: bool) -> int:
    entries = json.loads(gold.read_text(encoding="utf-8"))
    names = sorted({m["doc"] for e in entries for m in e["members"]})
    t0 = time.perf_counter()
    syn = synopsis([docs / n for n in names])
    seconds = time.perf_counter() - t0
    index = {n: i for i, n in enumerate(names)}
    big = [e for e in entries if len(e["members"]) >= 3]
    whole = together = partly = 0
    for e in big:
        lands = [_lands(syn, index[m["doc"]], (m["start"], m["end"])) for m in e["members"]]
        common = set.intersection(*lands)
        counts: dict[int, int] = defaultdict(int)
        for found in lands:
            for g in found:
                counts[g] += 1
        together += bool(common)
        whole += bool(common) and all(found == common for found in lands)
        partly += any(c >= 2 for c in counts.values())
        if show:
            mark = (
                "whole"
                if common and all(f == common for f in lands)
                else (
                    "together"
                    if common
                    else "partly"
                    if any(c >= 2 for c in counts.values())
                    else "apart"
                )
            )
            print(f"{mark:8} {e['id']:45} {[sorted(f) for f in lands]}")
    n = len(big)
    print(
        f"gold entries with >= 3 members: {n}; synopsis {seconds:.1f} s, {len(syn.groups)} groups"
    )
    print(f"  whole (all members in one group, none elsewhere): {whole}/{n} = {whole / n:.0%}")
    print(
        f"  all members in one group:                         {together}/{n} = {together / n:.0%}"
    )
    print(f"  partly (two or more members share a group):       {partly}/{n} = {partly / n:.0%}")
    return 0


def _lands(syn: Synopsis, doc: int, span: tuple[int, int]) -> set[int]:
    return {
        k
        for k, g in enumerate(syn.groups)
        if (m := g.member(doc)) is not None and side_score((m.start, m.end), span) >= FOUND
    }


def _pairs(a: Path, b: Path, triangulate: bool, cache: Path | None) -> int:
    folder = a.resolve().parent
    files = sorted(folder.glob("*.txt"))
    data = _cached(files, cache)
    i, j = files.index(a.resolve()), files.index(b.resolve())
    key = f"{min(i, j)}-{max(i, j)}"
    pairs = data["triangulated" if triangulate else "plain"][key]
    if i > j:  # the scorer reads doc 0 as A: swap the sides
        pairs = [{**p, "a": p["b"], "b": p["a"]} for p in pairs]
    for p in pairs:
        p["a"]["doc"], p["b"]["doc"] = 0, 1
    print(json.dumps({"pairs": pairs}))
    return 0


def _cached(files: list[Path], cache: Path | None) -> dict[str, Any]:
    if cache is None:
        digest = hashlib.blake2b(digest_size=12)
        for f in files + sorted((ROOT / "src" / "aligner").glob("*.py")):
            digest.update(f.read_bytes())
        cache = Path(tempfile.gettempdir()) / f"aligner-synopsis-{digest.hexdigest()}.json"
    if cache.exists():
        return json.loads(cache.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    syn = synopsis(files)
    by_docs: dict[str, list[Pair]] = {f"{i}-{j}": [] for i, j in syn.doc_pairs()}
    for p in syn.pairwise().pairs:
        by_docs[f"{p.a.doc}-{p.b.doc}"].append(p)
    plain = {key: _json_pairs(syn, ps) for key, ps in by_docs.items()}
    tri = {f"{i}-{j}": _json_pairs(syn, ps) for (i, j), ps in supported_pairs(syn).items()}
    data = {"plain": plain, "triangulated": tri}
    cache.write_text(json.dumps(data), encoding="utf-8")
    return data


def _json_pairs(syn: Synopsis, pairs: list[Pair]) -> list[Any]:
    c = Comparison(syn.documents, tuple(pairs))
    out: list[Any] = to_dict(c)["pairs"]
    return [{"a": p["a"], "b": p["b"], "score": p["score"], "kind": p["kind"]} for p in out]


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("what", nargs="?", default="time", choices=("time", "gold", "pairs"))
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--docs", type=Path, default=SEEDS)
    ap.add_argument("--show", action="store_true", help="list each gold entry's outcome")
    ap.add_argument("--triangulate", action="store_true")
    ap.add_argument(
        "--cache",
        type=Path,
        help="pairs: keep the synopsis in this file (default: the temp folder, keyed by the "
        "documents and the engine's sources), so that two scorer runs see one engine",
    )
    args = ap.parse_args()
    if args.what == "gold":
        return _gold(args.gold, args.docs, args.show)
    if args.what == "pairs":
        if len(args.files) != 2:
            ap.error("pairs needs two files")
        return _pairs(args.files[0], args.files[1], args.triangulate, args.cache)
    return _time(args.repeat, args.workers, args.child)


if __name__ == "__main__":
    sys.exit(main())
