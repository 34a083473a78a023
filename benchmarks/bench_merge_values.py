"""Render into an existing 1 MB values file (issue 12, item 7: it took about 20 s).

Reports the merge itself (files/yamlio.merge_into, target well under a second), the bounded check, and the whole
render into the file: bounded check + merge + dump. ruamel's round-trip parser and emitter are pure Python
(about 10 s for this file), so a file this large is merged piece by piece (files/yaml_pieces.py): only the
pieces the merge changes go through ruamel. The render is reported as wall time and as CPU time (the machine
may be shared: CPU time is what the render itself costs).
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import Result, report, time_ms
from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.owned import is_owned
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.charts.values_file import write_values_file
from flyte_tui.files import yamlio
from tests.conftest import REALISTIC


def one_megabyte() -> str:
    """A values file of about 1 MB: the user's own components with labels and comments, managed keys too."""
    parts = []
    for i in range(800):
        parts.append(f"component{i}:\n  # tuned by hand {i}\n  resources:\n    requests: {{cpu: 100m, memory: 1Gi}}\n")
        parts.append("  podLabels:\n" + "".join(f"    label{j}: value-{i}-{j}-abcdefghij\n" for j in range(25)))
    parts.append("flyteadmin:\n  podLabels:\n" + "".join(f"    l{j}: v{j}\n" for j in range(500)))
    return "".join(parts)


def main() -> None:
    """Time the merge, and the whole render into the file."""
    plan = validate_answers(copy.deepcopy(REALISTIC["eks"])).plan
    assert plan is not None
    values = render_values(plan)
    text = one_megabyte()
    doc = yamlio.load_document(text)

    runs = []
    for _ in range(3):
        fresh = copy.deepcopy(doc)
        started = time.perf_counter()
        yamlio.merge_into(fresh, values, owned=is_owned)
        runs.append((time.perf_counter() - started) * 1000)
    report(Result(f"merge into a {len(text) // 1024} KiB values file", min(runs), "ms", 500.0, "target"))
    checked = time_ms(lambda: yamlio.check(text), repeat=3, warmup=0)
    report(Result("bounded check of it (libyaml events)", checked, "ms", 500.0, "target"))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.yaml"

        def render() -> None:
            path.write_text(text)
            write_values_file(plan, path)

        report(Result("render into it (check + merge + dump), wall", time_ms(render, repeat=3, warmup=0), "ms",
                      1000.0, "target"))  # fmt: skip
        cpu = []
        for _ in range(3):
            started = time.process_time()
            render()
            cpu.append((time.process_time() - started) * 1000)
        report(Result("render into it, CPU time", min(cpu), "ms", 1000.0, "target"))


if __name__ == "__main__":
    main()
