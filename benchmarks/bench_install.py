"""Install benchmarks on the real test bed (needs tests/cluster/build):

* readiness-detection latency: the last pod turning Ready (seen by an independent `kubectl get pods -w`)
  → the install core reporting done. Target ≤ 1 s.
* headless install wall time vs bare `helm upgrade --install --wait` of the same chart and values on the
  same cluster, as a ratio. Target ≤ 1.05×. For information also against the same outcome by hand
  (`kubectl create namespace`, the two Secrets, then `helm upgrade --install --wait`).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cluster"))

import testbed as tb

from benchmarks.harness import Result, report
from flyte_tui.charts import validate_answers
from flyte_tui.events import StepFinished
from flyte_tui.files.yamlio import dump
from flyte_tui.install import Installer, InstallOptions
from flyte_tui.install.secrets import SecretValues

ROUNDS = 3


def _answers(bed: tb.TestBed, namespace: str) -> dict:
    return {
        "environment": "generic",
        "target": {
            "context": bed.context,
            "namespace": namespace,
            "release": "flyte",
            "chart": {"repo": bed.repo_url, "name": "flyte-core", "version": "v1.16.8"},
        },
        "storage": {
            "metadataBucket": "bench-meta",
            "endpoint": "https://s3.example.com",
            "credentialsSecret": "flyte-storage",
        },
        "database": {"host": "db.example.com", "passwordSecret": {"name": "db-pass", "key": "pass.txt"}},
        "ingress": {"host": "flyte.example.com"},
        "extraValues": {"flytepropeller": {"createCRDs": False}},
    }


def _last_ready_seen(bed: tb.TestBed, namespace: str, stop: threading.Event, out: list[float]) -> None:
    proc = subprocess.Popen(
        [
            str(bed.kubectl),
            f"--context={bed.context}",
            "-n",
            namespace,
            "get",
            "pods",
            "-w",
            "--output-watch-events",
            "-o",
            "json",
        ],
        env=bed.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    decoder, buffer = json.JSONDecoder(), ""
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            buffer += line
            try:
                event, end = decoder.raw_decode(buffer.lstrip())
            except json.JSONDecodeError:
                continue
            buffer = buffer.lstrip()[end:]
            conds = event["object"].get("status", {}).get("conditions", [])
            if any(c["type"] == "Ready" and c["status"] == "True" for c in conds):
                out.append(time.monotonic())
            if stop.is_set():
                break
    finally:
        proc.kill()


def main() -> None:
    """Run the rounds on a fast test bed (200 ms per pod step) and a slower, more realistic one (2 s)."""
    if tb.missing_binaries():
        print(f"bench_install: skipped, run {tb.BUILD_CMD} first")
        return
    for delay_ms in (200, 2000):
        bench(delay_ms)


def bench(delay_ms: int) -> None:
    """One test bed, ROUNDS installs each way."""
    bed = tb.TestBed.start(pod_delay_ms=delay_ms)
    try:
        tb.run([bed.helm4, "repo", "add", tb.REPO_NAME, bed.repo_url], env=bed.env, timeout=60)
        latencies, ours, bare, by_hand = [], [], [], []
        for i in range(ROUNDS):
            ns = f"bench-ours-{i}"
            result = validate_answers(_answers(bed, ns))
            assert result.plan is not None, result.problems
            ready_times: list[float] = []
            stop = threading.Event()
            bed.kubectl_run("create", "namespace", ns)
            watcher = threading.Thread(target=_last_ready_seen, args=(bed, ns, stop, ready_times), daemon=True)
            watcher.start()
            time.sleep(0.5)
            options = InstallOptions(
                values_path=Path(bed.workdir) / f"{ns}.yaml",
                helm=str(bed.helm4),
                kubectl=str(bed.kubectl),
                env=bed.env,
                secrets=SecretValues("pw", "a", "b"),
            )
            start = time.monotonic()
            done_at = None
            for event in Installer(result.plan, options).run():
                if isinstance(event, StepFinished) and event.step == "readiness":
                    done_at = time.monotonic()
            ours.append(time.monotonic() - start)
            stop.set()
            if done_at and ready_times:
                latencies.append(max(done_at - max(ready_times), 0.0))
            values = Path(bed.workdir) / f"{ns}.yaml"
            ns_bare = f"bench-bare-{i}"
            setup_start = time.monotonic()
            bed.kubectl_run("create", "namespace", ns_bare)
            bed.kubectl_run("create", "secret", "generic", "db-pass", "-n", ns_bare, "--from-literal=pass.txt=pw")
            bed.kubectl_run(
                "create",
                "secret",
                "generic",
                "flyte-storage",
                "-n",
                ns_bare,
                "--from-literal=storage.yaml=" + dump({"storage": {"type": "s3"}}),
            )
            setup = time.monotonic() - setup_start
            start = time.monotonic()
            bed.helm_run(
                bed.helm4,
                "upgrade",
                "--install",
                "flyte",
                f"{tb.REPO_NAME}/flyte-core",
                "--version",
                "v1.16.8",
                "-n",
                ns_bare,
                "-f",
                str(values),
                "--wait",
                "--timeout",
                "5m",
            )
            bare.append(time.monotonic() - start)
            by_hand.append(bare[-1] + setup)
        report(
            Result(
                f"readiness detection latency (pod steps {delay_ms} ms)",
                statistics.median(latencies) * 1000,
                "ms",
                1000.0,
                "target 1 s",
            )
        )
        report(
            Result(
                f"headless install wall time (pod steps {delay_ms} ms)",
                statistics.median(ours),
                "s",
                statistics.median(bare) * 1.05,
                f"1.05 x bare helm --wait ({statistics.median(bare):.2f} s)",
            )
        )
        # For information: the same outcome by hand (namespace and Secrets created with kubectl first).
        report(
            Result(
                f"headless install wall time vs by hand (pod steps {delay_ms} ms)",
                statistics.median(ours),
                "s",
                statistics.median(by_hand) * 1.05,
                f"1.05 x kubectl create namespace + 2 secrets + helm --wait ({statistics.median(by_hand):.2f} s)",
            )
        )
    finally:
        bed.stop()


if __name__ == "__main__":
    main()
