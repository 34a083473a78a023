"""Property tests: render → import → render is stable; no input crashes the validator."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.importer import import_values
from flyte_tui.charts.flyte_core.render import render_values
from tests.conftest import REALISTIC, set_path

label = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
bucket = st.from_regex(r"[a-z0-9][a-z0-9-]{2,20}[a-z0-9]", fullmatch=True)
cpu = st.sampled_from(["4", "8", "16", "32", "9500m"])
memory = st.sampled_from(["8Gi", "16Gi", "64Gi", "40000Mi"])
requests_cpu = st.sampled_from(["10m", "100m", "250m", "500m"])


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    env = draw(st.sampled_from(sorted(REALISTIC)))
    data = copy.deepcopy(REALISTIC[env])
    set_path(data, "target.namespace", draw(st.one_of(st.just("flyte"), label)))
    set_path(data, "target.release", draw(label))
    if env in ("eks", "gke", "generic"):
        set_path(data, "storage.metadataBucket", draw(bucket))
        if draw(st.booleans()):
            set_path(data, "storage.userDataBucket", draw(bucket))
        set_path(data, "database.port", draw(st.integers(1, 65535)))
        set_path(data, "database.username", draw(label))
        set_path(data, "database.sslMode", draw(st.sampled_from(["require", "verify-full", "prefer"])))
        set_path(data, "ingress.host", draw(label) + ".example.com")
    if env == "eks":
        set_path(data, "storage.region", draw(st.sampled_from(["us-east-1", "us-east-2", "eu-west-1"])))
    domains = draw(st.lists(label, min_size=1, max_size=4, unique=True))
    set_path(data, "projects.domains", domains)
    set_path(data, "projects.quotas", {d: {"cpu": draw(cpu), "memory": draw(memory)} for d in domains})
    for comp in draw(st.lists(st.sampled_from(["flyteadmin", "datacatalog", "flyteconsole", "webhook"]), unique=True)):
        set_path(
            data,
            f"resources.components.{comp}",
            {
                # flyte-core runs exactly one webhook (a validation error otherwise)
                "replicas": 1 if comp == "webhook" else draw(st.integers(0, 5)),
                "requests": {"cpu": draw(requests_cpu)},
                "limits": {"cpu": "1", "memory": "1Gi"},
            },
        )
    if draw(st.booleans()):
        set_path(data, "extraValues.flyteadmin.podLabels", {draw(label): draw(label)})
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers())
def test_render_import_render_is_stable(data: dict[str, Any]) -> None:
    first = validate_answers(data)
    assume(first.ok)
    assert first.plan is not None
    values = render_values(first.plan)
    imported = import_values(values)
    second = validate_answers(imported.answers)
    assert second.plan is not None, [str(p) for p in second.problems]
    assert render_values(second.plan) == values
    assert imported.leftovers == [] or all(p.startswith("flyteadmin.podLabels") for p in imported.leftovers)


keys = st.sampled_from(
    [
        "environment",
        "storage",
        "type",
        "metadataBucket",
        "database",
        "port",
        "passwordSecret",
        "ingress",
        "tls",
        "resources",
        "components",
        "flyteadmin",
        "requests",
        "cpu",
        "projects",
        "domains",
        "quotas",
        "target",
        "namespace",
        "chart",
        "repo",
        "extraValues",
        "sslMode",
        "identity",
        "x",
    ]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["eks", "gke", "sandbox", "generic", "s3", "gcs", "<PLACEHOLDER>", "1Gi", "2GB"]),
)
anything = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(anything, st.dictionaries(keys, anything, max_size=8)))
def test_no_input_crashes_the_validator(raw: Any) -> None:
    result = validate_answers(raw)
    assert result.ok or result.errors
    for problem in result.problems:
        assert isinstance(problem.message, str) and problem.message


# -- no hidden character validates (issue 12 items 19 and 20) ----------------------------------------------------

GRAMMAR_FIELDS = {
    "target.namespace": "flyte-2",
    "target.release": "flyte-2",
    "target.chart.version": "v1.16.8",
    "storage.region": "us-east-2",
    "storage.metadataBucket": "acme-flyte-2",
    "storage.userDataBucket": "acme-flyte-3",
    "database.host": "db-2.example.com",
    "database.port": None,  # an int field: a string of digits is refused whatever its digits
    "database.passwordSecret.name": "db-pass-2",
    "database.passwordSecret.key": "pass2.txt",
    "identity.awsRoleArn": "arn:aws:iam::123456789012:role/flyte-2",
    "ingress.host": "flyte-2.acme.com",
    "ingress.tls.certificateArn": "arn:aws:acm:us-east-2:123456789012:certificate/abc-123",
    "projects.taskRoleArn": "arn:aws:iam::123456789012:role/flyte-tasks",
    "resources.taskDefaults.limits.cpu": "2",
    "resources.taskDefaults.limits.memory": "4Gi",
    "resources.components.flytepropeller.requests.cpu": "1",
    "projects.quotas.production.memory": "16Gi",
}
FREE_TEXT_FIELDS = {"target.context": "prod-2", "database.username": "flyte2", "database.adminDatabase": "flyte2"}
control = st.characters(categories=["Cc", "Cf", "Zl", "Zp"])
unicode_digit = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii())


@st.composite
def hidden_character(draw: st.DrawFn) -> tuple[str, str]:
    fields = {**GRAMMAR_FIELDS, **FREE_TEXT_FIELDS}
    path = draw(st.sampled_from(sorted(fields)))
    good = fields[path] or "5432"
    kind = draw(st.sampled_from(["control", "trailing-newline", "digit"] if path in GRAMMAR_FIELDS else ["control"]))
    if kind == "trailing-newline":
        return path, good + draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if kind == "digit":
        digits = [i for i, c in enumerate(good) if c.isdigit()]
        if not digits:
            return path, good + draw(unicode_digit)
        at = draw(st.sampled_from(digits))
        return path, good[:at] + draw(unicode_digit) + good[at + 1 :]
    at = draw(st.integers(0, len(good)))
    return path, good[:at] + draw(control) + good[at:]


@settings(max_examples=400, deadline=None)
@given(hidden_character())
def test_no_hidden_character_or_foreign_digit_validates(case: tuple[str, str]) -> None:
    path, value = case
    data = copy.deepcopy(REALISTIC["eks"])
    set_path(data, path, value)
    result = validate_answers(data)
    assert any(p.path == path for p in result.errors), (path, value, [str(p) for p in result.problems])
