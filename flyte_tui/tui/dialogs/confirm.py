"""The dialogs that ask before something changes the cluster (a recovery, an uninstall, a migration)."""

from __future__ import annotations

from flyte_tui.tui.dialogs.choice import Choice, ChoiceDialog


class ConfirmDialog(ChoiceDialog[bool]):
    """Go on? ``go`` dismisses with True; ``safe`` has the focus at first and dismisses with False, as
    Escape does. Subclasses give the body (:meth:`compose_body`)."""

    def __init__(self, go: Choice[bool], safe: Choice[bool]) -> None:
        super().__init__([go, safe], focus=safe.id, escape=False)
