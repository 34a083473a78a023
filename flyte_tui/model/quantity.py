"""Kubernetes resource quantities (``250m``, ``1.5Gi``, ``2``), parsed the way the API server does."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
}
# ASCII digits only, matched in full: ``\d`` takes "٢" and "２", ``$`` a trailing newline; the API server takes neither.
_QUANTITY = re.compile(
    r"(?P<num>[+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?"
)
_DECIMAL_UNITS = re.compile(r"[0-9]+(\.[0-9]+)?\s*(GB|MB|KB|TB|gb|mb|kb|gi|mi)")

ACCEPTED = (
    "a Kubernetes quantity such as 250m, 2, 512Mi or 1.5Gi (binary suffixes Ki Mi Gi Ti, decimal k M G T, m for milli)"
)


def parse_quantity(text: str) -> Decimal:
    """Return the numeric value of a Kubernetes quantity, or raise ``ValueError`` naming what is accepted."""
    match = _QUANTITY.fullmatch(text.strip(" "))
    if not match:
        hint = ""
        if _DECIMAL_UNITS.fullmatch(text.strip(" ")):
            hint = " (write Gi/Mi, not GB/MB)"
        raise ValueError(f"{text!r} is not {ACCEPTED}{hint}")
    try:
        number = Decimal(match["num"])
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"{text!r} is not {ACCEPTED}") from exc
    suffix = match["suffix"] or ""
    try:
        if suffix in _BINARY:
            return number * _BINARY[suffix]
        if suffix in _DECIMAL:
            return number * _DECIMAL[suffix]
        return number * (Decimal(10) ** int(suffix[1:]))
    except ArithmeticError as exc:  # decimal.Overflow: an exponent like 1e9999999
        raise ValueError(f"{text!r} is too large for a Kubernetes quantity") from exc


def _normalise(value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) >= 10**30:
        raise ValueError(f"is too large for a Kubernetes quantity; accepted: {ACCEPTED}")
    if isinstance(value, int | float):
        return str(value)
    return value


def _check(text: str) -> str:
    parse_quantity(text)
    return text.strip(" ")


Quantity = Annotated[str, BeforeValidator(_normalise), AfterValidator(_check)]
"""A string holding a valid Kubernetes quantity; plain numbers are accepted and kept as strings."""
