"""What the welcome screen shows about this machine: helm and kubectl, kube contexts, an existing release.

Plain Python (no Textual): every command is an argument list with a timeout, never a shell string.
A missing tool, a slow cluster or an unreadable kubeconfig become fields of the result, not exceptions.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flyte_tui.tools import output

if TYPE_CHECKING:
    from flyte_tui.release import ReleaseInfo

TIMEOUT = 5.0
"""Seconds any one detection command may take."""


@dataclass(frozen=True)
class Tool:
    """One command-line tool: where it is and which version it reports."""

    name: str
    path: str | None = None
    version: str = ""
    error: str = ""

    @property
    def found(self) -> bool:
        """True when the tool is on PATH."""
        return self.path is not None

    @property
    def major(self) -> int | None:
        """The major version (helm 3 or 4), when the version could be read."""
        match = re.match(r"v?(\d+)\.", self.version)
        return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Detection:
    """Everything detected about the environment the wizard runs in."""

    helm: Tool
    kubectl: Tool
    contexts: tuple[str, ...] = ()
    current_context: str = ""
    release_exists: bool | None = None
    """True or False when the cluster answered; None when it could not be asked."""
    release_note: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    release: ReleaseInfo | None = None
    """The release as ``helm history`` describes its newest revision (None: none, or not asked)."""
    release_attention: str = ""
    """What a failed or pending-* release means and what to do; empty when the release is healthy."""
    asked_context: str = ""
    """The kube context the release was looked for in (the one asked for when the kubeconfig has it, else
    the current one)."""
    ingress_classes: tuple[str, ...] | None = None
    """The IngressClasses of the cluster of ``asked_context`` (none: no ingress controller); None when the
    cluster was not asked or did not say."""


def _run(argv: list[str], timeout: float | None = None) -> tuple[int, str, str]:
    """Run an argv, returning (exit code, stdout, stderr); failures to start become code 127."""
    from flyte_tui.tools import process

    timeout = TIMEOUT if timeout is None else timeout
    try:
        done = process.run(argv, timeout)
    except process.TimedOut:
        return 124, "", f"{argv[0]} did not answer within {timeout:g}s"
    except process.ProcessError as exc:
        return 127, "", str(exc)
    return done.returncode, done.stdout, done.stderr


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def detect_helm() -> Tool:
    """helm on PATH and its version (``helm version --short``: v3.x or v4.x)."""
    path = shutil.which("helm")
    if path is None:
        return Tool("helm", error="not found on PATH")
    code, out, err = _run([path, "version", "--short"])
    if code != 0:
        return Tool("helm", path, error=_first_line(err) or f"exit code {code}")
    return Tool("helm", path, _first_line(out).split("+")[0])


def detect_kubectl() -> Tool:
    """kubectl on PATH and its client version."""
    path = shutil.which("kubectl")
    if path is None:
        return Tool("kubectl", error="not found on PATH")
    code, out, err = _run([path, "version", "--client", "-o", "json"])
    if code != 0:
        return Tool("kubectl", path, error=_first_line(err) or f"exit code {code}")
    try:
        client = output.json_object(out, "kubectl version --client", output.KubectlClientVersion)
        version = str(client["clientVersion"].get("gitVersion") or _first_line(out))
    except output.UnexpectedOutput:
        version = _first_line(out)
    return Tool("kubectl", path, version)


def detect_contexts(kubectl: Tool) -> tuple[tuple[str, ...], str, str]:
    """Context names from the kubeconfig, the current one, and a note when they could not be read."""
    if kubectl.path is None:
        return (), "", "kubectl not found: contexts cannot be listed"
    code, out, err = _run([kubectl.path, "config", "get-contexts", "-o", "name"])
    if code != 0:
        return (), "", _first_line(err) or "no kubeconfig"
    contexts = tuple(line.strip() for line in out.splitlines() if line.strip())
    code, out, _err = _run([kubectl.path, "config", "current-context"])
    current = out.strip() if code == 0 else ""
    return contexts, current, "" if contexts else "the kubeconfig has no contexts"


def detect_release(
    kubectl: Tool, context: str, namespace: str, release: str, helm: Tool | None = None
) -> tuple[bool | None, str, ReleaseInfo | None, str]:
    """Whether a Helm release exists and, with helm, its chart, revision, status and last deployed.

    Returns (exists, one line, the release, what a failed/pending state means). With helm this is one
    ``helm history --max 1`` call (the core's :func:`flyte_tui.release.find_release`, same on helm 3 and
    4) with a timeout; without helm, the release Secrets are listed with kubectl (exists or not, no details).
    """
    if not context:
        return None, "no cluster to ask", None, ""
    if helm is not None and helm.path is not None:
        from flyte_tui.release import describe_release, find_release
        from flyte_tui.tools import process
        from flyte_tui.tools.helm import Helm, HelmError

        adapter = Helm(helm.path, context, namespace, timeout=TIMEOUT + 1)
        try:
            info = find_release(adapter, release)
        except process.TimedOut:
            return None, f"helm did not answer within {TIMEOUT + 1:g}s", None, ""
        except (HelmError, process.ProcessError) as exc:
            return None, _first_line(str(exc)) or "helm history failed", None, ""
        except ValueError:  # not JSON: an old or odd helm
            return None, "helm history gave output that is not JSON", None, ""
        if info is None:
            return False, f"release {release} in {namespace}: not installed", None, ""
        line, meaning = describe_release(info)
        return info.status != "uninstalled", line, info, meaning
    if kubectl.path is None:
        return None, "no cluster to ask", None, ""
    argv = [
        kubectl.path, f"--context={context}", f"--request-timeout={TIMEOUT:g}s",  # a value is never read as a flag
        "get", "secrets", f"--namespace={namespace}",
        f"--selector=owner=helm,name={release}", "-o", "name",
    ]
    code, out, err = _run(argv, timeout=TIMEOUT + 1)
    if code != 0:
        from flyte_tui.tools import process

        # kubectl's own error is its last line; client-go's log lines (E1202 …) come before it
        return None, process.last_line(err, f"kubectl exit code {code}"), None, ""
    exists = bool(out.strip())
    return exists, f"release {release} in {namespace}: " + ("installed" if exists else "not installed"), None, ""


def detect(
    namespace: str | None = None, release: str | None = None, ask_cluster: bool = True, context: str = ""
) -> Detection:
    """Detect tools, contexts and (when ``ask_cluster``) whether the release already exists in ``context``
    (the current context when empty or not in the kubeconfig); the namespace and release default to the
    answers file's defaults."""
    if namespace is None or release is None:
        from flyte_tui.model.plan import DEFAULT_NAMESPACE, DEFAULT_RELEASE

        namespace = DEFAULT_NAMESPACE if namespace is None else namespace
        release = DEFAULT_RELEASE if release is None else release
    helm = detect_helm()
    kubectl = detect_kubectl()
    contexts, current, note = detect_contexts(kubectl)
    exists: bool | None = None
    release_note = "not checked"
    info: ReleaseInfo | None = None
    attention = ""
    asked = context if context and context in contexts else current
    classes: tuple[str, ...] | None = None
    if ask_cluster:
        exists, release_note, info, attention = detect_release(kubectl, asked, namespace, release, helm)
        if exists is not None:  # the cluster answered: one more quick question
            classes = detect_ingress_classes(kubectl, asked)
    notes = (note,) if note else ()
    return Detection(helm, kubectl, contexts, current, exists, release_note, notes, info, attention, asked, classes)


def detect_ingress_classes(kubectl: Tool, context: str) -> tuple[str, ...] | None:
    """The IngressClass names of the cluster of ``context``; None when they cannot be read."""
    if kubectl.path is None or not context:
        return None
    from flyte_tui.tools import process, retry
    from flyte_tui.tools.kubectl import Kubectl, KubectlError

    try:
        return Kubectl(kubectl.path, context, timeout=TIMEOUT, retries=retry.ONCE).ingress_classes()
    except (KubectlError, process.ProcessError):
        return None
