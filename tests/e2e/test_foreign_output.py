"""helm and kubectl printing something other than what flyte-tui asked for (issue 12, items 4-5): a proxy's
error page instead of JSON, valid JSON of the wrong shape. install, diff and doctor run headless on the test
bed against a stand-in that prints the garbage for one command and runs the real binary for every other
one; each ends with its exit code and a message naming the command, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import testbed as tb

from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers

pytestmark = pytest.mark.e2e

SECRET_ENV = {
    "FLYTE_TUI_DB_PASSWORD": "pw-output",
    "FLYTE_TUI_S3_ACCESS_KEY": "AKIAOUTPUT",
    "FLYTE_TUI_S3_SECRET_KEY": "sk-output-1",
}
PROXY_PAGE = "<html><body><h1>502 Bad Gateway</h1></body></html>"


Rule = tuple[tuple[str, ...], str]


def stand_in(folder: Path, real: Path | str, words: tuple[str, ...], garbage: str, *more: Rule) -> Path:
    """A program in place of ``real`` that prints ``garbage`` (exit 0) when its arguments hold every one of
    ``words`` (or the garbage of the first of ``more`` whose words they hold), and runs ``real`` otherwise."""
    home = folder / f"stand-in-{len(list(folder.glob('stand-in-*')))}"
    home.mkdir()
    path = home / Path(real).name.rstrip("0123456789")  # helm4 -> helm: the name a user's PATH has
    rules = [(words, garbage), *more]
    path.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        f"for words, garbage in {rules!r}:\n"
        "    if all(w in sys.argv[1:] for w in words):\n"
        "        sys.stdout.write(garbage + '\\n')\n"
        "        sys.exit(0)\n"
        f"os.execv({str(real)!r}, [{str(real)!r}, *sys.argv[1:]])\n"
    )
    path.chmod(0o755)
    return path


def flyte_tui(testbed: tb.TestBed, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """The headless CLI as a user runs it; never a traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", *args], env={**testbed.env, **SECRET_ENV}, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    return done


def answers_file(testbed: tb.TestBed, namespace: str, folder: Path) -> Path:
    path = folder / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace)))
    return path


def failures(done: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    events = [json.loads(line) for line in done.stdout.splitlines()]
    return [(e["step"], e["message"]) for e in events if e["event"] == "StepFailed"]


def install(testbed: tb.TestBed, path: Path, helm: Path | str, kubectl: Path | str, *extra: str) -> Any:
    return flyte_tui(
        testbed, "install", "--yes", "--json", "--helm", str(helm), "--kubectl", str(kubectl), "--timeout", "40s",
        "-o", str(path.with_name("values.yaml")), *extra, str(path),
    )  # fmt: skip


def test_install_when_helm_status_is_not_json(testbed, namespace, tmp_path) -> None:
    helm = stand_in(tmp_path, testbed.helm4, ("status", "json"), PROXY_PAGE)
    done = install(testbed, answers_file(testbed, namespace, tmp_path), helm, testbed.kubectl)
    assert done.returncode == 1, done.stderr
    [(step, message)] = failures(done)
    assert step == "preflight"
    assert "`helm status` printed text that is not JSON ('<html><body><h1>502 Bad Gateway" in message, message


@pytest.mark.parametrize(
    ("words", "garbage", "named"),
    [
        (("get", "deployments", "json"), PROXY_PAGE, "`kubectl get deployments` printed text that is not JSON"),
        (("get", "deployments", "json"), "[1]", "`kubectl get deployments` printed JSON of another shape (a list)"),
        (("get", "pods", "--watch"), "E1202 credential plugin says hello", "`kubectl get pods --watch` printed text"),
    ],
    ids=["deployments-html", "deployments-list", "watch-text"],
)
def test_install_when_kubectl_get_prints_garbage(testbed, namespace, tmp_path, words, garbage, named) -> None:
    kubectl = stand_in(tmp_path, testbed.kubectl, words, garbage)
    done = install(testbed, answers_file(testbed, namespace, tmp_path), testbed.helm4, kubectl)
    assert done.returncode == 1, done.stderr
    found = failures(done)
    assert found and found[0][0] == "readiness", found
    assert named in found[0][1], found


@pytest.mark.parametrize("garbage", ["[1]", '{"a": 1}', '[{"revision": "two"}]', PROXY_PAGE])
def test_diff_when_helm_history_has_the_wrong_shape(testbed, namespace, tmp_path, garbage) -> None:
    helm = stand_in(tmp_path, testbed.helm4, ("history", "json"), garbage)
    done = flyte_tui(testbed, "diff", "--helm", str(helm), str(answers_file(testbed, namespace, tmp_path)))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error: `helm history` printed " in done.stderr, done.stderr
    assert "not a JSON list of revisions" in done.stderr


def test_doctor_when_kubectl_and_helm_print_garbage(testbed, namespace, tmp_path) -> None:
    kubectl = stand_in(tmp_path, testbed.kubectl, ("get", "namespaces,ingressclasses"), PROXY_PAGE,
                       (("get", "secrets"), "E1202 exec plugin: token refreshed"))  # fmt: skip
    helm = stand_in(tmp_path, testbed.helm4, ("history", "json"), '{"a": 1}')
    done = flyte_tui(
        testbed, "doctor", "--json", "--context", testbed.context, "--namespace", namespace, "--helm", str(helm),
        "--kubectl", str(kubectl), timeout=60,
    )  # fmt: skip
    report = json.loads(done.stdout)
    checks = {c["id"]: c for c in report["checks"]}
    text = json.dumps(report)
    print(json.dumps({i: (c["severity"], c["summary"]) for i, c in checks.items()}, indent=1))
    assert done.returncode == 3 and report["exitCode"] == 3, done.stderr
    assert "`kubectl get namespaces,ingressclasses` printed text that is not JSON" in text
    assert checks["cluster.namespace"]["severity"] != "pass"
    assert "`helm history` printed JSON of another shape (an object), not a JSON list of revisions" in text
    assert checks["release.status"]["severity"] != "pass"
    assert "`kubectl get secrets` printed a line of another form ('E1202 exec plugin: token refreshed')" in text


def test_diff_when_helm_diff_prints_no_diff(testbed, namespace, tmp_path) -> None:
    """helm-diff printing a page instead of its object headers: not read as "helm-diff reports nothing"."""
    path = answers_file(testbed, namespace, tmp_path)
    done = install(testbed, path, testbed.helm4, testbed.kubectl)
    assert done.returncode == 0, done.stdout[-2000:]
    helm = stand_in(tmp_path, testbed.helm4, ("diff", "upgrade"), PROXY_PAGE)
    done = flyte_tui(testbed, "diff", "--helm", str(helm), str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error: `helm diff upgrade` printed text without a single object header ('<html>" in done.stderr
