"""Finding secrets in free-form values (``extraValues``, a custom storage block, an imported values file).

flyte-tui never writes a secret into a values file: passwords and keys live in Kubernetes Secrets. These
helpers find the values that would break that promise so validation can refuse them and the importer can
leave them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flyte_tui.doctor.redact import sensitive_key

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
            if str(key) == "secretManifest" and isinstance(value, dict):
                for field in ("data", "stringData"):
                    if value.get(field):
                        yield f"{path}.{field}"
            elif sensitive_key(key) and _holds_value(value):
                yield path
            else:
                yield from secret_paths(value, path)
    elif isinstance(tree, list):
        for index, item in enumerate(tree):
            path = f"{prefix}[{index}]"
            if isinstance(item, dict) and sensitive_key(item.get("name", "")) and _holds_value(item.get("value")):
                yield f"{path}.value"
            else:
                yield from secret_paths(item, path)


def _holds_value(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, dict | list):
        return False  # a block: its own keys decide
    return str(value).strip() != ""


def without_secrets(tree: Any) -> Any:
    """A copy of ``tree`` without the values :func:`secret_paths` finds (emptied maps are dropped)."""
    if isinstance(tree, dict):
        out: dict[str, Any] = {}
        for key, value in tree.items():
            manifest_with_data = isinstance(value, dict) and bool(value.get("data") or value.get("stringData"))
            if str(key) == "secretManifest" and manifest_with_data:
                continue  # a Secret manifest without its data would only create an empty Secret
            if sensitive_key(key) and _holds_value(value):
                continue
            cleaned = without_secrets(value)
            if cleaned != {} or value == {}:
                out[key] = cleaned
        return out
    if isinstance(tree, list):
        return [
            without_secrets(item)
            for item in tree
            if not (isinstance(item, dict) and sensitive_key(item.get("name", "")) and _holds_value(item.get("value")))
        ]
    return tree
