"""Adapters for the helm and kubectl binaries: argv building, version detection, running."""
