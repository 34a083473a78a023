"""`kubectl auth can-i`'s output read as yes, no, or "could not tell" (issue 12 leftovers): a proxy's banner or
a credential plugin's noise is not a refusal. (What kubectl prints is plain data here; the e2e test in
tests/e2e/test_foreign_output.py runs the real install against a kubectl that prints it.)"""

from __future__ import annotations

import pytest

from flyte_tui.tools.kubectl import Permission

CMD = "kubectl auth can-i create deployments"


@pytest.mark.parametrize(("stdout", "allowed"), [("yes\n", True), ("no\n", False), ("no - RBAC: not bound\n", False)])
def test_yes_and_no_are_answers(stdout: str, allowed: bool) -> None:
    answer = Permission.read(CMD, stdout)
    assert answer.allowed is allowed and answer.unclear() == ""


@pytest.mark.parametrize(
    ("stdout", "stderr", "printed"),
    [
        ("ACME proxy: session 42\nyes\n", "", "'ACME proxy: session 42 yes'"),
        ("<html><h1>502 Bad Gateway</h1></html>", "", "'<html><h1>502 Bad Gateway</h1></html>'"),
        ("no\nno\n", "", "'no no'"),
        ("", "E1202 exec plugin: token refreshed", "'E1202 exec plugin: token refreshed'"),
        ("", "", "nothing"),
    ],
)
def test_anything_else_is_could_not_tell_naming_the_command(stdout: str, stderr: str, printed: str) -> None:
    answer = Permission.read(CMD, stdout, stderr)
    assert answer.allowed is None
    assert answer.unclear() == f"could not tell: `{CMD}` printed {printed}, not yes or no"


def test_a_token_in_the_noise_is_masked() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl"
    answer = Permission.read(CMD, f"plugin refreshed: Authorization: Bearer {token}\n")
    assert "eyJzdWIiOiJhIn0" not in answer.unclear()
