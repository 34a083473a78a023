"""Installing a plan: the pipeline (:class:`Installer`) and its parts — preflight, the steps, the pod
watch, undo on failure, and the Secrets it creates."""

from flyte_tui.install.context import InstallOptions, StepError
from flyte_tui.install.pipeline import INSTALL_STEPS, Installer, install_steps

__all__ = ["INSTALL_STEPS", "InstallOptions", "Installer", "StepError", "install_steps"]
