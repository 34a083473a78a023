"""The failures of a sandbox's dependency release that flyte-tui explains: the words helm and postgres print
(as the API server and the postgres image write them), matched to the answer to change."""

from __future__ import annotations

import pytest

from flyte_tui.diagnose import match

CASES = [
    (
        'Error: Service "minio" is invalid: spec.ports[0].nodePort: Invalid value: 30084: provided port is already '
        "allocated",
        "node-port-taken",
        "dependencies.storage",
    ),
    (
        'Error: Unable to continue with install: Service "postgres" in namespace "lab" exists and cannot be '
        'imported into the current release: invalid ownership metadata; label validation error: missing key '
        '"app.kubernetes.io/managed-by": must be set to "Helm"',
        "dependency-exists",
        "dependencies.storage",
    ),
    (
        'initdb: error: directory "/var/lib/postgresql/data" exists but is not empty',
        "postgres-data",
        "dependencies.database",
    ),
]


@pytest.mark.parametrize(("line", "signature", "answer"), CASES, ids=[c[1] for c in CASES])
def test_dependency_failures_are_recognised(line: str, signature: str, answer: str) -> None:
    found = match(["some unrelated line", line])
    assert found is not None
    assert (found[0].id, found[0].answer, found[1]) == (signature, answer, line)
