"""Secrets, in one place: which key holds one (:func:`holds_secret`, the one predicate) and masking them
(:data:`MASK`) in what the doctor shows, the bundle keeps, the upgrade review prints and the installer
logs: passwords, tokens and keys in values, manifests, logs and describe output. Secret objects keep
their key names, never their values."""

from __future__ import annotations

import re
from typing import Any

MASK = "******"

_SENSITIVE = re.compile(
    r"password|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|cookie|"
    r"session[-_]?key|hash[-_]?key|block[-_]?key",
    re.IGNORECASE,
)
_NAMES_NOT_HOLDS = re.compile(
    r"(path|file|name|names|ref|manifest|type|enabled|mount|mountpath|header|source|from|selector|id|location|url|uri)$",
    re.IGNORECASE,
)


_NAMES_A_SECRET = re.compile(r"[-_]?secret$", re.IGNORECASE)
_ACCESS_KEY_ID = re.compile(r"[\w.\-]*access[-_]?key[-_]?id", re.IGNORECASE)
"""S3 ``access_key_id`` (flyte-core's storage.yaml): a key id, yet half of a credential."""


def _secret_word(text: str) -> bool:
    return bool(_SENSITIVE.search(text)) and not _NAMES_NOT_HOLDS.search(text.replace("_", "").replace("-", ""))


def holds_secret(key: object) -> bool:
    """Whether a key holds a secret value (``password``, ``clientSecret``, ``apiKey``, ``credentials``,
    ``access_key_id``) rather than naming one (``passwordPath``, ``secretName``, ``tokenFile``, and
    ``passwordSecret`` / ``credentialsSecret``: a ``<secret word>Secret`` names the Kubernetes Secret)."""
    text = str(key)
    if _ACCESS_KEY_ID.fullmatch(text):
        return True
    if not _secret_word(text):
        return False
    stem = _NAMES_A_SECRET.sub("", text)
    return not (stem != text and _secret_word(stem))


def mask_values(text: str, values: list[str]) -> str:
    """``text`` with every one of the given secret values (a password typed in) replaced by :data:`MASK`."""
    for value in values:
        if value:
            text = text.replace(value, MASK)
    return text


_PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.DOTALL)
_ASSIGNMENT = re.compile(
    r"""(?P<key>[\w.\-]*(?:password|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential)"""
    r"""[\w.\-]*)(?P<sep>["']?\s*[:=]\s*["']?)(?P<value>[^\s"',;&}]+)""",
    re.IGNORECASE,
)
_FLAG = re.compile(r"(?P<flag>--[\w-]*(?:password|token|secret)[\w-]*)\s+(?P<value>[^\s-]\S*)", re.IGNORECASE)
_BEARER = re.compile(r"(?P<word>Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_URL_CREDENTIALS = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/\s:@]+):[^@\s/]+@", re.IGNORECASE)
_AWS_KEY_ID = re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")


def _assignment(m: re.Match[str]) -> str:
    if not holds_secret(m.group("key")) or m.group("value") == MASK:
        return m.group(0)
    return f"{m.group('key')}{m.group('sep')}{MASK}"


def redact_text(text: str) -> str:
    """Mask secrets in free text: ``password=…``, ``token: …``, bearer tokens, URL credentials, private keys."""
    text = _PEM.sub(MASK, text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group('head')}:{MASK}@", text)
    text = _BEARER.sub(lambda m: f"{m.group('word')} {MASK}", text)
    text = _AWS_KEY_ID.sub(MASK, text)
    text = _FLAG.sub(lambda m: f"{m.group('flag')} {MASK}", text)
    return _ASSIGNMENT.sub(_assignment, text)


def redact_data(data: Any) -> Any:
    """A copy of JSON-like data with secrets masked: Secret objects' data, sensitive keys, env values, text."""
    if isinstance(data, dict):
        if data.get("kind") == "Secret":
            out = {k: redact_data(v) for k, v in data.items() if k not in ("data", "stringData")}
            for field in ("data", "stringData"):
                if isinstance(data.get(field), dict):
                    out[field] = dict.fromkeys(data[field], MASK)
            return out
        env_like = "name" in data and "value" in data and holds_secret(data.get("name"))
        result = {}
        for key, value in data.items():
            if (env_like and key == "value") or (holds_secret(key) and _scalar(value)):
                result[key] = MASK if value not in ("", None) else value
            else:
                result[key] = redact_data(value)
        return result
    if isinstance(data, list):
        return [redact_data(v) for v in data]
    if isinstance(data, str):
        return redact_text(data)
    return data


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)
