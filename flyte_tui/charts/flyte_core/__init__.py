"""The flyte-core chart: its components, values rendering, import and defaults."""
