"""YAML in and out with ruamel.yaml: bounded loads, comment-keeping merges, atomic writes with backup.

Every YAML flyte-tui reads goes through :func:`check` first (flyte_tui/files/yaml_limits.py), one bound for
every file; :class:`RefusedYAML` says what was refused and why.
"""

from __future__ import annotations

import copy
import os
import stat
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq
from ruamel.yaml.error import ReusedAnchorWarning, YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    ScalarString,
)

from flyte_tui.files import yaml_emit, yaml_helm
from flyte_tui.files.atomic import UnmergeableFile, destination, write_atomic
from flyte_tui.files.yaml_limits import ACCEPTED, MAX_BYTES, MAX_DEPTH, MAX_NODES, Outline, RefusedYAML, check

__all__ = [
    "ACCEPTED",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "STDOUT_NAME",
    "RefusedYAML",
    "UnmergeableFile",
    "UnwritableYAML",
    "YAMLError",
    "check",
    "destination",
    "dump",
    "existing_text",
    "load_checked",
    "load_document",
    "load_plain",
    "merge_into",
    "parse_existing",
    "read_existing",
    "read_plain_file",
    "read_text",
    "to_commented",
    "to_plain",
    "write_atomic",
]


class UnwritableYAML(UnmergeableFile):
    """ruamel.yaml wrote text that does not read back as the data it was given (an emitter bug): nothing
    is written. :func:`dump` raises it without a file; every writer names its file with :meth:`naming`."""

    REASON = (
        "the YAML flyte-tui made for it would not read back as the same data (a ruamel.yaml emitter bug with "
        "this layout of comments and lists)"
    )
    ADVICE = "move end-of-line comments in it above their keys and retry"

    def __init__(self, target: str | os.PathLike[str] | None = None) -> None:
        self.target = None if target is None else str(target)
        super().__init__(self._message())

    def _message(self) -> str:
        if self.target is None:
            return f"{self.REASON}; nothing was written: {self.ADVICE}"
        if self.target == STDOUT_NAME:
            return f"nothing was written to stdout: {self.REASON}; {self.ADVICE}"
        return (
            f"{self.target} was not written: {self.REASON}; nothing was written, the file is as it was: "
            f"{self.ADVICE}"
        )

    def naming(self, target: str | os.PathLike[str]) -> UnwritableYAML:
        """The same refusal, naming the file it was for (or :data:`STDOUT_NAME`)."""
        return UnwritableYAML(target)


STDOUT_NAME = "<stdout>"
"""What :meth:`UnwritableYAML.naming` takes for text that was meant for stdout."""


# -- loading -------------------------------------------------------------------------------------------


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = yaml_helm.HelmConstructor
    yaml.Resolver = yaml_helm.HelmResolver
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.max_depth = MAX_DEPTH + 2
    yaml.representer.add_representer(
        type(None), lambda rep, _data: rep.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    yaml.representer.add_representer(str, yaml_helm.represent_str)
    yaml.representer.add_representer(yaml_helm.HelmOctalInt, yaml_helm.represent_octal)
    return yaml


def load_document(text: str, source: str = "") -> Any:
    """Parse YAML keeping comments and key order (ruamel round-trip nodes), within the bound."""
    check(text, source)
    return load_checked(text, source)


def load_checked(text: str, source: str = "") -> Any:
    """:func:`load_document` of a text :func:`check` accepted."""
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


_ADVICE = "it was left as it is; fix it, move it away or choose another file"


def existing_text(path: Path) -> str | None:
    """The text of the file to merge into (None: no file, or only blanks); :class:`UnmergeableFile` when unreadable."""
    if not os.path.lexists(path):
        return None
    try:
        text = read_text(destination(path))
    except UnicodeDecodeError as exc:
        raise UnmergeableFile(f"{path} exists but is not UTF-8 text; {_ADVICE}") from exc
    except OSError as exc:
        raise UnmergeableFile(f"cannot read {path}: {exc.strerror or exc}; {_ADVICE}") from exc
    return text if text.strip() else None


def read_existing(path: Path) -> Any:
    """The YAML mapping (comments kept) already at ``path``; None when there is no file or it holds nothing.

    Raises :class:`UnmergeableFile` when the file cannot be merged into: not a regular file, not UTF-8,
    not YAML, refused by :func:`check`, or a document that is not a mapping (a notes file, a script, a
    list). The caller then never replaces what the user wrote.
    """
    path = Path(path)
    text = existing_text(path)
    return None if text is None else parse_existing(path, text)


def parse_existing(path: Path, text: str, outline: Outline | None = None) -> Any:
    """:func:`read_existing` of ``text`` read from ``path``; with ``outline``, the check records it and the
    text is parsed only when it cannot be cut (else None: the caller edits it piece by piece)."""
    advice = _ADVICE
    try:
        check(text, outline=outline)
        if outline is not None and outline.cuttable and outline.top:
            return None
        doc = load_checked(text)
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


def _emit(data: Any) -> tuple[str, list[yaml_emit.Event]]:
    return yaml_emit.emit(_round_trip(), data)


def dump(data: Any) -> str:
    """Serialise round-trip nodes or plain data to YAML text, read back and compared before it is returned.

    Raises :class:`UnwritableYAML` when the text would not read back as ``data`` (see
    :mod:`flyte_tui.files.yaml_emit`): a corrupt file is never written.
    """
    text, given = _emit(data)
    if not yaml_emit.reads_back(text, given):
        raise UnwritableYAML()
    return text


def to_plain(node: Any) -> Any:
    """Turn round-trip nodes into plain dicts and lists (recursively)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str | int | float | bool) else k: to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, PlainScalarString):
        return yaml_helm.plain_value(node)
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
            _replace(doc, key, to_commented(value))
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


def _replace(doc: CommentedMap, key: Any, value: Any) -> None:
    """``doc[key] = value``, keeping what ruamel would keep only where it can be written back. (Both found by
    the fuzz test.)

    - ruamel writes a string in the style of the string it replaces (``|``, ``>``, ``'…'``); a string that style
      cannot hold (a control character, NEL) is written double-quoted instead, as a new string would be.
    - The comment of a block scalar (``key: |  # note``) becomes the key's end-of-line comment when anything
      but a block scalar replaces it: ruamel keeps that comment as plain text where the emitter of any other
      value expects a comment token (a list or a map there crashed it with AttributeError; after a number the
      comment was lost).
    """
    current = doc.get(key)
    if isinstance(value, str) and isinstance(current, ScalarString) and not _fits_any_style(value):
        value = DoubleQuotedScalarString(value)  # not converted to the old style by CommentedMap
    slots = doc.ca.items.get(key)
    block_comment = slots[3] if slots is not None and len(slots) > 3 else None
    doc[key] = value
    still_block = isinstance(doc[key], LiteralScalarString | FoldedScalarString)
    if block_comment and not still_block and all(isinstance(c, str) for c in block_comment):
        del doc.ca.items[key]
        text = " ".join(c.strip() for c in block_comment if c.strip())
        if text:
            doc.yaml_add_eol_comment(text, key)


def _fits_any_style(text: str) -> bool:
    """Whether a block or single-quoted scalar can hold ``text`` (only printable characters, tabs and ``\n``)."""
    return all(c in "\t\n" or (c.isprintable() and c not in yaml_helm.LINE_BREAKS) for c in text)


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
