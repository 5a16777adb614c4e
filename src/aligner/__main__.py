"""``python -m aligner`` runs the command line."""

from __future__ import annotations

from aligner.cli import run

run()
