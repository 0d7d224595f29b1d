"""Plain-pytest setup for the framework-free rule library (no Django needed).

Makes ``src/`` importable when the project is not installed (e.g. when these tests are run
on their own with ``--confcutdir`` and without the Django plugin).
"""

from __future__ import annotations

import sys
from pathlib import Path

_SRC = Path(__file__).resolve().parents[3] / "src"

try:
    import casework.rules  # noqa: F401
except ImportError:  # not installed: fall back to the source tree
    sys.path.insert(0, str(_SRC))
