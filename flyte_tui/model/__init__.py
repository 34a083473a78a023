"""The answers model: pydantic sections, Kubernetes quantities and names, cross-field rules."""

from flyte_tui.model.plan import API_VERSION, KIND, InstallPlan
from flyte_tui.model.rules import Problem
from flyte_tui.model.validate import Validation, validate_answers, validate_file

__all__ = ["API_VERSION", "KIND", "InstallPlan", "Problem", "Validation", "validate_answers", "validate_file"]
