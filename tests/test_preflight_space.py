"""Preflight refuses a values path without room for the values file and its backup (issue 12, item 29): the
rule over plain numbers (free space, the existing file, the rendered values)."""

from __future__ import annotations

from flyte_tui.install.preflight import SPACE_MARGIN, space_problem

MiB = 1 << 20


def test_enough_room_is_no_problem() -> None:
    assert space_problem(existing=0, rendered=4000, free=10 * MiB) == ""
    assert space_problem(existing=2 * MiB, rendered=4000, free=4 * MiB + SPACE_MARGIN) == ""


def test_a_full_disk_is_refused_with_the_numbers() -> None:
    assert space_problem(existing=0, rendered=100, free=0) == (
        "has 0 bytes free, and writing the values file and its backup needs about 1.0 MiB"
    )


def test_the_backup_of_a_big_existing_file_counts() -> None:
    # room for a new small file, but not for the copy of the 4 MiB file it replaces as well
    problem = space_problem(existing=4 * MiB, rendered=5000, free=5 * MiB)
    assert problem == "has 5.0 MiB free, and writing the values file and its backup needs about 9.0 MiB"
