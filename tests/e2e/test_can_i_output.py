"""`kubectl auth can-i` printing something other than yes or no (a proxy's banner, a credential plugin's
noise): the install says it could not tell, naming the command, and goes on; it never claims a refusal.
The stand-in kubectl prints the noise for can-i and runs the real kubectl for everything else."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_foreign_output import answers_file, failures, install, stand_in

pytestmark = pytest.mark.e2e


def test_install_goes_on_with_a_warning_when_can_i_prints_noise(testbed, namespace, tmp_path) -> None:
    kubectl = stand_in(tmp_path, testbed.kubectl, ("auth", "can-i", "deployments"), "ACME proxy: session 42\nyes")
    done = install(testbed, answers_file(testbed, namespace, tmp_path), testbed.helm4, kubectl)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert failures(done) == []
    lines = [e["text"] for e in map(json.loads, done.stdout.splitlines()) if e["event"] == "OutputLine"]
    warning = next(line for line in lines if "could not tell" in line)
    assert warning.startswith(
        "warning: could not tell: `kubectl auth can-i create deployments` printed 'ACME proxy: session 42 yes', "
        "not yes or no"
    ), warning
    assert "you may not" not in done.stdout
    assert "permissions to create in the namespace: not all known" in lines
