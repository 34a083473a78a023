"""The end summary builder on plain answers: the endpoint at the ingress host, or the port-forwards with their
context and namespace, and the console's address only once its Service has ready endpoints. (The endpoints
are plain data here; tests/e2e/test_no_ingress_class.py reads them from the test bed's Services.)"""

from __future__ import annotations

from flyte_tui.charts import flyte_release, plan_releases, validate_answers
from flyte_tui.charts.flyte_core.access import ENDPOINTS as CORE
from flyte_tui.install.summary import forward_lines, ready_summary


def plan(**ingress: object):
    data = {"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", "environment": "sandbox", "ingress": ingress}
    result = validate_answers(data)
    assert result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def test_an_ingress_without_tls_gives_http_and_an_insecure_endpoint() -> None:
    lines = ready_summary(plan(controller="contour", host="flyte.acme.com", tls={"enabled": False}), "flyte")
    assert lines == [
        "Flyte console: http://flyte.acme.com/console",
        "flytectl/pyflyte endpoint: dns:///flyte.acme.com (insecure)",
    ]


READY = {"flyteconsole": 1, "flyteadmin": 2}


def test_port_forwards_name_the_context_and_namespace_and_the_chart_services() -> None:
    lines = forward_lines("kind-flyte", "flyte", READY, CORE)
    assert lines == [
        "No ingress: reach Flyte through these port-forwards (each runs until stopped):",
        "  kubectl --context=kind-flyte --namespace=flyte \\",
        "    port-forward svc/flyteconsole 8080:80",
        "  kubectl --context=kind-flyte --namespace=flyte \\",
        "    port-forward svc/flyteadmin 8088:80 8089:81",
        "Then open http://localhost:8080/console (the Flyte console)",
        "flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure)",
    ]


def test_every_line_fits_80_columns_with_the_headless_indent() -> None:
    for ready in (READY, {"flyteconsole": 0, "flyteadmin": 0}, {"flyteconsole": None, "flyteadmin": None}):
        lines = forward_lines("kind-flyte-e2e-cluster", "flyte-production", ready, CORE)
        assert all(len("  " + line) <= 80 for line in lines), [line for line in lines if len("  " + line) > 80]


def test_no_open_the_console_while_its_service_has_no_ready_endpoint() -> None:
    lines = forward_lines("kind-flyte", "flyte", {"flyteconsole": 0, "flyteadmin": 1}, CORE)
    assert not any("http://localhost:8080" in line for line in lines)
    at = lines.index("Not yet for the Flyte console: Service flyteconsole has no ready endpoint; see")
    assert lines[at + 1 : at + 3] == [
        "  kubectl --context=kind-flyte --namespace=flyte \\",
        "    get endpointslices --selector=kubernetes.io/service-name=flyteconsole",
    ]
    assert "flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure)" in lines


def test_endpoints_that_could_not_be_read_are_said_so() -> None:
    lines = forward_lines("", "flyte", {"flyteconsole": None, "flyteadmin": None}, CORE)
    assert lines[1] == "  kubectl --namespace=flyte \\"
    assert "  (the endpoints of Service flyteconsole could not be read: it may not answer)" in lines


def test_without_a_cluster_to_ask_the_plans_context_is_named() -> None:
    data = {"environment": "sandbox", "ingress": {"enabled": False}, "target": {"context": "kind-x"}}
    result = validate_answers(data)
    assert result.plan is not None
    lines = ready_summary(result.plan, "flyte")
    assert lines[1] == "  kubectl --context=kind-x --namespace=flyte \\"


BINARY_CHART = {"repo": "https://flyteorg.github.io/flyte", "name": "flyte-binary", "version": "v1.16.8"}


def binary_plan(**more: object):
    data = {
        "apiVersion": "flyte-tui/v1",
        "kind": "InstallPlan",
        "environment": "generic",
        "target": {"context": "kind-x", "release": "flyte", "chart": BINARY_CHART},
        "storage": {"metadataBucket": "meta"},
        "database": {"host": "db.example.com"},
        "ingress": {"enabled": False},
        **more,
    }
    result = validate_answers(data)
    assert result.plan is not None, [str(p) for p in result.errors]
    return result.plan


def test_flyte_binary_forwards_its_http_and_grpc_services_named_after_the_release() -> None:
    lines = ready_summary(binary_plan(), "flyte")
    assert lines == [
        "No ingress: reach Flyte through these port-forwards (each runs until stopped):",
        "  kubectl --context=kind-x --namespace=flyte \\",
        "    port-forward svc/flyte-flyte-binary-http 8088:8088",
        "  kubectl --context=kind-x --namespace=flyte \\",
        "    port-forward svc/flyte-flyte-binary-grpc 8089:8089",
        "Then open http://localhost:8088/console (the Flyte console)",
        "  (the endpoints of Service flyte-flyte-binary-http could not be read: it may not answer)",
        "flytectl/pyflyte endpoint: dns:///localhost:8089 (insecure)",
        "  (the endpoints of Service flyte-flyte-binary-grpc could not be read: it may not answer)",
    ]
    assert not any("flyteconsole" in line or "flyteadmin" in line for line in lines)


def test_flyte_binary_without_a_separate_grpc_service_forwards_both_ports_of_the_http_one() -> None:
    plan = binary_plan(extraValues={"ingress": {"separateGrpcIngress": False}, "service": {"ports": {"http": 80}}})
    lines = ready_summary(plan, "flyte")
    forwards = [line for line in lines if "port-forward svc/" in line]
    assert forwards == ["    port-forward svc/flyte-flyte-binary-http 8088:80 8089:8089"]


def test_flyte_binary_services_waiting_for_endpoints_fit_80_columns() -> None:
    plan = binary_plan(target={"release": "flyte-production", "chart": BINARY_CHART})
    release = flyte_release(plan_releases(plan))
    reach = release.profile.endpoints(release.values, release.release)
    lines = forward_lines("kind-flyte-e2e-cluster", "flyte-production", dict.fromkeys(reach.services, 0), reach)
    assert "  Service flyte-production-flyte-binary-http has no ready endpoint; see" in lines
    assert "    --selector=kubernetes.io/service-name=flyte-production-flyte-binary-grpc" in lines
    assert all(len("  " + line) <= 80 for line in lines), [line for line in lines if len("  " + line) > 80]
