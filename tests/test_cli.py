"""The command line through a real subprocess, as a user runs it.

These run the real engine, which is still changing, so they assert structure
(exit codes, valid JSON, spans slicing back to the files' text, messages on
stderr), never particular pairs. Each call costs about a second; keep the
count down and put in-process cases in test_robustness.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from aligner import __version__
from aligner.cli import DEMO_SAMPLES
from aligner.documents import sample_paths

SAMPLES = {p.name: p for p in sample_paths()}
SMALL = SAMPLES["how-the-bureaucracy-seized-power.txt"]


def aligner(
    *args: object, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m aligner ARGS``; fail the test on any traceback."""
    raw = subprocess.run(
        [sys.executable, "-m", "aligner", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    proc = subprocess.CompletedProcess(
        raw.args, raw.returncode, raw.stdout.decode("utf-8"), raw.stderr.decode("utf-8")
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def assert_spans_slice_back(report: dict[str, Any], files: list[Path]) -> None:
    """Every span indexes its file's ``read_text()`` and gives the text shown."""
    texts = [f.read_text(encoding="utf-8") for f in files]
    assert [d["length"] for d in report["documents"]] == [len(t) for t in texts]
    for pair in report["pairs"]:
        assert 0.0 <= pair["score"] <= 1.0
        assert pair["kind"] in ("quotation", "retelling", "version")
        for side in ("a", "b"):
            span = pair[side]
            assert 0 <= span["start"] <= span["end"] <= len(texts[span["doc"]])
            assert texts[span["doc"]][span["start"] : span["end"]] == span["text"]


def test_version_and_help() -> None:
    version = aligner("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"aligner {__version__}"
    helped = aligner("compare", "--help")
    assert helped.returncode == 0
    for option in ("--format", "--min-score", "--kind", "--ordered", "--force", "-o"):
        assert option in helped.stdout


def test_no_command_is_a_usage_error() -> None:
    proc = aligner()
    assert proc.returncode == 2 and "usage: aligner" in proc.stderr


def test_files_without_a_command_get_the_command_to_type(tmp_path: Path) -> None:
    proc = aligner(SMALL, SMALL, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert f"did you mean: aligner compare {SMALL} {SMALL} --format json" in proc.stderr
    assert list(tmp_path.iterdir()) == []
    too_long = aligner("a" * 5000, SMALL)  # no file can have that name: a usage error
    assert too_long.returncode == 2 and "invalid choice" in too_long.stderr


def test_a_report_in_a_format_aligner_does_not_write_is_refused(tmp_path: Path) -> None:
    """``-o report.pdf`` would be Markdown under a PDF's name: a usage error,
    nothing written; ``--format`` says the user means it."""
    for name in ("report.pdf", "report.HTML", "report.docx"):
        proc = aligner("compare", SMALL, SMALL, "-o", tmp_path / name)
        assert proc.returncode == 2 and "cannot write a ." in proc.stderr
        assert list(tmp_path.iterdir()) == []
    meant = aligner("compare", SMALL, SMALL, "-o", tmp_path / "report.pdf", "--format", "json")
    assert meant.returncode == 0
    json.loads((tmp_path / "report.pdf").read_text(encoding="utf-8"))
    unknown = aligner("compare", SMALL, SMALL, "-o", tmp_path / "report.notes")
    assert unknown.returncode == 0
    assert (tmp_path / "report.notes").read_text(encoding="utf-8").startswith("# ")


def test_a_report_name_no_file_can_have_is_an_output_error(tmp_path: Path) -> None:
    proc = aligner("compare", SMALL, SMALL, "-o", tmp_path / ("a" * 5000 + ".md"))
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert "cannot be a file name (File name too long)" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_json_is_the_canonical_model() -> None:
    proc = aligner("demo", "--format", "json")
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    assert report["aligner"] == __version__
    assert [d["name"] for d in report["documents"]] == list(DEMO_SAMPLES)
    assert report["pairs"], "the demo should find parallels between the two accounts"
    assert_spans_slice_back(report, [SAMPLES[n] for n in DEMO_SAMPLES])
    assert sum(report["counts"].values()) == len(report["pairs"])


def test_markdown_and_text_reports() -> None:
    a, b = SAMPLES["what-is-stalinism.txt"], SMALL
    md = aligner("compare", a, b, "--format", "markdown")
    assert md.returncode == 0 and md.stdout.startswith("# Parallel passages: ")
    assert "| Kind | Pairs |" in md.stdout
    text = aligner("compare", a, b, "--format", "text", "--kind", "quotation")
    assert text.returncode == 0 and text.stdout.startswith("A  what-is-stalinism.txt")
    assert "retelling" not in text.stdout.split("\n", 3)[2]  # the summary counts no retellings


def test_sort_orders_the_reported_pairs(tmp_path: Path) -> None:
    """An editor's report of the paragraphs another version rewrote most, first."""
    text = SMALL.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if len(p.split()) > 40]
    edited = list(paragraphs)
    edited[1] = edited[1].replace("the", "that")  # many small changes
    edited[3] = edited[3].replace(" of ", " in ", 1)  # one
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("\n\n".join(paragraphs), encoding="utf-8")
    b.write_text("\n\n".join(edited), encoding="utf-8")
    plain = json.loads(aligner("compare", a, b, "--format", "json").stdout)["pairs"]
    changed = json.loads(aligner("compare", a, b, "--format", "json", "--sort", "changed").stdout)
    shares = [p["changed"] for p in changed["pairs"]]
    assert shares == sorted(shares, reverse=True) and shares[0] > shares[1] > shares[2] == 0.0
    assert changed["pairs"][0]["a"]["text"] == paragraphs[1]
    assert [p["a"]["start"] for p in plain] == sorted(p["a"]["start"] for p in plain)
    report = aligner("compare", a, b, "--format", "text", "--sort", "changed").stdout
    assert report.split("\n#1 ", 1)[1].startswith(" version")  # #1 is the most changed
    synopsis = aligner("compare", a, b, SMALL, "--sort", "score", "--format", "text")
    assert synopsis.returncode == 1 and "--sort" in synopsis.stderr


def test_output_file_is_protected_and_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    first = aligner("compare", SMALL, SMALL, "-o", target)
    assert first.returncode == 0 and first.stdout == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    assert_spans_slice_back(report, [SMALL, SMALL])
    target.write_text("precious")
    again = aligner("compare", SMALL, SMALL, "-o", target)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_same_file_twice_is_all_parallel() -> None:
    proc = aligner("compare", SMALL, SMALL, "--format", "json")
    assert proc.returncode == 0
    report = json.loads(proc.stdout)
    assert_spans_slice_back(report, [SMALL, SMALL])
    assert report["coverage"][0] > 0.9


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "binary"),
        ("empty.txt", b"", "is empty"),
    ],
    ids=["missing", "png", "empty"],
)
def test_bad_input_exits_1_with_one_line(
    tmp_path: Path, name: str, data: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    proc = aligner("compare", SMALL, path, "--format", "json")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith("aligner: error: ") and proc.stderr.count("\n") == 1
    assert message in proc.stderr


def test_stdin_crlf_and_latin1(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(SMALL.read_bytes().replace(b"\n", b"\r\n"))
    latin = tmp_path / "latin.txt"
    latin.write_bytes(
        SMALL.read_text(encoding="utf-8").encode("cp1252", "replace") + "\ncafé\n".encode("latin-1")
    )
    proc = aligner("compare", "-", crlf, "--format", "json", stdin=latin.read_bytes())
    assert proc.returncode == 0
    assert "read as cp1252" in proc.stderr
    report = json.loads(proc.stdout)
    assert report["documents"][0]["name"] == "<stdin>"
    latin_text = latin.read_bytes().decode("cp1252").replace("\r\n", "\n")
    crlf_text = crlf.read_text(encoding="utf-8")
    for pair in report["pairs"]:
        assert latin_text[pair["a"]["start"] : pair["a"]["end"]] == pair["a"]["text"]
        assert crlf_text[pair["b"]["start"] : pair["b"]["end"]] == pair["b"]["text"]


def test_unrelated_documents_report_no_parallels(tmp_path: Path) -> None:
    (tmp_path / "cat.txt").write_text("The cat sat on the warm mat and purred all afternoon.\n")
    (tmp_path / "qcd.txt").write_text("Quantum chromodynamics describes how gluons bind quarks.\n")
    proc = aligner("compare", "cat.txt", "qcd.txt", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["pairs"] == []
    assert "no parallel passages found" in proc.stderr


def test_ctrl_c_exits_130_without_traceback(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SAMPLES["soviet-power-to-bonapartism.txt"].read_text(encoding="utf-8") * 10)
    proc = subprocess.Popen(
        [sys.executable, "-m", "aligner", "compare", big, big, "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # progress starts once the documents are read
    assert first.startswith("aligner: comparing")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the comparison finished before the signal arrived")
    assert proc.returncode == 130
    assert "Traceback" not in err and "interrupted" in err


def _flat(size: int) -> str:
    text = " ".join(SMALL.read_text(encoding="utf-8").split()).replace(".", "")
    return (text * (size // len(text) + 1))[:size]


ADVERSARIAL = {
    "one-2mb-line": lambda: _flat(2_000_000),
    "the-the-1mb": lambda: "the " * 250_000,
    "same-paragraph-x5000": lambda: "\n\n".join([_flat(500)] * 5000),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(ADVERSARIAL), ids=list(ADVERSARIAL))
def test_adversarial_input_finishes_with_valid_output(tmp_path: Path, case: str) -> None:
    """Issue 5's pathological inputs (timed by bench/bench_adversarial.py, not here)."""
    path = tmp_path / f"{case}.txt"
    path.write_text(ADVERSARIAL[case](), encoding="utf-8")
    proc = aligner("compare", path, SMALL, "--format", "json")
    assert proc.returncode == 0
    assert_spans_slice_back(json.loads(proc.stdout), [path, SMALL])


def test_where_lists_the_stretches_most_like_a_passage(tmp_path: Path) -> None:
    big = SAMPLES["revolution-to-counter-revolution.txt"]
    text = aligner("where", big, SMALL, "--paragraph", 124, "-n", 3)
    assert text.returncode == 0, text.stderr
    assert text.stdout.count("\n#") == 3
    assert "Stalin is too rude" in text.stdout.split("#1")[1]
    out = tmp_path / "where.json"
    done = aligner("where", SMALL, "--text", "Kronstadt uprising", "-o", out)
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["pairs"]) == 5
    assert "Kronstadt" in report["pairs"][0]["b"]["text"]
    # The written report is never overwritten without --force.
    again = aligner("where", SMALL, "--text", "Lenin", "-o", out)
    assert again.returncode == 1 and "exists" in again.stderr
    markdown = aligner("where", big, SMALL, "--span", "63724-64234", "-f", "markdown")
    assert markdown.stdout.startswith("# Where how-the-bureaucracy-seized-power.txt tells")


def test_where_looks_in_several_documents_at_once() -> None:
    big = SAMPLES["revolution-to-counter-revolution.txt"]
    james = SAMPLES["clr-james-lenin-stalin.txt"]
    done = aligner("where", big, SMALL, james, "--paragraph", 124, "-n", 2, "-f", "json")
    assert done.returncode == 0, done.stderr
    lookups = json.loads(done.stdout)["lookups"]
    assert [[d["name"] for d in c["documents"]] for c in lookups] == [
        [big.name, SMALL.name],
        [big.name, james.name],
    ]
    for c in lookups:
        assert len(c["pairs"]) == 2
        assert "Stalin is too rude" in c["pairs"][0]["b"]["text"]
    text = aligner("where", SMALL, james, "--text", "Kronstadt", "-n", 1)
    assert "== in B: " in text.stdout and "== in C: " in text.stdout
    markdown = aligner("where", SMALL, james, "--text", "Kronstadt", "-n", 1, "-f", "markdown")
    assert markdown.stdout.startswith("# Where 2 documents tell a passage of text")
    assert "## In C: clr-james-lenin-stalin.txt" in markdown.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("where", SMALL, "--text", "x", "--paragraph", "2"), 2, "not allowed with"),
        (("where", SMALL, "--paragraph", "2"), 2, "give SOURCE and TARGET"),
        (("where", SMALL, SMALL, "--span", "5-x"), 2, "not START-END"),
        (("where", SMALL, SMALL, "--paragraph", "0"), 2, "must be 1 or more"),
        (("where", SMALL, SMALL, "--paragraph", "9999"), 1, "has paragraphs 1 to"),
        (("where", SMALL, SMALL, "--span", "10-5"), 1, "is not inside"),
        (("where", SMALL, "--text", "   "), 1, "--text is empty"),
    ],
)
def test_where_refuses_bad_passages_in_one_line(
    args: tuple[object, ...], code: int, message: str
) -> None:
    proc = aligner(*args)
    assert proc.returncode == code
    assert message in proc.stderr
    assert proc.stdout == ""


def test_the_app_gets_the_engines_segmentations_of_documents_up_to_a_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aligner import cli, parallel
    from aligner.documents import make_document
    from aligner.engine import compare
    from aligner.segment import segment

    short = make_document("Lenin died in January 1924. The party mourned him.", name="a")
    longer = make_document("Lenin died in 1924. " * 40, name="b")
    result = compare(short, longer)
    monkeypatch.setattr(cli, "HEAD_START_CHARS", len(short.text))
    packed = cli._segmentations(result)
    assert packed[1] is None  # too long: the app segments it when it needs it
    assert packed[0] is not None
    sent = parallel.unpack(result.documents[0], packed[0])
    assert sent.words == segment(result.documents[0]).words


def test_the_apps_process_segments_the_largest_document_for_the_engine() -> None:
    from aligner import cli, parallel
    from aligner.documents import make_document
    from aligner.parallel import FORK_MIN_CHARS

    small = make_document("One short account.", name="a")
    mid = make_document("word " * (FORK_MIN_CHARS // 5 + 10), name="b")
    big = make_document("word " * (cli.HEAD_START_CHARS // 5 + 10), name="c")
    limit = cli.HEAD_START_CHARS
    assert parallel.handed_over([small, mid], limit) == [1]
    assert parallel.handed_over([mid, small, mid], limit) == [0]
    assert parallel.handed_over([small, small], limit) == []  # not worth sending
    assert parallel.handed_over([mid, big], limit) == []  # the app would wait too long
    assert parallel.handed_over([mid], limit) == []


def test_the_engine_aligns_with_what_the_apps_process_segmented(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As ``aligner compare A B`` in a terminal: the engine's process aligns
    while the app's segments the larger document and sends it; the result is
    the comparison, and the engine's process sends back only what it segmented."""
    import functools

    from aligner import cli, parallel, workers
    from aligner.documents import make_document
    from aligner.engine import compare
    from aligner.model import Options
    from aligner.segment import kept, segment_afresh

    a = make_document(
        "Lenin died in January 1924. The party mourned him for a week.\n\n"
        "Trotsky was exiled to Turkey in 1929, and wrote his history there.",
        name="a",
    )
    b = make_document(
        "In 1929 Trotsky was deported to Turkey. There he wrote his history.\n\n"
        "On 21 January 1924 Lenin died, and the party mourned him.",
        name="b",
    )
    monkeypatch.setattr(workers, "available", lambda: True)
    helping = parallel.Handover([a, b], [1])
    pending = workers.fork(
        functools.partial(cli._align_helped, [a, b], Options(), helping),
        after=functools.partial(cli._segmentations, skip=[1]),
    )
    assert pending is not None
    own = helping.segment_and_send()
    assert list(own) == [1] and kept(b) is own[1]  # kept here for the look-ups
    result = pending.result()
    assert result is not None
    assert result.pairs == compare(a, b).pairs
    packed = pending.after_result()
    assert isinstance(packed, list) and packed[1] is None  # the app has it
    assert parallel.unpack(a, packed[0]).words == segment_afresh(a).words


@pytest.mark.parametrize("failure", ["dies before it sends", "cannot segment"])
def test_the_engine_segments_by_itself_when_the_apps_process_fails_it(
    failure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from aligner import cli, parallel, workers
    from aligner.documents import make_document
    from aligner.engine import compare
    from aligner.model import Options

    a = make_document("Lenin died in January 1924. The party mourned him.", name="a")
    b = make_document("On 21 January 1924 Lenin died. The party mourned him.", name="b")
    monkeypatch.setattr(workers, "available", lambda: True)
    helping = parallel.Handover([a, b], [1])
    pending = workers.fork(functools.partial(cli._align_helped, [a, b], Options(), helping))
    assert pending is not None
    expected = compare(a, b).pairs
    if failure == "dies before it sends":
        helping.close()
    else:

        def broken(_doc: object) -> object:
            raise RuntimeError("cannot segment here")

        monkeypatch.setattr(parallel, "segment_afresh", broken)  # after the fork: here only
        assert helping.segment_and_send() == {}
    result = pending.result()
    assert result is not None and result.pairs == expected
