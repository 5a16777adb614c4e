"""Importing the engine, the CLI or the exporters never loads Textual or Rich."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["aligner", "aligner.cli", "aligner.export"])
def test_import_does_not_load_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "import aligner.cli, aligner.export\n"
        "loaded = sorted(m for m in ('textual', 'rich') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
