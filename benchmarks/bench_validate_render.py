"""Validate + render a full answers file (target ≤ 20 ms, so the wizard can re-validate per keystroke)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import Result, report, time_ms
from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.charts.values_file import render_text
from tests.conftest import REALISTIC


def main() -> None:
    """Run the benchmark for the EKS answers (the largest values file) and for every preset."""
    answers = REALISTIC["eks"]

    def validate_and_render() -> None:
        result = validate_answers(copy.deepcopy(answers))
        assert result.plan is not None
        render_values(result.plan)

    report(Result("validate+render (eks)", time_ms(validate_and_render), "ms", 20.0, "target"))

    plan = validate_answers(copy.deepcopy(answers)).plan
    assert plan is not None
    report(Result("render to YAML text (eks)", time_ms(lambda: render_text(plan)), "ms", 20.0, "target"))


if __name__ == "__main__":
    main()
