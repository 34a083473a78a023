"""One profile per Helm chart flyte-tui installs."""
