"""Command palette entries for the compare and synopsis screens' actions.

Kept apart from the screen so the app can list them without reaching into
the screen's internals.
"""

from __future__ import annotations

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Next pair", "Select the next pair in the list", "next_pair"),
    ("Previous pair", "Select the previous pair in the list", "previous_pair"),
    ("Reading mode", "Switch between the pair view and whole documents", "toggle_mode"),
    ("Pair details", "Score, kind and evidence of the selected pair", "details"),
    ("Sort pairs", "By position in A, position in B, score, or most changed", "cycle_sort"),
    ("Raise minimum score", "Hide pairs scoring below the next step", "score_up"),
    ("Lower minimum score", "Show pairs down to the previous step", "score_down"),
    ("Filter by kind", "All kinds, quotations, retellings or versions", "cycle_kind"),
    ("Search", "Search both documents", "search"),
    ("Unpaired passages", "Go through what no pair holds: what one version lacks", "unpaired"),
    (
        "Where is this told?",
        "Look up the stretches of the other document most like the passage read",
        "where",
    ),
    ("Next match", "Go to the next search match", "next_match"),
    ("Previous match", "Go to the previous search match", "previous_match"),
    ("Export", "Write the shown pairs to a file: Markdown, .json or .txt", "export"),
    ("Copy pair", "Copy the selected pair's text to the clipboard", "copy"),
    ("Remove pair", "Remove the selected pair (Undo brings it back)", "remove_pair"),
    ("Undo", "Undo the last pair added or removed by hand", "undo"),
)
"""Command palette entries: title, help, action name."""

CORRECTIONS = frozenset({"remove_pair", "undo"})
"""Actions of the reader's corrections: not offered where the screen takes none."""

SYNOPSIS_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Next group", "Select the next group", "step(1)"),
    ("Previous group", "Select the previous group", "step(-1)"),
    ("Next base account", "Mark differences against the next account", "cycle_base"),
    ("Sort groups", "By position in the base, or by how many accounts share them", "cycle_order"),
    ("Raise minimum score", "Hide groups scoring below the next step", "score(1)"),
    ("Lower minimum score", "Show groups down to the previous step", "score(-1)"),
    ("Filter by accounts", "Only groups shared by at least 3, 4 ... accounts", "cycle_accounts"),
    ("Pair view", "The chosen account against the base, pair by pair", "pair_view"),
    (
        "Where is this told?",
        "Look up the group's passage in the chosen account, or the first lacking it",
        "where",
    ),
    ("Search", "Find the groups whose passages hold a text", "search"),
    ("Export", "Write the groups shown to a file: Markdown, .json or .txt", "export"),
    ("Copy group", "Copy the selected group's passages to the clipboard", "copy"),
    ("Remove passage", "Remove the chosen account's passage from the group", "remove_member"),
    ("Undo", "Undo the last passage added or removed by hand", "undo"),
)
"""The synopsis screen's entries: title, help, action (with its arguments)."""
