"""Doctor benchmark on the real test bed (needs tests/cluster/build).

A healthy install of the fixture chart (every check passes, as in tests/e2e/test_doctor.py), then the full
headless doctor (`flyte-tui doctor --json`: Python start, every read, every check) timed end to end.
Target: ≤ 2 s wall. Also reported: how many kubectl/helm processes one run starts.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cluster"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))

import testbed as tb

from benchmarks.harness import Result, report

ROOT = Path(__file__).resolve().parents[1]

ROUNDS = 7
TARGET_SECONDS = 2.0


def main() -> None:
    """Start a test bed, make a healthy install, time the doctor."""
    from test_doctor import make_healthy

    if tb.missing_binaries():
        print(f"bench_doctor: skipped, test bed not built (run {tb.BUILD_CMD})")
        return
    helm = tb.helm_bin_dir() / "helm4"
    bed = tb.TestBed.start()
    made: list[str] = []
    try:
        tb.run([bed.helm3, "repo", "add", tb.REPO_NAME, bed.repo_url], env=bed.env, timeout=60)
        namespace = "bench-doctor"
        bed.kubectl_run("create", "namespace", namespace)
        with tempfile.TemporaryDirectory() as tmp:
            make_healthy(bed, namespace, helm, Path(tmp), made)
        argv = [sys.executable, "-m", "flyte_tui.cli", "doctor", "--json", "--context", bed.context,
                "--namespace", namespace, "--helm", str(helm), "--kubectl", str(bed.kubectl)]  # fmt: skip
        walls = []
        last: dict[str, object] = {}
        for _ in range(ROUNDS):
            start = time.perf_counter()
            done = subprocess.run(argv, env=bed.env, capture_output=True, text=True, timeout=60, cwd=ROOT)
            walls.append(time.perf_counter() - start)
            last = json.loads(done.stdout)
            if done.returncode != 0:
                print(f"bench_doctor: the healthy install did not pass (exit {done.returncode}): {last['summary']}")
        gather = last["gather"]
        assert isinstance(gather, dict)
        report(Result("doctor wall time, healthy fixture install", statistics.median(walls), "s",
                      TARGET_SECONDS, "target 2 s"))  # fmt: skip
        print(
            f"doctor: {gather['processes']} kubectl/helm processes per run; reads took {gather['seconds']:.2f} s; "
            f"{len(last['checks'])} checks; summary {last['summary']}"  # type: ignore[arg-type]
        )
    finally:
        for ref in reversed(made):
            bed.kubectl_run("delete", ref, "--ignore-not-found", "--wait=false", check=False)
        tb.run([bed.helm3, "uninstall", "flyte", "-n", "bench-doctor"], env=bed.env, check=False, timeout=90)
        bed.stop()


if __name__ == "__main__":
    main()
