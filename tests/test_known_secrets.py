"""Secrets known from the environment (issue 12, item 17): every variable the installer reads a secret from
is one whose value every mask replaces, wherever the value appears."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from flyte_tui.install import secrets as install_secrets
from flyte_tui.redact import MASK, SECRET_ENVIRONMENT, known_secrets, mask_known, redact_data, redact_text


def test_every_secret_variable_the_installer_reads_is_known() -> None:
    read = {v for k, v in vars(install_secrets).items() if k.endswith("_ENV") and isinstance(v, str)}
    assert read and read <= set(SECRET_ENVIRONMENT)


def test_known_values_are_masked_in_text_and_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYTE_TUI_DB_PASSWORD", "Hunter2Canary ")
    monkeypatch.setenv("FLYTE_TUI_S3_SECRET_KEY", "Hunter2CanaryLonger")
    assert known_secrets() == ["Hunter2CanaryLonger", "Hunter2Canary ", "Hunter2Canary"]
    assert redact_text("db said no to Hunter2Canary.") == f"db said no to {MASK}."
    assert redact_text("s3 key Hunter2CanaryLonger") == f"s3 key {MASK}"
    data = {"status": {"message": "login Hunter2Canary failed"}, "Hunter2Canary": ["x Hunter2Canary"]}
    assert "Hunter2Canary" not in str(list(redact_data(data).values()))
    assert "Hunter2Canary" not in str(mask_known(data, known_secrets()))


def test_other_environments_and_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLYTE_TUI_DB_PASSWORD", raising=False)

    @dataclass(frozen=True)
    class Found:
        summary: str
        evidence: tuple[str, ...]
        count: int

    known = known_secrets({"FLYTE_TUI_DB_PASSWORD": "pw-from-target"}, None)
    assert "pw-from-target" in known
    found = mask_known(Found("a pw-from-target b", ("log pw-from-target",), 3), known)
    assert found == Found(f"a {MASK} b", (f"log {MASK}",), 3)
