"""Turn raw answers (a dict from YAML or from the wizard's fields) into a validated plan and a problem list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from flyte_tui.model.fields import accepted_keys, description, walk
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
        """The keys of the components the chart sizes (an environment preset sizes no other)."""
        ...

    @property
    def accepted_components(self) -> Sequence[str]:
        """The keys accepted under ``resources.components`` (the sizable ones and any the chart refuses)."""
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
        data, filled = apply_preset(raw, sizable=tuple(chart.sizable_components))
    problems = list(find_placeholders(raw))
    try:
        plan = InstallPlan.model_validate(data, context={"components": tuple(chart.accepted_components)})
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc))
        return Validation(None, _dedupe(problems), filled)
    problems.extend(check_plan(plan, chart.default_limits))
    problems.extend(chart.check(plan))
    return Validation(plan, _dedupe(problems), filled)


def read_answers(path: Path) -> Any | Validation:
    """The raw answers of a file, or (unreadable or malformed YAML) a :class:`Validation` saying why."""
    from flyte_tui.files.yamlio import YAMLError, load_plain, read_text

    try:
        text = read_text(Path(path))  # a regular file of bounded size: `validate /dev/zero` ends
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
    """Map pydantic errors to problems whose paths are the YAML keys (camelCase) and whose messages say what is
    accepted, in flyte-tui's words (never pydantic's "Input should be …")."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(str(part) for part in error["loc"])
        out.append(Problem(".".join(loc), _message(error["type"], loc, error)))
    return out


def _message(kind: str, loc: tuple[str, ...], error: Any) -> str:
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        message = str(error["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            if message.startswith(prefix):
                message = message[len(prefix) :]
        return message
    if kind == "extra_forbidden":
        accepted = accepted_keys(loc[:-1])
        return "unknown field" + (f"; accepted: {', '.join(accepted)}" if accepted else "")
    if kind == "missing":
        about = description(".".join(loc))
        return "required" + (f": {about[0].lower()}{about[1:]}" if about else "")
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"{_shown(value)} is not accepted; accepted: {expected}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number{_range(loc)}, not {_kind(value)}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"must be a number{_range(loc)}, not {_kind(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {_kind(value)}"
    if kind in ("string_type", "string_unicode"):
        hint = " (put it in quotes)" if isinstance(value, int | float) and not isinstance(value, bool) else ""
        return f"must be text, not {_kind(value)}{hint}"
    if kind in ("string_too_long", "string_too_short"):
        limit = ctx.get("max_length") if kind == "string_too_long" else ctx.get("min_length")
        word = "at most" if kind == "string_too_long" else "at least"
        return f"is {len(value) if isinstance(value, str) else '?'} characters; {word} {limit} are accepted"
    if kind in ("less_than_equal", "less_than", "greater_than_equal", "greater_than"):
        bounds = _range(loc) or " " + _bound_text(kind, ctx)
        return f"{_shown(value)} is out of range: accepted is a number{bounds}"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"must be a mapping (key: value lines), not {_kind(value)}"
    if kind in ("list_type", "tuple_type", "set_type", "iterable_type"):
        return f"must be a list (e.g. [a, b]), not {_kind(value)}"
    if kind in ("too_long", "too_short"):
        word = "at most" if kind == "too_long" else "at least"
        limit = ctx.get("max_length") if kind == "too_long" else ctx.get("min_length")
        return f"must hold {word} {limit} items"
    about = description(".".join(loc))
    return f"{_shown(value)} is not accepted here" + (f": {about[0].lower()}{about[1:]}" if about else "")


def _bound_text(kind: str, ctx: Any) -> str:
    words = {
        "less_than_equal": "at most",
        "less_than": "below",
        "greater_than_equal": "at least",
        "greater_than": "above",
    }[kind]
    limit = next(iter(ctx.values()), "?") if isinstance(ctx, dict) and ctx else "?"
    return f"{words} {limit}"


def _range(loc: tuple[str, ...]) -> str:
    """`` from 1 to 65535`` for a field with both bounds (`` of at least 0`` for one), read from the model."""
    from annotated_types import Ge, Gt, Le, Lt

    infos = [info for _part, info in walk(loc) if info is not None]
    if not infos or len(infos) < len([p for p in loc if not p.isdigit()]) - 2:
        return ""
    low = high = None
    for item in infos[-1].metadata:
        if isinstance(item, Ge):
            low = item.ge
        elif isinstance(item, Gt):
            low = f"above {item.gt}"
        elif isinstance(item, Le):
            high = item.le
        elif isinstance(item, Lt):
            high = f"below {item.lt}"
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def _kind(value: Any) -> str:
    """How a wrong value reads to someone who wrote YAML: ``true``, the text '5', the number 1.5, a list …"""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if value is None:
        return "null (an empty value)"
    if isinstance(value, int) and abs(value) >= _LARGE:
        return "a very large number"
    if isinstance(value, int | float):
        return f"the number {_shown(value)}"
    if isinstance(value, str):
        return f"the text {_shown(value)}" + (
            " (write it without quotes)" if value.strip().isascii() and value.strip().isdigit() else ""
        )
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


_LARGE = 10**30
"""An integer this large is not written out in a message."""


def _shown(value: Any, limit: int = 60) -> str:
    """A value as a message may show it: secrets masked, long ones cut (a URL's user info masked in the whole
    text first, then only the start redacted: the secret patterns take time growing with the square of the
    length, and a value of megabytes must not stop validation)."""
    from flyte_tui.model.names import without_userinfo
    from flyte_tui.redact import redact_text

    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, int) and abs(value) >= _LARGE:
        return "a very large number"
    whole = repr(value) if isinstance(value, str) else str(value)
    text = redact_text(without_userinfo(whole)[: limit * 4])
    return text if len(text) <= limit else text[: limit - 1] + "…"
