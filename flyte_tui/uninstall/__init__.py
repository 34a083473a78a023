"""Uninstalling what flyte-tui installed: a preview read from the cluster (:func:`read_preview`), then the
steps (:class:`Uninstaller`) as the install's typed events. Nothing outside what flyte-tui or the charts
created is touched."""

from flyte_tui.uninstall.preview import Preview, read_preview
from flyte_tui.uninstall.run import Uninstaller
from flyte_tui.uninstall.target import UninstallOptions, UninstallTarget, for_release, from_plan

__all__ = ["Preview", "UninstallOptions", "UninstallTarget", "Uninstaller", "for_release", "from_plan", "read_preview"]
