"""Scalars as Helm reads them: what flyte-tui writes must mean to helm what it means to flyte-tui.

flyte-tui reads YAML 1.2 (ruamel.yaml); helm reads values files with sigs.k8s.io/yaml (go-yaml v2, YAML 1.1
rules). The two disagree on a few plain scalars, and both directions lose data:

- ``y``, ``n``, ``yes``, ``no``, ``on``, ``off`` (and their capitalised forms) are strings to YAML 1.2 but
  booleans to helm. Written plain, in a values or an answers file, such a word is read as the boolean helm
  reads (:func:`plain_value`), and a user's file keeps its spelling; a string with that text (quoted) is
  written quoted.
- A timestamp (``2001-12-14t21:59:43.10-05:00``) is a string to helm, but ruamel builds a datetime and
  writes it back in another form (``2001-12-14T21:59:43.100000-05:00``): helm would get another string. It
  is read as the text it is, and written as it was.

Tested against the real helm 3 and 4 in tests/test_yaml_helm.py.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import PlainScalarString

HELM_BOOLEAN_WORDS = frozenset(
    ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"]
)
"""Plain words go-yaml v2 (helm) reads as booleans that YAML 1.2 reads as strings (true/false are both's)."""
_TRUE_WORDS = frozenset(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"])


def plain_value(node: PlainScalarString) -> str | bool:
    """What helm reads for a plain scalar this constructor kept as text: a boolean word's boolean."""
    return node in _TRUE_WORDS if node in HELM_BOOLEAN_WORDS else str(node)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_LEADING_ZERO_OCTAL = re.compile(r"[-+]?0[0-7]+")


class HelmOctalInt(int):
    """A plain integer written with a leading zero (``017``): the octal number helm reads, spelled as written."""

    text: str
    """The spelling in the file (``017``), written back unchanged."""

    def __new__(cls, text: str) -> HelmOctalInt:
        number = super().__new__(cls, int(text, 8))
        number.text = text
        return number


def represent_octal(rep: Any, data: HelmOctalInt) -> Any:
    """A :class:`HelmOctalInt` as it was spelled."""
    return rep.represent_scalar(_INT, data.text)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
LINE_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters a YAML 1.1 reader (libyaml) takes for line breaks inside a plain scalar: written double-quoted."""


class HelmConstructor(RoundTripConstructor):
    """ruamel's round-trip constructor that keeps a timestamp's text and a user's plain boolean words."""

    def construct_yaml_str(self, node: Any) -> Any:
        value = super().construct_yaml_str(node)
        if type(value) is str and not node.style and value in HELM_BOOLEAN_WORDS:
            return PlainScalarString(value)  # written back plain: helm keeps reading the user's boolean
        return value

    def construct_yaml_int(self, node: Any) -> Any:
        text = node.value
        if isinstance(text, str) and _LEADING_ZERO_OCTAL.fullmatch(text):
            return HelmOctalInt(text)  # octal to helm (go-yaml v2), whatever YAML 1.2 says
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return str(self.construct_scalar(node))  # an explicit !!timestamp: its text


HelmConstructor.add_constructor(_STR, HelmConstructor.construct_yaml_str)
HelmConstructor.add_constructor(_INT, HelmConstructor.construct_yaml_int)
HelmConstructor.add_constructor(_TIMESTAMP, HelmConstructor.construct_yaml_timestamp)


class HelmResolver(VersionedResolver):
    """ruamel's resolver without its timestamp rule (YAML 1.2's core schema has none, and helm reads one as
    the string it is): a plain ``2001-12-14`` is a string, read and written as it was."""

    def add_version_implicit_resolver(self, version: Any, tag: Any, regexp: Any, first: Any) -> None:
        if tag != _TIMESTAMP:
            super().add_version_implicit_resolver(version, tag, regexp, first)


def represent_str(rep: Any, data: str) -> Any:
    """A plain ``str`` the way helm reads it back as the same string."""
    if any(c in data for c in LINE_BREAKS):
        return rep.represent_scalar(_STR, data, style='"')
    if data in HELM_BOOLEAN_WORDS:
        return rep.represent_scalar(_STR, data, style="'")
    return type(rep).represent_str(rep, data)
