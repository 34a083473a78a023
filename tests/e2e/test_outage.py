"""Faults of the cluster during an install, on the real test bed: the API server stopped (connection
refused) or paused (no answer), and started again with the same port and certificates (issue 12, 24-25)."""

from __future__ import annotations

import time

import pytest
import testbed as tb

pytestmark = pytest.mark.e2e


def test_the_test_bed_stops_and_restarts_its_api_server(testbed: tb.TestBed) -> None:
    assert testbed.kubectl_run("get", "nodes", "-o", "name").stdout.count("node/") == 3
    with testbed.apiserver_down():
        down = testbed.kubectl_run("get", "nodes", check=False)
        assert down.returncode == 1
        assert down.stderr.strip().endswith("was refused - did you specify the right host or port?")
        began = time.monotonic()
    assert time.monotonic() - began < 30  # started again and ready
    assert testbed.kubectl_run("get", "nodes", "-o", "name").stdout.count("node/") == 3


def test_the_test_bed_pauses_and_resumes_its_api_server(testbed: tb.TestBed) -> None:
    testbed.pause_component()
    try:
        hung = testbed.kubectl_run("get", "nodes", "--request-timeout=1s", check=False, timeout=20)
    finally:
        testbed.resume_component()
    assert hung.returncode == 1
    assert "Unable to connect to the server" in hung.stderr or "deadline exceeded" in hung.stderr, hung.stderr
    assert testbed.kubectl_run("get", "nodes", "-o", "name").stdout.count("node/") == 3
