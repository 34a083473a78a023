"""``flyte-tui images ANSWERS [--json]``: every image reference an install of the answers will pull.

What ``helm template`` renders for each release of the plan with flyte-tui's values (every container and
init container of every pod template), plus the images that only a config file names (co-pilot's sidecar, in
propeller's config), sorted and unique: the list to give ``crane copy`` or ``skopeo sync`` before an
air-gapped install.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from flyte_tui import exit_codes

TEMPLATE_TIMEOUT = 180.0
"""Seconds one ``helm template`` may take (a repository chart is downloaded first)."""
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


Visit = Callable[[str, Any], "list[str] | None"]
"""What a walk takes from a key and its value: the images there (no deeper), or None to look inside."""


def _walk(obj: Any, visit: Visit) -> Iterator[str]:
    if isinstance(obj, dict):
        for key, value in obj.items():
            found = visit(str(key), value)
            yield from _walk(value, visit) if found is None else found
    elif isinstance(obj, list):
        for item in obj:
            yield from _walk(item, visit)


def _containers(key: str, value: Any) -> list[str] | None:
    if key not in _CONTAINER_LISTS or not isinstance(value, list):
        return None
    return [c["image"] for c in value if isinstance(c, dict) and isinstance(c.get("image"), str)]


def _copilot(key: str, value: Any) -> list[str] | None:
    if key != "co-pilot" or not isinstance(value, dict):
        return None
    image = value.get("image")
    if isinstance(image, dict) and image.get("repository"):  # repository and tag apart, as some charts keep them
        return [f"{image['repository']}:{image.get('tag', 'latest')}"]
    return [image] if isinstance(image, str) and image else []


def pod_images(obj: Any) -> Iterator[str]:
    """Every container image of every pod template inside ``obj`` (a Deployment, Job, CronJob, Pod, …)."""
    return _walk(obj, _containers)


def config_images(obj: Any) -> Iterator[str]:
    """The images a config names outside any pod: a ``co-pilot`` block's ``image``."""
    return _walk(obj, _copilot)


def manifest_images(manifest: str) -> set[str]:
    """Every image a rendered multi-document manifest pulls: its pods' and its ConfigMaps' co-pilot."""
    from flyte_tui.review.diff import parse_manifest

    found: set[str] = set()
    for obj in parse_manifest(manifest).values():
        found.update(pod_images(obj))
        if obj.get("kind") == "ConfigMap":
            for text in (obj.get("data") or {}).values():
                found.update(config_images(_config_file(text)))
    return found


def _config_file(text: Any) -> Any:
    """A ConfigMap's file parsed as YAML, or None when it is not YAML (a script, a template, …)."""
    from ruamel.yaml.error import YAMLError

    from flyte_tui.files import yamlio

    try:
        return yamlio.load_plain(text) if isinstance(text, str) else None
    except YAMLError:
        return None


def plan_images(answers: Path, helm_bin: str, cancel: threading.Event | None = None) -> list[str]:
    """Every image an install of ``answers`` pulls, sorted. Exits 2 on answers that cannot be used, 1 when
    helm cannot render a release."""
    from flyte_tui.charts import validate_file
    from flyte_tui.charts.values_file import write_release_files
    from flyte_tui.tools import process
    from flyte_tui.tools.helm import Helm, HelmError, template_argv

    result = validate_file(answers)
    if not result.ok or result.plan is None:
        for problem in result.errors:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"{answers}: cannot be used as the answers file", err=True)
        sys.exit(exit_codes.INVALID)
    helm = Helm(binary=helm_bin, cancel=cancel or threading.Event(), timeout=TEMPLATE_TIMEOUT)
    found: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="flyte-tui-images-") as scratch:
        for release, written in write_release_files(result.plan, Path(scratch) / "flyte-values.yaml"):
            argv = template_argv(release, written.path, helm=helm_bin)
            try:
                found.update(manifest_images(helm.check(*argv[1:], scoped=False)))
            except (HelmError, process.ProcessError, OSError) as exc:
                click.echo(f"error: helm template of release {release.release} failed: {exc}", err=True)
                sys.exit(exit_codes.FAILED)
    return sorted(found)


@click.command()
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the images as a JSON list.")
@click.option("--helm", "helm_bin", default="helm", show_default=True, help="The helm binary.")
def images(answers: Path, as_json: bool, helm_bin: str) -> None:
    """Every image reference an install of ANSWERS pulls (for crane copy / skopeo sync), one per line."""
    if not helm_bin.strip():
        click.echo("error: --helm is empty: give the program to run (a name on PATH or a path)", err=True)
        sys.exit(exit_codes.INVALID)
    found = plan_images(answers, helm_bin)
    click.echo(json.dumps(found, indent=2) if as_json else "\n".join(found))
