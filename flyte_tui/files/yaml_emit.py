"""Writing round-trip YAML that reads back as the same data (ruamel.yaml's emitter has bugs that corrupt some
documents; none is ever written).

:func:`emit` serialises with :class:`CheckedEmitter`, which fixes the one known emitter bug and records the
events it was given; :func:`reads_back` parses the text written (libyaml's C parser, as the bounded check
does) and compares its events with those: same structure, same scalar text, same types once resolved.

The known bug (ruamel.yaml 0.18.6 … 0.19.1): ``no_newline`` ("directly after ``- ``") survives a line break
written after an empty flow map ``{}`` item, so a later list item is written on the line of the one before
it: ``x:  # c\\n  - {}\\n  - a\\n  - b`` came back as ``- a   -\\n    b`` (the list ``[{}, 'a   - b']``).
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.nodes import ScalarNode

from flyte_tui.files.yaml_helm import HelmResolver
from flyte_tui.files.yaml_limits import _events, _tag

Event = tuple[Any, ...]
"""One event reduced to what decides the data: kind, anchor, and for a scalar its text and resolved type."""

_STR = "tag:yaml.org,2002:str"
_RESOLVER = HelmResolver(version=(1, 2))
_SKIPPED = {"StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent"}


class CheckedEmitter(RoundTripEmitter):
    """ruamel's round-trip emitter with the ``no_newline`` leak fixed, recording the events it emits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[Event] = []
        self.marked: list[Any] = []

    def emit(self, event: Any) -> None:
        """Record ``event`` (see :data:`Event`), then emit it."""
        kind = type(event).__name__
        if kind not in _SKIPPED:
            self.seen.append(_reduce(kind, event, given=True))
        super().emit(event)
        if kind == "StreamEndEvent":
            self._forget_written_comments()

    def write_pre_comment(self, event: Any) -> bool:
        """Write the comment lines before ``event``, remembering those ruamel marks as written."""
        written = bool(super().write_pre_comment(event))
        comments = event.comment[1] if event.comment else None
        self.marked.extend(c for c in comments or () if getattr(c, "pre_done", False))
        return written

    def _forget_written_comments(self) -> None:
        """ruamel marks a comment line it wrote (``pre_done``) on the document's own comment token, so a second
        dump of the same document skipped it, and with it the line break after ``key:`` (``a:   - {}``)."""
        for comment in self.marked:
            if hasattr(comment, "pre_done"):
                delattr(comment, "pre_done")
        self.marked.clear()

    def write_line_break(self, data: Any = None) -> None:
        """A line break ends "directly after ``- ``": the next item must not skip its own line break."""
        super().write_line_break(data)
        self.no_newline = False


def _reduce(kind: str, event: Any, given: bool) -> Event:
    """``event`` as an :data:`Event`; ``given``: one the serialiser made (its tag is the value's type)."""
    anchor = getattr(event, "anchor", None)
    if kind != "ScalarEvent":
        return (kind, anchor)
    tag = _tag(event)
    value = str(event.value)
    if not given and tag in (None, "!"):
        plain = tag is None and event.style in (None, "")
        tag = str(_RESOLVER.resolve(ScalarNode, value, (True, False))) if plain else _STR
    return (kind, anchor, value, tag)


def emit(yaml: YAML, data: Any) -> tuple[str, list[Event]]:
    """``data`` serialised by ``yaml`` (a round-trip instance), and the events it was written from."""
    seen: list[Event] = []

    class Recording(CheckedEmitter):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.seen = seen

    yaml.Emitter = Recording
    _comment_beside_empty(data)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue(), seen


def _comment_beside_empty(node: Any) -> None:
    """A second known bug: a map or list that became empty keeps its block style, and under a key with an
    end-of-line comment (which ruamel also keeps as the container's own first comment) it is written as the
    comment, then ``{}`` on a line of its own at column 0 (``z:  # c\n{}``, not YAML of the same data). An empty
    container is written in flow style with the comment the key's alone: ``z: {} # c``."""
    if isinstance(node, CommentedMap):
        pairs: Any = node.items()
    elif isinstance(node, CommentedSeq):
        pairs = enumerate(node)
    else:
        return
    for key, value in pairs:
        if not isinstance(value, CommentedMap | CommentedSeq):
            continue
        if value:
            _comment_beside_empty(value)
            continue
        own = value.ca.comment[0] if value.ca.comment else None
        if own is not None and own is node.ca.items.get(key, [None] * 4)[2]:
            value.ca.comment[0] = None
        value.fa.set_flow_style()


def reads_back(text: str, given: list[Event]) -> bool:
    """Whether ``text`` parses into the events it was written from (same data, same types)."""
    try:
        parsed = [_reduce(type(e).__name__, e, given=False) for e in _events(text)]
    except Exception:
        return False
    return [e for e in parsed if e[0] not in _SKIPPED] == given
