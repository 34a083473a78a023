"""What the flyte-core and flyte-binary importers share: what refuses a values file before it is read, and the
release and namespace the user names over those the values suggest."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from flyte_tui.charts.component import ImportResult
from flyte_tui.model.plan import API_VERSION, KIND
from flyte_tui.model.rules import Problem


def refused(values: Any) -> ImportResult | None:
    """Why ``values`` cannot be imported at all (not a mapping, or a flyte-tui answers file), or None."""
    if not isinstance(values, dict):
        return ImportResult({}, [Problem("", "a values file must hold a YAML mapping")])
    if values.get("kind") == KIND or values.get("apiVersion") == API_VERSION:
        why = (
            f"this is a flyte-tui answers file (apiVersion {API_VERSION}, kind {KIND}), not Helm values: "
            "nothing to import; use it as it is (flyte-tui validate / render / install FILE)"
        )
        return ImportResult({}, [Problem("", why)])
    return None


P = ParamSpec("P")


def values_only(importer: Callable[Concatenate[Any, P], ImportResult]) -> Callable[Concatenate[Any, P], ImportResult]:
    """``importer`` (of values, then its hints) that first refuses what is not Helm values (:func:`refused`)."""

    def checked(values: Any, /, *args: P.args, **kwargs: P.kwargs) -> ImportResult:
        refusal = refused(values)
        return importer(values, *args, **kwargs) if refusal is None else refusal

    functools.update_wrapper(checked, importer)  # its name and docstring
    return checked


def name_target(answers: dict[str, Any], release: str | None, namespace: str | None) -> None:
    """Put the release and namespace the user named (when named) into imported answers."""
    if release:
        answers["target"]["release"] = release
    if namespace:
        answers["target"]["namespace"] = namespace
