"""A run that fails after it created the namespace and the Secrets, but before helm recorded anything, removes
what it created and keeps what was there before (issue 12, item 29). The failure here is a values path that
stops being writable after preflight (its folder replaced by a file), as a full or read-only disk would."""

from __future__ import annotations

import dataclasses
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import k8s_helpers as kh
import pytest
import testbed as tb

from flyte_tui.events import Event, InstallFinished, StepFailed, StepFinished
from flyte_tui.install import Installer
from tests.e2e.test_install import answers, options, plan_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def fresh(testbed: tb.TestBed) -> Iterator[str]:
    """A namespace name that does not exist yet."""
    name = f"e2e-cleanup-{secrets.token_hex(3)}"
    yield name
    kh.remove_namespace(testbed, name)


def install_losing_its_values_folder(testbed: tb.TestBed, namespace: str, tmp_path: Path) -> list[Event]:
    folder = tmp_path / "out"
    folder.mkdir()
    opts = dataclasses.replace(options(testbed, testbed.helm4, tmp_path), values_path=folder / "values.yaml")
    seen: list[Event] = []
    for event in Installer(plan_of(answers(testbed, namespace)), opts).run():
        seen.append(event)
        if isinstance(event, StepFinished) and event.step == "secrets":  # after preflight, before helm
            shutil.rmtree(folder)
            folder.write_text("not a folder any more\n")
    return seen


def gone_or_terminating(testbed: tb.TestBed, namespace: str) -> bool:
    done = testbed.kubectl_run("get", "namespace", namespace, "-o", "jsonpath={.status.phase}", check=False)
    return done.returncode != 0 or done.stdout == "Terminating"


def test_a_failure_before_helm_removes_the_namespace_it_created(testbed, fresh, tmp_path) -> None:
    seen = install_losing_its_values_folder(testbed, fresh, tmp_path)
    [failure] = [e for e in seen if isinstance(e, StepFailed)]
    assert failure.step == "helm" and failure.message.startswith("cannot write the values file")
    finished = seen[-1]
    assert isinstance(finished, InstallFinished) and not finished.ok
    assert finished.release_state == "not installed"
    removed = f"removed namespace {fresh} (created by this run, with its Secrets), as nothing was installed"
    assert removed in finished.summary
    assert gone_or_terminating(testbed, fresh)


def test_a_failure_before_helm_keeps_a_namespace_and_secrets_that_were_there(testbed, namespace, tmp_path) -> None:
    testbed.kubectl_run("create", "secret", "generic", "flyte-storage", "-n", namespace, "--from-literal=a=b")
    testbed.kubectl_run("create", "secret", "generic", "unrelated", "-n", namespace, "--from-literal=c=d")
    seen = install_losing_its_values_folder(testbed, namespace, tmp_path)
    [failure] = [e for e in seen if isinstance(e, StepFailed)]
    assert failure.step == "helm"
    finished = seen[-1]
    assert isinstance(finished, InstallFinished)
    assert f"removed Secret db-pass (created by this run in {namespace}), as nothing was installed" in finished.summary
    left = testbed.kubectl_run("get", "secrets", "-n", namespace, "-o", "name").stdout.split()
    assert "secret/db-pass" not in left
    assert {"secret/flyte-storage", "secret/unrelated"} <= set(left)
    phase = testbed.kubectl_run("get", "namespace", namespace, "-o", "jsonpath={.status.phase}").stdout
    assert phase == "Active"
