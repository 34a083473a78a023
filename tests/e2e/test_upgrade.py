"""The upgrade flow end to end on the real control plane (helm 3 and helm 4): review, apply, roll back, recover."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import k8s_helpers as kh
import pytest

from flyte_tui.charts.values_file import write_values_file
from flyte_tui.events import InstallFinished, StepFailed, StepFinished, StepStarted
from flyte_tui.files.answers import load_answers, write_answers
from flyte_tui.files.yamlio import dump, load_plain
from flyte_tui.install import Installer
from flyte_tui.release import find_release, live_answers, live_values, stuck_release_fix
from flyte_tui.review.review import review, review_plan
from flyte_tui.tools.helm import Helm
from flyte_tui.tools.process import run as run_process
from flyte_tui.upgrade import FixDone, NoRelease, Reviewed, StuckRelease, upgrade_until_review
from tests.e2e.test_install import answers, collect, options, plan_of

pytestmark = pytest.mark.e2e


def install(testbed: Any, helm_bin: Path, tmp_path: Path, data: dict[str, Any]) -> None:
    events, _ = collect(Installer(plan_of(data), options(testbed, helm_bin, tmp_path)))
    assert isinstance(events[-1], InstallFinished) and events[-1].ok, [e for e in events if isinstance(e, StepFailed)]


def installed_then_stuck(testbed: Any, helm_bin: Path, namespace: str, tmp_path: Path) -> dict[str, Any]:
    """Install good answers, then leave an upgrade (whose flyteadmin init never finishes) pending-upgrade,
    as an interrupted helm would. Returns the good answers."""
    good = answers(testbed, namespace)
    install(testbed, helm_bin, tmp_path, good)
    stuck = copy.deepcopy(good)
    stuck["extraValues"]["flyteadmin"] = {"podLabels": {"sim.kwok.test/fault": "stuckinit"}}
    stuck_values = tmp_path / "stuck.yaml"
    write_values_file(plan_of(stuck), stuck_values)
    kh.leave_pending(testbed, helm_bin, "upgrade", namespace, stuck_values)
    return good


def adapter(testbed: Any, helm_bin: Path, namespace: str) -> Helm:
    return Helm(str(helm_bin), testbed.context, namespace, testbed.env)


def major(helm_bin: Path) -> int:
    return 4 if helm_bin.name == "helm4" else 3


def test_review_shows_exactly_what_changes_then_apply(testbed, namespace, helm_bin, tmp_path) -> None:
    old = answers(testbed, namespace)
    old["target"]["chart"]["version"] = "v1.16.7"
    install(testbed, helm_bin, tmp_path, old)

    new = copy.deepcopy(old)
    new["target"]["chart"]["version"] = "v1.16.8"
    new["database"]["host"] = "db2.example.com"
    new["resources"] = {"components": {"flyteconsole": {"replicas": 3}}}
    plan = plan_of(new)
    values = tmp_path / "new-values.yaml"
    write_values_file(plan, values)
    helm = adapter(testbed, helm_bin, namespace)
    result = review(helm, plan, values, major(helm_bin))

    assert [(c.path, c.old, c.new) for c in result.answers] == [
        ("database.host", "db.example.com", "db2.example.com"),
        ("resources.components.flyteconsole.replicas", 1, 3),
    ]
    assert {c.path for c in result.values.changes} == {
        "db.admin.database.host",
        "db.datacatalog.database.host",
        "flyteconsole.replicaCount",
    }
    changed = {str(o.key) for o in result.manifests.objects}
    # v1.16.8 changes every image tag (copilot's in the propeller config too); the db host is in four db.yaml files;
    # replicas change flyteconsole. Nothing else (Services, SAs, RBAC differ only in the chart label).
    assert changed == {
        "Deployment/flyteadmin",
        "Deployment/datacatalog",
        "Deployment/flytepropeller",
        "Deployment/flyteconsole",
        "Deployment/flytescheduler",
        "Deployment/syncresources",
        "Deployment/flyte-pod-webhook",
        "ConfigMap/flyte-admin-base-config",
        "ConfigMap/datacatalog-config",
        "ConfigMap/flyte-scheduler-config",
        "ConfigMap/flyte-clusterresourcesync-config",
        "ConfigMap/flyte-propeller-config",
    }
    assert all(o.change == "changed" for o in result.manifests.objects)
    console = next(o for o in result.manifests.objects if str(o.key) == "Deployment/flyteconsole")
    assert "-  replicas: 1" in console.lines and "+  replicas: 3" in console.lines
    assert {w.path for w in result.warnings} >= {"flyteadmin.image.tag", "datacatalog.image.tag"}
    assert result.helm_diff is not None and changed <= result.helm_diff
    assert set(result.noise_only) == result.helm_diff - changed

    events, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path)))
    assert isinstance(events[-1], InstallFinished) and events[-1].ok
    # "ready" means the new pods: at that moment no live pod runs a v1.16.7 image any more
    live = [p for p in kh.pods(testbed, namespace, "") if not p["metadata"].get("deletionTimestamp")]
    images = {c["image"].rsplit(":", 1)[-1] for p in live for c in p["spec"]["containers"]}
    assert "v1.16.7" not in images, images
    consoles = [p for p in live if p["metadata"]["labels"].get("app.kubernetes.io/name") == "flyteconsole"]
    assert len(consoles) == 3
    info = find_release(helm, "flyte")
    assert info is not None and info.revision == 2 and info.chart == "flyte-core-v1.16.8"


def test_unknown_keys_of_a_live_release_survive_an_upgrade(testbed, namespace, helm_bin, tmp_path) -> None:
    # A release installed by hand, with keys flyte-tui does not model.
    hand = tmp_path / "hand.yaml"
    hand.write_text(
        dump(
            {
                "flytepropeller": {"createCRDs": False},
                "flyteadmin": {"podLabels": {"team": "ml-platform"}},
                "sparkoperator": {"enabled": False},
                "storage": {"type": "s3", "bucketName": "hand-bucket", "s3": {"region": "eu-west-1"}},
            }
        )
    )
    testbed.helm_run(
        helm_bin, "install", "flyte", "flyteorg/flyte-core", "--version", "v1.16.8", "-n", namespace, "-f", str(hand)
    )
    helm = adapter(testbed, helm_bin, namespace)
    info = find_release(helm, "flyte")
    assert info is not None
    imported = live_answers(helm, info)
    assert "flyteadmin.podLabels.team" in imported.leftovers and "sparkoperator.enabled" in imported.leftovers
    answers_path = tmp_path / "flyte-tui.yaml"
    data = imported.answers
    data["target"]["chart"] = {"repo": testbed.repo_url, "name": "flyte-core", "version": "v1.16.8"}
    data["target"]["context"] = testbed.context
    data["resources"]["components"]["flyteconsole"]["replicas"] = 2
    # the hand-made release had no usable ingress (nginx without TLS): the import says so; fix it
    data["ingress"].update({"host": "flyte.example.com", "separateGrpc": True, "tls": {"enabled": True}})
    write_answers(data, answers_path)
    plan = plan_of(load_answers(answers_path))
    events, _ = collect(Installer(plan, options(testbed, helm_bin, tmp_path)))
    assert isinstance(events[-1], InstallFinished) and events[-1].ok, [e for e in events if isinstance(e, StepFailed)]
    after = live_values(helm, "flyte")
    assert after["flyteadmin"]["podLabels"] == {"team": "ml-platform"}
    assert after["sparkoperator"] == {"enabled": False}
    assert after["storage"]["bucketName"] == "hand-bucket"
    assert after["flyteconsole"]["replicaCount"] == 2


def test_changed_secret_shows_the_key_never_the_value(testbed, namespace, helm_bin, tmp_path) -> None:
    """A release installed by hand with an OIDC client secret in its values. flyte-tui keeps secrets out
    of values files, so its plan changes that Secret (back to the chart's value): the review says which
    key changed and never prints either value."""
    old_secret = "CANARY-old-" + os.urandom(4).hex()
    plan = plan_of(answers(testbed, namespace))
    by_hand = tmp_path / "by-hand.yaml"
    write_values_file(plan, by_hand)
    values_by_hand = load_plain(by_hand.read_text())
    values_by_hand["secrets"] = {"adminOauthClientCredentials": {"enabled": True, "clientSecret": old_secret}}
    by_hand.write_text(dump(values_by_hand))
    chart = plan.target.chart
    testbed.helm_run(
        helm_bin, "upgrade", "--install", "flyte", chart.name, "--repo", chart.repo, "--version", chart.version,
        "-n", namespace, "--create-namespace", "-f", str(by_hand),
    )  # fmt: skip
    result = review_plan(plan, adapter(testbed, helm_bin, namespace))
    secret = next(o for o in result.manifests.objects if o.key.kind == "Secret")
    assert secret.secret_keys == (("client_secret", "changed"),)
    assert "secrets.adminOauthClientCredentials.clientSecret" in [c.path for c in result.values.changes]
    from flyte_tui.cli.run import review_lines

    shown = json.dumps(result.to_json(), default=str) + "\n".join(review_lines(result))
    assert old_secret not in shown and "foobar" not in shown  # foobar: the chart's own client secret
    assert "client_secret: changed" in "\n".join(review_lines(result))


def test_a_failed_upgrade_left_as_it_is_offers_the_rollback_and_its_changes(
    testbed, namespace, helm_bin, tmp_path
) -> None:
    """Rollback on failure off: the failure is explained and the way back is offered with what it changes."""
    good = answers(testbed, namespace)
    install(testbed, helm_bin, tmp_path, good)
    bad = copy.deepcopy(good)
    bad["extraValues"]["flyteadmin"] = {"podLabels": {"sim.kwok.test/fault": "crashloop"}}
    events, _ = collect(Installer(plan_of(bad), options(testbed, helm_bin, tmp_path, rollback_on_failure=False)))
    last = events[-1]
    assert isinstance(last, InstallFinished) and not last.ok
    assert not [e for e in events if isinstance(e, StepStarted) and e.step == "rollback"]
    offer = [line for line in last.summary if "to return to revision 1" in line]
    assert offer and "rollback flyte 1" in offer[0]
    assert any("that changes: changed Deployment/flyteadmin" in line for line in last.summary), last.summary


def test_an_upgrade_that_helm_itself_fails_is_rolled_back(testbed, namespace, helm_bin, tmp_path) -> None:
    """helm upgrade fails on the API server (an invalid replica count): the failed revision it recorded is
    rolled back too, not only failures seen while waiting for pods."""
    good = answers(testbed, namespace)
    install(testbed, helm_bin, tmp_path, good)
    bad = copy.deepcopy(good)
    bad["extraValues"]["flyteadmin"] = {"replicaCount": -1}
    events, _ = collect(Installer(plan_of(bad), options(testbed, helm_bin, tmp_path, rollback_on_failure=True)))
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed[0].step == "helm"
    assert any(isinstance(e, StepFinished) and e.step == "rollback" and e.ok for e in events)
    last = events[-1]
    assert isinstance(last, InstallFinished) and not last.ok and last.release_state == "deployed"
    history = json.loads(testbed.helm_run(helm_bin, "history", "flyte", "-n", namespace, "-o", "json").stdout)
    assert [h["status"] for h in history] == ["superseded", "failed", "deployed"]


def test_failed_upgrade_is_rolled_back_to_a_ready_previous_revision(testbed, namespace, helm_bin, tmp_path) -> None:
    good = answers(testbed, namespace)
    install(testbed, helm_bin, tmp_path, good)
    bad = copy.deepcopy(good)
    bad["extraValues"]["flyteadmin"] = {"podLabels": {"sim.kwok.test/fault": "crashloop"}}
    events, elapsed = collect(
        Installer(plan_of(bad), options(testbed, helm_bin, tmp_path, rollback_on_failure=True, timeout=300.0))
    )
    failed = [e for e in events if isinstance(e, StepFailed)]
    assert failed[0].step == "readiness" and failed[0].explanation is not None
    assert failed[0].explanation.component == "flyteadmin"
    assert [e.step for e in events if isinstance(e, StepStarted)][-1] == "rollback"
    assert any(isinstance(e, StepFinished) and e.step == "rollback" and e.ok for e in events)
    last = events[-1]
    assert isinstance(last, InstallFinished) and not last.ok and last.release_state == "deployed"
    assert "rolled back to revision 1" in last.summary[0]
    assert elapsed < 120
    history = json.loads(testbed.helm_run(helm_bin, "history", "flyte", "-n", namespace, "-o", "json").stdout)
    assert [h["status"] for h in history][-1] == "deployed" and len(history) == 3
    pods = json.loads(
        testbed.kubectl_run(
            "get", "pods", "-n", namespace, "-l", "app.kubernetes.io/name=flyteadmin", "-o", "json"
        ).stdout
    )["items"]
    live = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
    assert live and all("sim.kwok.test/fault" not in p["metadata"].get("labels", {}) for p in live)


def test_pending_upgrade_is_detected_and_recovered(testbed, namespace, helm_bin, tmp_path) -> None:
    good = installed_then_stuck(testbed, helm_bin, namespace, tmp_path)
    helm = adapter(testbed, helm_bin, namespace)
    events, _ = collect(Installer(plan_of(good), options(testbed, helm_bin, tmp_path)))
    refused = next(e for e in events if isinstance(e, StepFailed))
    assert refused.step == "preflight" and "pending-upgrade" in refused.message

    fix = stuck_release_fix(helm, "flyte")
    assert fix is not None and fix.state == "pending-upgrade" and fix.target_revision == 1
    assert "revision 2" in fix.description
    assert fix.argv[1:4] == ["rollback", "flyte", "1"]
    assert {str(o.key) for o in fix.diff.objects} == {"Deployment/flyteadmin"}  # the stuck pod's label goes
    assert run_process(fix.argv, 120, env=testbed.env).ok
    events, _ = collect(Installer(plan_of(good), options(testbed, helm_bin, tmp_path)))
    assert isinstance(events[-1], InstallFinished) and events[-1].ok


def test_headless_upgrade_shows_the_release_and_recovers_a_stuck_one(testbed, namespace, tmp_path) -> None:
    """`flyte-tui upgrade`: says which release it found (chart, revision, status, when); a pending one is
    explained with its recovery and refused; with --recover it is recovered, then upgraded; --json keeps
    stdout to JSON events."""
    helm4 = Path(testbed.helm4)
    good = installed_then_stuck(testbed, helm4, namespace, tmp_path)
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(good))
    env = {**testbed.env, "FLYTE_TUI_DB_PASSWORD": "pw-upgrade", "FLYTE_TUI_S3_ACCESS_KEY": "AKIAUPGRADE",
           "FLYTE_TUI_S3_SECRET_KEY": "sk-upgrade"}  # fmt: skip
    base = [sys.executable, "-m", "flyte_tui.cli", "upgrade", "--yes", "--helm", str(helm4),
            "--kubectl", str(testbed.kubectl), "--timeout", "2m"]  # fmt: skip

    refused = subprocess.run([*base, str(path)], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"release flyte in {namespace}: flyte-core-v1.16.8, revision 2, pending-upgrade" in refused.stdout
    assert "Recovery: " in refused.stdout and "rollback flyte 1" in refused.stdout
    assert "--recover" in refused.stderr

    argv = [*base, "--recover", "--json", str(path)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    events = [json.loads(line) for line in done.stdout.splitlines()]  # nothing but JSON on stdout
    assert events[-1]["event"] == "InstallFinished" and events[-1]["ok"] is True
    assert "recovered: release flyte rolled back to revision 1" in done.stderr
    history = json.loads(testbed.helm_run(helm4, "history", "flyte", "-n", namespace, "-o", "json").stdout)
    assert history[-1]["status"] == "deployed" and history[-1]["revision"] == 4


def test_headless_diff_exit_codes(testbed, namespace, tmp_path) -> None:
    data = answers(testbed, namespace)
    install(testbed, Path(testbed.helm4), tmp_path, data)
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(data))
    base = [sys.executable, "-m", "flyte_tui.cli", "diff", "--helm", str(testbed.helm4)]
    same = subprocess.run([*base, str(path)], capture_output=True, text=True, env=testbed.env, timeout=120, check=False)
    assert same.returncode == 0, same.stdout + same.stderr
    data["database"]["host"] = "db3.example.com"
    path.write_text(dump(data))
    changed = subprocess.run(
        [*base, "--json", str(path)], capture_output=True, text=True, env=testbed.env, timeout=120, check=False
    )
    assert changed.returncode == 2, changed.stderr
    report = json.loads(changed.stdout)
    assert [a["path"] for a in report["answers"]] == ["database.host"]
    path.write_text("environment: [broken\n")
    broken = subprocess.run(
        [*base, str(path)], capture_output=True, text=True, env=testbed.env, timeout=60, check=False
    )
    assert broken.returncode == 1 and "Traceback" not in broken.stderr


def test_the_upgrade_sequence_on_a_stuck_release(testbed, namespace, helm_bin, tmp_path) -> None:
    """The one sequence both faces drive: a release stuck in pending-upgrade is found with its fix and the
    sequence stops there; told to recover, it runs the fix (back to revision 1), then reviews the upgrade."""
    good = installed_then_stuck(testbed, helm_bin, namespace, tmp_path)
    helm = adapter(testbed, helm_bin, namespace)
    plan = plan_of(good)

    refused = list(upgrade_until_review(plan, helm, recover=False))
    assert [type(e) for e in refused] == [StuckRelease]
    assert refused[0].info.status == "pending-upgrade" and refused[0].fix.target_revision == 1
    assert kh.release_state(testbed, helm_bin, namespace) == "pending-upgrade"  # nothing ran

    steps = list(upgrade_until_review(plan, helm, recover=True))
    assert [type(e) for e in steps] == [StuckRelease, FixDone, Reviewed]
    done, reviewed = steps[1], steps[2]
    assert isinstance(done, FixDone) and done.ok and done.upgradable and done.fix.outcome == "rolled back to revision 1"
    assert isinstance(reviewed, Reviewed) and reviewed.review.release is not None
    assert reviewed.review.release.status == "deployed" and reviewed.review.release.revision == 3
    # the rolled-back release is what the good answers describe: nothing left to change
    assert [c.path for c in reviewed.review.answers] == []
    assert [r.release for r in reviewed.releases] == ["flyte"]


def test_the_upgrade_sequence_without_a_release(testbed, namespace, helm_bin) -> None:
    plan = plan_of(answers(testbed, namespace))
    steps = list(upgrade_until_review(plan, adapter(testbed, helm_bin, namespace), recover=True))
    assert steps == [NoRelease("flyte", namespace)]
    assert steps[0].message == f"no release flyte in namespace {namespace}"
