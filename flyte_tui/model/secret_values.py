"""Finding secrets in free-form values (``extraValues``, a custom storage block, an imported values file).

flyte-tui never writes a secret into a values file: passwords and keys live in Kubernetes Secrets. These
helpers find the values that would break that promise so validation can refuse them and the importer can
leave them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flyte_tui.redact import holds_secret

WHERE_INSTEAD = (
    "flyte-tui never writes secrets into the values file: use database.passwordSecret (the database "
    "password), storage.credentialsSecret (S3 keys) or a Secret you create, and leave the value out"
)


def secret_paths(tree: Any, prefix: str = "") -> Iterator[str]:
    """Dotted paths of the secret values in a tree: a non-empty value under a key like ``password``,
    ``secretKey``, ``clientSecret``, an ``env`` entry ``{name: DB_PASSWORD, value: …}``, or the data of a
    ``secretManifest``. Keys that only name a secret (``passwordPath``, ``secretName``) are not secrets."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if _secret_manifest(key, value):
                yield from (f"{path}.{field}" for field in ("data", "stringData") if value.get(field))
            elif _secret_value(key, value):
                yield path
            else:
                yield from secret_paths(value, path)
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            path = f"{prefix}[{index}]"
            yield from [f"{path}.value"] if _secret_env(item) else secret_paths(item, path)


def without_secrets(tree: Any) -> Any:
    """A copy of ``tree`` without the values :func:`secret_paths` finds (emptied maps are dropped); a
    ``secretManifest`` with data goes whole (without its data it would only create an empty Secret), an env
    entry too."""
    if isinstance(tree, dict):
        out: dict[str, Any] = {}
        for key, value in tree.items():
            if _secret_manifest(key, value) or _secret_value(key, value):
                continue
            cleaned = without_secrets(value)
            if cleaned != {} or value == {}:
                out[key] = cleaned
        return out
    if isinstance(tree, list):
        return [without_secrets(item) for item in tree if not _secret_env(item)]
    return tree


def _secret_manifest(key: Any, value: Any) -> bool:
    """A chart's ``secretManifest`` block that carries data."""
    if str(key) != "secretManifest" or not isinstance(value, dict):
        return False
    return bool(value.get("data") or value.get("stringData"))


def _secret_value(key: Any, value: Any) -> bool:
    """A value under a key that holds a secret (not a block, not empty, not a switch)."""
    if not holds_secret(key) or isinstance(value, bool | dict | list) or value is None:
        return False
    return str(value).strip() != ""


def _secret_env(item: Any) -> bool:
    """An env entry ``{name: DB_PASSWORD, value: …}``."""
    return isinstance(item, dict) and _secret_value(item.get("name", ""), item.get("value"))
