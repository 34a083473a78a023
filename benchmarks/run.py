"""Run every benchmark: `python benchmarks/run.py`."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Run each ``bench_*.py`` in its own namespace."""
    sys.path.insert(0, str(HERE.parent))
    for script in sorted(HERE.glob("bench_*.py")):
        runpy.run_path(str(script), run_name="__main__")


if __name__ == "__main__":
    main()
