"""The upgrade flow's core: find the live release, turn it into answers, and review what an upgrade changes.

The review has three layers (answers, values, manifests), secrets redacted, plus warnings when the
chart version changes. The new manifest is what ``helm upgrade --dry-run=server`` would apply; the old
one is ``helm get manifest``. When the helm-diff plugin is installed its list of changed objects is
used as a cross-check: objects only helm-diff reports are checked to change nothing but the chart
label, and any other disagreement is listed (:class:`HelmDiffCheck`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flyte_tui.charts import ImportResult
from flyte_tui.charts.flyte_core.importer import import_values
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.model.plan import InstallPlan
from flyte_tui.review.diff import (
    NOISE_LABELS,
    ChartChangeWarning,
    LeafChange,
    ManifestDiff,
    ValuesDiff,
    answers_diff,
    chart_version_warnings,
    manifest_diff,
    values_diff,
)
from flyte_tui.tools.helm import Helm, HelmError, chart_args, repo_alias, repo_versions


@dataclass(frozen=True)
class ReleaseInfo:
    """A release as ``helm list`` / ``helm status`` describe it."""

    name: str
    namespace: str
    chart: str
    """``flyte-core-v1.16.8``"""
    revision: int
    status: str
    updated: str

    @property
    def chart_version(self) -> str:
        """The chart version part of ``chart`` (``v1.16.8``)."""
        match = re.match(r"^(.*?)-(v?\d+\.\d+\.\d+.*)$", self.chart)
        return match.group(2) if match else ""

    @property
    def pending(self) -> bool:
        """An earlier helm operation did not finish."""
        return self.status.startswith("pending-")


def find_release(helm: Helm, release: str) -> ReleaseInfo | None:
    """The release in the helm adapter's namespace (its newest revision), or None.

    ``helm history`` reads the same on helm 3 and 4 (``helm list --all`` exists only on 3).
    """
    done = helm.run("history", release, "--max", "1", "-o", "json")
    if not done.ok:
        if "not found" in (done.stderr + done.stdout).lower():
            return None
        raise HelmError((done.stderr.strip().splitlines() or ["helm history failed"])[-1])
    entries = json.loads(done.stdout or "[]")
    if not entries:
        return None
    last = entries[-1]
    return ReleaseInfo(
        name=release,
        namespace=helm.namespace,
        chart=str(last.get("chart", "")),
        revision=int(last.get("revision", 0)),
        status=str(last.get("status", "")),
        updated=str(last.get("updated", "")),
    )


def live_values(helm: Helm, release: str, revision: int | None = None) -> dict[str, Any]:
    """The user-supplied values of the release (``helm get values``)."""
    args = ["get", "values", release, "-o", "json"]
    if revision is not None:
        args += ["--revision", str(revision)]
    data = json.loads(helm.check(*args) or "null")
    return data if isinstance(data, dict) else {}


def live_manifest(helm: Helm, release: str, revision: int | None = None) -> str:
    """The release's rendered manifest (``helm get manifest``)."""
    args = ["get", "manifest", release]
    if revision is not None:
        args += ["--revision", str(revision)]
    return helm.check(*args)


def live_answers(helm: Helm, info: ReleaseInfo) -> ImportResult:
    """The live release as an answers file (unknown keys under extraValues, and listed)."""
    result = import_values(live_values(helm, info.name), release=info.name, namespace=info.namespace)
    return result


def drift(saved: dict[str, Any], live: dict[str, Any]) -> list[LeafChange]:
    """Where a saved answers file and the live release's answers disagree (old = saved, new = live).

    The saved answers go through the same path as the live ones (render, then import), so only real
    differences show; the target (context, chart) is left out: it says where, not what.
    """
    from flyte_tui.charts import validate_answers

    result = validate_answers(saved)
    if result.plan is None:
        normal = saved
    else:
        t = result.plan.target
        normal = import_values(
            render_values(result.plan), environment=result.plan.environment, release=t.release, namespace=t.namespace
        ).answers
    strip = {"target", "apiVersion", "kind"}
    return answers_diff(
        _answers_view({k: v for k, v in normal.items() if k not in strip}),
        _answers_view({k: v for k, v in live.items() if k not in strip}),
    )


def chart_versions(helm: Helm, plan: InstallPlan) -> list[str]:
    """Versions the plan's chart repository offers, newest first."""
    chart = plan.target.chart
    if not chart.repo:
        return [chart.version] if chart.version else []
    return repo_versions(helm, chart.repo, chart.name)


def chart_defaults(helm: Helm, plan: InstallPlan, version: str) -> dict[str, Any]:
    """The chart's default values at a version (``helm show values``)."""
    alias = bool(plan.target.chart.repo)
    data = load_plain(helm.check("show", "values", *chart_args(plan, alias, version), scoped=False))
    return data if isinstance(data, dict) else {}


def dry_run_manifest(helm: Helm, plan: InstallPlan, values_file: Path, helm_major: int) -> str:
    """What ``helm upgrade`` would apply, rendered by the server-side dry run.

    ``--install``: without it helm refuses a release that does not exist yet ("has no deployed
    releases"), and ``flyte-tui diff`` before the first install shows every object as added.
    """
    t = plan.target
    args = [
        "upgrade",
        "--install",
        t.release,
        *chart_args(plan, bool(t.chart.repo)),
        "--values",
        str(values_file),
        "--dry-run=server",
        "-o",
        "json",
    ]
    data = json.loads(helm.check(*args, timeout=180) or "{}")
    return str(data.get("manifest", ""))


_HELM_DIFF_HEADER = re.compile(
    r"^(?P<ns>[^,\s]*), (?P<name>[^,\s]+), (?P<kind>\w+) \([^)]*\) "
    r"(?P<what>has changed|has been added|has been removed)"
)
_NOISE_LINE = re.compile(r"^[-+]\s*(?:" + "|".join(re.escape(label) for label in NOISE_LABELS) + r")\s*:")


def parse_helm_diff(text: str) -> dict[str, tuple[str, ...]]:
    """helm-diff's output as ``{"Kind/name": the +/- lines under its header}``.

    The format: a ``<namespace>, <name>, <Kind> (<group>) has changed:`` header (or ``has been added`` /
    ``has been removed``) per object, then its diff lines (``...`` between hunks with ``--context 0``).
    """
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        match = _HELM_DIFF_HEADER.match(raw.strip())
        if match:
            current = found.setdefault(f"{match['kind']}/{match['name']}", [])
        elif current is not None and raw[:1] in ("+", "-"):
            current.append(raw)
    return {key: tuple(lines) for key, lines in found.items()}


def only_chart_label(lines: Sequence[str]) -> bool:
    """Whether helm-diff's lines for an object change nothing but the chart-version label (and it showed some)."""
    return bool(lines) and all(_NOISE_LINE.match(line) for line in lines)


@dataclass(frozen=True)
class HelmDiffCheck:
    """helm-diff's list of changed objects against flyte-tui's (``Kind/name``, sorted)."""

    label_only: tuple[str, ...] = ()
    """Reported by helm-diff only, and its lines there change nothing but the chart-version label."""
    helm_diff_only: tuple[str, ...] = ()
    """Reported by helm-diff only, for any other reason (or one its output did not show)."""
    ours_only: tuple[str, ...] = ()
    """Reported by flyte-tui, not by helm-diff."""

    @property
    def agrees(self) -> bool:
        """Both report the same objects, apart from chart-label-only changes flyte-tui leaves out."""
        return not self.helm_diff_only and not self.ours_only

    def summary(self, limit: int = 8) -> str:
        """One sentence for the review: agreement, or which objects only one side reports."""
        label = f"{len(self.label_only)} objects differ only in the chart label"
        if self.agrees:
            return f"helm-diff agrees ({label})."
        parts = []
        if self.helm_diff_only:
            parts.append(f"reported by helm-diff only: {_names(self.helm_diff_only, limit)}")
        if self.ours_only:
            parts.append(f"not reported by helm-diff: {_names(self.ours_only, limit)}")
        return f"helm-diff disagrees: {'; '.join(parts)} ({label})."


def _names(keys: tuple[str, ...], limit: int) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def compare_helm_diff(reported: Mapping[str, Sequence[str]], ours: set[str]) -> HelmDiffCheck:
    """Compare helm-diff's objects and their lines (:func:`parse_helm_diff`) with the objects flyte-tui reports."""
    extra = sorted(set(reported) - ours)
    return HelmDiffCheck(
        label_only=tuple(k for k in extra if only_chart_label(reported[k])),
        helm_diff_only=tuple(k for k in extra if not only_chart_label(reported[k])),
        ours_only=tuple(sorted(ours - set(reported))),
    )


def helm_diff_objects(
    helm: Helm, plan: InstallPlan, values_file: Path, helm_major: int
) -> dict[str, tuple[str, ...]] | None:
    """Every object helm-diff says changes, with its diff lines (:func:`parse_helm_diff`), or None when
    the plugin is not installed."""
    if not helm.run("diff", "version", scoped=False, timeout=20).ok:
        return None
    t = plan.target
    args = [
        "diff",
        "upgrade",
        t.release,
        *chart_args(plan, bool(t.chart.repo)),
        "--values",
        str(values_file),
        "--no-color",
        "--context",
        "0",
    ]
    if helm_major >= 4:
        args += ["--disable-validation", "--dry-run=server"]
    done = helm.run(*args, timeout=180)
    if not done.ok:
        raise HelmError(f"helm diff failed: {(done.stderr.strip().splitlines() or [''])[-1]}")
    return parse_helm_diff(done.stdout)


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


def review(helm: Helm, plan: InstallPlan, values_file: Path, helm_major: int) -> Review:
    """Build the three-layer review of upgrading the live release to ``plan`` (values already written).

    Both sides' answers come from the same importer (live values, new values), so an answer shows as
    changed only when it really differs.
    """
    info = find_release(helm, plan.target.release)
    new_values = render_values(plan)
    new_manifest = dry_run_manifest(helm, plan, values_file, helm_major)
    if info is None:
        return Review(None, [], values_diff({}, new_values), manifest_diff("", new_manifest))
    old_values = live_values(helm, info.name)
    hints = {"release": info.name, "namespace": info.namespace, "environment": plan.environment}
    old_answers = import_values(old_values, **hints).answers
    new_answers = import_values(new_values, **hints).answers
    mdiff = manifest_diff(live_manifest(helm, info.name), new_manifest)
    warnings: list[ChartChangeWarning] = []
    if plan.target.chart.version and info.chart_version and plan.target.chart.version != info.chart_version:
        warnings = chart_version_warnings(
            chart_defaults(helm, plan, info.chart_version),
            chart_defaults(helm, plan, plan.target.chart.version),
            new_values,
        )
    reported = helm_diff_objects(helm, plan, values_file, helm_major)
    ours = {str(o.key) for o in mdiff.objects}
    noise = list(compare_helm_diff(reported, ours).label_only) if reported is not None else []
    return Review(
        info,
        answers_diff(_answers_view(old_answers), _answers_view(new_answers)),
        values_diff(old_values, new_values),
        mdiff,
        warnings,
        set(reported) if reported is not None else None,
        noise,
    )


def _answers_view(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers as plain comparable data (YAML round trip normalises numbers and quoting)."""
    data = load_plain(dump(answers))
    return data if isinstance(data, dict) else {}


@dataclass
class Recovery:
    """How to get a release out of a pending-* state, and what that changes."""

    state: str
    description: str
    """What the interrupted operation was, when, and what it had applied."""
    argv: list[str]
    diff: ManifestDiff
    target_revision: int | None
    """The revision a rollback returns to (None: uninstall)."""


def recovery(helm: Helm, release: str) -> Recovery | None:
    """The guided recovery for a stuck release, or None when the release is not stuck."""
    history = helm.history(release)
    if not history:
        return None
    last = history[-1]
    state = str(last.get("status", ""))
    if not state.startswith("pending-"):
        return None
    revision = int(last.get("revision", 0))
    description = (
        f"revision {revision} ({last.get('chart', '?')}) has been {state} since {last.get('updated', '?')}: "
        f"{last.get('description', '')}".strip()
    )
    back = None if state == "pending-install" else _back_to_earlier(helm, release, history, state, description)
    if back is not None:
        return back
    applied = live_manifest(helm, release, revision)
    return Recovery(state, description, helm.argv("uninstall", release), manifest_diff(applied, ""), None)


def rollback_offer(helm: Helm, release: str) -> Recovery | None:
    """How to return a release to the revision before its last one, with what that changes (None when
    there is no earlier revision to return to). For an upgrade that failed with rollback on failure off."""
    history = helm.history(release)
    if not history:
        return None
    last = history[-1]
    state = str(last.get("status", ""))
    description = f"revision {last.get('revision', '?')} ({last.get('chart', '?')}) is {state or '?'}"
    return _back_to_earlier(helm, release, history, state, description)


def _back_to_earlier(
    helm: Helm, release: str, history: Sequence[Mapping[str, Any]], state: str, description: str
) -> Recovery | None:
    """A rollback from the last revision to the newest earlier one that was deployed (None: there is none)."""
    earlier = [h for h in history[:-1] if str(h.get("status")) in ("deployed", "superseded")]
    if not earlier:
        return None
    revision, target = int(history[-1].get("revision", 0)), int(earlier[-1]["revision"])
    return Recovery(
        state,
        description,
        helm.argv("rollback", release, str(target)),
        manifest_diff(live_manifest(helm, release, revision), live_manifest(helm, release, target)),
        target,
    )


def review_plan(plan: InstallPlan, helm: Helm) -> Review:
    """The review of upgrading to ``plan``, end to end: helm's version, the repository, a private values
    file (removed afterwards), then :func:`review`. Raises HelmError / ProcessError on tool failures."""
    import shutil
    import tempfile

    from flyte_tui.files.values import write_values_file

    major, _ = helm.version()
    chart = plan.target.chart
    if chart.repo:
        helm.check("repo", "add", repo_alias(chart.repo), chart.repo, "--force-update", scoped=False)
    tmp = Path(tempfile.mkdtemp(prefix="flyte-tui-review-"))
    try:
        values = tmp / "values.yaml"
        write_values_file(plan, values)
        return review(helm, plan, values, major)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
