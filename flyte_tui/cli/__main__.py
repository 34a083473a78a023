"""``python -m flyte_tui.cli``: the same as the ``flyte-tui`` command."""

from flyte_tui.cli import main

main()
