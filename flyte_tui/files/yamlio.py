"""YAML in and out with ruamel.yaml: round-trip loads, comment-keeping merges, atomic writes with backup."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

__all__ = [
    "UnmergeableFile",
    "YAMLError",
    "dump",
    "load_document",
    "load_plain",
    "merge_into",
    "read_existing",
    "to_commented",
    "to_plain",
    "write_atomic",
]


class UnmergeableFile(OSError):
    """A file to merge into exists but is not UTF-8 YAML: it is left as it is and nothing is written.

    An ``OSError``, so every place that reports a file it cannot write reports this one too.
    """


def read_existing(path: Path) -> Any:
    """The YAML document (comments kept) already at ``path``; None when there is no file or it is empty.

    Raises :class:`UnmergeableFile` when the file cannot be read as YAML, so the caller never replaces
    what the user wrote with a fresh file.
    """
    path = Path(path)
    if not path.exists():
        return None
    advice = "it was left as it is; fix it or move it away, then save again"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UnmergeableFile(f"{path} exists but is not UTF-8 text; {advice}") from exc
    if not text.strip():
        return None
    try:
        return load_document(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise UnmergeableFile(f"{path} exists but is not valid YAML{where}; {advice}") from exc


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.representer.add_representer(
        type(None), lambda rep, _data: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def load_plain(text: str) -> Any:
    """Parse YAML into plain dicts, lists and scalars."""
    return to_plain(_round_trip().load(text))


def load_document(text: str) -> Any:
    """Parse YAML keeping comments and key order (ruamel round-trip nodes)."""
    return _round_trip().load(text)


def dump(data: Any) -> str:
    """Serialise round-trip nodes or plain data to YAML text."""
    stream = io.StringIO()
    _round_trip().dump(data, stream)
    return stream.getvalue()


def to_plain(node: Any) -> Any:
    """Turn round-trip nodes into plain dicts and lists (recursively)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str | int | float | bool) else k: to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def to_commented(value: Any) -> Any:
    """Turn plain data into round-trip nodes so it can be placed in a document."""
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = to_commented(v)
        return out
    if isinstance(value, list):
        return CommentedSeq([to_commented(v) for v in value])
    return value


def merge_into(
    doc: CommentedMap,
    new: dict[str, Any],
    owned: Callable[[tuple[str, ...]], bool] = lambda _path: False,
    _path: tuple[str, ...] = (),
) -> None:
    """Merge ``new`` into ``doc`` in place, keeping the document's comments, order and unknown keys.

    Maps merge key by key; other values replace. Keys that ``new`` lacks survive, unless ``owned``
    says flyte-tui writes that path (then a key no longer rendered is a stale answer and is removed).
    Unchanged values are left untouched so their formatting and comments stay.
    """
    for key, value in new.items():
        current = doc.get(key) if key in doc else None
        if isinstance(value, dict) and isinstance(current, CommentedMap):
            merge_into(current, value, owned, (*_path, key))
        elif key in doc and to_plain(current) == value:
            continue
        else:
            doc[key] = to_commented(value)
    for key in list(doc.keys()):
        if key in new:
            continue
        path = (*_path, str(key))
        if owned(path):
            del doc[key]
        elif isinstance(doc[key], CommentedMap) and doc[key]:
            merge_into(doc[key], {}, owned, path)
            if not doc[key]:
                del doc[key]


def write_atomic(path: Path, text: str, backup: bool = True) -> Path | None:
    """Write ``text`` to ``path`` atomically; keep the previous file as ``<path>.bak``.

    Returns the backup's path when one was made. The file is written next to its destination and
    renamed over it, so a crash leaves either the old or the new file, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    backup_path: Path | None = None
    mode = 0o644
    if path.exists():
        mode = path.stat().st_mode & 0o777
        if backup:
            backup_path = path.with_name(path.name + ".bak")
            shutil.copy2(path, backup_path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return backup_path
