"""The one upgrade sequence both faces drive, as small steps that each return a typed event:

1. :func:`find_live` — find the live release: none (:class:`NoRelease`), stuck in pending-* with its fix
   (:class:`StuckRelease`), or found (:class:`LiveRelease`);
2. :func:`fix_stuck` — run the fix of a stuck release when the user chose to (:class:`FixDone`);
3. :func:`read_live` — the live release as answers and where a saved answers file disagrees (:class:`LiveAnswers`);
4. :func:`review_upgrade` — the three-layer review, the values rendered once (:class:`Reviewed`);
5. :func:`apply_upgrade` — the install of the reviewed releases, with rollback on failure as the options say.

The faces decide between the steps: the headless ``flyte-tui upgrade`` from its flags (``--recover``,
``--yes``), the wizard from its dialogs (recovery, drift, review) and the answers the user edits after
step 3. :func:`upgrade_until_review` chains steps 1, 2 and 4 for a face that decides up front.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flyte_tui import tree
from flyte_tui.charts import PlannedRelease, flyte_release, plan_releases
from flyte_tui.install import Installer, InstallOptions
from flyte_tui.model.plan import InstallPlan
from flyte_tui.release import (
    ReleaseFix,
    ReleaseInfo,
    describe_release,
    find_release,
    live_answers,
    run_fix,
    stuck_release_fix,
)
from flyte_tui.review.clusters import change_lines, changes_in
from flyte_tui.review.diff import LeafChange, answers_diff
from flyte_tui.review.review import Review, answers_view, review_plan
from flyte_tui.tools.helm import Helm


@dataclass(frozen=True)
class NoRelease:
    """There is no release to upgrade."""

    release: str
    namespace: str

    @property
    def message(self) -> str:
        """What to tell the user."""
        return f"no release {self.release} in namespace {self.namespace}"


@dataclass(frozen=True)
class LiveRelease:
    """The live release, ready to upgrade (it may be failed: upgrading applies the answers again)."""

    info: ReleaseInfo

    def lines(self) -> list[str]:
        """The release in one line and, when it is not deployed, what its state means."""
        line, meaning = describe_release(self.info)
        return [line, *([f"  {meaning}"] if meaning else [])]


@dataclass(frozen=True)
class StuckRelease(LiveRelease):
    """The live release is stuck in pending-*: nothing can upgrade it before its fix ran."""

    fix: ReleaseFix

    def fix_lines(self) -> list[str]:
        """What is stuck, the command that frees it, and the objects that command changes."""
        from flyte_tui.tools.helm import display

        fix = self.fix
        return [
            f"Release {self.info.name} is stuck: {fix.description}",
            *([f"Not now: {fix.busy}"] if fix.busy else []),
            f"Recovery: {display(fix.argv)}",
            *(f"  recovery {obj.change} {obj.key}" for obj in fix.diff.objects),
            *([f"Last resort (destructive): {display(fix.last_resort)}"] if fix.last_resort else []),
        ]


@dataclass(frozen=True)
class FixDone:
    """The fix of a stuck release ran; ``error`` says what went wrong ("" when it worked)."""

    fix: ReleaseFix
    error: str = ""

    @property
    def ok(self) -> bool:
        """The release is out of its pending-* state."""
        return not self.error

    @property
    def upgradable(self) -> bool:
        """The release is deployed again (rolled back), so the upgrade can go on; an uninstalled one cannot."""
        return self.ok and self.fix.target_revision is not None


@dataclass(frozen=True)
class LiveAnswers:
    """The live release read into answers, and where a saved answers file disagrees with it."""

    info: ReleaseInfo
    answers: dict[str, Any]
    kept: tuple[str, ...] = ()
    """Values keys the answers do not model, kept under extraValues."""
    saved: dict[str, Any] | None = None
    """The saved answers file (None: there is none, or it could not be read)."""
    drift: list[LeafChange] = field(default_factory=list)
    """Where the saved answers and the live ones disagree (old = saved, new = live)."""

    @property
    def note(self) -> str:
        """What was read: ``loaded flyte (flyte-core-v1.16.8, revision 3)``, and what was kept aside."""
        kept = f"; kept under extraValues: {', '.join(self.kept)}" if self.kept else ""
        return f"loaded {self.info.name} ({self.info.chart}, revision {self.info.revision}){kept}"


@dataclass(frozen=True)
class ClusterReview:
    """The review of one cluster's release: a data plane's, or the control plane's."""

    release: PlannedRelease
    review: Review

    @property
    def title(self) -> str:
        """``data plane dp1 (context east): release flyte, new: to install`` / ``control plane (context …): …``."""
        r = self.release
        cluster = f"data plane {r.data_plane}" if r.data_plane else "control plane"
        state = "" if self.review.release is not None else ", new: to install"
        return f"{cluster} (context {r.context or 'current'}): release {r.release} in {r.namespace}{state}"


@dataclass(frozen=True)
class Reviewed:
    """What the upgrade changes, and the releases (values rendered once) it will apply."""

    review: Review
    """The control plane's (Flyte's own release; the only one without data planes)."""
    releases: Sequence[PlannedRelease]
    clusters: tuple[ClusterReview, ...] = ()
    """Every cluster's review when the plan has data planes, in upgrade order: the data planes, then the control
    plane (empty for one cluster: :attr:`review` is all)."""
    notes: tuple[str, ...] = ()
    """What adding or removing data planes means beyond the diffs (credentials keys, releases left in place)."""

    @property
    def has_changes(self) -> bool:
        """Anything at all would change, on any cluster."""
        return any(c.review.has_changes for c in self.clusters) or self.review.has_changes

    def to_json(self) -> dict[str, Any]:
        """The control plane's review as JSON (one cluster's alone, as before data planes), with every cluster's
        under ``clusters`` (``dataPlane`` "" for the control plane) and ``notes`` when there are data planes."""
        data = self.review.to_json()
        if not self.clusters and not self.notes:
            return data
        clusters = [
            {"title": c.title, "dataPlane": c.release.data_plane, "context": c.release.context, **c.review.to_json()}
            for c in self.clusters
        ]
        return {**data, "changes": self.has_changes, "clusters": clusters, "notes": list(self.notes)}


UpgradeEvent = NoRelease | LiveRelease | StuckRelease | FixDone | LiveAnswers | Reviewed


# -- the steps --------------------------------------------------------------------------------------


def find_live(helm: Helm, release: str) -> NoRelease | LiveRelease | StuckRelease:
    """Step 1: the live release, with the fix it needs first when it is stuck in pending-*."""
    info = find_release(helm, release)
    if info is None:
        return NoRelease(release, helm.namespace)
    if info.pending:
        fix = stuck_release_fix(helm, info.name)
        if fix is not None:
            return StuckRelease(info, fix)
    return LiveRelease(info)


def fix_stuck(fix: ReleaseFix, cancel: threading.Event | None = None, env: Mapping[str, str] | None = None) -> FixDone:
    """Step 2: run the fix of a stuck release (raises ProcessError when helm cannot run or is cancelled)."""
    return FixDone(fix, run_fix(fix, cancel, env))


def read_live(helm: Helm, info: ReleaseInfo, saved_path: Path | None = None) -> LiveAnswers:
    """Step 3: the live release as answers, and their drift from the saved answers file (when there is one).

    helm does not record where a release's chart came from: the chart source (repository, path or OCI
    reference) is the saved answers' (none when there are none: :attr:`LiveAnswers.source_known` says so);
    the chart's name and version are the release's. The answers hold only what differs from the defaults
    (:func:`without_defaults`): a chart default stays a default.
    """
    result = live_answers(helm, info)
    saved: dict[str, Any] | None = None
    if saved_path is not None and saved_path.exists():
        from flyte_tui.files.answers import load_answers

        try:
            saved = load_answers(saved_path)
        except Exception:  # an unreadable saved file: continue from the live release
            saved = None
    answers = dict(result.answers)
    target = answers.get("target")
    answers["target"] = {**(target if isinstance(target, dict) else {}), "chart": live_chart(info, saved)}
    answers = without_defaults(answers)
    changes = drift(saved, answers) if saved is not None else []
    return LiveAnswers(info, answers, tuple(result.leftovers), saved, changes)


CHART_SOURCES = ("repo", "path", "oci")
"""The keys of ``target.chart`` that say where a chart comes from (exactly one is set)."""


def live_chart(info: ReleaseInfo, saved: Mapping[str, Any] | None) -> dict[str, str]:
    """``target.chart`` of a live release: its chart's name and version (helm records them) and the saved
    answers' source (helm does not record it; none without saved answers)."""
    found = tree.get(saved or {}, ("target", "chart"))
    chart = found if isinstance(found, Mapping) else {}
    version = info.chart_version
    name = info.chart[: -len(version) - 1] if version and info.chart.endswith("-" + version) else info.chart
    source = {k: str(chart[k]) for k in CHART_SOURCES if isinstance(chart.get(k), str) and chart[k]}
    return {**source, "name": name or str(chart.get("name") or ""), "version": version}


KEPT_AS_GIVEN = ("apiVersion", "kind", "target", "environment", "extraValues")
"""Answers :func:`without_defaults` never removes: where the release goes, its environment, extra values."""


def without_defaults(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without what their defaults (the chart's, the model's, the environment's preset) already
    give: an answer goes when leaving it out changes neither the rendered values nor the plan. Answers that
    do not validate are returned as they are."""
    import copy

    def outcome(candidate: dict[str, Any]) -> tuple[Any, ...] | None:
        from flyte_tui.charts import validate_answers
        from flyte_tui.model.plan import DEFAULT_REPO

        chart = tree.get(candidate, ("target", "chart"))
        if isinstance(chart, dict) and not any(chart.get(k) for k in CHART_SOURCES):
            # a live release without saved answers: its source is not known, and does not change the values
            candidate = copy.deepcopy(candidate)
            tree.put(candidate, ("target", "chart", "repo"), DEFAULT_REPO)
        checked = validate_answers(candidate)
        if not checked.ok or checked.plan is None:
            return None
        plan = checked.plan.model_dump(mode="json")
        plan.pop("resources", None)  # the chart's defaults live in the values, not in the model
        return tuple(r.values for r in plan_releases(checked.plan)), plan

    wanted = outcome(answers)
    if wanted is None:
        return answers
    kept = copy.deepcopy(answers)

    def visit(path: tree.Path) -> None:
        nonlocal kept
        candidate = copy.deepcopy(kept)
        tree.delete(candidate, path)
        if outcome(candidate) == wanted:
            kept = candidate
            return
        node = tree.get(kept, path)
        if isinstance(node, dict):
            for key in list(node):
                visit((*path, key))

    for key in list(kept):
        if key not in KEPT_AS_GIVEN:
            visit((key,))
    return kept


def drift(saved: dict[str, Any], live: dict[str, Any]) -> list[LeafChange]:
    """Where a saved answers file and the live release's answers disagree (old = saved, new = live).

    The saved answers go through the same path as the live ones (render, then import), so only real
    differences show. The target is compared too (release, namespace, the chart's name and version, its
    source when the live answers have one); only the kube context is left out: it is where the user looks.
    """
    strip = {"target", "apiVersion", "kind"}
    normal_saved, saved_target = _normal(saved)
    normal_live, _ = _normal(live)
    changes = answers_diff(
        answers_view({k: v for k, v in normal_saved.items() if k not in strip}),
        answers_view({k: v for k, v in normal_live.items() if k not in strip}),
    )
    return target_drift(saved_target, live) + changes


def _normal(answers: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Answers as reading their rendered values back gives them (every default spelt out), and their target
    with the model's defaults; answers that do not validate as they are."""
    from flyte_tui.charts import validate_answers

    result = validate_answers(answers)
    if result.plan is None:
        return answers, answers.get("target")
    t = result.plan.target
    planned = flyte_release(plan_releases(result.plan))
    imported = planned.profile.import_values(
        planned.values, environment=result.plan.environment, release=t.release, namespace=t.namespace
    )
    return imported.answers, t.model_dump()


def target_drift(saved_target: Any, live: Mapping[str, Any]) -> list[LeafChange]:
    """Where the saved target and the live release's disagree (each key the live answers know)."""
    keys: list[tree.Path] = [("namespace",), ("release",)]
    keys += [("chart", k) for k in ("name", "version", *CHART_SOURCES)]
    changes: list[LeafChange] = []
    for key in keys:
        path = ("target", *key)
        if not tree.has(live, path):
            continue
        old, new = tree.get(saved_target, key, ""), tree.get(live, path)
        if (old or "") != (new or ""):
            changes.append(LeafChange(tree.dotted(path), "changed", old, new))
    return changes


def review_upgrade(plan: InstallPlan, helm: Helm, releases: Sequence[PlannedRelease] | None = None) -> Reviewed:
    """Step 4: what upgrading to ``plan`` changes (the plan's values rendered once, for the review and the
    install after it; pass ``releases`` when they are rendered already). With data planes, every cluster's
    release is reviewed on its own context, data planes first (a new one's release shows as one to install),
    and what the added and removed data planes mean is said in :attr:`Reviewed.notes`. Raises HelmError /
    ProcessError on tool failures."""
    releases = list(releases) if releases is not None else plan_releases(plan)
    control = flyte_release(releases)
    planes = [r for r in releases if r.data_plane and not r.serves]
    if not planes:  # one cluster (or the last data plane removed: its notes say so)
        single = review_plan(plan, helm, control)
        return Reviewed(single, releases, notes=cluster_notes(plan, single))
    clusters = [ClusterReview(r, review_plan(plan, replace(helm, context=r.context), r)) for r in planes]
    clusters.append(ClusterReview(control, review_plan(plan, helm, control)))
    return Reviewed(clusters[-1].review, releases, tuple(clusters), cluster_notes(plan, clusters[-1].review))


def cluster_notes(plan: InstallPlan, control: Review) -> tuple[str, ...]:
    """What the control plane's values diff says about data planes added and removed, as lines (empty when the
    clusters flyteadmin sends executions to stay the same)."""
    contexts = {p.name: p.context for p in plan.data_planes}
    changes = changes_in(control.values.changes, contexts)
    return tuple(change_lines(changes, plan.target.release, plan.target.namespace))


def apply_upgrade(
    plan: InstallPlan, options: InstallOptions, cancel: threading.Event | None, reviewed: Reviewed | None = None
) -> Installer:
    """Step 5: the install of the reviewed releases (rollback on failure as ``options`` say)."""
    return Installer(plan, options, cancel, reviewed.releases if reviewed is not None else None)


def upgrade_until_review(
    plan: InstallPlan, helm: Helm, recover: bool, found: NoRelease | LiveRelease | StuckRelease | None = None
) -> Iterator[NoRelease | LiveRelease | StuckRelease | FixDone | Reviewed]:
    """Steps 1, 2 and 4 for a face that decides up front: the release found (or not; pass ``found`` when step 1
    ran already), its fix when it is stuck and ``recover`` says to run it, then the review. The sequence stops
    after an event that ends it (no release, a stuck release not to recover, a fix that failed)."""
    found = found if found is not None else find_live(helm, plan.target.release)
    yield found
    if isinstance(found, NoRelease):
        return
    if isinstance(found, StuckRelease):
        if not recover:
            return
        done = fix_stuck(found.fix, helm.cancel, helm.env)
        yield done
        if not done.ok:
            return
    yield review_upgrade(plan, helm)
