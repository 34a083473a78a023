"""The end every chart's import shares: secrets left out of ``extraValues`` (with a warning at each), the
answers validated once more, and the result."""

from __future__ import annotations

from typing import Any

from flyte_tui.charts.component import ImportResult
from flyte_tui.model.rules import Problem
from flyte_tui.model.secret_values import secret_paths, without_secrets

SECRET_LEFT_OUT = (
    "a secret in the values file was left out of the answers (flyte-tui keeps secrets in Kubernetes "
    "Secrets only): give it to the install (FLYTE_TUI_DB_PASSWORD, --db-password-file, FLYTE_TUI_S3_*) "
    "or name an existing Secret"
)


def finish_import(
    answers: dict[str, Any], extra: dict[str, Any], leftovers: list[str], problems: list[Problem]
) -> ImportResult:
    """``answers`` with ``extra`` (what no answer renders) as their ``extraValues``, less any secret in it;
    ``problems`` so far, a warning per secret left out, then the final answers' own problems."""
    from flyte_tui.charts import validate_answers

    secrets = list(secret_paths(extra))
    if secrets:
        extra = without_secrets(extra)
        leftovers = [p for p in leftovers if not any(p == s or p.startswith(s + ".") for s in secrets)]
    answers["extraValues"] = extra
    final = validate_answers(answers)
    left_out = [Problem(path, SECRET_LEFT_OUT, "warning") for path in secrets]
    return ImportResult(answers, [*problems, *left_out, *final.problems], leftovers)
