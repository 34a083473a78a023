"""What a chart tells the end summary and the doctor about one release (chart-neutral): the Services that reach
its console and gRPC API without an ingress, and the Secret its database password is read from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Forward:
    """One ``kubectl port-forward``: a Service and its ``local:service`` ports."""

    service: str
    ports: tuple[str, ...]


@dataclass(frozen=True)
class Endpoints:
    """How a release is reached through port-forwards (the end summary's lines without an ingress)."""

    forwards: tuple[Forward, ...]
    console_service: str
    """The Service that serves the console (its ready endpoints decide whether to say "open")."""
    console_url: str
    """The console's address once forwarded (``http://localhost:8080/console``)."""
    grpc_service: str
    """The Service that serves the gRPC API flytectl and pyflyte call."""
    grpc_address: str
    """The gRPC endpoint once forwarded (``dns:///localhost:8089``)."""

    @property
    def services(self) -> tuple[str, ...]:
        """The forwarded Services, each once, in order."""
        return tuple(dict.fromkeys(f.service for f in self.forwards))


@dataclass(frozen=True)
class DatabaseSecret:
    """Where a release's values say the database password comes from (read from the values alone)."""

    name: str
    """The Secret holding the password ("" when the values use none)."""
    keys: tuple[str, ...] = ()
    """The keys of that Secret the pods read the password from."""
    looked_at: tuple[str, ...] = ()
    """The values paths read, e.g. ``values configuration.database.passwordPath``."""
    problem: str = ""
    """A contradiction in the values themselves (a path with no Secret mounted there, say): a failure."""
    fix: str = ""
    """What to do about ``problem``, in words."""
    answer: str = "database.passwordSecret"
    """The answers-file path that fixes ``problem``."""
    without: str = "password given in the values or not needed"
    """Why no Secret is needed, when ``name`` is empty."""
    users: str = "Flyte"
    """Who cannot start without the Secret (``flyteadmin and datacatalog``)."""
