"""Turn raw answers (a dict from YAML or from the wizard's fields) into a validated plan and a problem list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from flyte_tui.model.fields import accepted_keys
from flyte_tui.model.plan import InstallPlan
from flyte_tui.model.rules import Problem, check_plan, find_placeholders


@dataclass
class Validation:
    """The outcome of validating answers: the plan (when the fields are valid) and every problem found."""

    plan: InstallPlan | None
    problems: list[Problem] = field(default_factory=list)
    preset_filled: list[str] = field(default_factory=list)
    """Dotted paths whose values came from the environment's preset."""

    @property
    def errors(self) -> list[Problem]:
        """Problems that block rendering and installing."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth a look that do not block."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is a plan and no errors."""
        return self.plan is not None and not self.errors

    def for_path(self, prefix: str) -> list[Problem]:
        """Problems at a field path or below it (e.g. ``storage`` or ``storage.region``)."""
        return [p for p in self.problems if p.path == prefix or p.path.startswith(prefix + ".")]


class ChartRules(Protocol):
    """What validation needs from the chart the answers install (its profile, :mod:`flyte_tui.charts`)."""

    @property
    def sizable_components(self) -> Sequence[str]:
        """The keys accepted under ``resources.components``."""
        ...

    def default_limits(self, values_key: str) -> Mapping[str, str]:
        """The chart's default resource limits of one component."""
        ...

    def check(self, plan: InstallPlan) -> list[Problem]:
        """The chart's own problems with a plan (keys it refuses, rules on the values it will be given)."""
        ...


def validate_with(raw: Any, chart: ChartRules, use_preset: bool = True) -> Validation:
    """Validate raw answers for a chart; never raises. The environment's preset is applied underneath first.

    The entry point is :func:`flyte_tui.charts.validate_answers`, which picks the chart's profile."""
    from flyte_tui.presets import apply_preset

    if not isinstance(raw, dict):
        kind = type(raw).__name__ if raw is not None else "an empty document"
        return Validation(None, [Problem("", f"the answers file must be a YAML mapping, not {kind}")])
    filled: list[str] = []
    data = raw
    if use_preset:
        data, filled = apply_preset(raw)
    problems = list(find_placeholders(raw))
    try:
        plan = InstallPlan.model_validate(data, context={"components": tuple(chart.sizable_components)})
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc))
        return Validation(None, _dedupe(problems), filled)
    problems.extend(check_plan(plan, chart.default_limits))
    problems.extend(chart.check(plan))
    return Validation(plan, _dedupe(problems), filled)


def read_answers(path: Path) -> Any | Validation:
    """The raw answers of a file, or (unreadable or malformed YAML) a :class:`Validation` saying why."""
    from flyte_tui.files.yamlio import YAMLError, load_plain

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        return Validation(None, [Problem("", f"cannot read {path}: {exc.strerror or exc}")])
    except UnicodeDecodeError:
        return Validation(None, [Problem("", f"{path} is not UTF-8 text (an answers file is YAML)")])
    try:
        return load_plain(text)
    except YAMLError as exc:
        return Validation(None, [Problem("", f"{path} is not valid YAML: {_one_line(str(exc))}")])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out


def pydantic_problems(exc: ValidationError) -> list[Problem]:
    """Map pydantic errors to problems whose paths are the YAML keys (camelCase)."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(str(part) for part in error["loc"])
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if message.startswith("Assertion failed, "):
            message = message[len("Assertion failed, ") :]
        if error["type"] == "extra_forbidden":
            accepted = accepted_keys(loc[:-1])
            message = "unknown field" + (f"; accepted: {', '.join(accepted)}" if accepted else "")
        elif error["type"] == "missing":
            message = "required"
        elif error["type"] in ("literal_error", "enum"):
            expected = (error.get("ctx") or {}).get("expected", "")
            message = f"{error.get('input')!r} is not accepted; accepted: {expected.replace(' or ', ', ')}"
        out.append(Problem(".".join(loc), message))
    return out
