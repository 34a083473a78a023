"""The doctor's checks of the sandbox's dependencies (minio and postgres of the flyte-deps release), on the
captured healthy snapshot with the dependency release's objects added per test."""

from __future__ import annotations

from typing import Any

from doctor_scenarios import add, iso, load, obj, run
from test_checks import plan

from flyte_tui.doctor.snapshot import Snapshot

DEPS = "flyte-deps"


def labels(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": DEPS}


def with_dependencies(env: list[dict[str, Any]] | None = None, ready: bool = True) -> Snapshot:
    """The healthy snapshot plus minio and postgres as flyte-deps creates them."""
    snap = load("deployed")
    postgres_env = env if env is not None else [{"name": "POSTGRES_HOST_AUTH_METHOD", "value": "trust"},
                                                  {"name": "POSTGRES_DB", "value": "flyteadmin"}]  # fmt: skip
    for name, container_env in (("minio", []), ("postgres", postgres_env)):
        spec = {"replicas": 1, "template": {"spec": {"containers": [{"name": name, "env": container_env}]}}}
        add(snap, "deployments", obj(name, labels=labels(name), spec=spec))
        add(snap, "services", obj(name, labels=labels(name)))
        waiting = {} if ready else {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off"}}
        status = {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True" if ready or name == "minio" else "False"}],
            "containerStatuses": [{"name": name, "restartCount": 0 if ready else 4,
                                   "state": waiting if name == "postgres" else {"running": {"startedAt": iso()}}}],
        }  # fmt: skip
        add(snap, "pods", obj(f"{name}-5d9c7-abcde", labels=labels(name), status=status))
    return snap


def test_bundled_minio_and_postgres_pass() -> None:
    snap = with_dependencies()
    for check in ("dependency.minio", "dependency.postgres"):
        finding = run(snap, check)
        assert finding.severity == "pass", finding.summary
        assert "of release flyte-deps Ready, Service there" in finding.summary
    auth = run(snap, "dependency.db-auth")
    assert auth.severity == "pass" and "trusts connections" in auth.summary


def test_nothing_bundled_skips_and_answers_that_bundle_fail_without_pods() -> None:
    snap = load("deployed")
    assert {run(snap, c).severity for c in ("dependency.minio", "dependency.postgres", "dependency.db-auth")} == {
        "skip"
    }
    snap = load("deployed", plan=plan("sandbox"))  # the answers say both are bundled: they must be there
    finding = run(snap, "dependency.postgres")
    assert finding.severity == "fail" and "no postgres pods of release flyte-deps" in finding.summary
    assert finding.answer == "dependencies.database"


def test_a_crash_looping_postgres_is_named_as_a_dependency() -> None:
    finding = run(with_dependencies(ready=False), "dependency.postgres")
    assert finding.severity == "fail"
    assert finding.summary.startswith("dependency postgres 0/1 CrashLoopBackOff (release flyte-deps)")
    assert finding.answer == "dependencies.database"


def test_a_missing_service_fails() -> None:
    snap = with_dependencies()
    snap.objects["services"] = [s for s in snap.items("services") if s["metadata"]["name"] != "minio"]
    finding = run(snap, "dependency.minio")
    assert finding.severity == "fail" and "no Service minio" in finding.summary


def test_a_postgres_password_from_another_secret_than_flytes_fails() -> None:
    ref = {"secretKeyRef": {"name": "pg-auth", "key": "password"}}
    snap = with_dependencies(env=[{"name": "POSTGRES_PASSWORD", "valueFrom": ref}])
    snap.values.setdefault("common", {})["databaseSecret"] = {"name": "db-pass"}
    snap.values.setdefault("db", {}).setdefault("admin", {}).setdefault("database", {})["passwordPath"] = (
        "/etc/db/pass.txt"
    )
    finding = run(snap, "dependency.db-auth")
    assert finding.severity == "fail" and "Secret pg-auth key password" in finding.summary
    snap.values["common"]["databaseSecret"] = {"name": "pg-auth"}
    snap.values["db"]["admin"]["database"]["passwordPath"] = "/etc/db/password"
    assert run(snap, "dependency.db-auth").severity == "pass"
