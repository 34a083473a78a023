"""kubectl adapter: argv building for one context and namespace, JSON reads, stdin applies, pod watches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flyte_tui.redact import redact_text
from flyte_tui.tools import output, process, retry
from flyte_tui.tools.bound import Bound

CREDENTIALS_REFUSED = re.compile(
    r"Unauthorized|provide credentials|must be logged in|token (has )?expired|getting credentials|exec plugin",
    re.IGNORECASE,
)
"""What kubectl prints when the API server answered but did not accept the context's credentials."""

READ_VERBS = frozenset({"get", "auth", "version", "logs", "api-resources", "describe"})
"""kubectl commands that only read: a transient failure of one is tried again (:mod:`flyte_tui.tools.retry`)."""

MAX_LOG_LINES = 10_000
"""The most lines flyte-tui asks ``kubectl logs --tail`` for: never unbounded (``-1``). The support bundle
and ``flyte-tui bundle --log-lines`` both stop here."""


class KubectlError(Exception):
    """kubectl said no; the message is kubectl's own first error line."""


def _first_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "kubectl failed"


def _quoted(text: str, limit: int = 80) -> str:
    """The start of what a command printed, on one line, secrets masked (a credential plugin may print a token)."""
    flat = " ".join(redact_text(text).split())
    return repr(flat if len(flat) <= limit else flat[:limit] + "…")


@dataclass(frozen=True)
class Permission:
    """What ``kubectl auth can-i`` answered: ``allowed`` True (yes), False (no), or None when its output was
    not an answer (a proxy's banner, a credential plugin's noise, an error): then ``printed`` holds it."""

    command: str
    allowed: bool | None
    printed: str = ""

    @classmethod
    def read(cls, command: str, stdout: str, stderr: str = "") -> Permission:
        """The answer in what ``command`` printed: stdout exactly ``yes``, or ``no`` (``no - <reason>`` when
        the authorizer gives one). Anything else is not read as either."""
        answer = stdout.strip()
        if answer == "yes":
            return cls(command, True)
        if answer == "no" or (answer.startswith("no - ") and "\n" not in answer):
            return cls(command, False, answer)
        said = answer or stderr.strip()
        return cls(command, None, _quoted(said) if said else "nothing")

    def unclear(self) -> str:
        """The warning for an output that is not an answer ("" for a yes or a no)."""
        if self.allowed is not None:
            return ""
        return f"could not tell: `{self.command}` printed {self.printed}, not yes or no"


@dataclass
class Kubectl(Bound):
    """kubectl bound to a context and namespace."""

    read_verbs = READ_VERBS
    binary: str = "kubectl"
    timeout: float = 30.0
    retries: retry.Policy = retry.READS
    """How a read that failed with a transient error (refused, reset, timeout, 5xx) is tried again."""

    def argv(self, *args: str, namespaced: bool = True) -> list[str]:
        """The full argument list for a kubectl command."""
        argv = [self.binary]
        if self.context:
            argv.append(f"--context={self.context}")  # one argument: a value is never read as a flag
        if namespaced and self.namespace:
            argv.append(f"--namespace={self.namespace}")
        return argv + list(args)

    def run(
        self, *args: str, namespaced: bool = True, input_text: str | None = None, timeout: float | None = None
    ) -> process.Completed:
        """Run a kubectl command and return what it printed (no check); a read is tried again on a transient
        error (:attr:`retries`), a write never."""
        return self.completed(self.argv(*args, namespaced=namespaced), args, timeout, input_text)

    def check(
        self, *args: str, namespaced: bool = True, input_text: str | None = None, timeout: float | None = None
    ) -> str:
        """Run and return stdout; raise :class:`KubectlError` on a non-zero exit."""
        done = self.run(*args, namespaced=namespaced, input_text=input_text, timeout=timeout)
        if not done.ok:
            raise KubectlError(_first_error(done.stderr or done.stdout))
        return done.stdout

    def get_json(self, *args: str, namespaced: bool = True) -> dict[str, Any]:
        """``kubectl get … -o json`` parsed; :class:`~flyte_tui.tools.output.UnexpectedOutput` when kubectl
        printed something else."""
        text = self.check("get", *args, "-o", "json", namespaced=namespaced)
        return output.json_object(text, output.command_line([self.binary, "get", *args]), output.KubeList)

    def items(self, kind: str, *args: str) -> list[dict[str, Any]]:
        """The items of a list (one call per kind)."""
        return list(self.get_json(kind, *args).get("items") or [])

    def apply_stdin(self, manifest: str) -> str:
        """Server-side ``kubectl apply -f -`` with the manifest on stdin (never in argv or on disk).

        Server-side, because a client-side apply copies the whole manifest, Secret values included, into
        the object's ``kubectl.kubernetes.io/last-applied-configuration`` annotation, in clear text.
        """
        return self.check(
            "apply", "--server-side", "--force-conflicts", "--field-manager=flyte-tui", "-f", "-", input_text=manifest
        )

    def namespace_exists(self, name: str) -> bool:
        """Whether a namespace exists."""
        done = self.run("get", "namespace", name, "-o", "name", namespaced=False)
        return done.ok

    def can_i(self, verb: str, resource: str) -> Permission:
        """``kubectl auth can-i`` in the namespace: yes, no, or could not tell (:class:`Permission`)."""
        done = self.run("auth", "can-i", verb, resource)
        return Permission.read(f"kubectl auth can-i {verb} {resource}", done.stdout, done.stderr)

    def ingress_classes(self) -> tuple[str, ...]:
        """The cluster's IngressClass names (cluster-wide; raises :class:`KubectlError` or
        :class:`~flyte_tui.tools.output.UnexpectedOutput` when they cannot be read)."""
        items = self.get_json("ingressclasses", namespaced=False).get("items") or []
        return tuple(sorted(str((i.get("metadata") or {}).get("name") or "") for i in items if isinstance(i, dict)))

    def ready_endpoints(self, service: str) -> int:
        """How many ready endpoints the Service's EndpointSlices list (0: a forward to it would not answer).

        An endpoint without a ``ready`` condition counts as ready, as the API defines it."""
        selector = f"--selector=kubernetes.io/service-name={service}"
        count = 0
        for item in self.items("endpointslices", selector):
            for endpoint in item.get("endpoints") or []:
                if not isinstance(endpoint, dict):
                    continue
                conditions = endpoint.get("conditions") or {}
                if isinstance(conditions, dict) and conditions.get("ready") is not False:
                    count += 1
        return count

    def current_context(self) -> str:
        """The context this adapter talks to: its own, else the kubeconfig's current one ("" when unknown)."""
        if self.context:
            return self.context
        done = self.run("config", "current-context", namespaced=False, timeout=10)
        return done.stdout.strip() if done.ok else ""

    def logs(self, pod: str, container: str | None = None, previous: bool = False, tail: int = 40) -> list[str]:
        """The last lines of a container's log ([] when the log cannot be read)."""
        args = ["logs", pod, f"--tail={tail}"]
        if container:
            args.append(f"--container={container}")
        if previous:
            args.append("--previous")
        done = self.run(*args, timeout=15)
        return done.stdout.splitlines() if done.ok else []

    def events_for(self, name: str) -> list[dict[str, Any]]:
        """Events about one object in the namespace, oldest first."""
        try:
            items = self.items("events", "--field-selector", f"involvedObject.name={name}")
        except KubectlError:
            return []
        return sorted(items, key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""))

    def watch(self, kind: str, timeout: float, *args: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Watch a kind in the namespace: yields (event type, object) as the API server sends them.

        Starts with the current objects (as ADDED), then every change, until ``timeout`` or cancel. Raises
        :class:`KubectlError` when kubectl exits with an error: it does so only when the watch could not start
        (e.g. Forbidden); a watch the API server closes ends with exit 0. Raises
        :class:`~flyte_tui.tools.output.UnexpectedOutput` when it prints something that is not watch events.
        """
        argv = self.argv("get", kind, "--watch", "--output-watch-events", "-o", "json", *args)
        errors: list[str] = []
        lines = process.Lines(process.stream(argv, timeout, self.cancel, self.env))

        def stdout() -> Iterator[str]:
            for line in lines:
                if line.stream == "stdout":
                    yield line.text
                else:
                    errors.append(line.text)

        try:
            command = output.command_line([self.binary, "get", kind]) + " --watch"
            for event in output.json_events(stdout(), command):
                yield event["type"], event["object"]
        except output.UnexpectedOutput:
            if lines.code > 0:  # kubectl failed and left half an event: its own error says more
                raise KubectlError(_first_error("\n".join(errors))) from None
            raise
        finally:
            lines.close()
        if lines.code != 0:
            raise KubectlError(_first_error("\n".join(errors)))
