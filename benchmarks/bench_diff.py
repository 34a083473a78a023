"""Manifest diff of a ~2,000-line release, computed and shown on the review screen (target ≤ 200 ms)."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.app import App

from benchmarks.harness import Result, report
from flyte_tui.release import ReleaseInfo
from flyte_tui.review.diff import manifest_diff, values_diff
from flyte_tui.review.review import Review
from flyte_tui.tui.screens.upgrade_review import ManifestView, UpgradeReviewScreen

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app.kubernetes.io/name: {name}, helm.sh/chart: flyte-core-{version}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app.kubernetes.io/name: {name}}}}}
  template:
    metadata: {{labels: {{app.kubernetes.io/name: {name}}}}}
    spec:
      containers:
      - name: {name}
        image: cr.flyte.org/flyteorg/{name}:{version}
        args: [--config, /etc/flyte/config/*.yaml]
        resources: {{requests: {{cpu: 10m, memory: 50Mi}}, limits: {{cpu: 250m, memory: 500Mi}}}}
        volumeMounts: [{{name: config, mountPath: /etc/flyte/config}}]
      volumes: [{{name: config, configMap: {{name: {name}-config}}}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: {name}-config}}
data:
  db.yaml: |
    database: {{host: {host}, port: 5432, dbname: flyteadmin}}
---
"""


def manifest(objects: int, version: str, host: str, changed_every: int) -> str:
    """About 25 lines per object pair."""
    return "".join(
        DEPLOYMENT.format(
            name=f"component-{i}",
            version=version if i % changed_every == 0 else "v1.16.7",
            replicas=1,
            host=host if i % changed_every == 0 else "db.example.com",
        )
        for i in range(objects)
    )


async def show(review: Review) -> float:
    """Milliseconds from pushing the review screen to the first frame that paints the manifests layer.

    The frame is timed where Textual composes it (the screen's compositor refresh); waiting for the app
    to go idle instead would add Textual's idle-detection sleeps and the Footer's later refresh.
    """
    painted: list[float] = []

    class Timed(UpgradeReviewScreen):
        def _compositor_refresh(self) -> None:
            super()._compositor_refresh()
            view = self.query_one(ManifestView)
            if not painted and view.region.height and view in self._compositor.visible_widgets:
                painted.append(time.perf_counter())

    class Host(App[None]):
        pass

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await app.push_screen(Timed(review))
        await pilot.pause()
        if not painted:
            raise RuntimeError("the manifests layer was never painted")
        return (painted[0] - start) * 1000


def main() -> None:
    """Compute and show the diff a few times; report the median."""
    old = manifest(80, "v1.16.7", "db.example.com", 8)
    new = manifest(80, "v1.16.8", "db2.example.com", 8)
    lines = len(old.splitlines())
    computed, shown = [], []
    for _ in range(5):
        start = time.perf_counter()
        mdiff = manifest_diff(old, new)
        review = Review(
            ReleaseInfo("flyte", "flyte", "flyte-core-v1.16.7", 1, "deployed", ""), [], values_diff({}, {}), mdiff
        )
        computed.append((time.perf_counter() - start) * 1000)
        shown.append(asyncio.run(show(review)))
    print(
        f"  computed {statistics.median(computed):.0f} ms, first shown {statistics.median(shown):.0f} ms "
        f"({len(mdiff.objects)} changed objects)"
    )
    report(
        Result(
            f"manifest diff of a {lines}-line release, computed and shown",
            statistics.median(computed) + statistics.median(shown),
            "ms",
            200.0,
            "target",
        )
    )


if __name__ == "__main__":
    main()
