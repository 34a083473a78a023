"""Secrets, in one place: which key holds one (:func:`holds_secret`, the one predicate) and masking them
(:data:`MASK`) in what the doctor shows, the bundle keeps, the upgrade review prints and the installer
logs: passwords, tokens and keys in values, manifests, logs and describe output. Secret objects keep
their key names, never their values."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from typing import Any

MASK = "******"

DB_PASSWORD_ENV = "FLYTE_TUI_DB_PASSWORD"
S3_ACCESS_KEY_ENV = "FLYTE_TUI_S3_ACCESS_KEY"
S3_SECRET_KEY_ENV = "FLYTE_TUI_S3_SECRET_KEY"
OIDC_CLIENT_SECRET_ENV = "FLYTE_TUI_OIDC_CLIENT_SECRET"
PROPELLER_CLIENT_SECRET_ENV = "FLYTE_TUI_PROPELLER_CLIENT_SECRET"
SECRET_ENVIRONMENT = (
    DB_PASSWORD_ENV, S3_ACCESS_KEY_ENV, S3_SECRET_KEY_ENV, OIDC_CLIENT_SECRET_ENV, PROPELLER_CLIENT_SECRET_ENV
)  # fmt: skip
"""The environment variables flyte-tui takes secrets from (defined here, read by ``install/secrets.py``): their values
are known secrets, masked wherever they appear (:func:`known_secrets`), whatever the text around them."""

_SECRET_NOUNS = frozenset(
    {
        "password", "passwords", "passwd", "pwd", "pass", "passphrase", "pgpass", "pgpassword", "htpasswd",
        "secret", "secrets", "token", "tokens", "credential", "credentials", "cookie", "apikey", "privatekey",
        "accesskey", "secretkey",
    }
)  # fmt: skip
"""Words that, as the last word of a key, make it hold a secret (``DB_PASSWORD``, ``clientSecret``, ``token``)."""
_KEY_KINDS = frozenset(
    {"api", "access", "secret", "private", "session", "hash", "block", "signing", "encryption", "master", "account",
     "shared", "client", "storage", "ssh"}
)  # fmt: skip
"""``<word> key`` pairs that are keys to something (``apiKey``, ``secret_key``, ``privateKey``), not a map key."""
_QUALIFIERS = frozenset({"value", "data", "b64", "base64", "hash", "string", "str", "text", "plain", "raw", "encoded"})
"""Words after a secret noun that still describe the secret itself (``passwordValue``, ``clientSecretHash``)."""
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")


def key_words(key: object) -> list[str]:
    """The words of a key, lower case: ``spark.hadoop.fs.s3a.aws.credentials.provider`` → [..., credentials,
    provider], ``accessTokenLifespan`` → [access, token, lifespan], ``OIDC_CLIENT_SECRET`` → [oidc, client, secret]."""
    return [w.lower() for w in _WORD.findall(str(key))]


def _secret_noun(words: list[str]) -> bool:
    """Whether a key whose last word is ``words[-1]`` names a secret value."""
    last = words[-1]
    if last in _SECRET_NOUNS:
        return True
    return last in ("key", "keys") and len(words) > 1 and words[-2] in _KEY_KINDS


def holds_secret(key: object) -> bool:
    """Whether a key holds a secret value, by what the key is (its head noun: the last word), not by the
    words in it: ``password``, ``clientSecret``, ``apiKey``, ``credentials``, ``PGPASS`` and ``access_key_id`` do;
    ``passwordPath``, ``secretName``, ``tokenFile``, ``tokenAudience``, ``passwordMinLength``,
    ``accessTokenLifespan`` and ``spark…credentials.provider`` do not (they are settings about a secret), nor do
    ``passwordSecret`` / ``credentialsSecret`` (a ``<secret word>Secret`` names the Kubernetes Secret)."""
    words = key_words(key)
    while len(words) > 1 and words[-1] in _QUALIFIERS:
        words = words[:-1]
    if not words:
        return False
    if words[-1] == "id" and words[-3:-1] == ["access", "key"]:
        return True  # S3 access_key_id (flyte-core's storage.yaml): a key id, yet half of a credential
    if not _secret_noun(words):
        return False
    # passwordSecret, credentialsSecret: the name of the Kubernetes Secret; pullSecret(s): an image pull Secret's
    named = words[-1] in ("secret", "secrets") and len(words) > 1
    return not (named and (_secret_noun(words[:-1]) or words[-2] == "pull"))


def secret_value(key: object, value: object) -> bool:
    """Whether ``value`` under ``key`` is a secret: a non-empty scalar under a key that :func:`holds_secret`
    (not a switch, not a Helm template that only refers to another value), or text that carries a credential
    whatever its key (``https://user:pw@host``, ``host=db password=…``, a bearer token, a private key)."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return False
    text = str(value).strip()
    if not text:
        return False
    if holds_secret(key) and not _TEMPLATE.fullmatch(text):
        return True
    return isinstance(value, str) and (holds_credentials(value) or url_userinfo(value))


_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/?#@\s]+)@")


def url_userinfo(text: str) -> bool:
    """Whether text holds a URL with a user name or password (``https://user:token@host``, ``https://TOKEN@host``)."""
    return bool(_USERINFO.search(text))


def mask_userinfo(text: str) -> str:
    """``text`` with the user info of every URL in it replaced by :data:`MASK` (safe to show or log)."""
    return _USERINFO.sub(lambda m: f"{m.group('scheme')}{MASK}@", text)


def holds_credentials(text: str) -> bool:
    """Whether free text carries a credential that :func:`redact_text` would mask (URL user info, an assignment
    such as ``password=…``, a bearer token, a private key, an AWS access key id, a ``--password X`` flag)."""
    return redact_text(text) != text


def mask_values(text: str, values: list[str]) -> str:
    """``text`` with every one of the given secret values (a password typed in) replaced by :data:`MASK`."""
    for value in sorted(values, key=len, reverse=True):  # longest first: one value may hold another
        if value:
            text = text.replace(value, MASK)
    return text


def known_secrets(*environments: Mapping[str, str] | None) -> list[str]:
    """The secret values given to flyte-tui in :data:`SECRET_ENVIRONMENT` (of ``os.environ``, and of each
    environment given), as given and without surrounding blanks, longest first."""
    found: set[str] = set()
    for env in (os.environ, *(e for e in environments if e is not None)):
        for name in SECRET_ENVIRONMENT:
            value = env.get(name) or ""
            found.update(v for v in (value, value.strip()) if v)
    return sorted(found, key=len, reverse=True)


def mask_known(data: Any, values: list[str]) -> Any:
    """A copy of ``data`` (text, JSON-like data, tuples, dataclass instances) with each of ``values`` masked
    wherever it appears, in mapping keys too; other objects as they are."""
    if not values:
        return data
    if isinstance(data, str):
        return mask_values(data, values)
    if isinstance(data, dict):
        return {mask_known(k, values): mask_known(v, values) for k, v in data.items()}
    if type(data) in (list, tuple):
        return type(data)(mask_known(v, values) for v in data)
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        changes = {f.name: mask_known(getattr(data, f.name), values) for f in dataclasses.fields(data) if f.init}
        return dataclasses.replace(data, **changes)
    return data


_PEM = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.DOTALL)
_ASSIGNMENT = re.compile(
    # the key is a whole run of [\w.-] holding one of the words (checked ahead, then taken without backtracking:
    # linear in the text's length, where a key pattern free to start and end anywhere in a run was quadratic)
    r"""(?<![\w.\-])(?P<key>(?=[\w.\-]*?(?:pass|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key"""
    r"""|credential))[\w.\-]*+)(?P<sep>["']?\s*[:=]\s*["']?)(?P<value>[^\s"',;&}]+)""",
    re.IGNORECASE,
)
_FLAG = re.compile(r"(?P<flag>--[\w-]+)\s+(?P<value>[^\s-]\S*)")
_BEARER = re.compile(r"(?P<word>Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_URL_CREDENTIALS = re.compile(  # linear: a scheme from the start of its run, a password of at most 512 characters
    r"(?<![a-z0-9+.-])(?P<head>[a-z][a-z0-9+.-]*+://[^/\s:@]++):[^@\s]{1,512}?@", re.IGNORECASE
)
_AWS_KEY_ID = re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")


def _assignment(m: re.Match[str]) -> str:
    if not holds_secret(m.group("key")) or m.group("value") == MASK:
        return m.group(0)
    return f"{m.group('key')}{m.group('sep')}{MASK}"


def redact_text(text: str) -> str:
    """Mask secrets in free text: the values of :func:`known_secrets`, ``password=…``, ``token: …``, bearer
    tokens, URL credentials, private keys."""
    text = mask_values(text, known_secrets())
    text = _PEM.sub(MASK, text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group('head')}:{MASK}@", text)
    text = _BEARER.sub(lambda m: f"{m.group('word')} {MASK}", text)
    text = _AWS_KEY_ID.sub(MASK, text)
    text = _FLAG.sub(lambda m: f"{m.group('flag')} {MASK}" if holds_secret(m.group("flag")) else m.group(0), text)
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
