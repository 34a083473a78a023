"""Masking secrets in what a review shows: values, answers and manifests (Secrets themselves show only
which keys changed, see :mod:`flyte_tui.review.diff`).

Masked: scalars under a key that :func:`~flyte_tui.redact.holds_secret` (and hashes of secrets, such as
``propellerHash``: :func:`masked_key`), env entries such as
``DB_PASSWORD``, the argument after ``--token``, and secrets inside text (``password: …`` in a ConfigMap's
``db.yaml``), with the doctor's redaction rules (:mod:`flyte_tui.redact`). A masked value that differs
from the deployed one reads ``(redacted, changed)``, so the change still shows, never the value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from flyte_tui.redact import MASK, holds_secret, key_words, redact_text

REDACTED = "(redacted)"
CHANGED = "(redacted, changed)"
"""What a masked value that differs from the deployed one shows on the new side."""

_ACCESS_KEY_ID = re.compile(r"[\w.\-]*access[-_]?key[-_]?id", re.IGNORECASE)
"""S3 ``access_key_id`` (flyte-core's storage.yaml) inside text; :func:`holds_secret` knows it as a key."""
_ACCESS_KEY_ID_TEXT = re.compile(
    rf"""(?P<key>{_ACCESS_KEY_ID.pattern})(?P<sep>["']?\s*[:=]\s*["']?)(?P<value>[^\s"',;&}}]+)""", re.IGNORECASE
)
ABSENT: Any = object()
"""The old side of a value that has no old side."""


_HASHED = frozenset({"propeller", "secret", "password", "passwd", "token", "client", "key"})
"""Words before ``hash`` that make a key the hash of a secret (``propellerHash``, ``passwordHash``)."""


def masked_key(key: object) -> bool:
    """Whether the review masks the value under ``key``: a secret (:func:`~flyte_tui.redact.holds_secret`), or the
    hash of one (``auth.clients.propellerHash``): a hash is no secret, yet the review shows only that it changed."""
    if holds_secret(key):
        return True
    words = key_words(key)
    return len(words) > 1 and words[-1] == "hash" and bool(_HASHED.intersection(words[:-1]))


def _maskable(value: Any) -> bool:
    return value not in (None, "") and not isinstance(value, bool | Mapping | list)


def _counterparts(items: list[Any], before: Any) -> list[Any]:
    """For each item of a list, the item it replaces on the old side: the same ``name`` when every item
    has one (env lists, containers, ports), else the same position."""
    if not isinstance(before, list):
        return [ABSENT] * len(items)
    named = all(isinstance(i, Mapping) and "name" in i for i in [*items, *before])
    if named:
        old = {str(i["name"]): i for i in before}
        return [old.get(str(i["name"]), ABSENT) for i in items]
    return [before[n] if n < len(before) else ABSENT for n in range(len(items))]


def _redact_text(text: str) -> str:
    """:func:`redact_text` plus ``access_key_id``, with masks that read ``(redacted)``."""
    text = _ACCESS_KEY_ID_TEXT.sub(lambda m: f"{m['key']}{m['sep']}{MASK}", text)
    return redact_text(text).replace(MASK, REDACTED)


def _secret_flag(item: Any) -> bool:
    """``--token``, ``--password``: a command-line flag whose next argument is a secret."""
    return isinstance(item, str) and item.startswith("-") and holds_secret(item.lstrip("-"))


def _mask_text(text: str, before: Any) -> str:
    """Free text (a ConfigMap's ``db.yaml``, a command line) with secrets masked; a line whose masked
    form matches the old line's but whose real text differs has its mask marked changed."""
    shown = _redact_text(text)
    if not isinstance(before, str) or before == text or REDACTED not in shown:
        return shown
    was = _redact_text(before)
    now_lines, was_lines = shown.split("\n"), was.split("\n")
    raw_now, raw_was = text.split("\n"), before.split("\n")
    if len(now_lines) != len(raw_now) or len(was_lines) != len(raw_was):  # a private key block was folded
        return shown.replace(REDACTED, CHANGED) if shown == was else shown
    matcher = difflib.SequenceMatcher(None, was_lines, now_lines, autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            for n in range(i2 - i1):
                if raw_was[i1 + n] != raw_now[j1 + n]:
                    now_lines[j1 + n] = now_lines[j1 + n].replace(REDACTED, CHANGED)
    return "\n".join(now_lines)


def mask(value: Any, before: Any = ABSENT, secret: bool = False) -> Any:
    """A copy of plain data with every secret-looking value masked as ``(redacted)``.

    Masked: scalars under a key that :func:`~flyte_tui.redact.holds_secret`, the ``value`` of an env entry
    whose ``name`` does (``{name: DB_PASSWORD, value: …}``), the argument after ``--token``/``--password`` in a list,
    and secrets inside text (:func:`~flyte_tui.redact.redact_text`, plus ``access_key_id``). ``before`` is
    the same place on the deployed side: where the secret there differs, the mask reads
    ``(redacted, changed)``. ``secret``: ``value`` itself sits under a secret key.
    """
    if isinstance(value, Mapping):
        old = before if isinstance(before, Mapping) else {}
        env_secret = "value" in value and holds_secret(value.get("name", ""))
        return {
            k: mask(v, old.get(k, ABSENT), masked_key(k) or (env_secret and k == "value")) for k, v in value.items()
        }
    if isinstance(value, list):
        flags = [False, *(_secret_flag(v) for v in value[:-1])]
        return [
            mask(v, b, secret or flag) for v, b, flag in zip(value, _counterparts(value, before), flags, strict=True)
        ]
    if secret and _maskable(value):
        return CHANGED if before is not ABSENT and before != value else REDACTED
    if isinstance(value, str):
        return _mask_text(value, before)
    return value
