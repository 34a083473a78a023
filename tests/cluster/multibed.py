"""Several independent control planes on 127.0.0.1: the multi-cluster e2e test bed.

Each cluster is a whole :class:`testbed.TestBed` (its own etcd, kube-apiserver, KCM, scheduler, kwok nodes, CA
and ServiceAccount signing key) in a sub-directory of one workdir; only the first serves the loopback chart
repo (one helm home reaches every context). One kubeconfig names them all: contexts ``<context>-1`` …
``<context>-N``. The API servers listen on distinct ports of 127.0.0.1, so each reaches the others there.

    bed = MultiBed.start(3)        # the clusters start side by side (about as long as one bed)
    bed.kubectl_run(2, "get", "nodes")
    bed.stop()
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import testbed as tb

#: The largest bed `--clusters` starts: each cluster is about 5 processes and 300 MB.
MAX_CLUSTERS = 6


@dataclasses.dataclass
class MultiBed:
    """N running clusters, one kubeconfig. Create with :meth:`start`; :meth:`stop` tears all down."""

    workdir: Path
    kubeconfig: Path
    beds: list[tb.TestBed]
    env: dict[str, str]

    @classmethod
    def start(cls, count: int, *, context: str = "flyte-tui-e2e", pod_delay_ms: int | None = None) -> MultiBed:
        """Start ``count`` clusters (contexts ``<context>-1`` … ``<context>-<count>``), all in parallel."""
        if not 1 <= count <= MAX_CLUSTERS:
            raise tb.TestBedError(f"--clusters: {count} is not a number of clusters from 1 to {MAX_CLUSTERS}")
        wd = Path(tempfile.mkdtemp(prefix="flyte-tui-e2e-multi-"))
        tb.register(wd, owner="pytest" if "pytest" in sys.modules else "script")

        def one(i: int) -> tb.TestBed:
            return tb.TestBed.start(
                workdir=wd / f"cluster-{i}",
                context=f"{context}-{i}",
                pod_delay_ms=pod_delay_ms,
                serve_charts=i == 1,
                register_bed=False,
            )

        with concurrent.futures.ThreadPoolExecutor(max_workers=count) as pool:
            futures = [pool.submit(one, i) for i in range(1, count + 1)]
            concurrent.futures.wait(futures)
        beds = [f.result() for f in futures if f.exception() is None]
        failed = [f.exception() for f in futures if f.exception() is not None]
        bed = cls(workdir=wd, kubeconfig=wd / "kubeconfig", beds=beds, env={})
        if failed:
            bed.stop()
            raise tb.TestBedError(f"{len(failed)} of {count} clusters did not start: {failed[0]}")
        bed._merge_kubeconfigs()
        first = beds[0]
        bed.env = {**first.env, "KUBECONFIG": str(bed.kubeconfig)}
        for other in beds[1:]:
            other.repo_url = first.repo_url
        return bed

    def _merge_kubeconfigs(self) -> None:
        merged: dict[str, object] = {"apiVersion": "v1", "kind": "Config", "current-context": self.contexts[0]}
        for key in ("clusters", "users", "contexts"):
            merged[key] = [item for b in self.beds for item in json.loads(b.kubeconfig.read_text())[key]]
        self.kubeconfig.write_text(json.dumps(merged, indent=2))
        self.kubeconfig.chmod(0o600)

    @property
    def contexts(self) -> list[str]:
        """The kube contexts, cluster 1 first."""
        return [b.context for b in self.beds]

    @property
    def repo_url(self) -> str:
        """The loopback chart repo (served by cluster 1)."""
        return self.beds[0].repo_url

    def cluster(self, number: int) -> tb.TestBed:
        """Cluster ``number`` (1-based, as in its context name)."""
        return self.beds[number - 1]

    def ca_file(self, number: int) -> Path:
        """The CA that signed cluster ``number``'s API server certificate (and only that one)."""
        return self.cluster(number).workdir / "pki" / "ca.crt"

    def kubectl_run(self, number: int, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """kubectl against cluster ``number`` through the merged kubeconfig."""
        bed = self.cluster(number)
        return tb.run([bed.kubectl, f"--context={bed.context}", *args], env=self.env, check=check)

    def exports(self) -> str:
        """The shell exports of `tests/cluster/up`: the first cluster's, with the merged kubeconfig."""
        lines = self.beds[0].exports().splitlines()
        lines = [f"export KUBECONFIG={self.kubeconfig}" if ln.startswith("export KUBECONFIG=") else ln for ln in lines]
        lines = [f"export FLYTE_TUI_TESTBED_DIR={self.workdir}" if "TESTBED_DIR=" in ln else ln for ln in lines]
        return "\n".join(lines)

    def stop(self, keep_workdir: bool = False) -> None:
        """Stop every cluster (only the processes they started) and remove the workdir."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(self.beds))) as pool:
            list(pool.map(lambda bed: bed.stop(keep_workdir=True), self.beds))  # each waits up to 10 s for SIGTERM
        tb.unregister(self.workdir)
        if not keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
