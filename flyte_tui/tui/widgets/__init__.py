"""Reusable widgets of the wizard: a field with its own error line, the step list, choice cards."""
