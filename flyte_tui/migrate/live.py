"""The answers of a live flyte-binary release (no answers file at hand): its values read back through the
flyte-binary importer, the chart version taken from the release, ready for :func:`migrate_answers`."""

from __future__ import annotations

from typing import Any

from flyte_tui import tree
from flyte_tui.charts import profile_named
from flyte_tui.migrate.answers import BINARY, MigrationError
from flyte_tui.release import find_release, live_answers
from flyte_tui.tools.helm import Helm


def live_binary_answers(helm: Helm, release: str, context: str = "") -> tuple[dict[str, Any], list[str]]:
    """(answers, values paths kept under extraValues) of the flyte-binary ``release`` in the helm adapter's
    namespace; raises :class:`MigrationError` when it is not a flyte-binary release (HelmError / ProcessError when
    the cluster cannot be read)."""
    info = find_release(helm, release)
    if info is None or not info.chart.startswith(BINARY + "-"):
        found = "not found" if info is None else f"its chart is {info.chart}"
        raise MigrationError(f"release {release}: {found}; migrate accepts a flyte-binary release")
    imported = live_answers(helm, info, profile_named(BINARY))
    answers = imported.answers
    tree.put(answers, ("target", "release"), info.name)
    tree.put(answers, ("target", "namespace"), info.namespace)
    if context:
        tree.put(answers, ("target", "context"), context)
    tree.put(answers, ("target", "chart", "version"), info.chart[len(BINARY) + 1 :])
    return answers, list(imported.leftovers)
