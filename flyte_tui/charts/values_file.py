"""The values files of a whole plan: its releases rendered once by their charts' profiles, then merged and
written by :mod:`flyte_tui.files.values` (which never renders).

For callers that hold only a plan (``flyte-tui render``, scripts, tests); a caller that already holds the
plan's :class:`~flyte_tui.charts.PlannedRelease` passes its values to :mod:`flyte_tui.files.values` itself.
Flyte's values go to the path given; a dependency release's beside it (:meth:`PlannedRelease.values_path`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flyte_tui.charts import PlannedRelease, flyte_release, plan_releases
from flyte_tui.files.values import Rendered, WrittenValues, values_text, write_values

if TYPE_CHECKING:
    from flyte_tui.model.plan import InstallPlan


def rendered(release: PlannedRelease) -> Rendered:
    """A release's values as the values file takes them: the values and its chart's owned-keys predicate."""
    return release.values, release.profile.is_owned


def render_text(plan: InstallPlan, existing: str | None = None, source: str = "flyte-tui.yaml") -> str:
    """The values file text of ``plan``'s Flyte release: fresh, or merged into ``existing`` text."""
    return values_text(rendered(flyte_release(plan_releases(plan))), existing, source)


def write_values_file(plan: InstallPlan, path: Path, source: str = "flyte-tui.yaml") -> WrittenValues:
    """Render ``plan`` once and write its Flyte values file (merged into what is there, atomic, ``.bak`` kept).

    Raises ``yamlio.UnmergeableFile`` (an ``OSError``) when ``path`` holds something that is not YAML."""
    return write_values(rendered(flyte_release(plan_releases(plan))), Path(path), source)


def write_release_files(
    plan: InstallPlan, path: Path, source: str = "flyte-tui.yaml"
) -> list[tuple[PlannedRelease, WrittenValues]]:
    """Render ``plan`` once and write the values file of every release, in install order: Flyte's at ``path``,
    a dependency release's beside it (``flyte-values.yaml`` → ``flyte-values-deps.yaml``).

    Flyte's file is written first: when it cannot be, nothing else is written. Raises as
    :func:`write_values_file`."""
    releases = plan_releases(plan)
    flyte = flyte_release(releases)
    written = {id(flyte): write_values(rendered(flyte), Path(path), source)}
    for release in releases:
        if release is not flyte:
            written[id(release)] = write_values(rendered(release), release.values_path(Path(path)), source)
    return [(release, written[id(release)]) for release in releases]
