"""Import a Helm values file of any chart flyte-tui knows: read it once (bounded, as every YAML file), pick the
profile of the chart it was written for, and let that profile turn it into answers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flyte_tui.charts import ChartProfile, ImportResult, profile_named
from flyte_tui.model.rules import Problem


def chart_of_values(values: Any) -> ChartProfile:
    """The profile a values mapping was written for: flyte-binary's when it holds flyte-binary's own top-level
    keys and none of flyte-core's, else flyte-core's."""
    from flyte_tui.charts.flyte_binary import FLYTE_BINARY
    from flyte_tui.charts.flyte_binary.importer import looks_like_flyte_binary
    from flyte_tui.charts.flyte_core import FLYTE_CORE

    return FLYTE_BINARY if isinstance(values, Mapping) and looks_like_flyte_binary(values) else FLYTE_CORE


def import_values_file(path: Path, chart: str | None = None, **hints: str | None) -> ImportResult:
    """Read a values file and import it with the profile of ``chart`` (by name), or of the chart it was written
    for; an unreadable or malformed file is a problem, never an exception."""
    from flyte_tui.files.yamlio import YAMLError, read_plain_file

    try:
        values = read_plain_file(Path(path))
    except OSError as exc:
        return ImportResult({}, [Problem("", f"cannot read {path}: {exc.strerror or exc}")])
    except UnicodeDecodeError:
        return ImportResult({}, [Problem("", f"{path} is not UTF-8 text (a values file is YAML)")])
    except YAMLError as exc:
        text = " ".join(str(exc).split())
        return ImportResult({}, [Problem("", text if str(path) in text else f"{path} is not valid YAML: {text}")])
    try:
        profile = profile_named(chart) if chart else chart_of_values(values)
    except KeyError:
        return ImportResult({}, [Problem("", f"unknown chart {chart!r}; accepted: flyte-core, flyte-binary")])
    return profile.import_values(values or {}, **hints)
