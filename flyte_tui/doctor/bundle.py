"""The support bundle: one .tar.gz with what a maintainer needs to help, and no secret.

Contents: the doctor report, the namespace's objects, ``kubectl describe pods``, events, bounded logs of
every Flyte container, the release's history, values and manifest. Secret data is never read (Secrets
are listed by key name only); everything else passes through :mod:`flyte_tui.redact`.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flyte_tui.doctor.gather import Gatherer
from flyte_tui.doctor.report import Report
from flyte_tui.doctor.snapshot import DoctorTarget, Snapshot, meta
from flyte_tui.files.yamlio import dump
from flyte_tui.readiness import matches
from flyte_tui.redact import known_secrets, mask_values, redact_data, redact_text
from flyte_tui.tools.kubectl import MAX_LOG_LINES

MAX_CONTAINERS = 40
"""Logs are kept for at most this many containers."""
ROOT = "flyte-tui-bundle"


@dataclass
class Written:
    """The bundle written."""

    path: Path
    files: list[str] = field(default_factory=list)
    size: int = 0
    missing: dict[str, str] = field(default_factory=dict)
    """What could not be collected, by what it is, and why (redacted)."""
    cluster: bool = True
    """Whether anything of the cluster was collected (False: the bundle holds only the doctor's report of why)."""


def _json(data: Any, sort_keys: bool = True) -> str:
    """A bundle member from JSON-like data, redacted."""
    return json.dumps(redact_data(data), indent=2, sort_keys=sort_keys) + "\n"


def _plain(text: str) -> str:
    """A bundle member from free text, redacted."""
    return redact_text(text)


def check_log_lines(lines: int) -> int:
    """``lines`` when it is a usable log length (1 to :data:`MAX_LOG_LINES`); a ValueError otherwise."""
    if not 1 <= lines <= MAX_LOG_LINES:
        raise ValueError(f"log_lines must be a whole number from 1 to {MAX_LOG_LINES}, not {lines!r}")
    return lines


def collect(target: DoctorTarget, log_lines: int = 200) -> tuple[Report, dict[str, str]]:
    """Gather the snapshot, run the doctor, and read what only the bundle needs; every member redacted.

    Each member is made by :func:`_json`, :func:`_plain` or (values) ``redact_data`` + dump, or, for what
    is read in parallel below, ``redact_text``: the report too, as its evidence quotes logs and events.
    Raises ValueError, before running anything, when ``log_lines`` is outside 1..:data:`MAX_LOG_LINES`.
    """
    check_log_lines(log_lines)
    gatherer = Gatherer(target)
    snap = gatherer.gather()
    report = Report.build(snap)
    files: dict[str, str] = {
        "doctor/report.json": _json(report.to_json(), sort_keys=False),
        "doctor/report.txt": _plain(report.to_text() + "\n"),
        "cluster/versions.json": _json({"kubectl": snap.kubectl_version, "helm": snap.helm_version}),
        "cluster/ingressclasses.json": _json(snap.ingress_classes),
        "cluster/flyteworkflows-crd.json": _json(_crd_summary(snap.crd)),
        "cluster/mutatingwebhookconfiguration.json": _json(snap.webhook_config),
        "cluster/namespaces.txt": _plain("\n".join(str(meta(n).get("name")) for n in snap.namespaces) + "\n"),
        "namespace/secrets.txt": _plain(
            "".join(f"{s.name}\t{s.type}\tkeys: {', '.join(s.keys) or '(none)'}\n" for s in snap.secrets.values())
        ),
        "namespace/read-errors.json": _json(snap.errors),
        "release/history.json": _json(snap.history),
        "release/values.yaml": dump(redact_data(snap.values)) if snap.values else "",
    }
    for kind, items in snap.objects.items():
        files[f"namespace/{kind}.json"] = _json(items)
    extra: dict[str, Callable[[], tuple[str, str]]] = {
        "describe": lambda: ("namespace/describe-pods.txt", _text(gatherer.kubectl("describe", "pods"))),
        "manifest": lambda: ("release/manifest.yaml", _manifest(gatherer, target.release)),
    }
    for pod, container in _containers(snap)[:MAX_CONTAINERS]:
        extra[f"log {pod}/{container}"] = _log_reader(gatherer, pod, container, log_lines)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(read) for read in extra.values()]
    for future in futures:
        try:
            name, text = future.result()
        except Exception as exc:  # one unreadable piece must not lose the whole bundle
            files.setdefault("bundle-errors.txt", "")
            files["bundle-errors.txt"] += _plain(f"{type(exc).__name__}: {exc}\n")
            continue
        files[name] = redact_text(text)
    known = known_secrets(target.env)  # the last word: no member holds a secret given in the environment
    return report, {name: mask_values(text, known) for name, text in files.items()}


def _text(done: Any) -> str:
    return str(done.stdout if done.ok else f"(failed: {done.stderr.strip()})") + "\n"


def _crd_summary(crd: dict[str, Any] | None) -> dict[str, Any] | None:
    if crd is None:
        return None
    m = meta(crd)
    return {"name": m.get("name"), "labels": m.get("labels"), "annotations": m.get("annotations")}


def _manifest(gatherer: Gatherer, release: str) -> str:
    done = gatherer.helm("get", "manifest", release)
    if not done.ok:
        return f"(failed: {done.stderr.strip()})\n"
    from flyte_tui.files.yamlio import load_plain

    docs = []
    for chunk in done.stdout.split("\n---"):
        try:
            doc = load_plain(chunk)
        except Exception:
            docs.append(redact_text(chunk))
            continue
        if isinstance(doc, dict):
            docs.append(dump(redact_data(doc)))
    return "---\n" + "---\n".join(docs)


def _containers(snap: Snapshot) -> list[tuple[str, str]]:
    out = []
    for pod in snap.items("pods"):
        if not any(matches(pod, c, snap.release) for c in snap.target.profile.components):
            continue
        spec = pod.get("spec") or {}
        for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
            out.append((str(meta(pod).get("name")), str(c.get("name"))))
    return out


def _log_reader(gatherer: Gatherer, pod: str, container: str, lines: int) -> Callable[[], tuple[str, str]]:
    def read() -> tuple[str, str]:
        done = gatherer.kubectl("logs", pod, f"--container={container}", f"--tail={lines}")
        text = done.stdout if done.ok else f"(no log: {done.stderr.strip()})"
        previous = gatherer.kubectl("logs", pod, f"--container={container}", f"--tail={lines}", "--previous")
        if previous.ok and previous.stdout.strip():
            text = f"=== previous run ===\n{previous.stdout}\n=== current run ===\n{text}"
        return f"logs/{pod}/{container}.log", text + "\n"

    return read


def write_bundle(target: DoctorTarget, output: Path, log_lines: int = 200) -> Written:
    """Collect and write the bundle as ``output`` (a .tar.gz); returns what was written.

    Raises ValueError when ``log_lines`` is outside 1..:data:`MAX_LOG_LINES` (nothing is run or written).
    """
    report, files = collect(target, log_lines)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    now = time.time()
    with tarfile.open(tmp, "w:gz") as tar:
        for name in sorted(files):
            data = files[name].encode()
            info = tarfile.TarInfo(f"{ROOT}/{name}")
            info.size = len(data)
            info.mtime = int(now)
            info.mode = 0o600
            tar.addfile(info, io.BytesIO(data))
    tmp.replace(output)
    snap = report.snapshot
    known = known_secrets(target.env)
    missing = {what: mask_values(redact_text(why), known) for what, why in sorted(snap.errors.items())}
    return Written(output, sorted(files), output.stat().st_size, missing, snap.cluster_reachable)
