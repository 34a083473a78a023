"""One line for what a program says went wrong (tools/process.error_summary, issue 12 item 27): several errors are
quoted, the first few with a count, never only helm's "Error: 35 errors occurred:" header."""

from __future__ import annotations

from flyte_tui.tools.process import error_summary, last_line

HELM3 = "Release x does not exist.\nError: 35 errors occurred:\n" + "".join(
    f"\t* object {i} is invalid\n" for i in range(35)
)


def test_helm3_several_errors_first_three_and_a_count() -> None:
    assert error_summary(HELM3) == (
        "Error: 35 errors occurred: object 0 is invalid; object 1 is invalid; object 2 is invalid; and 32 more"
    )
    assert last_line(HELM3) == error_summary(HELM3)  # every caller of last_line gets the same


def test_helm4_joined_errors_and_repeats() -> None:
    text = "Error: UPGRADE FAILED: a is invalid\nb is invalid\nb is invalid\nc is invalid\nd is invalid\n"
    assert error_summary(text) == (
        "Error: 5 errors: UPGRADE FAILED: a is invalid; b is invalid (×2); c is invalid; and 1 more"
    )


def test_one_error_is_as_it_was() -> None:
    assert error_summary("Error: UPGRADE FAILED: context deadline exceeded\n") == (
        "Error: UPGRADE FAILED: context deadline exceeded"
    )
    assert error_summary("E1202 12:00 client-go noise\nerror: You must be logged in\n") == (
        "error: You must be logged in"
    )
    assert last_line("E1202 noise\nerror: x\n") == "error: x"
    assert error_summary("", "helm failed") == "helm failed"
