"""What the flyte-core and flyte-binary importers share: what refuses a values file before it is read, and the
release and namespace the user names over those the values suggest."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, ParamSpec

from flyte_tui import tree
from flyte_tui.charts.component import ImportResult
from flyte_tui.model.images import Path, check_registry, registry_of
from flyte_tui.model.names import check_dns_subdomain
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


def images_answer(
    values: Mapping[str, Any], repositories: Mapping[Path, str], pull_secret_paths: tuple[Path, ...] = ()
) -> dict[str, str]:
    """The ``images`` answer a values file implies: ``registry`` when every image repository the chart takes
    (``repositories``: path → the chart's default) is its default on one and the same mirror; ``pullSecret`` when
    every ``imagePullSecrets`` list is that one Secret. Empty when neither: what is set stays in extraValues."""
    answer: dict[str, str] = {}
    found = {registry_of(_text(tree.get(values, path)) or default, default) for path, default in repositories.items()}
    registry = found.pop() if len(found) == 1 else ""
    if registry and _valid(check_registry, registry):
        answer["registry"] = registry
    lists = [tree.get(values, path) for path in pull_secret_paths]
    names = {_only_name(given) for given in lists}
    name = names.pop() if len(names) == 1 else ""
    if name and _valid(check_dns_subdomain, name):
        answer["pullSecret"] = name
    return answer


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _only_name(given: Any) -> str:
    """The Secret an ``imagePullSecrets`` list names when it names exactly one ("" otherwise)."""
    if isinstance(given, list) and len(given) == 1 and isinstance(given[0], dict) and set(given[0]) == {"name"}:
        return _text(given[0]["name"])
    return ""


def _valid(rule: Callable[[str], Any], value: str) -> bool:
    try:
        rule(value)
    except ValueError:
        return False
    return True
