"""Migration from a flyte-binary install to flyte-core on the same database and buckets: the answers carried
over (:func:`migrate_answers`), the review of both releases (:func:`review_lines`), then the steps
(:class:`Migrator`): the new release installed and Ready before the old one is uninstalled."""

from flyte_tui.migrate.answers import MigratedAnswers, MigrationError, default_release, migrate_answers
from flyte_tui.migrate.live import live_binary_answers
from flyte_tui.migrate.review import review_lines
from flyte_tui.migrate.run import MigrationOptions, MigrationPlan, Migrator

__all__ = [
    "MigratedAnswers",
    "MigrationError",
    "MigrationOptions",
    "MigrationPlan",
    "Migrator",
    "default_release",
    "live_binary_answers",
    "migrate_answers",
    "review_lines",
]
