"""The values file of a whole plan: its release rendered once by the chart's profile, then merged and
written by :mod:`flyte_tui.files.values` (which never renders).

For callers that hold only a plan (``flyte-tui render``, scripts, tests); a caller that already holds the
plan's :class:`~flyte_tui.charts.PlannedRelease` passes its values to :mod:`flyte_tui.files.values` itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flyte_tui.charts import PlannedRelease, plan_releases
from flyte_tui.files.values import Rendered, WrittenValues, values_text, write_values

if TYPE_CHECKING:
    from flyte_tui.model.plan import InstallPlan


def rendered(release: PlannedRelease) -> Rendered:
    """A release's values as the values file takes them: the values and its chart's owned-keys predicate."""
    return release.values, release.profile.is_owned


def render_text(plan: InstallPlan, existing: str | None = None, source: str = "flyte-tui.yaml") -> str:
    """The values file text of ``plan`` (its first release): fresh, or merged into ``existing`` text."""
    return values_text(rendered(plan_releases(plan)[0]), existing, source)


def write_values_file(plan: InstallPlan, path: Path, source: str = "flyte-tui.yaml") -> WrittenValues:
    """Render ``plan`` once and write its values file (merged into what is there, atomic, ``.bak`` kept).

    Raises ``yamlio.UnmergeableFile`` (an ``OSError``) when ``path`` holds something that is not YAML."""
    return write_values(rendered(plan_releases(plan)[0]), Path(path), source)
