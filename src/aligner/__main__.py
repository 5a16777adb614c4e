"""``python -m aligner`` runs the command line."""

from __future__ import annotations

import sys

from aligner.cli import main

sys.exit(main())
