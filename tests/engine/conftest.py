"""Shared fixtures for engine tests: the bundled samples, compared once."""

from __future__ import annotations

from pathlib import Path

import pytest

import aligner
from aligner.documents import sample_paths

SAMPLES = {p.stem: p for p in sample_paths()}


@pytest.fixture(scope="session")
def samples() -> dict[str, Path]:
    return SAMPLES


@pytest.fixture(scope="session")
def testament_pair() -> aligner.Comparison:
    """Two accounts that both quote and retell Lenin's Testament."""
    return aligner.compare(
        SAMPLES["how-the-bureaucracy-seized-power"], SAMPLES["clr-james-lenin-stalin"]
    )
