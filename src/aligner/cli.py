"""The command line: ``aligner compare A B``, ``aligner where A B``, ``aligner demo``.

A thin layer over ``aligner.compare()``: it parses arguments, reads the
documents, checks the output path before the long work, and prints or writes
one report. It never matches or renders by itself. Every error a user can
cause ends in one line on stderr and an exit code (see docs/cli.md); none
ends in a traceback.
"""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import os
import shlex
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, Union

from aligner.documents import (
    document_from_bytes,
    make_document,
    paragraph_span,
    read_document,
    sample_paths,
)
from aligner.lookup import LIMIT as LOOKUP_LIMIT
from aligner.lookup import find_parallels
from aligner.model import (
    KINDS,
    SORT_KEYS,
    AlignerError,
    Comparison,
    Document,
    Kind,
    Options,
    OptionsError,
    SortKey,
)
from aligner.render import printable

if TYPE_CHECKING:
    from aligner.parallel import Handover
    from aligner.segment import Segmented
    from aligner.synopsis import Synopsis

Result = Union[Comparison, "Synopsis"]
"""What a run produces: one comparison (two documents) or a synopsis (more)."""

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

FORMATS = ("text", "json", "markdown")
DEMO_SAMPLES = ("revolution-to-counter-revolution.txt", "clr-james-lenin-stalin.txt")

# Show progress on stderr when the inputs total at least this many characters:
# on a terminal from a few seconds of work; in logs only for really big inputs.
_PROGRESS_TTY_FROM = 200_000
_PROGRESS_FROM = 1_000_000


def run() -> NoReturn:
    """The ``aligner`` command: ``main()``, then a quick exit.

    After a big comparison the process holds millions of small objects;
    freeing them one by one at exit took seconds (7 s after a 50 MB text)
    for memory the system reclaims at once. So once the output is flushed and
    any helper process ended, the process exits without that teardown.

    For the same reason the cycle collector is off in a report's process:
    the engine makes next to no reference cycles, and each collection would
    walk all it built (0.1-0.5 s of a report of the samples). The app, which
    lives on, turns it back on.
    """
    gc.disable()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe: nothing more can be said there
    from aligner import workers

    workers.end_children()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    # The engine's matrices are a few thousand rows: BLAS threads gain nothing
    # there and, on a busy machine, cost seconds in contention. The command
    # line owns its process, so it says so before numpy loads.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    parser, commands = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in commands and os.path.isdir(argv[0]):
        _error(_folder_hint(argv[0], ["compare", *argv]))
        return EXIT_USAGE
    if argv and argv[0] not in commands and not argv[0].startswith("-") and os.path.exists(argv[0]):
        # "aligner A.txt B.txt": files where a command belongs (os.path.exists
        # is False, not an error, for a name too long or with a NUL byte).
        meant = "open" if argv[0].lower().endswith(".json") else "compare"  # a saved report
        _error(
            f"{argv[0]} is a file, not a command; did you mean: aligner {meant} {shlex.join(argv)}"
        )
        return EXIT_USAGE
    try:
        args = parser.parse_args(argv)
        if args.command == "compare" and len(args.paths) == 1 and os.path.isdir(args.paths[0]):
            _error(_folder_hint(args.paths[0], argv))
            return EXIT_USAGE
        if args.command == "compare" and len(args.paths) < 2:
            args.subparser.error("give at least two documents to compare")
        if args.command == "where" and len(args.paths) < (1 if args.text is not None else 2):
            args.subparser.error(
                "give SOURCE and TARGET with --paragraph or --span, or TARGET alone with --text"
            )
        output = _output_path(args) if "output" in args else None
        if output and not args.format:
            from aligner.export import foreign_suffix

            if foreign := foreign_suffix(output):
                args.subparser.error(
                    f"cannot write a {foreign} file: reports are Markdown (.md), JSON (.json) "
                    "or text (.txt); name the file so, or give --format"
                )
    except SystemExit as exc:  # argparse: --help, --version or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _run(args)
    except AlignerError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("\naligner: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except MemoryError:
        _error("out of memory")
        return EXIT_INPUT
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set ALIGNER_DEBUG=1 for details)")
        return EXIT_INTERNAL


def _parser() -> tuple[argparse.ArgumentParser, frozenset[str]]:
    """The command line's parser, and the names of its commands."""
    from aligner import __version__

    parser = argparse.ArgumentParser(
        prog="aligner",
        description="Find the parallel passages (quotations and retellings) "
        "between accounts of the same story.",
        epilog="Exit codes: 0 success (also when no parallel passage is found), "
        "1 bad input or output, 2 usage error, 130 interrupted. See docs/cli.md.",
    )
    parser.add_argument("--version", action="version", version=f"aligner {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    compare = commands.add_parser(
        "compare",
        help="compare two or more documents",
        description="Compare documents and report their parallel passages. With more "
        "than two documents every pair is compared. Use - to read one from stdin.",
    )
    compare.add_argument("paths", nargs="+", metavar="FILE", help="documents to compare")
    compare.set_defaults(subparser=compare)
    _add_options(compare)
    where = commands.add_parser(
        "where",
        help="find where a document tells a given passage",
        description="Rank the stretches of TARGET (one to a few sentences) by their "
        "similarity to a passage of SOURCE, or to --text, best first: for a parallel the "
        "comparison did not find. Scores are similarities, for you to judge.",
    )
    where.add_argument(
        "paths",
        nargs="+",
        metavar="FILE",
        help="SOURCE TARGET [TARGET ...], or TARGET [TARGET ...] alone with --text",
    )
    passage = where.add_mutually_exclusive_group(required=True)
    passage.add_argument(
        "--paragraph",
        type=_positive,
        metavar="N",
        help="paragraph N of SOURCE (as reports number them)",
    )
    passage.add_argument(
        "--span", type=_span, metavar="START-END", help="characters START-END of SOURCE"
    )
    passage.add_argument(
        "--text", metavar="TEXT", help="look for this text instead of a passage of SOURCE"
    )
    where.add_argument(
        "-n",
        "--limit",
        type=_positive,
        default=LOOKUP_LIMIT,
        metavar="N",
        help=f"how many stretches to list (default {LOOKUP_LIMIT})",
    )
    _add_output(where, "report format (default: text, or from the -o suffix)")
    where.add_argument("-q", "--quiet", action="store_true", help="no notes on stderr")
    where.set_defaults(subparser=where)
    reopen = commands.add_parser(
        "open",
        help="open a saved JSON report again",
        description="Open a report that aligner wrote as JSON (--format json, -o "
        "report.json, or the app's export to a .json name) again, with the pairs and groups "
        "added or removed by hand: in the app on a terminal, else as a report. Its documents "
        "are read again from their paths, as given or beside the report.",
    )
    reopen.add_argument("report", metavar="REPORT", help="the JSON report")
    _add_output(reopen, "report format (default: the TUI on a terminal, else text)")
    reopen.add_argument("-q", "--quiet", action="store_true", help="no notes on stderr")
    reopen.set_defaults(subparser=reopen)
    demo = commands.add_parser(
        "demo",
        help="compare two bundled sample accounts",
        description=f"Compare the bundled samples {DEMO_SAMPLES[0]} and {DEMO_SAMPLES[1]}.",
    )
    _add_options(demo)
    demo.set_defaults(subparser=demo)
    return parser, frozenset(commands.choices or ())


def _add_output(sub: argparse.ArgumentParser, format_help: str) -> None:
    """``-f``, ``-o`` and ``--force``: where a report goes, and in what format."""
    sub.add_argument("-f", "--format", choices=FORMATS, help=format_help)
    sub.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    sub.add_argument("--force", action="store_true", help="overwrite an existing -o FILE")


def _add_options(sub: argparse.ArgumentParser) -> None:
    _add_output(
        sub,
        "report format (default: the TUI on a terminal, else text; with -o, from the file suffix)",
    )
    sub.add_argument(
        "--min-score",
        type=_score,
        default=Options().min_score,
        metavar="X",
        help=f"drop pairs scoring below X, 0-1 (default {Options().min_score})",
    )
    sub.add_argument(
        "--kind",
        action="append",
        type=_kinds,
        metavar="KIND",
        help="report only this kind: quotation, retelling, version or all "
        "(repeat or separate with commas)",
    )
    order = sub.add_mutually_exclusive_group()
    order.add_argument(
        "--ordered", dest="ordered", action="store_true", default=None, help="versions mode"
    )
    order.add_argument(
        "--unordered", dest="ordered", action="store_false", help="free order (no versions mode)"
    )
    sub.add_argument(
        "--no-semantic", dest="semantic", action="store_false", help="lexical signals only"
    )
    sub.add_argument(
        "--sort",
        choices=SORT_KEYS,
        default="a",
        help="order of the pairs of two documents: position in the first (a, the default) "
        "or second (b), score, or changed (most changed wording first)",
    )
    sub.add_argument("-q", "--quiet", action="store_true", help="no notes or progress on stderr")


def _score(value: str) -> float:
    try:
        score = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= score <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {value}")
    return score


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def _span(value: str) -> tuple[int, int]:
    start, dash, end = value.partition("-")
    if not dash or not start.strip().isdigit() or not end.strip().isdigit():
        raise argparse.ArgumentTypeError(f"not START-END (two character offsets): {value!r}")
    return int(start), int(end)


def _kinds(value: str) -> tuple[Kind, ...]:
    out: list[Kind] = []
    for item in filter(None, (v.strip().lower() for v in value.split(","))):
        if item == "all":
            out.extend(KINDS)
            continue
        match = [k for k in KINDS if k == item]
        if not match:
            raise argparse.ArgumentTypeError(
                f"unknown kind {item!r} (choose from {', '.join(KINDS)}, all)"
            )
        out.extend(match)
    return tuple(out)


def _run(args: argparse.Namespace) -> int:
    if args.command == "where":
        return _where(args)
    if args.command == "open":
        return _reopen(args)
    options = _options(args)
    bundled = {p.name: str(p) for p in sample_paths()}
    paths = [bundled[name] for name in DEMO_SAMPLES if name in bundled]
    if args.command == "compare":
        paths = list(args.paths)
    elif len(paths) != len(DEMO_SAMPLES):
        raise AlignerError("the bundled samples are missing from this installation")
    fmt = _choose_format(args)
    output = _output_path(args)
    if output:
        _check_output(output, paths, force=args.force)
    if args.sort != "a" and len(paths) > 2:
        raise OptionsError("--sort orders the pairs of two documents; a synopsis follows its base")
    docs = _load_all(paths, quiet=args.quiet)
    if fmt is None:
        if _open_tui(paths, docs, options, args.sort):
            return EXIT_OK
        fmt = "text"
    result = _compare_all(docs, options, quiet=args.quiet)
    if isinstance(result, Comparison):
        result = result.sorted(args.sort)
    if not args.quiet:
        for comparison in result.comparisons if hasattr(result, "comparisons") else (result,):
            for note in comparison.notes:
                print(f"aligner: note: {note}", file=sys.stderr)
    report = _render(result, fmt)
    # The report says so too; repeat it on stderr unless the report is on screen.
    if not args.quiet and not _found(result):
        if output or not sys.stdout.isatty():
            print("aligner: no parallel passages found", file=sys.stderr)
    _deliver(report, output, force=args.force)
    return EXIT_OK


def _reopen(args: argparse.Namespace) -> int:
    """``aligner open REPORT``: a saved JSON report in the app, or as another report."""
    from aligner.reopen import load_report

    fmt = _choose_format(args)
    output = _output_path(args)
    if output:
        _check_output(output, [args.report], force=args.force)
    result = load_report(args.report)
    if fmt is None:
        try:
            from aligner.tui.app import AlignerApp
        except ImportError:
            fmt = "text"
        else:
            gc.enable()  # off in a report's process (``run``); the app lives on
            if isinstance(result, Comparison):
                AlignerApp(comparison=result).run()
            else:
                AlignerApp(synopsis=result).run()
            return EXIT_OK
    report = _render(result, fmt)
    _deliver(report, output, force=args.force)
    return EXIT_OK


def _deliver(report: str, output: str | None, *, force: bool) -> None:
    """The report to ``output`` (atomically, never over a file without ``force``) or stdout."""
    if output:
        from aligner.export import write_output

        write_output(report, output, force=force)
    else:
        _print(report)


def _where(args: argparse.Namespace) -> int:
    """``aligner where``: the stretches of each target most like a passage."""
    fmt = _choose_format(args) or "text"  # no app for a look-up: text on a terminal
    output = _output_path(args)
    if output:
        _check_output(output, args.paths, force=args.force)
    docs = _load_all(args.paths, quiet=args.quiet)
    if args.text is not None:
        if not args.text.strip():
            raise AlignerError("--text is empty: give the words to look for")
        source, targets = make_document(args.text, name="text"), docs
        start, end = 0, len(source.text)
    else:
        source, targets = docs[0], docs[1:]
        start, end = args.span or paragraph_span(source, args.paragraph)
    found = [find_parallels(source, t, start, end, limit=args.limit) for t in targets]
    report = _render_lookup(found, fmt)
    _deliver(report, output, force=args.force)
    return EXIT_OK


def _options(args: argparse.Namespace) -> Options:
    kinds = tuple(dict.fromkeys(itertools.chain.from_iterable(args.kind or [KINDS])))
    return Options(
        min_score=args.min_score, kinds=kinds or KINDS, ordered=args.ordered, semantic=args.semantic
    )


def _output_path(args: argparse.Namespace) -> str | None:
    """The ``-o`` file, or ``None`` for stdout (no ``-o``, or ``-o -``)."""
    return str(args.output) if args.output and args.output != "-" else None


def _choose_format(args: argparse.Namespace) -> str | None:
    """The report format; ``None`` means open the TUI."""
    if args.format:
        return str(args.format)
    output = _output_path(args)
    if output:
        from aligner.export import format_of

        return format_of(output)
    if sys.stdout.isatty() and sys.stdin.isatty() and "-" not in getattr(args, "paths", ()):
        return None
    return "text"


def _check_output(output: str, paths: Sequence[str], *, force: bool) -> None:
    from aligner.export import OutputError, check_output

    out = check_output(output, force=force)
    for path in paths:
        if path != "-" and _same_file(out, Path(path)):
            raise OutputError(f"{out}: is one of the documents to compare; choose another -o")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _load_all(paths: Sequence[str], *, quiet: bool) -> list[Document]:
    """Read every document before any comparison, so a bad one fails fast."""
    stdin: Document | None = None
    docs: list[Document] = []
    for path in paths:
        if path == "-":
            if stdin is None:  # "-" twice compares stdin with itself
                stdin = _read_stdin()
            doc = stdin
        else:
            doc = read_document(path)
        if not quiet and doc.encoding not in ("utf-8", "utf-8-sig", "ascii"):
            where = printable(doc.path or doc.name)
            print(f"aligner: note: {where}: read as {doc.encoding}", file=sys.stderr)
        docs.append(doc)
    return docs


def _read_stdin() -> Document:
    if sys.stdin is None or not hasattr(sys.stdin, "buffer"):
        raise AlignerError("<stdin>: there is no standard input to read")
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:
        raise AlignerError(f"<stdin>: cannot read ({exc.strerror or exc})") from None
    return document_from_bytes(data, name="<stdin>")


def _open_tui(
    paths: Sequence[str], docs: Sequence[Document], options: Options, sort: SortKey = "a"
) -> bool:
    """Run the TUI; False when it is not available (then print the text report)."""
    import importlib.util

    if importlib.util.find_spec("textual") is None:
        return False
    from aligner import workers

    # Forked before Textual starts its threads (after, forking is unsafe): the
    # engine works in a second process while the app starts, and the app gets
    # its progress and result from there (or, without it, aligns itself).
    from aligner.parallel import Handover, handed_over

    here = handed_over(docs, HEAD_START_CHARS) if workers.available() else []
    helping = Handover(docs, here) if here else None
    pending = workers.fork(
        functools.partial(_align_helped, docs, options, helping),
        after=functools.partial(_segmentations, skip=here),
    )
    own: dict[int, Segmented] = {}
    if pending is not None and helping is not None:
        # Meanwhile the engine's process loads its word vectors and segments
        # the other documents: both cores work, and the app keeps what it made
        # here for its look-ups.
        own = helping.segment_and_send()
    elif pending is not None and workers.cores() <= 2:
        # On two cores, the engine's two processes (it segments the documents
        # in parallel) have them to themselves: Textual's start, half a second
        # of CPU, would slow them by about as much. The app starts once the
        # documents are segmented, or after half a second at most.
        from aligner.engine import SEGMENTED

        pending.wait(SEGMENTED, timeout=0.5)
    if helping is not None and pending is None:
        helping.close()
    try:
        from aligner.tui.app import AlignerApp
    except ImportError:
        if pending is not None:
            pending.stop()
        return False
    gc.enable()  # off in a report's process (``run``); the app lives on
    app = AlignerApp(paths=list(paths), options=options, pending=pending, sort=sort, segmented=own)
    app.run()
    return True


def _align_helped(
    docs: Sequence[Document],
    options: Options,
    helping: Handover | None,
    progress: Callable[[float], None],
) -> Result:
    """``_align`` in the engine's process, some documents segmented by the app's."""
    if helping is not None:
        helping.expect()
    return _align(docs, options, progress)


HEAD_START_CHARS = 1_000_000
"""Largest document whose segmentation the engine's process sends the app:
unpacking one keeps the app's interpreter busy 0.2 s a megabyte (0.7 s for 1.7 MB),
right when the reader starts reading. A larger one is segmented at its first
look-up."""


def _segmentations(result: Result, skip: Sequence[int] = ()) -> list[tuple[object, ...] | None]:
    """In the engine's process, once the result is sent: the documents as it
    segmented them, packed, for the app's look-ups (``w``) to start from
    (not those the app segmented itself, ``skip``)."""
    from aligner import parallel, segment

    return [
        parallel.pack(seg)
        if k not in skip
        and len(d.text) <= HEAD_START_CHARS
        and (seg := segment.kept(d)) is not None
        else None
        for k, d in enumerate(result.documents)
    ]


def _align(docs: Sequence[Document], options: Options, progress: Callable[[float], None]) -> Result:
    if len(docs) == 2:
        from aligner import compare

        return compare(docs[0], docs[1], options=options, progress=progress)
    from aligner.synopsis import synopsis

    return synopsis(docs, options=options, progress=progress)


def _compare_all(docs: Sequence[Document], options: Options, *, quiet: bool) -> Result:
    """Two documents: one comparison. More: a synopsis (every pair, then groups)."""
    tty = sys.stderr.isatty()
    total = sum(len(d.text) for d in docs)
    show = not quiet and total >= (_PROGRESS_TTY_FROM if tty else _PROGRESS_FROM)
    progress = _progress_printer(sys.stderr, time.monotonic()) if show else None
    result = _align(docs, options, progress or (lambda _: None))
    if show and tty:
        sys.stderr.write("\r\x1b[K")  # erase the progress line: the report follows
        sys.stderr.flush()
    return result


def _progress_printer(stream: TextIO, started: float) -> Callable[[float], None]:
    """Report progress on ``stream``: in place on a terminal, every 10 % otherwise."""
    state = {"last": -1.0, "at": 0.0}
    tty = stream.isatty()

    def report(share: float) -> None:
        share = min(max(share, 0.0), 1.0)
        now = time.monotonic()
        elapsed = f"{now - started:.0f} s"
        if tty and (now - state["at"] >= 0.1 or share >= 1.0) and share != state["last"]:
            stream.write(f"\raligner: comparing {share:4.0%} ({elapsed})")
        elif not tty and int(share * 10) > int(state["last"] * 10):
            stream.write(f"aligner: comparing {int(share * 10) * 10}% ({elapsed})\n")
        else:
            return
        stream.flush()
        state["last"], state["at"] = share, now

    return report


def _render(result: Result, fmt: str) -> str:
    from aligner.export import render_report

    return render_report(result, fmt, width=_report_width())


def _render_lookup(found: list[Comparison], fmt: str) -> str:
    """One target: the comparison's JSON; several: ``{"lookups": [...]}``."""
    from aligner import export
    from aligner.render import render_lookup_text

    if fmt == "json":
        if len(found) == 1:
            return export.to_json(found[0]) + "\n"
        return export.dumps(export.lookups_dict(found)) + "\n"
    if fmt == "markdown":
        return export.lookup_markdown(*found)
    return render_lookup_text(*found, width=_report_width())


def _report_width() -> int:
    """Columns for a text report: 80, or on a terminal its width within readable bounds."""
    if sys.stdout.isatty():
        return min(max(shutil.get_terminal_size().columns, 60), 120)
    return 80


def _found(result: Result) -> bool:
    return bool(result.pairs if isinstance(result, Comparison) else result.groups)


def _print(report: str) -> None:
    out = sys.stdout
    if hasattr(out, "reconfigure"):  # a narrow locale must not crash on a rare character
        out.reconfigure(errors="replace")
    out.write(report)
    out.flush()


def _silence_stdout() -> None:
    """The reader went away (e.g. ``| head``): keep the flush at exit quiet too."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
"""What a folder's documents are called, for the command a folder gets instead."""


def _folder_hint(folder: str, argv: list[str]) -> str:
    """One line for a folder given where documents belong: the command that
    gives its documents instead (those with its commonest document suffix,
    so that a README beside the texts stays out), where it has any."""
    try:
        suffixes = Counter(p.suffix.lower() for p in Path(folder).iterdir() if p.is_file())
    except OSError:
        suffixes = Counter()
    counts = [(suffixes[s], -n, s) for n, s in enumerate(DOCUMENT_SUFFIXES) if suffixes[s]]
    if not counts:
        return f"{folder} is a folder; give the documents in it one by one"
    glob = f"{shlex.quote(folder.rstrip('/') or '/')}/*{max(counts)[2]}"
    command = " ".join(glob if w == folder else shlex.quote(w) for w in argv)
    return f"{folder} is a folder; to compare the documents in it: aligner {command}"


def _error(message: str) -> None:
    # File names are user content too: no raw escape sequence reaches stderr.
    print(f"aligner: error: {printable(' '.join(message.split()))}", file=sys.stderr)
