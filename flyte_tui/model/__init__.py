"""The answers model: pydantic sections, Kubernetes quantities and names, cross-field rules.

Validating answers for the chart they install is :func:`flyte_tui.charts.validate_answers`."""

from flyte_tui.model.plan import API_VERSION, KIND, InstallPlan
from flyte_tui.model.rules import Problem
from flyte_tui.model.validate import Validation

__all__ = ["API_VERSION", "KIND", "InstallPlan", "Problem", "Validation"]
