"""Where render and import write (issue 12, items 9-12 and 29): never a file that is not a regular file, never
the input, never a surprise path; ``-`` is stdout; the backup is written atomically too."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flyte_tui.cli.commands import main
from flyte_tui.files.yamlio import dump, load_plain

SANDBOX = "environment: sandbox\n"
IMPORTABLE = dump({"storage": {"type": "gcs", "bucketName": "acme-meta", "gcs": {"projectId": "acme-1"}}})


def invoke(*args: str | Path) -> tuple[int, str]:
    code, out, err = invoke_split(*args)
    return code, out + err


def invoke_split(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "flyte-tui.yaml"
    path.write_text(SANDBOX)
    return path


@pytest.mark.parametrize("content", ["Meeting notes - bring snacks\n", "#!/bin/sh\necho hi\n", "- a\n", "5\n", "notes"])
def test_an_output_that_is_yaml_but_not_a_mapping_is_never_replaced(answers: Path, content: str) -> None:
    out = answers.with_name("out.yaml")
    out.write_text(content)
    for _ in range(2):  # the second render used to overwrite the .bak: the original was gone
        code, said = invoke("render", answers, "-o", out)
        assert code == 2, said
        assert "not a YAML mapping" in said and "left as it is" in said
        assert out.read_text() == content
        assert not out.with_name("out.yaml.bak").exists()
    code, said = invoke("import", _importable(answers.parent), "-o", out)
    assert code == 2 and out.read_text() == content


def _importable(folder: Path) -> Path:
    path = folder / "source-values.yaml"
    path.write_text(IMPORTABLE)
    return path


def test_a_symlink_to_a_regular_file_is_written_through(answers: Path) -> None:
    real = answers.with_name("real-values.yaml")
    real.write_text("# mine\nsparkoperator: {enabled: false}\n")
    link = answers.with_name("link.yaml")
    link.symlink_to(real.name)
    code, said = invoke("render", answers, "-o", link)
    assert code == 0, said
    assert link.is_symlink() and os.readlink(link) == real.name
    assert load_plain(real.read_text())["sparkoperator"] == {"enabled": False}
    assert "configmap" in load_plain(real.read_text())
    assert link.with_name("link.yaml.bak").read_text() == "# mine\nsparkoperator: {enabled: false}\n"


def test_a_backup_that_is_a_symlink_never_has_its_target_overwritten(answers: Path) -> None:
    out = answers.with_name("v.yaml")
    out.write_text("a: 1\n")
    precious = answers.with_name("precious.txt")
    precious.write_text("do not touch\n")
    out.with_name("v.yaml.bak").symlink_to(precious)
    code, said = invoke("render", answers, "-o", out)
    assert code == 0, said
    assert precious.read_text() == "do not touch\n"
    bak = out.with_name("v.yaml.bak")
    assert not bak.is_symlink() and bak.read_text() == "a: 1\n"


def test_a_dangling_symlink_a_fifo_and_a_folder_are_refused(answers: Path) -> None:
    dangling = answers.with_name("dangling.yaml")
    dangling.symlink_to("nowhere.yaml")
    fifo = answers.with_name("fifo.yaml")
    os.mkfifo(fifo)
    folder = answers.with_name("folder.yaml")
    folder.mkdir()
    for out, said_part in ((dangling, "does not exist"), (fifo, "not a regular file"), (folder, "folder")):
        code, said = invoke("render", answers, "-o", out)
        assert code == 2 and said_part in said, said
    assert dangling.is_symlink() and not (answers.parent / "nowhere.yaml").exists()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and folder.is_dir()


@pytest.mark.skipif(os.geteuid() != 0, reason="replacing /dev/null needs root")
def test_a_device_is_never_replaced() -> None:
    code, said = invoke("render", "/nonexistent/flyte-tui.yaml", "-o", "/dev/null")
    assert code == 2 and "not a regular file" in said
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_stdout_is_refused_with_a_pointer_to_dash(answers: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "flyte_tui.cli", "render", str(answers), "-o", "/dev/stdout"],
        capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.returncode == 2 and "-o -" in proc.stderr and "Traceback" not in proc.stderr


def test_render_and_import_refuse_to_write_over_their_input(answers: Path) -> None:
    code, said = invoke("render", answers, "-o", answers)
    assert code == 2 and "is the input file" in said
    other_way = answers.parent / "." / ".." / answers.parent.name / answers.name
    code, said = invoke("render", answers, "-o", other_way)
    assert code == 2 and "is the input file" in said
    hard = answers.with_name("hardlink.yaml")
    os.link(answers, hard)
    code, said = invoke("render", answers, "-o", hard)
    assert code == 2 and "is the input file" in said
    assert answers.read_text() == SANDBOX

    default_named = answers.with_name("flyte-values.yaml")  # render's default output is the input
    default_named.write_text(SANDBOX)
    code, said = invoke("render", default_named)
    assert code == 2 and "is the input file" in said and default_named.read_text() == SANDBOX

    source = _importable(answers.parent)
    code, said = invoke("import", source, "-o", source)
    assert code == 2 and source.read_text() == IMPORTABLE
    old = source.with_name("old.yaml.bak")
    old.write_text(IMPORTABLE)
    source.with_name("old.yaml").write_text("kind: InstallPlan\n")
    code, said = invoke("import", old, "-o", source.with_name("old.yaml"))  # its .bak would be the input
    assert code == 2 and old.read_text() == IMPORTABLE


def test_dash_is_stdout_a_folder_is_refused_and_folders_are_never_created(answers: Path) -> None:
    os.chdir(answers.parent)
    code, out, err = invoke_split("render", answers, "-o", "-")
    assert code == 0, err
    assert "minio" in load_plain(out)["configmap"]["k8s"]["plugins"]["k8s"]["default-env-vars"][0]["FLYTE_AWS_ENDPOINT"]
    assert "--values=-" in err and not Path("-").exists()
    code, out, err = invoke_split("import", _importable(answers.parent), "-o", "-")
    assert code == 0 and load_plain(out)["storage"]["type"] == "gcs"
    assert not Path("-").exists()

    code, said = invoke("render", answers, "-o", "newdir/")
    assert code == 2 and "names a folder" in said and not Path("newdir").exists()
    code, said = invoke("render", answers, "-o", answers.parent / "no" / "such" / "v.yaml")
    assert code == 2 and "does not exist" in said and not (answers.parent / "no").exists()
    code, said = invoke("import", _importable(answers.parent), "-o", "no/such/a.yaml")
    assert code == 2 and not Path("no").exists()


def test_a_full_disk_never_leaves_a_broken_backup(answers: Path) -> None:
    """RLIMIT_FSIZE stands in for a full disk: the backup fails mid-write, the old file and backup survive."""
    out = answers.with_name("v.yaml")
    big = "# " + "x" * 20000 + "\nkeep: me\n"
    out.write_text(big)
    out.with_name("v.yaml.bak").write_text("old backup\n")
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))\n"
        "from flyte_tui.cli import main\n"
        "sys.argv = ['flyte-tui', 'render', sys.argv[1], '-o', sys.argv[2]]\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(answers), str(out)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 1 and "cannot write" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_text() == big
    assert out.with_name("v.yaml.bak").read_text() == "old backup\n"
    assert sorted(p.name for p in answers.parent.iterdir()) == ["flyte-tui.yaml", "v.yaml", "v.yaml.bak"]
