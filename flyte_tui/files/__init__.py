"""Files the user owns: YAML I/O, the answers and values files, the autosave."""
