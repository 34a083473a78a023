"""Reading other programs' output: parse it, check its shape, or say which command printed what.

helm and kubectl usually print the JSON they were asked for, but a proxy's error page, a credential plugin's
chatter or an old binary print something else, and valid JSON can still be the wrong shape (``[1]`` for a
history). Every parse of their output goes through :func:`json_object` / :func:`json_list` (or :func:`json_events`
for a ``--watch`` stream): a mismatch raises :class:`UnexpectedOutput`, a :class:`~flyte_tui.tools.process.ProcessError`
whose message names the command and what was expected, so every face reports it as a failed step, never
as a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from flyte_tui.redact import redact_text
from flyte_tui.tools.process import ProcessError

_QUOTE_LIMIT = 60
"""How much of the unexpected output a message quotes (it may be a whole HTML page)."""


class UnexpectedOutput(ProcessError):
    """A program printed something other than what flyte-tui asked it for."""

    def __init__(self, command: str, expected: str, problem: str) -> None:
        self.command = command
        self.expected = expected
        self.problem = problem
        super().__init__(f"`{command}` printed {problem}, not {expected}")


class Shape(BaseModel):
    """What an object in a program's output must hold (strict types; other keys are allowed and kept).

    Only checked: the caller gets the parsed data itself, so its keys and values are exactly what was printed.
    """

    model_config = ConfigDict(extra="allow", strict=True)
    expected: ClassVar[str] = "a JSON object"


class HelmRevision(Shape):
    """One entry of ``helm history -o json``."""

    expected: ClassVar[str] = "a JSON list of revisions"
    revision: int
    status: str = ""
    chart: str = ""
    updated: str = ""
    description: str = ""


class HelmStatus(Shape):
    """``helm status -o json``: the release, its ``info.status`` and ``version`` (revision)."""

    expected: ClassVar[str] = "a JSON release status"
    info: dict[str, Any] = {}
    version: int = 0


class HelmChartVersion(Shape):
    """One entry of ``helm search repo -o json``."""

    expected: ClassVar[str] = "a JSON list of chart versions"
    name: str
    version: str


class HelmDryRun(Shape):
    """``helm upgrade --dry-run -o json``: the release, its manifest as text."""

    expected: ClassVar[str] = "a JSON release with its manifest"
    manifest: str = ""


class KubeList(Shape):
    """``kubectl get … -o json``: a list (``items``, objects) or one object."""

    expected: ClassVar[str] = "a JSON Kubernetes object or list"
    kind: str = ""
    items: list[dict[str, Any]] | None = None


class KubeWatchEvent(Shape):
    """One event of ``kubectl get --watch --output-watch-events -o json``."""

    expected: ClassVar[str] = "JSON watch events (a type and an object)"
    type: str
    object: dict[str, Any]


class KubectlClientVersion(Shape):
    """``kubectl version --client -o json``."""

    expected: ClassVar[str] = "JSON with the client version"
    clientVersion: dict[str, Any]


_JSON_KINDS = {
    dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number", bool: "true/false"
}


def _kind(data: object) -> str:
    return "null" if data is None else _JSON_KINDS.get(type(data), type(data).__name__)


def _quote(text: str) -> str:
    """The start of what was printed, on one line, secrets masked (a credential plugin may print a token)."""
    flat = " ".join(redact_text(text).split())
    return repr(flat if len(flat) <= _QUOTE_LIMIT else flat[:_QUOTE_LIMIT] + "…")


def not_a_diff(text: str) -> str:
    """The problem with text that should have been a diff (for :class:`UnexpectedOutput`)."""
    return f"text without a single object header ({_quote(text)})"


def not_a_list(line: str) -> str:
    """The problem with a line that a line-per-item listing cannot have printed (for :class:`UnexpectedOutput`)."""
    return f"a line of another form ({_quote(line)})"


def _problem(error: ValidationError, prefix: str = "") -> str:
    first = error.errors()[0]
    path = ".".join(str(part) for part in (prefix, *first["loc"]) if str(part))
    where = f" at {path}" if path else ""
    return f"JSON of another shape ({first['msg'].lower()}{where})"


def command_line(argv: Iterable[str]) -> str:
    """A short name for a command in a message: the program's name and its words up to the first flag
    (``helm history``, ``kubectl get pods``), never a flag's value (which may be a path or a secret)."""
    words = list(argv)
    if not words:
        return "?"
    shown = [words[0].rsplit("/", 1)[-1]]
    for word in words[1:]:
        if word.startswith("-") or len(shown) >= 3:
            break
        shown.append(word)
    return " ".join(shown)


def parse_json(text: str, command: str, expected: str, empty: str) -> Any:
    """The JSON ``command`` printed (``empty`` when it printed nothing), or :class:`UnexpectedOutput`."""
    try:
        return json.loads(text if text.strip() else empty)
    except (ValueError, RecursionError):
        raise UnexpectedOutput(command, expected, f"text that is not JSON ({_quote(text)})") from None


def _check(item: object, command: str, shape: type[Shape], where: str = "") -> dict[str, Any]:
    if not isinstance(item, dict):
        at = f" at {where}" if where else ""
        raise UnexpectedOutput(command, shape.expected, f"JSON of another shape ({_kind(item)}{at})")
    try:
        shape.model_validate(item)
    except ValidationError as exc:
        raise UnexpectedOutput(command, shape.expected, _problem(exc, where)) from None
    return item


def json_object(
    text: str, command: str, shape: type[Shape] = Shape, empty: str = "{}", nullable: bool = False
) -> dict[str, Any]:
    """The JSON object ``command`` printed, checked against ``shape`` ({} for ``null`` when ``nullable``:
    helm prints ``null`` for a release without values of its own)."""
    data = parse_json(text, command, shape.expected, empty)
    if data is None and nullable:
        return {}
    return _check(data, command, shape)


def json_list(text: str, command: str, shape: type[Shape] = Shape, empty: str = "[]") -> list[dict[str, Any]]:
    """The JSON list of objects ``command`` printed, each checked against ``shape``."""
    data = parse_json(text, command, shape.expected, empty)
    if not isinstance(data, list):
        raise UnexpectedOutput(command, shape.expected, f"JSON of another shape ({_kind(data)})")
    return [_check(item, command, shape, str(index)) for index, item in enumerate(data)]


def json_events(lines: Iterable[str], command: str) -> Iterator[dict[str, Any]]:
    """The watch events of a ``kubectl get --watch -o json`` stream, as its lines come (an event spans
    several lines). Raises :class:`UnexpectedOutput` as soon as the text cannot be the start of JSON, or an
    event is not a watch event (:class:`KubeWatchEvent`)."""
    decoder = json.JSONDecoder()
    expected = KubeWatchEvent.expected
    buffer = ""
    for line in lines:
        buffer += line + "\n"
        while True:
            stripped = buffer.lstrip()
            if not stripped:
                buffer = ""
                break
            try:
                event, end = decoder.raw_decode(stripped)
            except json.JSONDecodeError as exc:
                if stripped[exc.pos :].strip():  # the error is before the end: not JSON, not just unfinished
                    raise UnexpectedOutput(command, expected, f"text that is not JSON ({_quote(stripped)})") from None
                buffer = stripped
                break
            except RecursionError:
                raise UnexpectedOutput(command, expected, "JSON nested too deeply") from None
            buffer = stripped[end:]
            yield _check(event, command, KubeWatchEvent)
    if buffer.strip():
        raise UnexpectedOutput(command, expected, f"unfinished JSON ({_quote(buffer)})")
