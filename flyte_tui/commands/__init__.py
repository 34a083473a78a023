"""Subcommands that live in their own modules (imported by flyte_tui.cli)."""
