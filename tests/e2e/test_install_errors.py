"""How ``flyte-tui install`` / ``upgrade`` fail on the real control plane: for each failure the failing step, the
message the user reads, the exit code, and what is left in the cluster (nothing, when it fails before helm).

The users with too little access are ServiceAccounts of the test bed, each with a token in its own kubeconfig
and exactly the RBAC that lets it pass the checks before the one under test. One module-scoped set of them
serves every test; a failed install's release and namespace are removed afterwards with the admin's access.
"""

from __future__ import annotations

import copy
import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest
import testbed as tb

from flyte_tui.charts.values_file import write_values_file
from flyte_tui.files.yamlio import dump
from tests.e2e.test_install import answers, plan_of

pytestmark = pytest.mark.e2e

SECRET_ENV = {
    "FLYTE_TUI_DB_PASSWORD": "pw-errors",
    "FLYTE_TUI_S3_ACCESS_KEY": "AKIAERRORS",
    "FLYTE_TUI_S3_SECRET_KEY": "sk-errors",
}
"""Secrets given on the environment, so that preflight never needs to read a Secret."""

WRITE = ["get", "list", "watch", "create", "update", "patch"]
CHART_KINDS = {
    "": ["namespaces", "secrets", "configmaps", "services", "serviceaccounts"],
    "apps": ["deployments"],
    "networking.k8s.io": ["ingresses"],
    "rbac.authorization.k8s.io": ["clusterroles", "clusterrolebindings", "roles", "rolebindings"],
}
"""What the fixture chart creates (CRDs excepted: createCRDs is false), and the namespace and Secrets."""


def install_rules(*, delete: bool, create_ingresses: bool = True) -> list[dict[str, Any]]:
    """Everything an install needs, except pods: the user cannot list or watch them (the readiness watch
    fails). Without ``delete`` nothing can be deleted; without ``create_ingresses`` no Ingress created."""
    verbs = [*WRITE, "delete"] if delete else WRITE
    rules = []
    for group, kinds in CHART_KINDS.items():
        for kind in kinds:
            allowed = [v for v in verbs if create_ingresses or kind != "ingresses" or v != "create"]
            rules.append({"apiGroups": [group], "resources": [kind], "verbs": allowed})
    # the chart's ClusterRoles grant more than this user holds: creating and binding them needs these
    rules.append({"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles", "roles"],
                  "verbs": ["escalate", "bind"]})  # fmt: skip
    return rules


CAN_I = [  # what preflight's `kubectl auth can-i` asks, and no more
    {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["create"]},
    {"apiGroups": [""], "resources": ["secrets", "serviceaccounts"], "verbs": ["create"]},
]
READ_RELEASES = {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}
USERS: dict[str, list[dict[str, Any]]] = {
    "blind": CAN_I,  # may create, but not read the release records (Secrets)
    "no-namespaces": [*CAN_I, READ_RELEASES],  # passes preflight; may not create namespaces
    "installer": install_rules(delete=False),  # installs; may not watch pods nor delete anything
    "upgrader": install_rules(delete=True, create_ingresses=False),  # upgrades; may not watch pods nor create Ingresses
    "reader": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "list", "watch"]}],
}
"""Cluster-wide RBAC of each user (a ClusterRole and ClusterRoleBinding each)."""


@dataclass
class Users:
    home: str
    """The namespace of the ServiceAccounts."""
    kubeconfigs: dict[str, Path]

    def name(self, user: str) -> str:
        return f"system:serviceaccount:{self.home}:{user}"


@pytest.fixture(scope="module")
def users(testbed: tb.TestBed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Users]:
    folder = tmp_path_factory.mktemp("users")
    home = f"e2e-errors-{secrets.token_hex(3)}"
    testbed.kubectl_run("create", "namespace", home)
    made: list[str] = []
    try:
        configs = {"viewer": kh.pods_only_user(testbed, home, folder)}
        for user, rules in USERS.items():
            configs[user] = kh.service_account_kubeconfig(testbed, home, user, folder)
            role = f"{home}-{user}"
            kh.apply(testbed, "", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                                   "metadata": {"name": role}, "rules": rules})  # fmt: skip
            made.append(f"clusterrole/{role}")
            testbed.kubectl_run("create", "clusterrolebinding", role, f"--clusterrole={role}",
                                f"--serviceaccount={home}:{user}")  # fmt: skip
            made.append(f"clusterrolebinding/{role}")
        yield Users(home, configs)
    finally:
        for ref in reversed(made):
            testbed.kubectl_run("delete", ref, "--ignore-not-found", "--wait=false", check=False)
        testbed.kubectl_run("delete", "namespace", home, "--wait=false", "--ignore-not-found", check=False)


@pytest.fixture
def target(testbed: tb.TestBed) -> Iterator[str]:
    """The name of a namespace that does not exist yet (the install may create it; removed afterwards)."""
    name = f"e2e-target-{secrets.token_hex(3)}"
    yield name
    kh.remove_namespace(testbed, name)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def events(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines()]

    def failures(self) -> list[tuple[str, str]]:
        """(step, message) of every StepFailed, in order."""
        return [(e["step"], e["message"]) for e in self.events if e["event"] == "StepFailed"]

    @property
    def finished(self) -> dict[str, Any]:
        last = self.events[-1]
        assert last["event"] == "InstallFinished", last
        return last


def flyte_tui(
    testbed: tb.TestBed, *args: str, kubeconfig: Path | None = None, env: dict[str, str] | None = None
) -> Run:
    """The headless CLI as a user runs it (no terminal on stdin); never a traceback."""
    full_env = {**testbed.env, **SECRET_ENV, **(env or {})}
    if kubeconfig is not None:
        full_env["KUBECONFIG"] = str(kubeconfig)
    done = subprocess.run([sys.executable, "-m", "flyte_tui.cli", *args], env=full_env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-3000:]
    return Run(done.returncode, done.stdout, done.stderr)


def answers_file(testbed: tb.TestBed, namespace: str, folder: Path, **extra: Any) -> Path:
    path = folder / "flyte-tui.yaml"
    path.write_text(dump(answers(testbed, namespace, **extra)))
    return path


def install_argv(answers_path: Path, helm: Path | str, kubectl: Path | str, *extra: str) -> list[str]:
    return ["install", "--yes", "--helm", str(helm), "--kubectl", str(kubectl), "--timeout", "1m",
            "-o", str(answers_path.with_name("values.yaml")), *extra, str(answers_path)]  # fmt: skip


def assert_nothing_created(testbed: tb.TestBed, namespace: str) -> None:
    """No namespace (so no Secret), and no release anywhere under that namespace."""
    done = testbed.kubectl_run("get", "namespace", namespace, "-o", "name", check=False)
    assert done.returncode != 0 and "NotFound" in done.stderr, done.stdout
    releases = testbed.helm_run(testbed.helm3, "list", "-a", "-A", "-o", "json").stdout
    assert namespace not in releases


def forbidden(user: str, verb: str, resource: str, where: str) -> str:
    """The API server's message for an RBAC refusal."""
    group = resource.split(".", 1)[1] if "." in resource else ""
    return f'User "{user}" cannot {verb} resource "{resource.split(".", 1)[0]}" in API group "{group}" {where}'


# -- preflight: nothing may be created ----------------------------------------------------------------------


def test_a_helm_that_does_not_exist_stops_preflight(testbed, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    run = flyte_tui(testbed, *install_argv(path, "/no/such/helm", testbed.kubectl))  # plain lines
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "==> Preflight checks"
    assert "FAILED: helm is not usable: cannot run /no/such/helm: No such file or directory" in lines
    assert lines[-2:] == ["Install did not finish.", "  release flyte is unknown"]
    assert not any(line.startswith("==> ") for line in lines[1:])  # no step after preflight
    assert_nothing_created(testbed, target)


def test_a_kubectl_that_does_not_exist_stops_preflight(testbed, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    run = flyte_tui(testbed, *install_argv(path, testbed.helm4, "/no/such/kubectl"), "--json")
    assert run.code == 1
    assert run.failures() == [
        ("preflight", "kubectl is not usable: cannot run /no/such/kubectl: No such file or directory")
    ]
    assert run.finished["ok"] is False and run.finished["release_state"] == "not installed"
    assert_nothing_created(testbed, target)


def test_an_unreachable_cluster_stops_preflight(testbed, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    down = kh.kubeconfig(testbed, tmp_path, "down", server=kh.DEAD_SERVER)
    run = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl), "--json", kubeconfig=down)
    assert run.code == 1
    [(step, message)] = run.failures()
    assert step == "preflight"
    assert message == (
        f"cannot reach the cluster of {testbed.context}: "
        "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?"
    )
    assert_nothing_created(testbed, target)


def test_refused_credentials_stop_preflight(testbed, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    bogus = kh.kubeconfig(testbed, tmp_path, "bogus", token="not-a-token")
    run = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl), "--json", kubeconfig=bogus)
    assert run.code == 1
    [(step, message)] = run.failures()
    assert step == "preflight"
    assert message == f"the cluster refused the credentials of {testbed.context}: " + (
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)"
    )
    assert_nothing_created(testbed, target)


def test_permission_refused_by_can_i_stops_preflight(testbed, users, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    argv = install_argv(path, testbed.helm4, testbed.kubectl)
    run = flyte_tui(testbed, *argv, "--json", kubeconfig=users.kubeconfigs["viewer"])
    assert run.code == 1
    assert run.failures() == [
        ("preflight", f"you may not create deployments in namespace {target} (kubectl auth can-i said no)")
    ]
    assert_nothing_created(testbed, target)


def test_an_unreadable_release_state_stops_preflight(testbed, users, helm_bin, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    run = flyte_tui(testbed, *install_argv(path, helm_bin, testbed.kubectl), "--json",
                    kubeconfig=users.kubeconfigs["blind"])  # fmt: skip
    assert run.code == 1
    [(step, message)] = run.failures()
    assert step == "preflight"
    assert message.startswith("cannot read the release's state: Error: ")
    assert forbidden(users.name("blind"), "list", "secrets", f'in the namespace "{target}"') in message
    assert run.finished["release_state"] == "unknown"
    assert_nothing_created(testbed, target)


# -- the namespace step ---------------------------------------------------------------------------------


def test_a_namespace_that_cannot_be_created_stops_before_secrets(testbed, users, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    run = flyte_tui(testbed, *install_argv(path, testbed.helm4, testbed.kubectl), "--json",
                    kubeconfig=users.kubeconfigs["no-namespaces"])  # fmt: skip
    assert run.code == 1
    finished = [e["step"] for e in run.events if e["event"] == "StepFinished"]
    assert finished == ["preflight", "repo"]
    [(step, message)] = run.failures()
    assert step == "namespace"
    assert message.startswith(f"cannot create namespace {target}: Error from server (Forbidden): ")
    assert forbidden(users.name("no-namespaces"), "create", "namespaces", "at the cluster scope") in message
    assert run.finished["release_state"] == "not installed"
    assert_nothing_created(testbed, target)


# -- after helm: the readiness watch and the rollback ---------------------------------------------------


def test_a_forbidden_pod_watch_fails_then_the_removal_fails(testbed, users, helm_bin, target, tmp_path) -> None:
    """The user may install but neither watch pods nor delete: the watch fails at once (it used to be
    restarted until the timeout), and the removal of the failed install (rollback on failure) fails too."""
    path = answers_file(testbed, target, tmp_path)
    argv = install_argv(path, helm_bin, testbed.kubectl, "--rollback-on-failure", "--json")
    run = flyte_tui(testbed, *argv, kubeconfig=users.kubeconfigs["installer"])
    assert run.code == 1
    [(step, watch), (rollback_step, removal)] = run.failures()
    assert step == "readiness"
    assert watch.startswith("watching pods failed: Error from server (Forbidden): ")
    assert forbidden(users.name("installer"), "list", "pods", f'in the namespace "{target}"') in watch
    assert rollback_step == "rollback"
    # helm names the reason (Forbidden) only in its --debug log
    assert removal == "helm uninstall failed: Error: failed to delete release: flyte"
    # helm marked the release uninstalling, then could neither delete its objects nor its records
    assert kh.release_state(testbed, helm_bin, target) == run.finished["release_state"] == "uninstalling"
    assert run.finished["summary"] == ["release flyte is uninstalling"]
    # the removal deleted nothing: the Secrets flyte-tui made and the chart's objects are all still there
    left = testbed.kubectl_run("get", "secrets,deployments", "-n", target, "-o", "name").stdout.split()
    assert {"secret/db-pass", "secret/flyte-storage", "deployment.apps/flyteadmin"} <= set(left)


def test_a_rollback_that_helm_cannot_apply_is_reported(testbed, users, helm_bin, target, tmp_path) -> None:
    """An upgrade that drops the Ingresses fails (the user may not watch pods); the rollback to revision 1
    must create them again, which this user may not: the rollback step fails with helm's reason."""
    good = answers(testbed, target)
    values = tmp_path / "revision-1.yaml"
    write_values_file(plan_of(good), values)
    testbed.helm_run(helm_bin, "upgrade", "--install", "flyte", f"{tb.REPO_NAME}/flyte-core", "--version", "v1.16.8",
                     "-n", target, "--create-namespace", "-f", str(values))  # fmt: skip
    no_ingress = copy.deepcopy(good)
    no_ingress["ingress"] = {"enabled": False}
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(no_ingress))
    argv = install_argv(path, helm_bin, testbed.kubectl, "--rollback-on-failure", "--json")
    run = flyte_tui(testbed, *argv, kubeconfig=users.kubeconfigs["upgrader"])
    assert run.code == 1
    [(step, watch), (rollback_step, rollback)] = run.failures()
    assert step == "readiness" and watch.startswith("watching pods failed: ")
    started = [e for e in run.events if e["event"] == "StepStarted" and e["step"] == "rollback"]
    assert [e["title"] for e in started] == ["Rolling back to revision 1"]
    assert rollback_step == "rollback"
    assert rollback.startswith("helm rollback failed: Error: failed to create resource: ingresses.networking.k8s.io")
    assert (
        forbidden(users.name("upgrader"), "create", "ingresses.networking.k8s.io", f'in the namespace "{target}"')
        in rollback
    )
    assert kh.release_state(testbed, helm_bin, target) == run.finished["release_state"] == "failed"
    assert run.finished["summary"] == ["release flyte is failed"]
    gone = testbed.kubectl_run("get", "ingress", "-n", target, "-o", "name").stdout.split()
    assert gone == []  # revision 1's Ingresses were not brought back


# -- the headless commands' own refusals ------------------------------------------------------------------


def test_install_refuses_without_yes_off_a_terminal(testbed, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    argv = [a for a in install_argv(path, testbed.helm4, testbed.kubectl) if a != "--yes"]
    run = flyte_tui(testbed, *argv)
    assert run.code == 2 and run.stdout == ""
    assert run.stderr.strip() == "refusing to install without --yes when not on a terminal"
    assert_nothing_created(testbed, target)


def test_a_password_file_that_is_missing_or_not_text_is_refused(testbed, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    argv = install_argv(path, testbed.helm4, testbed.kubectl)
    missing = flyte_tui(testbed, *argv[:-1], "--db-password-file", str(tmp_path / "absent.txt"), argv[-1])
    assert missing.code == 2 and missing.stdout == ""
    assert f"'--db-password-file': File '{tmp_path / 'absent.txt'}' does not exist." in missing.stderr
    binary = tmp_path / "password.bin"
    binary.write_bytes(b"\xff\xfe\x00not text")
    not_text = flyte_tui(testbed, *argv[:-1], "--db-password-file", str(binary), argv[-1])
    assert not_text.code == 2 and not_text.stdout == ""
    assert not_text.stderr.strip() == f"cannot read the password file {binary}: it is not UTF-8 text"
    assert_nothing_created(testbed, target)


def test_upgrade_without_a_release_points_to_install(testbed, target, tmp_path) -> None:
    path = answers_file(testbed, target, tmp_path)
    run = flyte_tui(testbed, "upgrade", "--yes", "--json", "--helm", str(testbed.helm4), str(path))
    assert run.code == 2 and run.finished["release_state"] == "not installed"  # --json: the end as JSON too
    assert run.stderr.strip() == (
        f"error: no release flyte in namespace {target}; use `flyte-tui install` for a first install"
    )
    assert_nothing_created(testbed, target)


def test_a_recovery_that_fails_is_reported_and_changes_nothing(testbed, users, namespace, helm_bin, tmp_path) -> None:
    """A release left pending-install; `upgrade --recover` by a user who may read but not delete."""
    stuck = tmp_path / "stuck.yaml"
    stuck.write_text(dump({"flytepropeller": {"createCRDs": False},
                           "flyteadmin": {"podLabels": {tb.FAULT_LABEL: "stuckinit"}}}))  # fmt: skip
    kh.leave_pending(testbed, helm_bin, "install", namespace, stuck)
    path = answers_file(testbed, namespace, tmp_path)
    argv = ["upgrade", "--yes", "--recover", "--helm", str(helm_bin), "--kubectl", str(testbed.kubectl), str(path)]
    run = flyte_tui(testbed, *argv, kubeconfig=users.kubeconfigs["reader"])
    assert run.code == 1
    # the safe recovery first (re-apply revision 1), the uninstall only as the destructive last resort
    assert f"Recovery: {helm_bin} rollback flyte 1 --namespace {namespace}" in run.stdout
    assert f"Last resort (destructive): {helm_bin} uninstall flyte --namespace {namespace}" in run.stdout
    assert run.stderr.strip().startswith(
        "error: recovery failed: Error: create: failed to create: secrets is forbidden"
    )
    assert "recovered: release" not in run.stdout
    assert kh.release_state(testbed, helm_bin, namespace) == "pending-install"
