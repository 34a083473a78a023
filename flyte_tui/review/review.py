"""The review of an upgrade: three layers (answers, values, manifests), secrets redacted, plus warnings
when the chart version changes and the helm-diff cross-check.

The new manifest is what ``helm upgrade --dry-run=server`` would apply; the old one is ``helm get
manifest``. Both sides' answers are read through the same importer, so an answer shows as changed only
when it really differs.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flyte_tui.charts import PlannedRelease, flyte_release, plan_releases
from flyte_tui.files.values import write_values
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.model.plan import InstallPlan
from flyte_tui.release import ReleaseInfo, find_release, live_manifest, live_values
from flyte_tui.review.diff import (
    ChartChangeWarning,
    LeafChange,
    ManifestDiff,
    ValuesDiff,
    answers_diff,
    chart_version_warnings,
    manifest_diff,
    values_diff,
)
from flyte_tui.review.helm_diff import HelmDiffCheck, compare_helm_diff, helm_diff_objects
from flyte_tui.tools import output
from flyte_tui.tools.helm import Helm, chart_args, option


@dataclass
class Review:
    """Everything the review screen (and ``flyte-tui diff``) shows before an upgrade."""

    release: ReleaseInfo | None
    answers: list[LeafChange]
    values: ValuesDiff
    manifests: ManifestDiff
    warnings: list[ChartChangeWarning] = field(default_factory=list)
    helm_diff: set[str] | None = None
    """Objects helm-diff reported (None: plugin not installed)."""
    noise_only: list[str] = field(default_factory=list)
    """Objects only helm-diff reported whose lines there change nothing but the chart-version label."""

    def helm_diff_check(self) -> HelmDiffCheck | None:
        """helm-diff's objects against ours (None: plugin not installed); see :class:`HelmDiffCheck`."""
        if self.helm_diff is None:
            return None
        ours = {str(o.key) for o in self.manifests.objects}
        extra = self.helm_diff - ours
        noise = extra & set(self.noise_only)
        return HelmDiffCheck(tuple(sorted(noise)), tuple(sorted(extra - noise)), tuple(sorted(ours - self.helm_diff)))

    @property
    def has_changes(self) -> bool:
        """Anything at all would change."""
        return bool(self.manifests) or bool(self.values) or self.release is None

    def to_json(self) -> dict[str, Any]:
        """The review as JSON (secret values never included)."""
        check = self.helm_diff_check()
        return {
            "release": None
            if self.release is None
            else {
                "name": self.release.name,
                "namespace": self.release.namespace,
                "chart": self.release.chart,
                "revision": self.release.revision,
                "status": self.release.status,
            },
            "changes": self.has_changes,
            "answers": [c.__dict__ for c in self.answers],
            "values": [c.__dict__ for c in self.values.changes],
            "manifests": [
                {
                    "kind": o.key.kind,
                    "name": o.key.name,
                    "change": o.change,
                    "diff": list(o.lines),
                    "secretKeys": [{"key": k, "change": s} for k, s in o.secret_keys],
                }
                for o in self.manifests.objects
            ],
            "counts": self.manifests.counts,
            "warnings": [w.__dict__ for w in self.warnings],
            "helmDiff": sorted(self.helm_diff) if self.helm_diff is not None else None,
            "noiseOnly": self.noise_only,
            "helmDiffCheck": None
            if check is None
            else {
                "agrees": check.agrees,
                "helmDiffOnly": list(check.helm_diff_only),
                "notInHelmDiff": list(check.ours_only),
            },
        }


def chart_default_values(helm: Helm, release: PlannedRelease, version: str) -> dict[str, Any]:
    """The chart's default values at a version (``helm show values``)."""
    data = load_plain(helm.check("show", "values", *chart_args(release, version), scoped=False))
    return data if isinstance(data, dict) else {}


def dry_run_manifest(helm: Helm, release: PlannedRelease, values_file: Path) -> str:
    """What ``helm upgrade`` would apply, rendered by the server-side dry run.

    ``--install``: without it helm refuses a release that does not exist yet ("has no deployed
    releases"), and ``flyte-tui diff`` before the first install shows every object as added.
    """
    args = [
        "upgrade",
        "--install",
        release.release,
        *chart_args(release),
        *option("--values", str(values_file)),
        "--dry-run=server",
        "-o",
        "json",
    ]
    data = output.json_object(helm.check(*args, timeout=180), "helm upgrade --dry-run=server", output.HelmDryRun)
    return str(data.get("manifest", ""))


def answers_view(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as plain comparable data (YAML round trip normalises numbers and quoting)."""
    data = load_plain(dump(answers))
    return data if isinstance(data, dict) else {}


def review(
    helm: Helm, plan: InstallPlan, values_file: Path, helm_major: int, release: PlannedRelease | None = None
) -> Review:
    """Build the three-layer review of upgrading the live release to ``plan`` (values already written).

    ``release`` is the plan's release with its values rendered once (by :func:`plan_releases` when not
    given); its chart's profile reads both sides' values back into answers.
    """
    planned = release or flyte_release(plan_releases(plan))
    info = find_release(helm, planned.release)
    new_values = planned.values
    new_manifest = dry_run_manifest(helm, planned, values_file)
    if info is None:
        return Review(None, [], values_diff({}, new_values), manifest_diff("", new_manifest))
    old_values = live_values(helm, info.name)
    hints = {"release": info.name, "namespace": info.namespace, "environment": plan.environment}
    old_answers = planned.profile.import_values(old_values, **hints).answers
    new_answers = planned.profile.import_values(new_values, **hints).answers
    mdiff = manifest_diff(live_manifest(helm, info.name), new_manifest)
    warnings: list[ChartChangeWarning] = []
    wanted = planned.chart.version
    if wanted and info.chart_version and wanted != info.chart_version:
        warnings = chart_version_warnings(
            chart_default_values(helm, planned, info.chart_version),
            chart_default_values(helm, planned, wanted),
            new_values,
        )
    reported = helm_diff_objects(helm, planned, values_file, helm_major)
    ours = {str(o.key) for o in mdiff.objects}
    noise = list(compare_helm_diff(reported, ours).label_only) if reported is not None else []
    return Review(
        info,
        answers_diff(answers_view(old_answers), answers_view(new_answers)),
        values_diff(old_values, new_values),
        mdiff,
        warnings,
        set(reported) if reported is not None else None,
        noise,
    )


def review_plan(plan: InstallPlan, helm: Helm, release: PlannedRelease | None = None) -> Review:
    """The review of upgrading to ``plan``, end to end: helm's version, a private values file (removed
    afterwards), then :func:`review` (helm reads a repository chart with ``--repo``: the user's helm
    repositories are not changed). Raises HelmError / ProcessError on tool failures."""
    planned = release or flyte_release(plan_releases(plan))
    major, _ = helm.version()
    tmp = Path(tempfile.mkdtemp(prefix="flyte-tui-review-"))
    try:
        values = tmp / "values.yaml"
        write_values((planned.values, planned.profile.is_owned), values)
        return review(helm, plan, values, major, planned)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
