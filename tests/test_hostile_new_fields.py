"""Hostile input against the newest answers (``dataPlanes``, ``defaultExecutionLabel``, ``plugins``, ``images``)
and the ``preflight`` command: every one refused at its field in our words, quickly, without a traceback, a
password repeated back, or a value of megabytes printed whole."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flyte_tui.charts import validate_answers
from tests.conftest import REALISTIC

ROOT = Path(__file__).resolve().parent.parent
EU = {"name": "eu-1", "context": "eu-admin", "endpoint": "https://10.0.12.7:6443", "labels": ["gpu"]}


def answers(**top: Any) -> dict[str, Any]:
    data = copy.deepcopy(REALISTIC["eks"])
    data["target"]["context"] = "control"
    data.update(copy.deepcopy(top))
    return data


def plane(**fields: Any) -> dict[str, Any]:
    return answers(dataPlanes=[{**EU, **fields}])


def errors(data: dict[str, Any]) -> dict[str, str]:
    return {p.path: p.message for p in validate_answers(data).errors}


def cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``flyte-tui ARGS`` as a user runs it (bounded: a hang fails the test)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        cwd=ROOT,
    )


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(json.dumps(data))  # JSON is YAML: any size, no line folding
    return path


# -- a password in a URL is never repeated back ----------------------------------------------------------------

URL = "http://admin:hunter2@registry.example.com"


@pytest.mark.parametrize(
    ("data", "path"),
    [
        (plane(endpoint=URL), "dataPlanes.0.endpoint"),
        (plane(endpoint="https://admin:hunter2@10.0.12.7:6443"), "dataPlanes.0.endpoint"),
        (plane(name=URL), "dataPlanes.0.name"),
        (plane(labels=[URL]), "dataPlanes.0.labels"),
        (answers(dataPlanes=[EU], defaultExecutionLabel=URL), "defaultExecutionLabel"),
        (answers(plugins=[URL]), "plugins.0"),
        (answers(images={"registry": URL}), "images.registry"),
        (answers(images={"pullSecret": URL}), "images.pullSecret"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_a_password_in_a_url_is_masked_in_the_message(data: dict[str, Any], path: str) -> None:
    message = errors(data)[path]
    assert "hunter2" not in message
    assert "******" in message


# -- a value of megabytes: refused fast, and not printed whole ----------------------------------------------------

HUGE = "a" * 300_000


@pytest.mark.parametrize(
    "data",
    [
        answers(plugins=HUGE),
        answers(dataPlanes=HUGE),
        answers(images=HUGE),
        plane(labels=HUGE),
        plane(weight=HUGE),
    ],
    ids=["plugins", "dataPlanes", "images", "labels", "weight"],
)
def test_a_huge_text_of_the_wrong_type_is_refused_quickly(tmp_path: Path, data: dict[str, Any]) -> None:
    done = cli("validate", write(tmp_path, data))  # was: the secret masking took hours on 300,000 characters
    assert done.returncode == 2, done.stderr[-500:]
    assert "Traceback" not in done.stderr
    assert "aaaa…" in done.stderr and len(done.stderr) < 5000


@pytest.mark.parametrize(
    ("data", "path", "said"),
    [
        (plane(name=HUGE), "dataPlanes.0.name", "at most 63"),
        (plane(labels=[HUGE]), "dataPlanes.0.labels", "at most 63"),
        (plane(endpoint="https://h.example.com/" + HUGE), "dataPlanes.0.endpoint", "at most 2048"),
        (answers(dataPlanes=[EU], defaultExecutionLabel=HUGE), "defaultExecutionLabel", "accepted: gpu"),
        (answers(plugins=[HUGE]), "plugins.0", "accepted: spark"),
        (answers(images={"registry": HUGE}), "images.registry", "at most 200"),
        (answers(images={"pullSecret": HUGE}), "images.pullSecret", "Kubernetes object name"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 100 else "",
)
def test_a_huge_value_is_refused_with_a_short_message(data: dict[str, Any], path: str, said: str) -> None:
    message = errors(data)[path]
    assert said in message
    assert len(message) < 400


def test_the_labels_a_default_label_may_name_are_listed_up_to_twenty() -> None:
    labels = [f"l{i}" for i in range(10_000)]
    message = errors(answers(dataPlanes=[{**EU, "labels": labels}], defaultExecutionLabel="gpu"))[
        "defaultExecutionLabel"
    ]
    assert "accepted: l0, l1," in message and "l19 and 9980 more" in message and "l20," not in message


# -- endpoints: what flyteadmin and the link check can use ------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "said"),
    [
        ("https://10.0.12.7:abc", "port"),  # was accepted; the link check's urllib then raised InvalidURL
        ("https://10.0.12.7:99999", "port"),
        ("https://10.0.12.7:0", "port 0"),
        ("https://10.0.12.7:6443/a b", "space"),  # was accepted; InvalidURL too
        ("https://10.0.12.7:6443?x=1", "query"),
        ("https://10.0.12.7:6443#top", "fragment"),
        ("https://[fd00::1", "not a URL"),  # was: urllib's own "Invalid IPv6 URL"
        ("https://bad_host!:6443", "host"),
    ],
)
def test_an_endpoint_that_is_no_api_server_url_is_refused(endpoint: str, said: str) -> None:
    found = errors(plane(endpoint=endpoint))
    assert list(found) == ["dataPlanes.0.endpoint"], found
    assert said in found["dataPlanes.0.endpoint"]
    assert "https://HOST[:PORT][/PATH]" in found["dataPlanes.0.endpoint"]


@pytest.mark.parametrize(
    "endpoint",
    ["https://10.0.12.7:6443", "https://[fd00::1]:6443", "https://rancher.example.com/k8s/clusters/c-m-4x2"],
)
def test_an_api_server_url_is_still_accepted(endpoint: str) -> None:
    assert errors(plane(endpoint=endpoint)) == {}


# -- types: the message says what is accepted ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "shown"), [("half", "the text 'half'"), (True, "true (a yes/no value)"), ([0.5], "a list")]
)
def test_a_weight_that_is_no_number_says_a_number_from_0_to_1(weight: Any, shown: str) -> None:
    found = errors(plane(weight=weight))
    assert found == {"dataPlanes.0.weight": f"must be a number from 0 to 1, not {shown}"}


def test_a_huge_number_where_text_goes_reads_well() -> None:
    found = errors(plane(name=10**40))
    assert found == {"dataPlanes.0.name": "must be text, not a very large number (put it in quotes)"}


# -- preflight's own options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("--context=--kubeconfig=/etc/passwd", "must not start with '-'"),  # was: handed to kubectl as a context
        ("--context=   ", "only spaces"),  # was: the current context, silently
        ("--kubectl=", "--kubectl"),  # was: a traceback (the plugins' CRD check)
        ("--helm=", "--helm"),
    ],
)
def test_preflight_refuses_an_odd_option_before_asking_the_cluster(tmp_path: Path, option: str, said: str) -> None:
    path = write(tmp_path, answers(plugins=["spark"]))
    done = cli("preflight", path, option, env={"KUBECONFIG": str(tmp_path / "no-kubeconfig")})
    assert done.returncode == 2, done.stderr[-800:]
    assert said in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""  # no check ran


@pytest.mark.parametrize(
    "text", ["a." * 150_000, "password" * 40_000, "http://" * 40_000], ids=["a run of words", "keys", "schemes"]
)
def test_a_long_text_in_extra_values_is_validated_without_hanging(tmp_path: Path, text: str) -> None:
    # was: the secret masking of messages took minutes (quadratic in the text) before saying anything
    done = cli("validate", write(tmp_path, answers(extraValues={"flyteadmin": {"note": text}})))
    assert done.returncode in (0, 2), done.stderr[-500:]
    assert "Traceback" not in done.stderr


def test_the_masking_still_finds_the_secrets_in_a_text() -> None:
    from flyte_tui.redact import redact_text

    said = redact_text("DB_PASSWORD: hunter2 a.token=abc123 postgres://admin:s3cret@db:5432/x --db-password pw1")
    assert not any(s in said for s in ("hunter2", "abc123", "s3cret", "pw1")), said
    assert "DB_PASSWORD" in said and "postgres://admin:" in said
