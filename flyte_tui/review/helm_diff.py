"""The helm-diff plugin as a cross-check of the review: its list of changed objects against flyte-tui's.

Objects only helm-diff reports are checked to change nothing but the chart label (flyte-tui leaves those
out); any other disagreement is listed (:class:`HelmDiffCheck`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from flyte_tui.review.diff import NOISE_LABELS
from flyte_tui.tools import output, process
from flyte_tui.tools.helm import Helm, HelmError, ReleaseTarget, chart_args, option

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
    helm: Helm, release: ReleaseTarget, values_file: Path, helm_major: int
) -> dict[str, tuple[str, ...]] | None:
    """Every object helm-diff says changes, with its diff lines (:func:`parse_helm_diff`), or None when
    the plugin is not installed."""
    if not helm.run("diff", "version", scoped=False, timeout=20).ok:
        return None
    args = [
        "diff",
        "upgrade",
        release.release,
        *chart_args(release),
        *option("--values", str(values_file)),
        "--no-color",
        "--context",
        "0",
    ]
    if helm_major >= 4:
        args += ["--disable-validation", "--dry-run=server"]
    done = helm.run(*args, timeout=180)
    if not done.ok:
        raise HelmError(f"helm diff failed: {process.last_line(done.stderr)}")
    found = parse_helm_diff(done.stdout)
    if not found and done.stdout.strip():  # it printed something, and not one object of a diff
        problem = output.not_a_diff(done.stdout)
        raise output.UnexpectedOutput("helm diff upgrade", "helm-diff's changed objects", problem)
    return found
