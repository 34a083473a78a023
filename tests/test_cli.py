"""The headless CLI as a user runs it: the real `flyte-tui` console script, exit codes, no tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flyte_tui.files.yamlio import dump, load_plain

EXE = shutil.which("flyte-tui")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    argv = [EXE, *args] if EXE else [sys.executable, "-m", "flyte_tui.cli", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=cwd, check=False)


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def test_validate_ok_and_invalid(tmp_path: Path, realistic) -> None:
    good = tmp_path / "flyte-tui.yaml"
    good.write_text(dump(realistic["eks"]))
    proc = run("validate", str(good))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"{good}: valid\n"
    assert proc.stderr == ""

    bad_answers = realistic["eks"]
    bad_answers["storage"]["metadataBucket"] = "Bad_Bucket"
    bad_answers["target"]["namespace"] = "Flyte"
    bad = tmp_path / "bad.yaml"
    bad.write_text(dump(bad_answers))
    proc = run("validate", str(bad))
    assert proc.returncode == 2
    no_traceback(proc)
    assert "error: target.namespace:" in proc.stderr
    assert "DNS-1123" in proc.stderr


def test_validate_refuses_what_is_not_a_bounded_regular_file(tmp_path: Path) -> None:
    # /dev/zero never ends and a FIFO blocks: both are refused at once, as is a file over the bound.
    proc = run("validate", "/dev/zero")
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    no_traceback(proc)
    big = tmp_path / "big.yaml"
    big.write_text("environment: gke\nnotes: '" + "x" * (5 * 1024 * 1024) + "'\n")
    proc = run("validate", str(big))
    assert proc.returncode == 2 and "larger than" in proc.stderr
    no_traceback(proc)


def test_validate_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("environment: gke\nstorage: {type: gcs, metadataBucket: acme-meta}\n")
    proc = run("validate", "--json", str(bad))
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    assert report["valid"] is False
    assert {"path": "storage.projectId", "severity": "error"}.items() <= next(
        p for p in report["problems"] if p["path"] == "storage.projectId"
    ).items()


@pytest.mark.parametrize("content", ["", "just text", "storage: [unclosed", "- a\n- list\n"])
def test_malformed_files_exit_2_without_traceback(tmp_path: Path, content: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(content)
    proc = run("validate", str(path))
    assert proc.returncode == 2
    no_traceback(proc)


def test_missing_file_and_bad_usage_exit_2(tmp_path: Path) -> None:
    proc = run("validate", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2 and "cannot read" in proc.stderr
    assert run("render").returncode == 2
    assert run("frobnicate").returncode == 2


def test_render_writes_values_and_prints_helm_command(tmp_path: Path, realistic) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(realistic["gke"]))
    out = tmp_path / "out" / "values.yaml"
    out.parent.mkdir()
    proc = run("render", str(answers), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    values = load_plain(out.read_text())
    assert values["storage"]["type"] == "gcs"
    assert (
        f"helm upgrade --install flyte flyte-core --repo https://flyteorg.github.io/flyte --version v1.16.8 "
        f"--namespace flyte-prod --create-namespace --values {out}"
    ) in proc.stdout
    proc = run("render", str(answers), "-o", str(out))
    assert "previous kept as" not in proc.stdout  # the same values again: nothing rewritten, no backup
    assert not (tmp_path / "out" / "values.yaml.bak").exists()
    changed = dict(realistic["gke"], ingress=dict(realistic["gke"]["ingress"], host="flyte-next.acme.dev"))
    answers.write_text(dump(changed))
    proc = run("render", str(answers), "-o", str(out))
    assert "previous kept as" in proc.stdout and (tmp_path / "out" / "values.yaml.bak").exists()


def test_render_refuses_invalid_answers_and_writes_nothing(tmp_path: Path) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text("environment: eks\n")
    proc = run("render", str(answers))
    assert proc.returncode == 2
    assert not (tmp_path / "flyte-values.yaml").exists()
    assert "nothing written" in proc.stderr


def test_presets_and_schema() -> None:
    proc = run("presets")
    assert proc.returncode == 0
    assert [line.split()[0] for line in proc.stdout.splitlines()] == ["sandbox", "eks", "gke", "generic"]
    eks = load_plain(run("presets", "eks").stdout)
    assert eks["environment"] == "eks" and eks["ingress"]["controller"] == "alb"
    assert run("presets", "azure").returncode == 2
    schema = json.loads(run("schema").stdout)
    assert "metadataBucket" in json.dumps(schema)
    assert schema["properties"]["environment"]["enum"] == ["sandbox", "eks", "gke", "generic"]


def test_import_writes_answers_and_lists_leftovers(tmp_path: Path, realistic) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(
        dump(
            {
                "storage": {"type": "gcs", "bucketName": "acme-meta", "gcs": {"projectId": "acme-prod-1"}},
                "flyteadmin": {"podLabels": {"team": "ml"}},
            }
        )
    )
    out = tmp_path / "flyte-tui.yaml"
    proc = run("import", str(values), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "flyteadmin.podLabels" in proc.stdout
    answers = load_plain(out.read_text())
    assert answers["storage"]["projectId"] == "acme-prod-1"
    assert answers["extraValues"] == {"flyteadmin": {"podLabels": {"team": "ml"}}}


NOT_UTF8 = b"storage:\n  metadataBucket: caf\xe9\n"


def test_files_that_are_not_utf8_exit_2_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(NOT_UTF8)
    for command in ("validate", "render", "import"):
        proc = run(command, str(path), *(["-o", str(tmp_path / "out.yaml")] if command == "import" else []))
        no_traceback(proc)
        assert proc.returncode == 2, (command, proc.stderr)
        assert "is not UTF-8 text" in proc.stderr


def test_a_huge_quantity_is_a_field_error_not_a_crash(tmp_path: Path, realistic) -> None:
    answers = realistic["eks"]
    answers["resources"] = {"components": {"flyteadmin": {"requests": {"cpu": "1e9999999"}}}}
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump(answers))
    proc = run("validate", str(path))
    no_traceback(proc)
    assert proc.returncode == 2
    assert "resources.components.flyteadmin.requests.cpu" in proc.stderr and "too large" in proc.stderr


@pytest.mark.parametrize("content", [b"storage: [unclosed\n", NOT_UTF8])
def test_an_output_file_that_is_not_yaml_is_never_replaced(tmp_path: Path, realistic, content: bytes) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(realistic["eks"]))
    values = tmp_path / "values.yaml"
    values.write_bytes(content)
    proc = run("render", str(answers), "-o", str(values))
    no_traceback(proc)
    assert proc.returncode == 2  # invalid input (issue 12, item 30): it was 1
    assert f"{values} exists but is not" in proc.stderr and "left as it is" in proc.stderr
    assert values.read_bytes() == content

    source = tmp_path / "source-values.yaml"
    source.write_text(dump({"storage": {"type": "gcs", "bucketName": "acme-meta", "gcs": {"projectId": "acme-1"}}}))
    out = tmp_path / "answers.yaml"
    out.write_bytes(content)
    proc = run("import", str(source), "-o", str(out))
    no_traceback(proc)
    assert proc.returncode == 2 and "left as it is" in proc.stderr
    assert out.read_bytes() == content
    assert not list(tmp_path.glob("*.bak"))


@pytest.mark.parametrize("timeout", ["inf", "nan", "-5", "0", "-1m", "25h", "soon", "1e-300s", "0.5s", ""])
def test_install_refuses_a_timeout_that_is_not_a_duration(tmp_path: Path, realistic, timeout: str) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(realistic["eks"]))
    proc = run("install", str(answers), "--yes", "--timeout", timeout)
    no_traceback(proc)
    assert proc.returncode == 2
    assert "--timeout" in proc.stderr and "is not a duration like 15m" in proc.stderr


def test_install_refuses_a_password_file_that_is_not_text(tmp_path: Path, realistic) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(realistic["eks"]))
    password = tmp_path / "pw.bin"
    password.write_bytes(b"\xff\xfe\x00secret")
    proc = run("install", str(answers), "--yes", "--db-password-file", str(password))
    no_traceback(proc)
    assert proc.returncode == 2 and "is not UTF-8 text" in proc.stderr



def test_the_wizard_without_a_terminal_says_so_and_exits_2(tmp_path: Path) -> None:
    argv = [EXE] if EXE else [sys.executable, "-m", "flyte_tui.cli"]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr and "flyte-tui validate" not in proc.stderr and "render" in proc.stderr
    assert proc.stdout == "" and "\x1b[" not in proc.stderr  # no TUI drawn


@pytest.mark.parametrize("command", ["install", "upgrade", "diff"])
def test_an_empty_tool_path_is_refused_naming_the_option(tmp_path: Path, realistic, command: str) -> None:
    answers = tmp_path / "flyte-tui.yaml"
    answers.write_text(dump(realistic["eks"]))
    extra = ["--yes"] if command != "diff" else []
    proc = run(command, str(answers), *extra, "--helm", "")
    no_traceback(proc)
    assert proc.returncode == 2 and "--helm is empty" in proc.stderr
    assert "Permission denied" not in proc.stderr
