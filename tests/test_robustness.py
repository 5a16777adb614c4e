"""Bad, hostile and interrupted input through ``cli.main`` in-process (issue 5).

Where a case is about the CLI's own handling (messages, exit codes, the
output check before the work, Ctrl-C), ``aligner.compare`` is replaced by a
stub, so these tests hold whatever the engine finds. Real comparisons run in
test_cli.py through a subprocess.
"""

from __future__ import annotations

import io
import json
import sys
import types
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import aligner
from aligner import cli
from aligner.documents import load_document
from aligner.model import Comparison, Document, Options, Pair, Span

TEXT = "Lenin wrote that Stalin has concentrated enormous power in his hands.\n\nMore.\n"
HOSTILE = "Stalin \x1b[2J\x1b]0;pwned\x07 said <script>alert(1)</script> | *x* \x9b31m.\n"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Call ``cli.main(argv)``; return (exit code, stdout, stderr)."""

    def call(*argv: str) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err

    return call


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _whole_pair(a: Document, b: Document) -> Comparison:
    n = min(len(a.text), len(b.text))
    pair = Pair(Span(0, 0, n), Span(1, 0, n), a.text[:n], b.text[:n], 1.0, "quotation")
    return Comparison((a, b), (pair,))


@pytest.fixture
def stub_compare(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Document, Document, Options]]:
    """Replace the engine by one that pairs both documents whole; record the calls."""
    calls: list[tuple[Document, Document, Options]] = []

    def fake(a: object, b: object, *, options: Options, progress: object = None) -> Comparison:
        da, db = load_document(a), load_document(b)  # type: ignore[arg-type]
        calls.append((da, db, options))
        return _whole_pair(da, db)

    monkeypatch.setattr(aligner, "compare", fake)
    return calls


def _fail_with(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    def fake(*_: object, **__: object) -> Comparison:
        raise exc

    monkeypatch.setattr(aligner, "compare", fake)


# ------------------------------------------------------------ bad input -> exit 1


def _png(p: Path) -> Path:
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    return p


def _zip(p: Path) -> Path:
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("a.txt", TEXT)
    return p


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (lambda p: p / "nope.txt", "no such file"),
    "directory": (lambda p: p, "is a directory"),
    "png": (lambda p: _png(p / "x.png"), "binary file (a PNG image)"),
    "zip": (lambda p: _zip(p / "x.zip"), "binary file (a zip archive"),
    "empty": (lambda p: (p / "e.txt", (p / "e.txt").write_bytes(b""))[0], "is empty"),
    "blank": (lambda p: (p / "w.txt", (p / "w.txt").write_text(" \n\t\n"))[0], "only whitespace"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_bad_input_gets_one_line_and_exit_1(
    run: Run, tmp_path: Path, text_file: Path, stub_compare: list[object], case: str
) -> None:
    make, message = BAD_INPUTS[case]
    code, out, err = run("compare", text_file, make(tmp_path), "--format", "json")
    assert code == 1
    assert out == ""
    assert err.startswith("aligner: error: ") and err.count("\n") == 1
    assert message in err
    assert stub_compare == []  # failed before any comparison


def test_permission_denied(
    run: Run, text_file: Path, monkeypatch: pytest.MonkeyPatch, stub_compare: list[object]
) -> None:
    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    code, _, err = run("compare", text_file, text_file, "--format", "text")
    assert code == 1 and "permission denied" in err


def test_hostile_file_name_does_not_reach_stderr_raw(run: Run, tmp_path: Path) -> None:
    code, _, err = run("compare", tmp_path / "evil\x1b[31m.txt", tmp_path / "b.txt")
    assert code == 1
    assert "\x1b" not in err and "evil␛[31m.txt" in err


# ------------------------------------------------------------ encodings and newlines


@pytest.mark.parametrize(
    ("data", "note"),
    [
        ("Le café était très animé, garçon.\n".encode("latin-1"), "read as cp1252"),
        ("Le café était très animé, garçon.\n".encode("utf-16-le"), "read as utf-16-le"),
        ("“Quoted” café.\n".encode() + b"\xff\n", "1 invalid byte replaced"),
    ],
    ids=["latin1", "utf16-no-bom", "bad-utf8"],
)
def test_other_encodings_work_and_are_noted(
    run: Run,
    tmp_path: Path,
    stub_compare: list[tuple[Document, Document, Options]],
    data: bytes,
    note: str,
) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(data)
    code, out, err = run("compare", path, path, "--format", "json")
    assert code == 0
    assert note in err
    assert "café" in stub_compare[0][0].text
    assert json.loads(out)["documents"][0]["encoding"] in err


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_spans_index_the_text_read_text_returns(
    run: Run, tmp_path: Path, stub_compare: list[object], newline: bytes
) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes(TEXT.encode().replace(b"\n", newline))
    code, out, _ = run("compare", path, path, "--format", "json")
    assert code == 0
    pair = json.loads(out)["pairs"][0]
    text = path.read_text(encoding="utf-8")
    assert text[pair["a"]["start"] : pair["a"]["end"]] == pair["a"]["text"] == text


# ------------------------------------------------------------ hostile content


def test_text_report_escapes_terminal_controls(
    run: Run, tmp_path: Path, stub_compare: list[object]
) -> None:
    path = tmp_path / "evil.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    code, out, _ = run("compare", path, path, "--format", "text")
    assert code == 0
    assert "Stalin" in out
    assert not any(ch in out for ch in "\x1b\x07\x9b")


def test_markdown_report_makes_html_inert(
    run: Run, tmp_path: Path, stub_compare: list[object]
) -> None:
    path = tmp_path / "evil.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    code, out, _ = run("compare", path, path, "--format", "markdown")
    assert code == 0
    assert "\\<script\\>" in out and "<script>" not in out
    assert "\x1b" not in out


# ------------------------------------------------------------ stdin, same file, no result


def test_stdin_dash_is_read_once_even_when_given_twice(
    run: Run, monkeypatch: pytest.MonkeyPatch, stub_compare: list[tuple[Document, ...]]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    code, out, _ = run("compare", "-", "-", "--format", "json")
    assert code == 0
    assert stub_compare[0][0].text == stub_compare[0][1].text == TEXT
    assert json.loads(out)["documents"][0]["name"] == "<stdin>"


def test_no_parallels_is_success_with_a_note(
    run: Run, text_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def nothing(a: object, b: object, **_: object) -> Comparison:
        return Comparison((load_document(a), load_document(b)), ())  # type: ignore[arg-type]

    monkeypatch.setattr(aligner, "compare", nothing)
    code, out, err = run("compare", text_file, text_file, "--format", "json")
    assert code == 0
    assert json.loads(out)["pairs"] == []
    assert "no parallel passages found" in err


def test_three_documents_make_a_synopsis(run: Run, tmp_path: Path, text_file: Path) -> None:
    """The real synopsis on tiny texts: only the report's shape is asserted."""
    others = []
    for name in ("b.txt", "c.txt"):
        (tmp_path / name).write_text(TEXT + name, encoding="utf-8")
        others.append(tmp_path / name)
    code, out, _ = run("compare", text_file, *others, "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert [d["name"] for d in report["documents"]] == ["a.txt", "b.txt", "c.txt"]
    assert isinstance(report["groups"], list)
    for group in report["groups"]:
        for m in group["members"]:
            text = (TEXT, TEXT + "b.txt", TEXT + "c.txt")[m["doc"]]
            assert text[m["start"] : m["end"]] == m["text"]
    code, out, _ = run("compare", text_file, *others, "--format", "text")
    assert code == 0 and out.startswith("Synopsis of 3 accounts")


# ------------------------------------------------------------ output protection


def test_existing_output_is_refused_before_the_work(
    run: Run, tmp_path: Path, text_file: Path, stub_compare: list[object]
) -> None:
    target = tmp_path / "report.md"
    target.write_text("keep me")
    code, _, err = run("compare", text_file, text_file, "-o", target)
    assert code == 1 and "already exists" in err and "--force" in err
    assert stub_compare == [] and target.read_text() == "keep me"
    assert run("compare", text_file, text_file, "-o", target, "--force")[0] == 0
    assert target.read_text().startswith("# Parallel passages")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing/r.md", "does not exist"),
        (".", "is a directory"),
        ("a.txt", "one of the documents"),
    ],
    ids=["no-folder", "directory", "an-input"],
)
def test_unwritable_output_fails_before_the_work(
    run: Run,
    tmp_path: Path,
    text_file: Path,
    stub_compare: list[object],
    output: str,
    message: str,
) -> None:
    code, _, err = run("compare", text_file, text_file, "-o", tmp_path / output, "--force")
    assert code == 1 and message in err
    assert stub_compare == []
    assert text_file.read_text() == TEXT


@pytest.mark.parametrize(
    ("suffix", "check"),
    [
        (".json", lambda s: json.loads(s)["pairs"]),
        (".txt", lambda s: s.startswith("A  ")),
        (".md", lambda s: s.startswith("# ")),
        (".out", lambda s: s.startswith("# ")),
    ],
    ids=["json", "txt", "md", "other"],
)
def test_output_format_follows_the_suffix(
    run: Run,
    tmp_path: Path,
    text_file: Path,
    stub_compare: list[object],
    suffix: str,
    check: Callable[[str], object],
) -> None:
    target = tmp_path / f"report{suffix}"
    code, out, _ = run("compare", text_file, text_file, "-o", target)
    assert code == 0 and out == ""
    assert check(target.read_text(encoding="utf-8"))


# ------------------------------------------------------------ interruption and bugs


def test_ctrl_c_exits_130_without_traceback(
    run: Run, text_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fail_with(monkeypatch, KeyboardInterrupt())
    code, out, err = run("compare", text_file, text_file, "-o", tmp_path / "r.md")
    assert code == 130 and "interrupted" in err
    assert not (tmp_path / "r.md").exists()


def test_engine_bug_is_one_line_with_exit_70(
    run: Run, text_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_with(monkeypatch, ValueError("boom"))
    code, _, err = run("compare", text_file, text_file, "--format", "text")
    assert code == 70
    assert err.count("\n") == 1 and "internal error: ValueError: boom" in err


# ------------------------------------------------------------ usage errors -> exit 2


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["compare"],
        ["compare", "only-one.txt"],
        ["compare", "a", "b", "--min-score", "2"],
        ["compare", "a", "b", "--kind", "gossip"],
        ["compare", "a", "b", "--ordered", "--unordered"],
        ["frobnicate"],
    ],
    ids=["nothing", "no-files", "one-file", "score", "kind", "both-orders", "command"],
)
def test_usage_errors_exit_2(run: Run, argv: list[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert "usage:" in err


def test_options_reach_the_engine(
    run: Run, text_file: Path, stub_compare: list[tuple[Document, Document, Options]]
) -> None:
    argv = ["compare", text_file, text_file, "--format", "json", "--min-score", "0.4"]
    code, _, _ = run(*argv, "--kind", "quotation,version", "--ordered", "--no-semantic")
    assert code == 0
    options = stub_compare[0][2]
    assert options == Options(
        min_score=0.4, kinds=("quotation", "version"), ordered=True, semantic=False
    )


# ------------------------------------------------------------ the TUI branch


def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for stream in ("stdin", "stdout"):
        monkeypatch.setattr(getattr(sys, stream), "isatty", lambda: True, raising=False)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """An app that records how it was made and run (``_terminal`` opens it)."""
    calls: list[dict[str, object]] = []

    class FakeApp:
        def __init__(self, **kwargs: object) -> None:
            calls.append(kwargs)

        def run(self) -> None:
            calls.append({"ran": True})

    module = types.ModuleType("aligner.tui.app")
    module.AlignerApp = FakeApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "aligner.tui.app", module)
    return calls


def test_terminal_opens_the_tui_with_the_paths(
    run: Run,
    text_file: Path,
    opened: list[dict[str, object]],
    stub_compare: list[object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _terminal(monkeypatch)
    code, out, _ = run("compare", text_file, text_file, "--kind", "retelling", "--sort", "score")
    assert code == 0 and out == ""
    # The engine may already be at work in a second process for the app.
    pending = opened[0].pop("pending")
    assert opened[0].pop("segmented") == {}  # a small file: the engine segments it
    if pending is not None:
        from aligner.workers import Child

        assert isinstance(pending, Child)
        pending.stop()
    assert opened == [
        {"paths": [str(text_file)] * 2, "options": Options(kinds=("retelling",)), "sort": "score"},
        {"ran": True},
    ]
    assert stub_compare == []  # not in this process: the TUI (or its helper) runs it


def test_terminal_without_the_tui_prints_the_text_report(
    run: Run, text_file: Path, monkeypatch: pytest.MonkeyPatch, stub_compare: list[object]
) -> None:
    monkeypatch.setitem(sys.modules, "aligner.tui.app", None)  # import fails
    _terminal(monkeypatch)
    code, out, _ = run("compare", text_file, text_file)
    assert code == 0 and out.startswith("A  a.txt")


def test_closed_pipe_exits_141_quietly(
    run: Run, text_file: Path, monkeypatch: pytest.MonkeyPatch, stub_compare: list[object]
) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, _: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    code, _, err = run("compare", text_file, text_file, "--format", "text")
    assert code == 141 and err == ""


def test_closed_stdin_is_a_clear_error(
    run: Run, text_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = run("compare", "-", text_file, "--format", "json")
    assert code == 1 and "no standard input" in err


def test_big_inputs_show_progress_on_stderr(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def halfway(
        a: Document, b: Document, *, progress: Callable[[float], None] | None, **_: object
    ) -> Comparison:
        if progress:  # None with --quiet
            progress(0.5)
            progress(1.0)
        return _whole_pair(a, b)

    monkeypatch.setattr(aligner, "compare", halfway)
    big = tmp_path / "big.txt"
    big.write_text(TEXT * (1_000_000 // len(TEXT)), encoding="utf-8")
    code, out, err = run("compare", big, big, "--format", "json")
    assert code == 0 and json.loads(out)["pairs"]
    lines = [line.split(" (")[0] for line in err.splitlines()]
    assert lines == ["aligner: comparing 50%", "aligner: comparing 100%"]
    assert run("compare", big, big, "--format", "json", "--quiet")[2] == ""


def test_a_folder_where_the_documents_belong_gets_the_command_to_type(
    run: Run, tmp_path: Path
) -> None:
    """``aligner compare accounts/`` (or ``aligner accounts/``) gives one line
    naming the folder's text files as the documents to give, not "give at
    least two documents" or "is a file, not a command"."""
    folder = tmp_path / "accounts"
    folder.mkdir()
    for name in ("one.txt", "two.txt", "README.md"):
        (folder / name).write_text(TEXT, encoding="utf-8")
    for argv in (("compare", folder), (folder,), ("compare", folder, "--format", "json")):
        code, out, err = run(*argv)
        assert code == 2 and out == ""
        assert err.count("\n") == 1
        assert f"{folder} is a folder" in err
        assert f"aligner compare {folder}/*.txt" in err
        assert "at least two" not in err and "not a command" not in err
        assert "*.md" not in err  # the README beside the texts
    for name in ("one.txt", "two.txt", "README.md"):
        (folder / name).unlink()
    code, _, err = run("compare", folder)  # nothing in it to suggest
    assert code == 2 and f"{folder} is a folder" in err and "*.txt" not in err


# ------------------------------------------------------------ a saved report opened again

STORY_A = (
    "The Testament.\n\nIn December 1922 Lenin dictated his Testament. He wrote that Stalin "
    "had concentrated unlimited authority in his hands.\n\nIn 1924 the Testament was read to "
    "the delegates of the Thirteenth Congress and then suppressed.\n"
)
STORY_B = (
    "Lenin's last struggle.\n\nLenin wrote that Stalin, having become General Secretary, had "
    "concentrated unlimited authority in his hands.\n\nThe Testament was read to the delegates "
    "in 1924, but the leaders kept it from the party.\n"
)


@pytest.fixture
def saved(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A JSON report of two small accounts, made in ``tmp_path`` with relative paths."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(STORY_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(STORY_B, encoding="utf-8")
    code, _, _ = run("compare", "a.txt", "b.txt", "-o", "report.json")
    assert code == 0
    return tmp_path / "report.json"


def test_open_gives_back_the_saved_report_in_any_format(run: Run, saved: Path) -> None:
    code, out, _ = run("open", saved, "--format", "json")
    assert code == 0 and json.loads(out) == json.loads(saved.read_text(encoding="utf-8"))
    code, out, _ = run("open", saved, "--format", "markdown")
    assert code == 0 and out.startswith("# ")


def test_open_keeps_the_corrections_and_finds_documents_beside_the_report(
    run: Run, saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.reopen import load_report

    c = load_report(saved)
    assert isinstance(c, Comparison)
    a, b = c.documents
    mine = Pair(Span(0, 0, 14), Span(1, 0, 22), a.text[:14], b.text[:22], 0.3, "retelling")
    assert c.pairs
    edited = c.with_pair(mine).without_pair(c.pairs[-1])
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    for name in ("a.txt", "b.txt"):
        (moved / name).write_text((tmp_path / name).read_text(encoding="utf-8"), encoding="utf-8")
    (moved / "report.json").write_text(edited.to_json(), encoding="utf-8")
    monkeypatch.chdir(tmp_path.parent)  # "a.txt" is not here: it is beside the report
    code, out, _ = run("open", moved / "report.json", "--format", "markdown")
    assert code == 0 and out.count("added by hand") == 1
    again = load_report(moved / "report.json")
    assert again.pairs == edited.pairs and again.pairs[0].by_hand


def test_open_refuses_what_it_cannot_trust(run: Run, saved: Path, tmp_path: Path) -> None:
    cases = []
    (tmp_path / "notes.json").write_text('{"title": "mine"}', encoding="utf-8")
    cases.append((tmp_path / "notes.json", "not a report aligner wrote"))
    cases.append((tmp_path / "a.txt", "not a JSON report"))
    cases.append((tmp_path / "none.json", "no such file"))
    for report, message in cases:
        code, out, err = run("open", report, "--format", "text")
        assert code == 1 and out == "" and message in err and err.count("\n") == 1
    (tmp_path / "b.txt").write_text(STORY_B.replace("1924", "1925"), encoding="utf-8")
    code, _, err = run("open", saved, "--format", "text")
    assert code == 1 and "no longer the text the report was made on" in err
    (tmp_path / "b.txt").unlink()
    code, _, err = run("open", saved, "--format", "text")
    assert code == 1 and "b.txt: not found (document 2 of the report)" in err


def test_open_rebuilds_a_document_read_from_stdin(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(STORY_A, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STORY_B.encode())))
    code, out, _ = run("compare", "a.txt", "-", "--format", "json")
    assert code == 0 and json.loads(out)["documents"][1]["path"] is None
    (tmp_path / "r.json").write_text(out, encoding="utf-8")
    code, again, _ = run("open", "r.json", "--format", "json")
    assert code == 0 and json.loads(again)["pairs"] == json.loads(out)["pairs"]


def test_open_gives_back_a_synopsis_with_its_corrections(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.reopen import load_report
    from aligner.synopsis import Synopsis

    monkeypatch.chdir(tmp_path)
    for name, text in (("a.txt", STORY_A), ("b.txt", STORY_B), ("c.txt", STORY_A + "Also.\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, _, _ = run("compare", "a.txt", "b.txt", "c.txt", "-o", "s.json")
    assert code == 0
    syn = load_report(tmp_path / "s.json")
    assert isinstance(syn, Synopsis) and syn.groups[0].member(2) is not None
    edited = syn.with_base(1)
    edited = edited.without_member(edited.groups[0], 2)
    start = syn.documents[2].text.index("In 1924")
    edited = edited.with_member(edited.groups[0], 2, start, start + 20)
    (tmp_path / "s2.json").write_text(edited.to_json(), encoding="utf-8")
    again = load_report(tmp_path / "s2.json")
    assert isinstance(again, Synopsis) and again.base == 1
    assert json.loads(again.to_json())["groups"] == json.loads(edited.to_json())["groups"]
    assert [m.by_hand for m in again.groups[0].members] == [False, False, True]
    code, out, _ = run("open", "s2.json", "--format", "markdown")
    assert code == 0 and out.startswith("# Synopsis of 3 accounts") and "✎" in out


def test_a_saved_report_where_the_command_belongs_gets_open_to_type(run: Run, saved: Path) -> None:
    code, out, err = run(saved)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"did you mean: aligner open {saved}" in err


def test_open_on_a_terminal_shows_the_report_in_the_app(
    run: Run, saved: Path, opened: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.reopen import load_report

    _terminal(monkeypatch)
    code, out, _ = run("open", saved)
    assert code == 0 and out == ""
    assert opened == [{"comparison": load_report(saved)}, {"ran": True}]
