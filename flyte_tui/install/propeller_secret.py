"""The propeller client secret of a ``Self`` authorization server, settled before anything is rendered.

flyteadmin checks propeller's client secret against a bcrypt hash in its config, so the secret (in the Secret
``flyte-secret-auth``, key ``client_secret``; flyte-binary's ``<fullname>-propeller-auth``) and the hash (in the
values) must be made together. When the user
gives neither, flyte-tui makes both; when the Secret exists already (an upgrade, or an install after an
uninstall that kept it), it is reused and never rotated: its ``client_secret`` is read (never printed), and
the hash flyteadmin's config carries is kept when it matches, so an upgrade changes neither. The secret only
ever travels in memory to the Secret on kubectl's stdin (:func:`flyte_tui.install.secrets.propeller_secret_manifest`).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import threading
from dataclasses import dataclass, field

from flyte_tui import exit_codes
from flyte_tui.charts.auth_names import auth_objects
from flyte_tui.charts.component import AuthObjects
from flyte_tui.charts.flyte_core.render_auth import propeller_hash_in_config
from flyte_tui.files import yamlio
from flyte_tui.files.yamlio import load_plain
from flyte_tui.install.secrets import SecretValues, from_env_or_file
from flyte_tui.model.auth import hash_propeller_secret, propeller_secret_and_hash, propeller_secret_matches
from flyte_tui.model.plan import InstallPlan
from flyte_tui.redact import PROPELLER_CLIENT_SECRET_ENV
from flyte_tui.tools import process
from flyte_tui.tools.kubectl import Kubectl, KubectlError


def where(names: AuthObjects) -> str:
    """Where the propeller client secret lives (what the output names instead of the value)."""
    return f"Secret {names.propeller_secret}, key {names.propeller_key}"


@dataclass(frozen=True)
class SettledSecret:
    """The plan with ``auth.clients.propellerHash`` settled, the secret to apply (None: nothing to apply, the
    Secret there is kept or the user gave it) and what was done, in words (never the secret)."""

    plan: InstallPlan
    generated: str | None = field(default=None, repr=False)
    note: str = ""

    def with_secret(self, given: SecretValues) -> SecretValues:
        """The secrets to install with: ``given`` and the propeller secret made here, if one was."""
        if self.generated is None:
            return given
        return dataclasses.replace(given, propeller_client_secret=self.generated)


def needs_settling(plan: InstallPlan) -> bool:
    """Whether the plan has a propeller secret to settle: auth on with ``authorizationServer: Self``."""
    return plan.auth.enabled and plan.auth.authorization_server == "Self"


def _with_hash(plan: InstallPlan, secret_hash: str) -> InstallPlan:
    auth = plan.auth
    clients = auth.clients.model_copy(update={"propeller_hash": secret_hash})
    return plan.model_copy(update={"auth": auth.model_copy(update={"clients": clients})})


def read_existing_secret(kubectl: Kubectl, names: AuthObjects | None = None) -> str | None:
    """The propeller client secret in its Secret (``flyte-secret-auth``, key ``client_secret`` for flyte-core;
    None when there is no such Secret or key). The value comes on kubectl's stdout only; raises ProcessError
    naming the Secret when the cluster does not answer (ValueError when the key is not base64 text)."""
    names = names or AuthObjects()
    secret, key = names.propeller_secret, names.propeller_key
    template = '{.metadata.name}{"\\t"}{.data.' + key + "}"
    try:
        out = kubectl.check("get", "secret", secret, "--ignore-not-found", "-o", f"jsonpath={template}")
    except process.Cancelled:
        raise
    except (KubectlError, process.ProcessError) as exc:
        raise process.ProcessError(f"cannot read Secret {secret} (to reuse its {key}): {exc}") from exc
    _name, _, encoded = out.strip().partition("\t")
    if not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(f"Secret {secret}: key {key} is not base64 of UTF-8 text") from exc


def read_live_hash(kubectl: Kubectl, names: AuthObjects, client_id: str) -> str:
    """The propeller hash flyteadmin's config carries now (flyte-core: its ConfigMap's ``server.yaml``;
    flyte-binary: the ``014-auth-secrets.yaml`` of its config Secret, that key only; "" when there is none or it
    cannot be read: a new hash is then made)."""
    kind, name, key = names.hash_source
    if not name:
        return ""
    try:
        jsonpath = "jsonpath={.data." + key.replace(".", "\\.") + "}"
        text = kubectl.check("get", kind, name, "--ignore-not-found", "-o", jsonpath)
        if kind == "secret" and text.strip():
            text = base64.b64decode(text.strip(), validate=True).decode()
        return propeller_hash_in_config(load_plain(text) if text.strip() else {}, client_id)
    except process.Cancelled:
        raise
    except (KubectlError, process.ProcessError, ValueError, UnicodeDecodeError, yamlio.YAMLError):
        return ""


def settle(plan: InstallPlan, given: str | None, existing: str | None, live_hash: str) -> SettledSecret:
    """The propeller secret's decision, from what is known (pure): ``given`` by the user (environment or file),
    ``existing`` in the cluster's ``flyte-secret-auth``, ``live_hash`` in flyteadmin's config now. Raises
    ValueError naming the answer when they cannot agree."""
    if not needs_settling(plan):
        return SettledSecret(plan)
    wanted = plan.auth.clients.propeller_hash
    at = where(auth_objects(plan))
    secret = given or existing
    if secret is None:
        if wanted:
            raise ValueError(
                f"auth.clients.propellerHash is set but there is no propeller client secret: {at} does not "
                f"exist and {PROPELLER_CLIENT_SECRET_ENV} (or {PROPELLER_CLIENT_SECRET_ENV}_FILE) is not set; give "
                "the secret the hash was made from, or remove propellerHash and flyte-tui makes both"
            )
        made, made_hash = propeller_secret_and_hash()
        note = f"generated the propeller client secret and its bcrypt hash: the secret goes to {at} (not shown)"
        return SettledSecret(_with_hash(plan, made_hash), made, note)
    source = "given" if given else f"in {at} reused (not rotated)"
    if wanted:
        if not propeller_secret_matches(secret, wanted):
            raise ValueError(
                f"auth.clients.propellerHash: the propeller client secret {source} does not match this hash; give "
                "the secret it was made from, or remove propellerHash and flyte-tui uses the secret"
            )
        return SettledSecret(plan, note=f"propeller client secret {source} matches auth.clients.propellerHash")
    if live_hash and propeller_secret_matches(secret, live_hash):
        note = f"propeller client secret {source}; its hash in flyteadmin's config kept"
        return SettledSecret(_with_hash(plan, live_hash), note=note)
    note = f"propeller client secret {source}; its bcrypt hash made for flyteadmin's config"
    return SettledSecret(_with_hash(plan, hash_propeller_secret(secret)), note=note)


def settle_on_cluster(plan: InstallPlan, given: str | None, kubectl: Kubectl) -> SettledSecret:
    """:func:`settle` with what the plan's cluster holds: the existing propeller Secret and the hash in
    flyteadmin's config (read only when needed; the names from the plan's chart). ValueError when they cannot
    agree, ProcessError when the Secret cannot be read."""
    if not needs_settling(plan):
        return SettledSecret(plan)
    names = auth_objects(plan)
    existing = None if given else read_existing_secret(kubectl, names)
    live = ""
    if not plan.auth.clients.propeller_hash and (given or existing):
        live = read_live_hash(kubectl, names, plan.auth.clients.propeller)
    return settle(plan, given, existing, live)


def settle_for_install(
    plan: InstallPlan, kubectl_binary: str = "kubectl", cancel: threading.Event | None = None
) -> SettledSecret:
    """:func:`settle_on_cluster` for ``flyte-tui install`` / ``upgrade``: the secret the user gave from
    ``FLYTE_TUI_PROPELLER_CLIENT_SECRET`` or its ``_FILE``, the cluster of the plan's target. ValueError with the
    message to show (an unreadable file included); ProcessError when the cluster cannot be read."""
    if not needs_settling(plan):
        return SettledSecret(plan)
    variable = PROPELLER_CLIENT_SECRET_ENV
    try:
        given = from_env_or_file(variable)
    except (OSError, UnicodeError) as exc:
        raise ValueError(
            f"cannot read the file {variable}_FILE names: {getattr(exc, 'strerror', None) or exc}"
        ) from exc
    t = plan.target
    kubectl = Kubectl(kubectl_binary, t.context, t.namespace, cancel=cancel or threading.Event())
    return settle_on_cluster(plan, given, kubectl)


def failure_code(exc: Exception) -> int:
    """The exit code of a settle that failed: 2 the answers and the secrets disagree (ValueError), 130 cancelled,
    1 the cluster did not answer."""
    if isinstance(exc, ValueError):
        return exit_codes.INVALID
    return exit_codes.CANCELLED if isinstance(exc, process.Cancelled) else exit_codes.FAILED
