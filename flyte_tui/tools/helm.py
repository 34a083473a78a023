"""Helm: argv building and a small adapter. Every command is an argument list; nothing goes through a shell."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from flyte_tui.model.plan import DEFAULT_REPO
from flyte_tui.redact import mask_userinfo
from flyte_tui.tools import output, process
from flyte_tui.tools.bound import Bound

if TYPE_CHECKING:
    from flyte_tui.model.plan import ChartSource

OFFICIAL_REPO = DEFAULT_REPO


class ReleaseTarget(Protocol):
    """Where one release goes and its chart: what the argv builders need of a release.

    :class:`flyte_tui.charts.PlannedRelease` (one per release of a plan, each with its own kube context) is
    what the install pipeline and the review pass; a plan's :class:`~flyte_tui.model.plan.Target` also
    fits, for a face that shows the command of a one-release plan without rendering its values.
    """

    @property
    def release(self) -> str: ...
    @property
    def namespace(self) -> str: ...
    @property
    def context(self) -> str: ...
    @property
    def chart(self) -> ChartSource: ...


def option(flag: str, value: str) -> list[str]:
    """A flag with its value as helm reads it: ``[flag, value]``, or ``[flag=value]`` when the value starts with
    '-' (so it can never be taken for another flag)."""
    return [f"{flag}={value}"] if value.startswith("-") else [flag, value]


def positional(value: str) -> str:
    """A positional argument (release, chart) as it is: one that starts with '-' would be read as a flag (validation
    refuses such answers; :func:`chart_ref` puts ``./`` before such a chart path), so it raises ``ValueError``."""
    if not value.startswith("-"):
        return value
    raise ValueError(f"{value!r} would be read by helm as an option, not a value")


def chart_ref(release: ReleaseTarget) -> str:
    """The chart argument: ``name`` (read from ``--repo``), a path, or an OCI reference."""
    chart = release.chart
    if chart.path and chart.path.startswith("-"):
        return f"./{chart.path}"
    return positional(chart.reference())


def chart_args(release: ReleaseTarget, version: str | None = None) -> list[str]:
    """The chart reference with its ``--repo`` (a repository chart) and ``--version`` (not for paths).

    helm reads the repository named by ``--repo`` directly: the user's helm repositories are never changed.
    ``version`` overrides the release's chart version (e.g. to read another version's defaults).
    """
    chart = release.chart
    args = [chart_ref(release)]
    if chart.repo:
        args += option("--repo", chart.repo)
    wanted = chart.version if version is None else version
    if wanted and not chart.path:
        args += option("--version", wanted)
    return args


def upgrade_install_argv(
    release: ReleaseTarget, values_file: Path | str, helm: str = "helm", extra: list[str] | None = None
) -> list[str]:
    """``helm upgrade --install`` for one release: its name, chart (repo, path or OCI), version, namespace,
    values and kube context. This is the command the installer runs, as the review shows it."""
    argv = [helm, "upgrade", "--install", positional(release.release), *chart_args(release)]
    argv += [*option("--namespace", release.namespace), "--create-namespace", *option("--values", str(values_file))]
    if release.context:
        argv += option("--kube-context", release.context)
    return argv + list(extra or [])


def template_argv(release: ReleaseTarget, values_file: Path | str, helm: str = "helm") -> list[str]:
    """``helm template`` for one release, rendering offline exactly what an install would apply."""
    return [
        helm,
        "template",
        positional(release.release),
        *chart_args(release),
        *option("--namespace", release.namespace),
        *option("--values", str(values_file)),
    ]


def display(argv: list[str]) -> str:
    """An argv as a line a user can paste into a POSIX shell, with the user info of any URL in it (a chart
    repository's ``user:token@``) masked: the line is shown and logged, the real argv goes to helm."""
    return shlex.join(mask_userinfo(arg) for arg in argv)


READ_VERBS = frozenset({"status", "history", "get", "list"})
"""helm commands that only read the cluster: tried again on a transient error when :attr:`Helm.retries` is set."""


class HelmError(Exception):
    """helm said no; the message is helm's own error line."""


def _error_line(text: str) -> str:
    return process.error_summary(text, "helm failed")


@dataclass
class Helm(Bound):
    """helm bound to a context and namespace."""

    read_verbs = READ_VERBS
    binary: str = "helm"

    def argv(self, *args: str) -> list[str]:
        """Full argv with the context and namespace flags."""
        argv = [self.binary, *args]
        if self.namespace:
            argv += option("--namespace", self.namespace)
        if self.context:
            argv += option("--kube-context", self.context)
        return argv

    def run(self, *args: str, timeout: float | None = None, scoped: bool = True) -> process.Completed:
        """Run a helm command (no check)."""
        argv = self.argv(*args) if scoped else [self.binary, *args]
        return self.completed(argv, args, timeout)

    def check(self, *args: str, timeout: float | None = None, scoped: bool = True) -> str:
        """Run and return stdout; raise :class:`HelmError` on failure."""
        done = self.run(*args, timeout=timeout, scoped=scoped)
        if not done.ok:
            raise HelmError(_error_line(done.stderr or done.stdout))
        return done.stdout

    def version(self) -> tuple[int, str]:
        """(major version, version text), e.g. (4, "v4.1.4")."""
        text = self.check("version", "--short", scoped=False).strip()
        match = re.match(r"v?(\d+)\.", text)
        if not match:
            raise HelmError(f"cannot read helm's version from {text!r}")
        return int(match.group(1)), text.split("+")[0]

    def status(self, release: str) -> dict[str, Any] | None:
        """``helm status`` as JSON, or None when the release does not exist."""
        done = self.run("status", release, "-o", "json")
        if not done.ok:
            if "not found" in (done.stderr + done.stdout).lower():
                return None
            raise HelmError(_error_line(done.stderr or done.stdout))
        return output.json_object(done.stdout, "helm status", output.HelmStatus)

    def history(self, release: str) -> list[dict[str, Any]]:
        """``helm history`` as JSON ([] when there is none)."""
        done = self.run("history", release, "-o", "json")
        if not done.ok:
            return []
        return output.json_list(done.stdout, "helm history", output.HelmRevision)


def repo_versions(helm: Helm, repo: str, name: str) -> list[str]:
    """Versions of a chart a repository offers, newest first.

    The repository is added to a private, temporary helm repository config and cache (removed afterwards):
    listing versions never changes the user's helm repositories.
    """
    import shutil
    import tempfile

    private = Path(tempfile.mkdtemp(prefix="flyte-tui-repo-"))
    where = [*option("--repository-config", str(private / "repositories.yaml"))]
    where += option("--repository-cache", str(private / "cache"))
    try:
        helm.check("repo", "add", "listed", repo, *where, scoped=False, timeout=120)
        out = helm.check("search", "repo", f"listed/{name}", "--versions", "-o", "json", *where, scoped=False)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    found = output.json_list(out, "helm search repo", output.HelmChartVersion)
    return [str(item["version"]) for item in found if item["name"] == f"listed/{name}"]
