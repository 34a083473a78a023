"""Fuzz (issue 12, "Done when"): random answers and random existing values files — mappings, aliases, nesting,
odd scalars — through the real CLI functions (validate, render -o over an existing file, import).

Whatever the input: no traceback, exit 0 or 2, and the output file is either untouched or a valid merge (the
rendered values are in it, and the user's top-level keys flyte-tui does not manage survive).
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flyte_tui.charts import validate_answers
from flyte_tui.charts.flyte_core.owned import is_owned
from flyte_tui.charts.flyte_core.render import render_values
from flyte_tui.cli.commands import main
from flyte_tui.files.yamlio import dump, load_plain
from tests.conftest import REALISTIC

ODD_SCALARS = [
    "1", "-0", "0x1F", "0o17", "1_000", "1e400", ".inf", "-.Inf", ".nan", "1" * 30, "9223372036854775807",
    "~", "null", "yes", "No", "true", "2024-01-01", "'quoted'", '"dq\\n"', "''", "!!str 5", "!!int '7'",
    "!!set {a, b}", "!!binary aGk=", "!custom x", "*a", "*b", "&a 5", "&b {x: 1}", "[1, 2]", "{a: b}", "[]", "{}",
    "|\n  block", "caf\u00e9", "'--post-renderer=./evil'", "<PLACEHOLDER>", "[*a, *a]",
]  # fmt: skip
KEYS = [
    "flyteadmin", "datacatalog", "storage", "db", "common", "configmap", "resources", "replicaCount",
    "requests", "limits", "cpu", "memory", "initialProjects", "podLabels", "type", "bucketName", "s3", "x", "<<",
    "'1'", "? [k]", "dup", "dup",
]  # fmt: skip


@st.composite
def yaml_text(draw: st.DrawFn, depth: int = 0) -> str:
    """A block mapping as YAML text: random keys, odd scalars, anchors, aliases and nesting."""
    indent = "  " * depth
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(st.sampled_from(KEYS))
        if depth < 4 and draw(st.booleans()):
            anchor = draw(st.sampled_from(["", "", " &a", " &b"]))
            lines.append(f"{indent}{key}:{anchor}\n{draw(yaml_text(depth + 1))}")
        else:
            value = draw(st.sampled_from(ODD_SCALARS))
            if value.startswith("|"):
                value = value.replace("\n", "\n" + indent)
            lines.append(f"{indent}{key}: {value}\n")
    if depth == 0 and draw(st.booleans()):
        lines.append("deep:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(draw(st.integers(1, 80)))))
        lines[-1] = lines[-1].rstrip("\n") + " 1\n"
    return "".join(lines)


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exc_info)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), (args, result.output)
    return result.exit_code, result.output


def _user_keys(text: str) -> dict[str, object] | None:
    try:
        data = load_plain(text)
    except Exception:
        return None
    return data if isinstance(data, dict) else None


def _contains(outer: object, inner: object) -> bool:
    if isinstance(inner, dict):
        return isinstance(outer, dict) and all(k in outer and _contains(outer[k], v) for k, v in inner.items())
    return outer == inner


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_owned(path: tuple[str, ...], value: object) -> bool:
    """Whether everything under ``path`` is a key flyte-tui writes (a map of nothing else, or an owned key)."""
    if isinstance(value, dict) and value:
        return all(_only_owned((*path, str(k)), v) for k, v in value.items())
    return is_owned(path)


@FUZZ
@given(existing=yaml_text(), env=st.sampled_from(sorted(REALISTIC)))
def test_render_over_a_random_existing_file(existing: str, env: str) -> None:
    plan = validate_answers(copy.deepcopy(REALISTIC[env])).plan
    assert plan is not None
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "flyte-tui.yaml"
        answers.write_text(dump(REALISTIC[env]))
        out = Path(folder) / "v.yaml"
        out.write_text(existing)
        code, _said = invoke("render", str(answers), "-o", str(out))
        if code == 2:
            assert out.read_text() == existing
            return
        merged = load_plain(out.read_text())
        assert _contains(merged, render_values(plan))
        before = _user_keys(existing) or {}
        for key in before:
            if isinstance(key, str) and key not in render_values(plan) and not _only_owned((key,), before[key]):
                assert key in merged, key  # a map holding only stale keys flyte-tui wrote goes with them


@FUZZ
@given(extra=yaml_text())
def test_validate_and_render_random_extra_values(extra: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        answers = Path(folder) / "a.yaml"
        body = "".join("  " + line if line.strip() else line for line in extra.splitlines(keepends=True))
        answers.write_text("environment: sandbox\nextraValues:\n" + body)
        invoke("validate", str(answers))
        code, _ = invoke("render", str(answers), "-o", str(Path(folder) / "v.yaml"))
        if code == 0:
            assert isinstance(load_plain((Path(folder) / "v.yaml").read_text()), dict)


@FUZZ
@given(values=yaml_text())
def test_import_of_a_random_values_file(values: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "values.yaml"
        source.write_text(values)
        out = Path(folder) / "a.yaml"
        code, _ = invoke("import", str(source), "-o", str(out))
        if code == 0:
            assert isinstance(load_plain(out.read_text()), dict)
            invoke("validate", str(out))
        else:
            assert not out.exists()


@FUZZ
@given(
    answers=st.fixed_dictionaries(
        {"environment": st.sampled_from(["sandbox", "eks", "gke", "generic", "mars", 5])},
        optional={
            "database": st.fixed_dictionaries(
                {}, optional={"port": st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.booleans())}
            ),
            "projects": st.fixed_dictionaries(
                {}, optional={"initialProjects": st.one_of(st.text(max_size=8), st.lists(st.text(max_size=5)))}
            ),
            "resources": st.fixed_dictionaries(
                {},
                optional={
                    "components": st.dictionaries(
                        st.sampled_from(["flyteadmin", "datacatalog", "nope"]),
                        st.fixed_dictionaries({}, optional={"replicas": st.one_of(st.integers(), st.text(max_size=3))}),
                    )
                },
            ),
            "extraValues": st.recursive(
                st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6)),
                lambda inner: st.one_of(
                    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
                ),
                max_leaves=12,
            ),
        },
    )
)
def test_random_answers_through_validate_and_render(answers: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        path.write_text(dump(answers))
        invoke("validate", str(path))
        code, _ = invoke("render", str(path), "-o", str(Path(folder) / "v.yaml"))
        if code == 0:
            assert isinstance(load_plain((Path(folder) / "v.yaml").read_text()), dict)
