"""YAML in and out with ruamel.yaml: bounded loads, comment-keeping merges, atomic writes with backup.

Every YAML flyte-tui reads goes through :func:`check` first, one bound for every file: a document larger
than :data:`MAX_BYTES`, nested deeper than :data:`MAX_DEPTH`, whose aliases expand past :data:`MAX_NODES`,
or holding what Helm values cannot hold (non-finite floats, integers beyond 64 bits, ``!!set`` and other
tags, non-scalar keys, recursive aliases, duplicate keys) is refused with :class:`RefusedYAML`, naming the
line and what is accepted, before anything recursive sees it. The check reads libyaml's event stream (C,
fast and iterative), so it costs little next to ruamel's round-trip parse.
"""

from __future__ import annotations

import copy
import io
import math
import os
import stat
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq
from ruamel.yaml.error import ReusedAnchorWarning, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "RefusedYAML",
    "UnmergeableFile",
    "YAMLError",
    "check",
    "destination",
    "dump",
    "load_document",
    "load_plain",
    "merge_into",
    "read_existing",
    "read_plain_file",
    "read_text",
    "to_commented",
    "to_plain",
    "write_atomic",
]

MAX_BYTES = 4 * 1024 * 1024
"""The largest YAML file read (4 MiB; Helm keeps a release's values in a Secret of at most 1 MiB)."""
MAX_DEPTH = 64
"""The deepest nesting of mappings and lists accepted (aliases included)."""
MAX_NODES = 1_000_000
"""The most values a document may hold once its aliases are expanded (an alias bomb is refused)."""
ACCEPTED = "mappings with scalar keys, lists, strings, finite numbers, booleans and null"
"""What a YAML document read by flyte-tui may hold (what Helm values can hold)."""

_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp")} | {"!"}
_MAP_TAGS = {_CORE + "map", "!"}
_SEQ_TAGS = {_CORE + "seq", "!"}
_RESOLVER = VersionedResolver(version=(1, 2))


class RefusedYAML(YAMLError):
    """A document that parses but holds what flyte-tui (and Helm) cannot take; the message says why."""


class UnmergeableFile(OSError):
    """A file to merge into exists but cannot be merged into (not a regular file, not UTF-8, not YAML, not a
    mapping, too large): it is left as it is and nothing is written.

    An ``OSError``, so every place that reports a file it cannot write reports this one too.
    """


# -- the bound -----------------------------------------------------------------------------------------


@dataclass
class _Frame:
    mapping: bool
    anchor: str | None
    line: int
    size: int = 1
    height: int = 1
    expect_key: bool = True
    keys: set[str] = field(default_factory=set)


def _events(text: str) -> Iterator[Any]:
    """libyaml's events (ruamel's when libyaml refuses, so a syntax error reads as ruamel words it)."""
    try:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        events = list(yaml.parse(text, Loader=loader))
    except Exception:
        events = list(_round_trip().parse(text))
    return iter(events)


def _tag(event: Any) -> str | None:
    tag = getattr(event, "ctag", None) or getattr(event, "tag", None)
    return None if tag is None else str(tag)


def _number_problem(value: str, tag: str) -> str | None:
    """Why a scalar that YAML reads as a number cannot be a Helm value (None: it can)."""
    text = value.replace("_", "")
    if tag == _CORE + "float":
        low = text.lower().lstrip("+-")
        if low in (".inf", "inf", ".nan", "nan"):
            return f"{value!r} is not a finite number; quote it to keep it as text"
        try:
            number = float(text)
        except ValueError:
            return None
        return None if math.isfinite(number) else f"{value[:40]!r} is too large a number (a 64-bit float)"
    digits = text.lstrip("+-")
    if len(digits) > 22:
        return f"an integer of {len(digits)} digits is not accepted (integers fit in 64 bits); quote it as text"
    try:
        number_i = int(text, 0)
    except ValueError:
        try:
            number_i = int(text, 10)
        except ValueError:
            return None
    if not _INT_MIN <= number_i <= _INT_MAX:
        return f"{value!r} does not fit in 64 bits; quote it to keep it as text"
    return None


def check(text: str, source: str = "") -> None:
    """Refuse (:class:`RefusedYAML`) a document flyte-tui will not read; a syntax error is ruamel's error."""
    where = f"{source}: " if source else ""

    def refuse(line: int, what: str) -> RefusedYAML:
        return RefusedYAML(f"{where}line {line + 1}: {what}; accepted: {ACCEPTED}")

    if len(text) > MAX_BYTES:
        raise RefusedYAML(f"{where}{len(text) // 1024} KiB is larger than the {MAX_BYTES // 1024 // 1024} MiB accepted")
    events = _events(text)
    frames: list[_Frame] = []
    anchors: dict[str, tuple[int, int]] = {}
    open_anchors: set[str] = set()
    expanded = 0  # values in the document once every alias is expanded

    def count(size: int, line: int) -> None:
        nonlocal expanded
        expanded += size
        if expanded > MAX_NODES:
            raise refuse(line, f"aliases expanding to more than {MAX_NODES:,} values")

    def add(size: int, height: int, line: int, key_text: str | None) -> None:
        if not frames:
            return
        parent = frames[-1]
        if parent.mapping and parent.expect_key:
            if height:
                raise refuse(line, "a mapping or list as a key is not accepted")
            if key_text is not None:
                if key_text in parent.keys:
                    raise refuse(line, f"duplicate key {key_text[:60]!r}")
                parent.keys.add(key_text)
        if parent.mapping:
            parent.expect_key = not parent.expect_key
        parent.size += size
        parent.height = max(parent.height, height + 1)
        if len(frames) + height > MAX_DEPTH:
            raise refuse(line, f"nesting deeper than {MAX_DEPTH} levels")

    for event in events:
        line = event.start_mark.line if event.start_mark is not None else 0
        kind = type(event).__name__
        anchor = getattr(event, "anchor", None)
        if kind == "DocumentStartEvent":
            anchors.clear()
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            mapping = kind == "MappingStartEvent"
            tag = _tag(event)
            if tag is not None and tag not in (_MAP_TAGS if mapping else _SEQ_TAGS):
                raise refuse(line, f"the tag {tag.replace(_CORE, '!!')} is not accepted")
            if frames and frames[-1].mapping and frames[-1].expect_key:
                raise refuse(line, "a mapping or list as a key is not accepted")
            frames.append(_Frame(mapping, anchor, line))
            count(1, line)
            if len(frames) > MAX_DEPTH:
                raise refuse(line, f"nesting deeper than {MAX_DEPTH} levels")
            if anchor is not None:
                open_anchors.add(anchor)
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            done = frames.pop()
            if done.anchor is not None:
                anchors[done.anchor] = (done.size, done.height)
                open_anchors.discard(done.anchor)
            add(done.size, done.height, done.line, None)
        elif kind == "ScalarEvent":
            tag = _tag(event)
            value = str(event.value)
            if tag is not None and tag not in _SCALAR_TAGS:
                raise refuse(line, f"the tag {tag.replace(_CORE, '!!')} is not accepted")
            plain = event.style in (None, "") and tag is None
            if plain and value[:1] in "0123456789+-.":
                tag = str(_RESOLVER.resolve(ScalarNode, value, (True, False)))
            if tag in (_CORE + "int", _CORE + "float"):
                problem = _number_problem(value, tag)
                if problem:
                    raise refuse(line, problem)
            if anchor is not None:
                anchors[anchor] = (1, 0)
            count(1, line)
            add(1, 0, line, value)
        elif kind == "AliasEvent":
            if anchor in open_anchors:
                raise refuse(line, f"the alias *{anchor} refers to a value that contains it (a recursive alias)")
            size, height = anchors.get(str(anchor), (1, 0))
            count(size, line)
            add(size, height, line, None if height else f"*{anchor}")


# -- loading -------------------------------------------------------------------------------------------


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.max_depth = MAX_DEPTH + 2
    yaml.representer.add_representer(
        type(None), lambda rep, _data: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return yaml


def load_document(text: str, source: str = "") -> Any:
    """Parse YAML keeping comments and key order (ruamel round-trip nodes), within the bound."""
    check(text, source)
    try:
        with warnings.catch_warnings():  # a redefined anchor is valid YAML (the later one wins): no stderr noise
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            return _round_trip().load(text)
    except YAMLError:
        raise
    except (ValueError, OverflowError, RecursionError, TypeError) as exc:  # a scalar ruamel cannot build
        where = f"{source}: " if source else ""
        raise RefusedYAML(f"{where}cannot be read: {exc}; accepted: {ACCEPTED}") from exc


def load_plain(text: str, source: str = "") -> Any:
    """Parse YAML into plain dicts, lists and scalars, within the bound."""
    return to_plain(load_document(text, source))


def read_text(path: Path) -> str:
    """The text of a YAML file to read: a regular file (or a link to one) of at most :data:`MAX_BYTES`.

    Raises ``OSError`` (unreadable, not a regular file, too large) or ``UnicodeDecodeError``.
    """
    path = Path(path)
    if not stat.S_ISREG(os.stat(path).st_mode):  # before opening: a FIFO would block, a device never end
        raise OSError(f"{path} is not a regular file")
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise OSError(f"{path} is larger than the {MAX_BYTES // 1024 // 1024} MiB accepted")
    return data.decode("utf-8")


def read_plain_file(path: Path) -> Any:
    """A YAML file as plain data (raises OSError, UnicodeDecodeError or YAMLError, each naming the file)."""
    return load_plain(read_text(path), str(path))


def read_existing(path: Path) -> Any:
    """The YAML mapping (comments kept) already at ``path``; None when there is no file or it holds nothing.

    Raises :class:`UnmergeableFile` when the file cannot be merged into: not a regular file, not UTF-8,
    not YAML, refused by :func:`check`, or a document that is not a mapping (a notes file, a script, a
    list). The caller then never replaces what the user wrote.
    """
    path = Path(path)
    advice = "it was left as it is; fix it, move it away or choose another file"
    if not os.path.lexists(path):
        return None
    try:
        text = read_text(destination(path))
    except UnicodeDecodeError as exc:
        raise UnmergeableFile(f"{path} exists but is not UTF-8 text; {advice}") from exc
    except OSError as exc:
        raise UnmergeableFile(f"cannot read {path}: {exc.strerror or exc}; {advice}") from exc
    if not text.strip():
        return None
    try:
        doc = load_document(text)
    except RefusedYAML as exc:
        raise UnmergeableFile(f"{path} exists but cannot be merged into: {exc}; {advice}") from exc
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise UnmergeableFile(f"{path} exists but is not valid YAML{where}; {advice}") from exc
    if doc is None:
        return None
    if not isinstance(doc, CommentedMap):
        kind = "a list" if isinstance(doc, list) else "text or a number"
        raise UnmergeableFile(f"{path} exists and holds {kind}, not a YAML mapping; {advice}")
    return doc


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


# -- merging -------------------------------------------------------------------------------------------


def _shared(doc: Any) -> set[int]:
    """The ids of the containers reachable from ``doc`` more than once (through aliases or merge keys)."""
    seen: set[int] = set()
    shared: set[int] = set()
    stack = [doc]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict | list):
            continue
        if id(node) in seen:
            shared.add(id(node))
            continue
        seen.add(id(node))
        stack.extend(node.values() if isinstance(node, dict) else node)
    return shared


def _private_copy(node: Any) -> Any:
    """A deep copy with every anchor dropped, so writing to it never reaches the other places of an alias."""
    out = copy.deepcopy(node)
    stack = [out]
    while stack:
        item = stack.pop()
        if isinstance(item, CommentedBase) and item.anchor.value is not None:
            item.anchor.value = None
            item.anchor.always_dump = False
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return out


def merge_into(
    doc: CommentedMap,
    new: dict[str, Any],
    owned: Callable[[tuple[str, ...]], bool] = lambda _path: False,
    _path: tuple[str, ...] = (),
    _shared_ids: set[int] | None = None,
) -> None:
    """Merge ``new`` into ``doc`` in place, keeping the document's comments, order and unknown keys.

    Maps merge key by key; other values replace. Keys that ``new`` lacks survive, unless ``owned``
    says flyte-tui writes that path (then a key no longer rendered is a stale answer and is removed).
    Unchanged values are left untouched so their formatting and comments stay. A mapping the document
    shares through a YAML alias (``&res`` / ``*res``) or a merge key is never written through: when it
    must change here, this place gets its own copy and the alias's other places keep theirs.
    """
    shared = _shared(doc) if _shared_ids is None else _shared_ids
    for key, value in new.items():
        current = doc.get(key) if key in doc else None
        if isinstance(value, dict) and isinstance(current, CommentedMap):
            _merge_child(doc, key, value, owned, (*_path, key), shared)
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
            _merge_child(doc, key, {}, owned, path, shared)
            if not doc[key]:
                del doc[key]


def _merge_child(
    doc: CommentedMap,
    key: Any,
    value: dict[str, Any],
    owned: Callable[[tuple[str, ...]], bool],
    path: tuple[str, ...],
    shared: set[int],
) -> None:
    current = doc[key]
    if id(current) not in shared:
        merge_into(current, value, owned, path, shared)
        return
    mine = _private_copy(current)
    merge_into(mine, value, owned, path, _shared(mine))
    if to_plain(mine) != to_plain(current):
        doc[key] = mine


# -- writing -------------------------------------------------------------------------------------------


def _write_temp(folder: Path, name: str, data: bytes, mode: int) -> str:
    """Write ``data`` to a new temporary file in ``folder`` (synced); returns its path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def destination(path: Path) -> Path:
    """The regular file a write to ``path`` replaces (a symlink's target), or ``path`` itself when it is new.

    Refuses (:class:`UnmergeableFile`) whatever is not a regular file. (A missing folder is the caller's to
    refuse: the CLI refuses ``-o`` into one, the wizard creates the folder of the file it was told to save.)
    """
    if os.path.lexists(path):
        try:
            info = os.stat(path)
        except OSError as exc:
            raise UnmergeableFile(f"{path} is a symbolic link to {os.readlink(path)}, which does not exist") from exc
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, a pipe or a socket)"
            hint = "" if stat.S_ISDIR(info.st_mode) else " (for stdout, flyte-tui takes -o -)"
            raise UnmergeableFile(f"{path} is {what}; it is never replaced{hint}")
        return Path(os.path.realpath(path))
    return path


def write_atomic(path: Path, text: str, backup: bool = True) -> Path | None:
    """Write ``text`` to ``path`` atomically; keep the previous file as ``<path>.bak``.

    Returns the backup's path when one was made. The file is written next to its destination and
    renamed over it, so a crash or a full disk leaves either the old or the new file, never half of one;
    the backup is written the same way (a failed backup leaves the old backup and the file untouched).
    A symbolic link to a regular file is written through (its target is updated, the link stays); anything
    else that is not a regular file is refused (:class:`UnmergeableFile`). A ``.bak`` that is a link is
    replaced by the backup, never its target.
    """
    path = Path(path)
    target = destination(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    backup_path: Path | None = None
    mode = 0o644
    if target.exists():
        mode = target.stat().st_mode & 0o777
        if backup:
            backup_path = path.with_name(path.name + ".bak")
            if os.path.isdir(backup_path) and not os.path.islink(backup_path):
                raise UnmergeableFile(f"{backup_path} is a folder; the backup cannot be kept there")
            old = target.read_bytes()
            tmp_bak = _write_temp(backup_path.parent, backup_path.name, old, mode)
            try:
                os.replace(tmp_bak, backup_path)
            except BaseException:
                Path(tmp_bak).unlink(missing_ok=True)
                raise
    tmp = _write_temp(target.parent, target.name, text.encode("utf-8"), mode)
    try:
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return backup_path
