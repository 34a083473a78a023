"""The end summary builder on plain answers: the endpoint at the ingress host, or the port-forwards."""

from __future__ import annotations

from flyte_tui.charts import validate_answers
from flyte_tui.install.summary import ready_summary


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


def test_port_forwards_one_command_a_line_within_80_columns() -> None:
    lines = ready_summary(plan(enabled=False), "flyte-production")
    assert "  kubectl -n flyte-production port-forward svc/flyteadmin 8089:81" in lines
    assert all(len("  " + line) <= 80 for line in lines)
