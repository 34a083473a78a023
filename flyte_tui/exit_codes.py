"""Exit codes of the whole CLI, in one place.

``diff`` reuses :data:`INVALID` (2) for "changes found", as helm-diff's ``--detailed-exitcode`` does;
``doctor`` adds :data:`CHECK_FAILED` (3) and :data:`WARNINGS` (4), as troubleshoot does. A run the user
cancelled (Ctrl-C, SIGTERM) exits :data:`CANCELLED` (130), as shells report a command stopped by SIGINT.
"""

OK = 0
"""Done, nothing wrong."""
FAILED = 1
"""The operation failed (the cluster, helm or a file said no), or the doctor could not run."""
INVALID = 2
"""Invalid input or usage: the message names the field or option and what is accepted."""
CHANGES = 2
"""``diff``: the upgrade would change something."""
CHECK_FAILED = 3
"""``doctor``: at least one check failed."""
WARNINGS = 4
"""``doctor``: warnings only."""
CANCELLED = 130
"""The user cancelled (Ctrl-C or SIGTERM); the run stopped and said the release's state (128 + SIGINT)."""
