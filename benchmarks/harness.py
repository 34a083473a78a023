"""A tiny benchmark harness: time a callable, print the figure and its ratio to the baseline.

Benchmarks are run on demand (`python benchmarks/run.py`), never as timed tests. A ratio ≤ 1.0 meets
the target. Results are also appended as JSON lines to ``benchmarks/results.jsonl`` (git-ignored)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

RESULTS = Path(__file__).with_name("results.jsonl")


@dataclass(frozen=True)
class Result:
    """One benchmark's outcome."""

    name: str
    figure: float
    unit: str
    baseline: float
    baseline_label: str

    @property
    def ratio(self) -> float:
        """figure / baseline: ≤ 1.0 meets the target."""
        return self.figure / self.baseline if self.baseline else float("inf")

    def line(self) -> str:
        """The one line a benchmark prints."""
        verdict = "ok" if self.ratio <= 1.0 else "OVER"
        return (
            f"{self.name}: {self.figure:.2f} {self.unit} "
            f"(baseline {self.baseline:.2f} {self.unit} = {self.baseline_label}; ratio {self.ratio:.2f}) {verdict}"
        )


def time_ms(fn: Callable[[], object], repeat: int = 50, warmup: int = 3) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def report(result: Result) -> Result:
    """Print a result and append it to the results file."""
    print(result.line())
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({**asdict(result), "ratio": result.ratio, "at": time.time()}) + "\n")
    return result
