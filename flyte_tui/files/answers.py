"""Reading and writing the answers file (``flyte-tui.yaml``) without losing the user's comments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from flyte_tui.files import yamlio
from flyte_tui.files.values import DEFAULT_NAME as VALUES_NAME
from flyte_tui.model.plan import API_VERSION, KIND

DEFAULT_NAME = "flyte-tui.yaml"
"""The answers file's default name."""

HEADER = (
    "flyte-tui answers file: what to install and how. Validate with `flyte-tui validate {name}`,\n"
    "render the Helm values with `flyte-tui render {name}` (writes {values}). Passwords and keys never go here."
)


def load_answers(path: Path) -> dict[str, Any]:
    """The answers file as plain data (raises OSError / YAMLError for unreadable files)."""
    data = yamlio.read_plain_file(Path(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold a YAML mapping")
    return data


def answers_text(raw: dict[str, Any], existing: str | None = None, name: str = DEFAULT_NAME) -> str:
    """YAML text for ``raw``, merged into ``existing`` (comments, order and unknown keys kept)."""
    return _answers_into(raw, yamlio.load_document(existing) if existing and existing.strip() else None, name)


def _answers_into(raw: dict[str, Any], doc: Any, name: str) -> str:
    data = {"apiVersion": API_VERSION, "kind": KIND, **raw}
    if not isinstance(doc, CommentedMap):
        doc = CommentedMap()
        doc.yaml_set_start_comment(HEADER.format(name=name, values=VALUES_NAME))
    # Inside the sections being written the new data is the whole truth, so dropped keys go;
    # top-level keys flyte-tui does not know are the user's and stay.
    yamlio.merge_into(doc, data, owned=lambda path: path[0] in data)
    return yamlio.dump(doc)


def answers_file_text(raw: dict[str, Any], path: Path) -> str:
    """What :func:`write_answers` would write to ``path``: the answers merged into the file there.

    Raises ``yamlio.UnmergeableFile`` (a file that cannot be merged into) and ``yamlio.UnwritableYAML`` naming
    ``path`` (the text would not read back)."""
    path = Path(path)
    existing = yamlio.read_existing(path)
    try:
        return _answers_into(raw, existing, path.name)
    except yamlio.UnwritableYAML as exc:
        raise exc.naming(path) from exc


def write_answers(raw: dict[str, Any], path: Path) -> Path | None:
    """Write the answers atomically, merging into an existing file; returns the backup's path, if any."""
    return yamlio.write_atomic(Path(path), answers_file_text(raw, path))
