"""Sandbox install benchmark on the real test bed (needs tests/cluster/build): the headless install of
``environment: sandbox`` (the flyte-deps release, its wait, then Flyte's) against the same two
``helm upgrade --install --wait`` run by hand one after the other, with the same charts and values files.
Target ≤ 1.05×.

The dependency chart's Services take fixed node ports (one sandbox per cluster), so every round removes its
releases before the next one installs.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cluster"))

import testbed as tb

from benchmarks.harness import Result, report
from flyte_tui.charts import validate_answers
from flyte_tui.events import InstallFinished
from flyte_tui.install import Installer, InstallOptions

ROUNDS = 3


def _answers(bed: tb.TestBed, namespace: str) -> dict:
    return {
        "environment": "sandbox",
        "target": {
            "context": bed.context,
            "namespace": namespace,
            "release": "flyte",
            "chart": {"repo": bed.repo_url, "name": "flyte-core", "version": "v1.16.8"},
        },
        "dependencies": {"chart": {"repo": bed.repo_url, "version": "v1.16.8"}},
        "extraValues": {"flytepropeller": {"createCRDs": False}},
    }


def _remove(bed: tb.TestBed, namespace: str) -> None:
    """Both releases gone (their node ports free again) and the namespace deleted."""
    for release in ("flyte", "flyte-deps"):
        bed.helm_run(bed.helm4, "uninstall", release, "-n", namespace, "--wait", "--timeout", "60s", check=False)
    bed.kubectl_run("delete", "namespace", namespace, "--wait=false", check=False)


def _ours(bed: tb.TestBed, namespace: str, values: Path) -> float:
    result = validate_answers(_answers(bed, namespace))
    assert result.plan is not None, result.problems
    options = InstallOptions(values_path=values, helm=str(bed.helm4), kubectl=str(bed.kubectl), env=bed.env)
    start = time.monotonic()
    events = list(Installer(result.plan, options).run())
    elapsed = time.monotonic() - start
    finished = events[-1]
    assert isinstance(finished, InstallFinished) and finished.ok, finished
    return elapsed


def _by_hand(bed: tb.TestBed, namespace: str, values: Path) -> float:
    """The two helm commands a user would run: the dependencies with --wait, then Flyte with --wait."""
    deps_values = values.with_name(f"{values.stem}-deps{values.suffix}")
    start = time.monotonic()
    for release, chart, file in (("flyte-deps", "flyte-deps", deps_values), ("flyte", "flyte-core", values)):
        bed.helm_run(
            bed.helm4, "upgrade", "--install", release, f"{tb.REPO_NAME}/{chart}", "--version", "v1.16.8",
            "-n", namespace, "--create-namespace", "-f", str(file), "--wait", "--timeout", "5m",
        )  # fmt: skip
    return time.monotonic() - start


def main() -> None:
    """ROUNDS sandbox installs each way on a test bed with 2 s pod steps (closer to real pod start-up)."""
    if tb.missing_binaries():
        print(f"bench_sandbox: skipped, run {tb.BUILD_CMD} first")
        return
    bed = tb.TestBed.start(pod_delay_ms=2000)
    try:
        tb.run([bed.helm4, "repo", "add", tb.REPO_NAME, bed.repo_url], env=bed.env, timeout=60)
        ours, by_hand = [], []
        for i in range(ROUNDS):
            values = Path(bed.workdir) / f"sandbox-{i}.yaml"
            ns = f"bench-sandbox-ours-{i}"
            ours.append(_ours(bed, ns, values))
            _remove(bed, ns)
            ns = f"bench-sandbox-hand-{i}"
            by_hand.append(_by_hand(bed, ns, values))  # the same values files flyte-tui wrote
            _remove(bed, ns)
        report(
            Result(
                "sandbox install wall time (both releases, pod steps 2000 ms)",
                statistics.median(ours),
                "s",
                statistics.median(by_hand) * 1.05,
                f"1.05 x two helm upgrade --install --wait by hand ({statistics.median(by_hand):.2f} s)",
            )
        )
    finally:
        bed.stop()


if __name__ == "__main__":
    main()
