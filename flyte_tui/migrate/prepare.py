"""A migration made ready to review: flyte-binary answers (a file's, or a live release's) mapped to flyte-core,
checked, fitted to the cluster as an install is, with the review's lines. The wizard's path uses it; nothing
is written and nothing changes on the cluster here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flyte_tui import tree
from flyte_tui.charts import validate_answers
from flyte_tui.files.answers import load_answers
from flyte_tui.install.ingress import fit_for_install
from flyte_tui.migrate.answers import BINARY, MigratedAnswers, MigrationError, migrate_answers
from flyte_tui.migrate.live import live_binary_answers
from flyte_tui.migrate.review import review_lines
from flyte_tui.migrate.run import MigrationPlan
from flyte_tui.model.plan import DEFAULT_NAMESPACE, DEFAULT_RELEASE
from flyte_tui.release import ReleaseInfo
from flyte_tui.tools.helm import Helm


@dataclass(frozen=True)
class PreparedMigration:
    """What the review shows and what the migration runs."""

    migrated: MigratedAnswers
    """The flyte-core answers (to be written once confirmed) and what the mapping did."""
    migration: MigrationPlan
    source: str
    """Where the flyte-binary answers came from (an answers file, or the live release)."""
    note: str = ""
    """What fitting the plan to the cluster changed ("" when nothing)."""

    def lines(self) -> list[str]:
        """The review: where the answers came from, then both releases, what carries over, the order."""
        head = [f"Answers from {self.source}"] + ([f"Note: {self.note}"] if self.note else [])
        return [*head, *review_lines(self.migrated, self.migration)]


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


def prepare_migration(
    info: ReleaseInfo, helm: Helm, answers_path: Path, kubectl: str = "kubectl", context: str = ""
) -> PreparedMigration:
    """The migration of the flyte-binary release ``info``: from the answers file at ``answers_path`` when it
    describes that release, else from the live release's values. Raises :class:`MigrationError` naming the
    answer (HelmError / ProcessError when the cluster cannot be read, ValueError for an unreadable file)."""
    raw = binary_answers_file(answers_path, info)
    source = str(answers_path)
    if raw is None:
        raw, _kept = live_binary_answers(helm, info.name, context)
        source = f"the live release {info.name} (no answers file of it at {answers_path})"
    migrated = migrate_answers(raw)
    checked = validate_answers(migrated.answers)
    if checked.plan is None or checked.errors:
        problems = "; ".join(str(p) for p in checked.errors) or "not valid"
        raise MigrationError(f"the flyte-core answers made from {source} are not valid: {problems}")
    fitted = fit_for_install(checked.plan, kubectl)  # as install does: the review shows what is applied
    return PreparedMigration(migrated, MigrationPlan(fitted.plan, migrated.old_release), source, fitted.note or "")


def core_answers_path(answers_path: Path) -> Path:
    """Where the flyte-core answers go: beside the answers file, ``<stem>-core.yaml`` (as ``flyte-tui
    migrate`` writes them)."""
    return answers_path.with_name(f"{answers_path.stem}-core.yaml")
