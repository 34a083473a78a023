"""A migration made ready to review: flyte-binary answers (a file's, or a live release's) mapped to flyte-core,
checked, fitted to the cluster as an install is, with the review's lines; and what the wizard starts from
(:class:`MigrationSource`: the release, its context, the answers file, the tools). The wizard's path uses
it; nothing is written and nothing changes on the cluster here."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flyte_tui import tree
from flyte_tui.charts import validate_answers
from flyte_tui.files.answers import load_answers
from flyte_tui.install import InstallOptions
from flyte_tui.install.ingress import fit_for_install
from flyte_tui.migrate.answers import BINARY, MigratedAnswers, MigrationError, migrate_answers
from flyte_tui.migrate.live import live_binary_answers
from flyte_tui.migrate.review import review_lines
from flyte_tui.migrate.run import MigrationOptions, MigrationPlan
from flyte_tui.model.plan import DEFAULT_NAMESPACE, DEFAULT_RELEASE
from flyte_tui.release import ReleaseInfo, release_helm
from flyte_tui.uninstall import UninstallOptions


@dataclass(frozen=True)
class MigrationSource:
    """The flyte-binary release to move, where it runs, the session's answers file and the tools."""

    info: ReleaseInfo
    context: str
    answers_path: Path
    helm: str = "helm"
    kubectl: str = "kubectl"

    def prepare(self, cancel: threading.Event) -> PreparedMigration:
        """The migration made ready to review: from the answers file when it describes this release, else from
        the live release's values (reads the cluster). Raises :class:`MigrationError` naming the answer
        (HelmError / ProcessError when the cluster cannot be read, ValueError for an unreadable file)."""
        helm = release_helm(self.helm, self.context, self.info.namespace, None, cancel)
        raw = binary_answers_file(self.answers_path, self.info)
        from_file = raw is not None
        if raw is None:
            raw, _kept = live_binary_answers(helm, self.info.name, self.context)
        migrated = migrate_answers(raw)
        checked = validate_answers(migrated.answers)
        if checked.plan is None or checked.errors:
            problems = "; ".join(str(p) for p in checked.errors) or "not valid"
            raise MigrationError(
                f"the flyte-core answers made from {self.described(from_file)} are not valid: {problems}"
            )
        fitted = fit_for_install(checked.plan, self.kubectl)  # as install does: the review shows what is applied
        migration = MigrationPlan(fitted.plan, migrated.old_release)
        return PreparedMigration(self, migrated, migration, from_file, fitted.note or "")

    def described(self, from_file: bool) -> str:
        """Where the flyte-binary answers came from, in words: the answers file, or the live release."""
        if from_file:
            return str(self.answers_path)
        return f"the live release {self.info.name} (no answers file of it at {self.answers_path})"


@dataclass(frozen=True)
class PreparedMigration:
    """What the review shows and what the migration runs."""

    origin: MigrationSource
    """What was prepared: the release, its context, the answers file and the tools."""
    migrated: MigratedAnswers
    """The flyte-core answers (to be written once confirmed) and what the mapping did."""
    migration: MigrationPlan
    from_file: bool
    """The flyte-binary answers came from the answers file (False: from the live release's values)."""
    note: str = ""
    """What fitting the plan to the cluster changed ("" when nothing)."""

    def lines(self) -> list[str]:
        """The review: where the answers came from, then both releases, what carries over, the order."""
        head = [f"Answers from {self.origin.described(self.from_file)}"] + ([f"Note: {self.note}"] if self.note else [])
        return [*head, *review_lines(self.migrated, self.migration)]

    def options(self) -> MigrationOptions:
        """How to run it: the new release's values file beside the answers (as ``flyte-tui migrate`` puts it)."""
        origin = self.origin
        values = origin.answers_path.with_name(f"flyte-values-{self.migration.new_release}.yaml")
        written = core_answers_path(origin.answers_path)
        return MigrationOptions(
            InstallOptions(values_path=values, helm=origin.helm, kubectl=origin.kubectl, source=written.name),
            UninstallOptions(helm=origin.helm, kubectl=origin.kubectl),
        )


def binary_answers_file(path: Path, info: ReleaseInfo) -> dict[str, Any] | None:
    """The answers in ``path`` when they are the flyte-binary answers of release ``info`` (its name and
    namespace); None when the file is not there or describes something else. Raises ValueError (with the
    file's problem) when it cannot be read."""
    if not path.is_file():
        return None
    raw = load_answers(path)
    where = (
        tree.get(raw, ("target", "release")) or DEFAULT_RELEASE,
        tree.get(raw, ("target", "namespace")) or DEFAULT_NAMESPACE,
    )
    same = where == (info.name, info.namespace)
    return raw if same and tree.get(raw, ("target", "chart", "name")) == BINARY else None


def core_answers_path(answers_path: Path) -> Path:
    """Where the flyte-core answers go: beside the answers file, ``<stem>-core.yaml`` (as ``flyte-tui
    migrate`` writes them)."""
    return answers_path.with_name(f"{answers_path.stem}-core.yaml")
