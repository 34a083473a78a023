"""The wizard's modal dialogs, one per module, over one base (:class:`~flyte_tui.tui.dialogs.choice.ChoiceDialog`)."""
