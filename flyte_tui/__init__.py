"""flyte-tui: install, upgrade and diagnose Flyte (flyte-core) on Kubernetes."""

__version__ = "0.1.0"
