"""The ``images`` answer: a registry mirror for air-gapped clusters, and the pull secret its images need.

With a registry every image the charts pull is rewritten to it: the source registry's host is dropped and
the rest of the path kept (``cr.flyte.org/flyteorg/flyteadmin`` → ``REGISTRY/flyteorg/flyteadmin``; a Docker
Hub short name ``postgres`` → ``REGISTRY/library/postgres``), the tag unchanged. That is the layout
``crane copy SRC DST`` and ``skopeo sync`` produce when given the same paths.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator

from flyte_tui import tree
from flyte_tui.model.names import check_dns_subdomain, shown
from flyte_tui.model.section import Section

if TYPE_CHECKING:
    from flyte_tui.model.plan import InstallPlan

_HOST_PART = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_HOST = rf"(localhost|{_HOST_PART}(\.{_HOST_PART})*|\[[0-9a-fA-F:]+\])"
_PATH_PART = r"[a-z0-9]+([._-][a-z0-9]+)*"
_REGISTRY = re.compile(rf"{_HOST}(:(?P<port>[0-9]{{1,5}}))?(/{_PATH_PART})*")
REGISTRY_LENGTH = 200
"""The longest registry accepted: an image's name (the registry and the chart's path under it) is at most 255
characters (the distribution spec's limit)."""


def check_registry(value: str) -> str:
    """A registry reference ``host[:port][/path]``: no scheme, no tag or digest, lower-case path."""
    if not value:
        return value
    if len(value) > REGISTRY_LENGTH:
        raise ValueError(f"is {len(value)} characters; a registry of at most {REGISTRY_LENGTH} is accepted")
    if "://" in value:
        raise ValueError(
            f"{shown(value)} has a scheme: write host[:port][/path] without http:// or https://, "
            "e.g. registry.corp.example:5000"
        )
    if "@" in value:
        raise ValueError(
            f"{shown(value)} holds a digest or a user name: write host[:port][/path], e.g. registry.corp.example"
        )
    found = _REGISTRY.fullmatch(value)
    if not found:
        last = value.rsplit("/", 1)[-1]
        if "/" in value and ":" in last:
            raise ValueError(
                f"{shown(value)} has a tag: a registry is host[:port][/path], the images keep their own tags"
            )
        raise ValueError(
            f"{shown(value)} is not a registry: host[:port][/path] with a lower-case host name, a port of digits and "
            "a path of lower-case letters, digits, '.', '_' and '-', e.g. registry.corp.example:5000/flyte"
        )
    port = found.group("port")
    if port and not 1 <= int(port) <= 65535:
        raise ValueError(f"{shown(value)} has port {port}: a registry is host[:port][/path] with a port of 1-65535")
    return value


Registry = Annotated[str, AfterValidator(check_registry)]
"""A registry mirror, or empty."""
OptionalObjectName = Annotated[str, AfterValidator(lambda value: check_dns_subdomain(value) if value else value)]
"""A Kubernetes object name, or empty."""


class Images(Section):
    """Where the images come from: a registry mirror (air-gapped clusters) and the Secret to pull with."""

    registry: Registry = ""
    """Registry mirror host[:port][/path] (e.g. registry.corp.example:5000) every image is pulled from; empty: none."""
    pull_secret: OptionalObjectName = ""
    """Existing docker-registry Secret (release namespace) added to the charts' imagePullSecrets; empty: none."""

    def mirrored(self, repository: str) -> str:
        """``repository`` (no tag) as the mirror serves it; unchanged without a registry or already on it."""
        return mirror_repository(repository, self.registry)

    def pull_secrets(self) -> list[dict[str, str]]:
        """The ``imagePullSecrets`` list to write (empty without a pull secret)."""
        return [{"name": self.pull_secret}] if self.pull_secret else []


def source_path(repository: str) -> str:
    """``repository`` without its registry host: Docker Hub's short names get their ``library/``."""
    first, _, rest = repository.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return rest
    return repository if rest else f"library/{repository}"


def mirror_repository(repository: str, registry: str) -> str:
    """``repository`` (no tag) rewritten onto ``registry`` (unchanged when empty or already there)."""
    if not registry or repository.startswith(registry.rstrip("/") + "/"):
        return repository
    return f"{registry.rstrip('/')}/{source_path(repository)}"


def registry_of(repository: str, default: str) -> str:
    """The registry ``repository`` is the chart's ``default`` mirrored onto ("" when it is the default itself, or
    not a mirror of it): what :func:`mirror_repository` undone gives."""
    tail = "/" + source_path(default)
    if repository == default or not repository.endswith(tail):
        return ""
    return repository[: -len(tail)]


def mirror_image(image: str, registry: str) -> str:
    """A whole image reference ``repository[:tag][@digest]`` rewritten onto ``registry``."""
    name, at, digest = image.partition("@")
    repository, tag = name, ""
    head, sep, tail = name.rpartition(":")
    if sep and "/" not in tail:
        repository, tag = head, sep + tail
    return mirror_repository(repository, registry) + tag + at + digest


Path = tuple[str, ...]


CONNECTOR_REPOSITORIES: Mapping[Path, str] = MappingProxyType(
    {("flyteconnector", "image", "repository"): "cr.flyte.org/flyteorg/flyteagent"}
)
"""The flyteconnector subchart's image (an alias subchart of both charts): its values path → the chart's default."""
CONNECTOR_PULL_SECRETS: tuple[Path, ...] = (("flyteconnector", "serviceAccount", "imagePullSecrets"),)
"""The subchart's ``imagePullSecrets`` (its ServiceAccount's)."""


def connector_parts(values: Mapping[str, Any]) -> tuple[dict[Path, str], tuple[Path, ...]]:
    """The connector's image and pull-secret paths when ``values`` deploy it (``flyteconnector.enabled``), else
    none: a disabled subchart's values are noise."""
    if tree.get(values, ("flyteconnector", "enabled")) is not True:
        return {}, ()
    return dict(CONNECTOR_REPOSITORIES), CONNECTOR_PULL_SECRETS


def with_images(
    values: dict[str, Any],
    images: Images,
    repositories: Mapping[Path, str],
    references: Mapping[Path, str] = MappingProxyType({}),
    pull_secret_paths: tuple[Path, ...] = (),
) -> dict[str, Any]:
    """``values`` with every image on ``images.registry`` and the pull secret at each of ``pull_secret_paths``.

    ``repositories`` maps a values path holding an image repository (no tag) to the chart's default;
    ``references`` one holding a whole ``repository:tag`` (co-pilot's config). The flyteconnector subchart's image
    and pull secret are added when ``values`` deploy it (both charts alias it the same). A value the user set (in
    ``extraValues``) is mirrored too; nothing changes without a registry or a pull secret.
    """
    connector, connector_secrets = connector_parts(values)
    repositories, pull_secret_paths = {**repositories, **connector}, (*pull_secret_paths, *connector_secrets)
    out = copy.deepcopy(values)
    if images.registry:
        for path, default in repositories.items():
            tree.put(out, path, images.mirrored(_text(tree.get(out, path), default)))
        for path, default in references.items():
            tree.put(out, path, mirror_image(_text(tree.get(out, path), default), images.registry))
    if images.pull_secret:
        for path in pull_secret_paths:
            current = tree.get(out, path)
            theirs = current if isinstance(current, list) else []
            kept = [s for s in theirs if isinstance(s, dict) and s.get("name") != images.pull_secret]
            tree.put(out, path, [*kept, *images.pull_secrets()])
    return out


def _text(value: Any, default: str) -> str:
    return value if isinstance(value, str) and value else default


_SOURCES = (("flyteorg/", "cr.flyte.org/"), ("ubuntu/", "ecr.flyte.org/"), ("bitnami/", "ecr.flyte.org/"))
"""Where the charts' images come from, by the path kept on the mirror (the rest: Docker Hub)."""
PULL_REASONS = frozenset({"ErrImagePull", "ImagePullBackOff"})
"""A container's waiting reasons that say its image could not be pulled."""


def source_image(image: str, registry: str) -> str:
    """The image ``image`` (on ``registry``) was mirrored from, as the charts name it."""
    path = image[len(registry.rstrip("/")) + 1 :]
    host = next((host for prefix, host in _SOURCES if path.startswith(prefix)), "docker.io/")
    return host + path


def mirror_hint(image: str, registry: str) -> tuple[str, str] | None:
    """(cause, fix) for an image that cannot be pulled from the answers' mirror; None when not on it."""
    if not registry or not image.startswith(registry.rstrip("/") + "/"):
        return None
    return (
        f"image {image} cannot be pulled from the mirror {registry} (images.registry): it was not copied there, "
        "or the pull secret (images.pullSecret) does not let this namespace read it",
        f"copy the image to the mirror, e.g. `crane copy {source_image(image, registry)} {image}` "
        "(`flyte-tui images ANSWERS` lists every image), and check images.pullSecret",
    )


def images_warnings(plan: InstallPlan) -> Iterator[tuple[str, str]]:
    """(field path, message) of what the images answer cannot do for this plan (warnings, not errors)."""
    images, deps = plan.images, plan.dependencies
    if images.pull_secret and deps.bundled:
        yield (
            "images.pullSecret",
            "flyte-deps has no imagePullSecrets: its minio and PostgreSQL pull as the namespace's default "
            f"ServiceAccount; add the secret to it: kubectl -n {plan.target.namespace} patch serviceaccount default "
            f'-p \'{{"imagePullSecrets": [{{"name": "{images.pull_secret}"}}]}}\'',
        )
