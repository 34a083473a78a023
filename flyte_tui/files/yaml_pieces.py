"""Merging into a large values file piece by piece (issue 12, item 7: a 1 MB file took about 20 s).

ruamel's round trip (comments kept) is pure Python: parsing and writing a 1 MB file back takes seconds. A file
that can be cut at its top-level keys (:class:`~flyte_tui.files.yaml_limits.Outline`) is cut there; only the
pieces the merge changes (keys the new values have, or that hold a key flyte-tui owns) go through the round
trip, and every other piece is kept byte for byte. The result holds the same data as
:func:`~flyte_tui.files.yamlio.merge_into` on the whole document (``tests/test_yaml_pieces.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from flyte_tui.files import yamlio
from flyte_tui.files.yaml_limits import Outline

PIECES_FROM = 64 * 1024
"""Files this large or larger are merged piece by piece; smaller ones in one round trip (it is quick)."""

Owned = Callable[[tuple[str, ...]], bool]


def merge_existing(path: Path, new: Mapping[str, Any], owned: Owned, pieces_from: int = PIECES_FROM) -> str | None:
    """The YAML mapping in the file at ``path`` with ``new`` merged in (:func:`~flyte_tui.files.yamlio.merge_into`'s
    rules), as text; None when there is no file or it holds nothing (the caller starts a new document).

    Raises :class:`~flyte_tui.files.yamlio.UnmergeableFile` as :func:`~flyte_tui.files.yamlio.read_existing`
    does, and :class:`~flyte_tui.files.yamlio.UnwritableYAML` naming ``path`` when the merge would not read
    back. A file of ``pieces_from`` characters or more that can be cut is merged piece by piece.
    """
    path = Path(path)
    text = yamlio.existing_text(path)
    if text is None:
        return None
    outline = Outline() if len(text) >= pieces_from else None
    doc = yamlio.parse_existing(path, text, outline)
    try:
        if doc is not None:
            yamlio.merge_into(doc, dict(new), owned=owned)
            return yamlio.dump(doc)
        if outline is None or not outline.top:
            return None
        return merge_pieces(text, outline, new, owned)
    except yamlio.UnwritableYAML as exc:
        raise exc.naming(path) from exc


def check_existing(path: Path, pieces_from: int = PIECES_FROM) -> None:
    """Raise :class:`~flyte_tui.files.yamlio.UnmergeableFile` when the file at ``path`` cannot be merged into
    (what :func:`~flyte_tui.files.yamlio.read_existing` refuses), without the round trip of a large file."""
    path = Path(path)
    text = yamlio.existing_text(path)
    if text is not None:
        yamlio.parse_existing(path, text, Outline() if len(text) >= pieces_from else None)


def merge_pieces(text: str, outline: Outline, new: Mapping[str, Any], owned: Owned) -> str:
    """``text`` (a document :func:`~flyte_tui.files.yaml_limits.check` accepted and found cuttable) with ``new``
    merged in: the pieces the merge changes go through the round trip, the others are kept as they are."""
    lines = text.splitlines(keepends=True)
    starts = [line for _key, line in outline.top]
    holds_owned = {path[0] for path in outline.paths if owned(path)}
    out = ["".join(lines[: starts[0]])]  # the header comments, as they are
    for index, (key, start) in enumerate(outline.top):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        piece = "".join(lines[start:end])
        if key in new or key in holds_owned:
            doc = yamlio.load_checked(piece if piece.endswith("\n") else piece + "\n")
            yamlio.merge_into(doc, {key: new[key]} if key in new else {}, owned=owned)
            piece = yamlio.dump(doc) if doc else ""
        elif not piece.endswith("\n"):
            piece += "\n"
        out.append(piece)
    present = {key for key, _line in outline.top}
    added = CommentedMap()
    yamlio.merge_into(added, {k: v for k, v in new.items() if k not in present}, owned=owned)
    if added:
        out.append(yamlio.dump(added))
    return "".join(out)
