"""The doctor: what is wrong with a Flyte install, with the evidence and the fix; a redacted support bundle.

    snap = gather(DoctorTarget(namespace="flyte", release="flyte"))     # one read per kind, side by side
    report = Report.build(snap)                                        # every check, concurrently
    report.exit_code                          # flyte_tui.exit_codes: 0 pass, 3 fail, 4 warnings only

Textual-free: the doctor screen and ``flyte-tui doctor`` both drive this core.
"""

from flyte_tui.doctor.checks import Finding, Outcome, all_checks
from flyte_tui.doctor.gather import gather
from flyte_tui.doctor.report import Report, run_checks
from flyte_tui.doctor.snapshot import DoctorTarget, Snapshot

__all__ = [
    "DoctorTarget",
    "Finding",
    "Outcome",
    "Report",
    "Snapshot",
    "all_checks",
    "gather",
    "run_checks",
]
