"""``flyte-tui presets`` and ``flyte-tui schema``: what an answers file may hold (the presets, the JSON Schema)."""

from __future__ import annotations

import json
import sys

import click

from flyte_tui import exit_codes
from flyte_tui.presets import PRESET_NAMES


@click.command()
@click.argument("name", required=False)
def presets(name: str | None) -> None:
    """List the environment presets, or print one as YAML."""
    from flyte_tui.files.yamlio import dump
    from flyte_tui.presets import DESCRIPTIONS, preset

    if name is None:
        for preset_name in PRESET_NAMES:
            click.echo(f"{preset_name:<8} {DESCRIPTIONS[preset_name]}")
        return
    if name not in PRESET_NAMES:
        click.echo(f"error: unknown preset {name!r}; accepted: {', '.join(PRESET_NAMES)}", err=True)
        sys.exit(exit_codes.INVALID)
    click.echo(dump(preset(name)), nl=False)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the answers file."""
    from flyte_tui.model.plan import InstallPlan

    click.echo(json.dumps(InstallPlan.model_json_schema(by_alias=True), indent=2))
