"""Finding secrets in free-form values (``extraValues``, a custom storage block, an imported values file).

flyte-tui never writes a secret into a values file: passwords and keys live in Kubernetes Secrets. These
helpers find the values that would break that promise so validation can refuse them and the importer can
leave them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flyte_tui.redact import holds_credentials, holds_secret, secret_value

WHERE_INSTEAD = (
    "flyte-tui never writes secrets into the values file: use database.passwordSecret (the database "
    "password), storage.credentialsSecret (S3 keys) or a Secret you create, and leave the value out"
)


def secret_paths(tree: Any, prefix: str = "") -> Iterator[str]:
    """Dotted paths of the secret values in a tree (:func:`flyte_tui.redact.secret_value`, the one predicate):
    a non-empty value under a key like ``password``, ``secretKey``, ``clientSecret``; text that carries a
    credential under any key (``postgres://u:PW@db``, ``https://KEY:SECRET@host``, ``host=db password=…``); an
    ``env`` entry ``{name: PGPASS, value: …}``; the value after a flag like ``--db-password`` in an args list; or
    the data of a ``secretManifest``. Keys that only name or describe a secret (``passwordPath``, ``secretName``,
    ``tokenAudience``) are not secrets."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if _secret_manifest(key, value):
                yield from (f"{path}.{field}" for field in ("data", "stringData") if value.get(field))
            elif secret_value(key, value):
                yield path
            else:
                yield from secret_paths(value, path)
    elif isinstance(tree, list):
        flagged = _flag_values(tree)
        for index, item in enumerate(tree):
            path = f"{prefix}[{index}]"
            if _secret_env(item):
                yield f"{path}.value"
            elif index in flagged or _credential_text(item):
                yield path
            else:
                yield from secret_paths(item, path)


def without_secrets(tree: Any) -> Any:
    """A copy of ``tree`` without the values :func:`secret_paths` finds (emptied maps are dropped); a
    ``secretManifest`` with data goes whole (without its data it would only create an empty Secret), an env
    entry too, and a secret flag of an args list together with its value."""
    if isinstance(tree, dict):
        out: dict[str, Any] = {}
        for key, value in tree.items():
            if _secret_manifest(key, value) or secret_value(key, value):
                continue
            cleaned = without_secrets(value)
            if cleaned != {} or value == {}:
                out[key] = cleaned
        return out
    if isinstance(tree, list):
        flagged = _flag_values(tree)
        dropped = flagged | {i - 1 for i in flagged}
        return [
            without_secrets(item)
            for index, item in enumerate(tree)
            if index not in dropped and not _secret_env(item) and not _credential_text(item)
        ]
    return tree


def _secret_manifest(key: Any, value: Any) -> bool:
    """A chart's ``secretManifest`` block that carries data."""
    if str(key) != "secretManifest" or not isinstance(value, dict):
        return False
    return bool(value.get("data") or value.get("stringData"))


def _flag_values(items: list[Any]) -> set[int]:
    """Indexes of the values that follow a secret flag in an args list: ``["--db-password", PW]`` → {1}."""
    return {
        index + 1
        for index, item in enumerate(items[:-1])
        if isinstance(item, str)
        and item.startswith("-")
        and "=" not in item
        and holds_secret(item.lstrip("-"))
        and isinstance(items[index + 1], str | int)
        and not isinstance(items[index + 1], bool)
        and not str(items[index + 1]).startswith("-")
    }


def _credential_text(item: Any) -> bool:
    """A list item that is text carrying a credential (``--db-password=PW``, ``postgres://u:PW@db``)."""
    return isinstance(item, str) and holds_credentials(item)


def _secret_env(item: Any) -> bool:
    """An env entry ``{name: DB_PASSWORD, value: …}`` (or one whose value carries a credential)."""
    return isinstance(item, dict) and "name" in item and secret_value(item.get("name", ""), item.get("value"))
