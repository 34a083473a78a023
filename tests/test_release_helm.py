"""The helm adapter of a release is built in one place (:func:`flyte_tui.release.release_helm`), so that the
faces (the installer, the headless install/upgrade/diff, the wizard's upgrade flow) cannot differ again in how
they read the cluster (issue 12: the upgrade path's helm did not retry a transient read). The e2e proof that
the upgrade path retries is tests/e2e/test_install_existing.py (the API server down for a moment)."""

from __future__ import annotations

import ast
from pathlib import Path

from flyte_tui.release import last_good_revision, release_helm
from flyte_tui.tools import retry

PACKAGE = Path(__file__).resolve().parents[1] / "flyte_tui"

NOT_A_RELEASE = {
    "release.py": "release_helm itself",
    "tools/helm.py": "the adapter's own module",
    "tools/detect.py": "the welcome screen's detection: a quick look with its own short timeout",
    "tui/screens/target.py": "listing a repository's chart versions: no cluster is read",
    "cli/images.py": "helm template of the planned releases (scoped=False): no cluster is read",
}
"""Where a ``Helm(...)`` may be built, and why that is not a release's adapter."""


def _helm_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "Helm":
                lines.append(node.lineno)
    return lines


def test_only_release_helm_builds_the_helm_of_a_release() -> None:
    found = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := _helm_calls(path)) and str(path.relative_to(PACKAGE)) not in NOT_A_RELEASE
    }
    assert found == {}, f"build the helm of a release with flyte_tui.release.release_helm: {found}"
    assert _helm_calls(PACKAGE / "release.py"), "the scan finds Helm(...) calls"


def test_the_release_helm_retries_reads_and_keeps_the_callers_cancel_flag() -> None:
    import threading

    cancel = threading.Event()
    helm = release_helm("helm4", "kind-x", "flyte", {"A": "1"}, cancel, timeout=20)
    assert helm.retries == retry.READS and helm.cancel is cancel and helm.timeout == 20
    assert helm.argv("status", "flyte") == ["helm4", "status", "flyte", "--namespace", "flyte", "--kube-context",
                                            "kind-x"]  # fmt: skip
    assert release_helm("helm", "", "ns").cancel is not release_helm("helm", "", "ns").cancel


def test_headless_faces_use_the_release_helm(tmp_path: Path) -> None:
    from flyte_tui.cli.run import _load
    from flyte_tui.files.yamlio import dump

    path = tmp_path / "flyte-tui.yaml"
    path.write_text(dump({"apiVersion": "flyte-tui/v1", "kind": "InstallPlan", "environment": "sandbox"}))
    loaded = _load(path, "helm3")
    assert not isinstance(loaded, str), loaded
    assert loaded[1].retries == retry.READS and loaded[1].binary == "helm3"


def test_the_last_good_revision_of_a_history() -> None:
    """Where a rollback of a failed (or stuck) last revision goes: the newest earlier revision that was deployed."""

    def rev(n: int, status: str) -> dict[str, object]:
        return {"revision": n, "status": status}

    assert last_good_revision([rev(1, "superseded"), rev(2, "failed")]) == 1
    assert last_good_revision([rev(1, "superseded"), rev(2, "superseded"), rev(3, "failed"), rev(4, "failed")]) == 2
    assert last_good_revision([rev(1, "failed"), rev(2, "failed")]) is None  # never deployed: only an uninstall
    assert last_good_revision([rev(1, "deployed")]) is None  # the last one itself is not "earlier"
    assert last_good_revision([]) is None
