"""A real Kubernetes control plane on 127.0.0.1 for the e2e tests: etcd, kube-apiserver, KCM, scheduler, kwok.

Pure stdlib. Used by ``tests/cluster/up`` / ``tests/cluster/down`` and by the pytest fixtures in
``tests/e2e/conftest.py``. Binaries come from ``tests/cluster/build`` (cached by version outside the repo).

    bed = TestBed.start()          # ~10-20 s once built
    subprocess.run([bed.kubectl, "get", "nodes"], env=bed.env, check=True)
    bed.stop()                     # kills only the processes it started, removes its temp dir
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHARTS_SRC = REPO / "tests" / "charts"

# Keep in sync with tests/cluster/build.
KUBE_VERSION = "v1.36.3"
ETCD_VERSION = "v3.6.10"
KWOK_VERSION = "v0.8.0"
VERSION_TUPLE = f"k8s-{KUBE_VERSION}-etcd-{ETCD_VERSION}-kwok-{KWOK_VERSION}"

#: Chart versions published in the loopback repo (built from tests/charts/flyte-core).
FIXTURE_CHART = "flyte-core"
FIXTURE_CHART_VERSIONS = ("v1.16.7", "v1.16.8")


def other_fixture_charts() -> list[Path]:
    """Every other fixture chart under tests/charts (flyte-deps, flyte-binary, …): published once each, at
    the version its Chart.yaml names."""
    return sorted(d for d in CHARTS_SRC.iterdir() if d.name != FIXTURE_CHART and (d / "Chart.yaml").is_file())


#: Name under which ``helm repo add`` registers the loopback repo in ``TestBed.env``'s helm home.
REPO_NAME = "flyteorg"

#: helm-diff v3.9.14 (newest the Go module proxy serves) runs `helm template --validate --dry-run=client`,
#: a flag pair helm 4 rejects ("if any flags in the group [validate dry-run] are set none of the others can
#: be"). Under helm 4 pass these to `helm diff upgrade` (the server dry-run keeps the cluster validation).
HELM4_DIFF_FLAGS = ("--disable-validation", "--dry-run=server")

BUILD_CMD = "tests/cluster/build"
REQUIRED_BINARIES = (
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kubectl",
    "etcd",
    "kwok",
    "helm-diff",
)

FAULT_LABEL = "sim.kwok.test/fault"
FAULTS = ("crashloop", "imagepull", "stuckinit", "readythencrash")
#: Pod annotation naming a log scenario (tests/cluster/kwok/logs/<name>.log) that `kubectl logs` then shows.
LOGS_ANNOTATION = "sim.kwok.test/logs"
LOG_SCENARIOS_DIR = HERE / "kwok" / "logs"

#: Fake nodes: name -> (cpu, memory). Realistic small workers so big requests really do not fit.
NODES: Mapping[str, tuple[str, str]] = {
    "kwok-node-0": ("4", "16Gi"),
    "kwok-node-1": ("4", "16Gi"),
    "kwok-node-2": ("8", "32Gi"),
}


class TestBedError(RuntimeError):
    """The test bed could not be built, started or used."""


def cache_root() -> Path:
    env = os.environ.get("FLYTE_TUI_E2E_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "flyte-tui-e2e"


def bin_dir() -> Path:
    return cache_root() / VERSION_TUPLE / "bin"


def helm_bin_dir() -> Path:
    return cache_root() / "helm" / "bin"


def missing_binaries() -> list[str]:
    """Names of the binaries that ``tests/cluster/build`` has not produced yet (empty when all are there)."""
    missing = [name for name in REQUIRED_BINARIES if not os.access(bin_dir() / name, os.X_OK)]
    missing += [name for name in ("helm3", "helm4") if not os.access(helm_bin_dir() / name, os.X_OK)]
    if not (cache_root() / VERSION_TUPLE / "helm-plugins" / "diff" / "plugin.yaml").is_file():
        missing.append("helm-plugins/diff")
    if not (cache_root() / VERSION_TUPLE / "kwok-stages" / "node-initialize.yaml").is_file():
        missing.append("kwok-stages")
    return missing


_HANDED_OUT: set[int] = set()
_PORT_LOCK = threading.Lock()


def _ephemeral_low() -> int:
    """The first port of the kernel's ephemeral range (where outgoing connections take their local port)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A free port on 127.0.0.1, never the same twice in this process, and below the ephemeral range: a port the
    kernel picks (bind to 0) is one an outgoing connection of another bed's process may take before this bed's
    server binds it (kube-scheduler once failed so: "bind: address already in use")."""
    top = min(_ephemeral_low(), 32768)
    with _PORT_LOCK:
        for _ in range(500 if top > 11000 else 0):
            port = random.randrange(10000, top)
            if port in _HANDED_OUT:
                continue
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
            _HANDED_OUT.add(port)
            return port
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        _HANDED_OUT.add(port)
        return port


def run(
    argv: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    check: bool = True,
    input_text: str | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run argv (never a shell), capture text output; raise TestBedError with stderr when it fails."""
    args = [str(a) for a in argv]
    try:
        proc = subprocess.run(
            args,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input_text,
            cwd=cwd,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise TestBedError(f"timed out after {timeout}s: {' '.join(args)}") from exc
    if check and proc.returncode != 0:
        raise TestBedError(f"exit {proc.returncode}: {' '.join(args)}\n{proc.stderr.strip()}")
    return proc


def openssl(workdir: Path, *args: str) -> None:
    """Run ``openssl`` in ``workdir``."""
    run(["openssl", *args], cwd=workdir, timeout=60)


def make_ca(workdir: Path, common_name: str) -> Path:
    """A self-signed CA (``ca.key``, ``ca.crt``) in ``workdir``; its certificate's path."""
    openssl(
        workdir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "3650", "-subj", f"/CN={common_name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
    )  # fmt: skip
    return workdir / "ca.crt"


def issue_cert(workdir: Path, name: str, subject: str, usage: str, alt_names: str = "") -> Path:
    """``<name>.key`` and ``<name>.crt`` signed by the CA in ``workdir`` for ``usage`` (serverAuth, clientAuth),
    with ``alt_names`` (``DNS:localhost,IP:127.0.0.1``) when given; the certificate's path."""
    openssl(workdir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
            "-subj", subject)  # fmt: skip
    ext = f"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage={usage}\n"
    if alt_names:
        ext += f"subjectAltName={alt_names}\n"
    (workdir / f"{name}.ext").write_text(ext)
    openssl(workdir, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "3650", "-out", f"{name}.crt", "-extfile", f"{name}.ext")  # fmt: skip
    return workdir / f"{name}.crt"


def _wait(what: str, ok: object, timeout: float, interval: float = 0.2, log: Path | None = None) -> None:
    assert callable(ok)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if ok():
                return
        time.sleep(interval)
    tail = ""
    if log is not None and log.exists():
        tail = "\n--- " + str(log) + " (tail) ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:])
    raise TestBedError(f"{what}: not ready after {timeout:.0f}s{tail}")


@dataclasses.dataclass
class Proc:
    name: str
    pid: int
    exe: str
    log: Path
    argv: tuple[str, ...] = ()
    """The command line it was started with (a component stopped by a test starts again with the same one)."""
    extra_env: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class TestBed:
    """A running control plane. Create with :meth:`start`; :meth:`stop` tears it down."""

    __test__ = False  # not a pytest test class

    workdir: Path
    kubeconfig: Path
    context: str
    env: dict[str, str]
    repo_url: str
    bin_dir: Path
    kubectl: Path
    helm3: Path
    helm4: Path
    api_url: str
    processes: list[Proc] = dataclasses.field(default_factory=list)
    timings: dict[str, float] = dataclasses.field(default_factory=dict)

    # ------------------------------------------------------------------ start
    @classmethod
    def start(
        cls,
        *,
        pod_delay_ms: int | None = None,
        crash_after_ms: int = 3000,
        restart_ms: int = 2000,
        workdir: Path | None = None,
        context: str = "flyte-tui-e2e",
        timeout: float = 90,
        serve_charts: bool = True,
        register_bed: bool = True,
    ) -> TestBed:
        """Start etcd, kube-apiserver, KCM, scheduler, kwok, fake nodes and the loopback chart repo.

        ``pod_delay_ms``: delay of every normal kwok pod step (default env FLYTE_TUI_E2E_POD_DELAY_MS or 200).
        ``serve_charts=False``: no chart repo (a further cluster of a multi-cluster bed shares the first's);
        ``register_bed=False``: not recorded for `tests/cluster/down` (its multi-cluster bed is).
        """
        missing = missing_binaries()
        if missing:
            raise TestBedError(f"missing test-bed binaries ({', '.join(missing)}); run {BUILD_CMD}")
        if pod_delay_ms is None:
            pod_delay_ms = int(os.environ.get("FLYTE_TUI_E2E_POD_DELAY_MS", "200"))
        wd = workdir or Path(tempfile.mkdtemp(prefix="flyte-tui-e2e-"))
        for sub in ("pki", "etcd", "logs", "charts", "helm/config", "helm/cache", "helm/data", "kwok-home"):
            (wd / sub).mkdir(parents=True, exist_ok=True)
        bdir = bin_dir()
        hdir = helm_bin_dir()
        bed = cls(
            workdir=wd,
            kubeconfig=wd / "kubeconfig",
            context=context,
            env={},
            repo_url="",
            bin_dir=bdir,
            kubectl=bdir / "kubectl",
            helm3=hdir / "helm3",
            helm4=hdir / "helm4",
            api_url="",
        )
        if register_bed:
            register(wd, owner="pytest" if "pytest" in sys.modules else "script")
        try:
            bed._start(pod_delay_ms, crash_after_ms, restart_ms, timeout, serve_charts)
        except BaseException:
            bed.stop()
            raise
        return bed

    def _start(
        self, pod_delay_ms: int, crash_after_ms: int, restart_ms: int, timeout: float, serve_charts: bool = True
    ) -> None:
        t0 = time.monotonic()
        wd = self.workdir
        ports = {k: free_port() for k in ("etcd", "etcd_peer", "api", "kcm", "sched", "repo", "kwok")}
        self._pki()
        self.timings["pki"] = time.monotonic() - t0

        # etcd
        etcd_url = f"http://127.0.0.1:{ports['etcd']}"
        peer_url = f"http://127.0.0.1:{ports['etcd_peer']}"
        self._spawn(
            "etcd",
            [
                self.bin_dir / "etcd",
                "--name=node0",
                f"--data-dir={wd / 'etcd'}",
                f"--listen-client-urls={etcd_url}",
                f"--advertise-client-urls={etcd_url}",
                f"--listen-peer-urls={peer_url}",
                f"--initial-advertise-peer-urls={peer_url}",
                f"--initial-cluster=node0={peer_url}",
                "--listen-metrics-urls=",
                "--auto-compaction-retention=1",
                "--quota-backend-bytes=8589934592",
                "--unsafe-no-fsync=true",
                "--log-level=warn",
            ],
        )
        # the chart repo can be prepared while etcd and the apiserver come up
        if serve_charts:
            self._spawn(
                "chart-repo",
                [
                    sys.executable,
                    "-m",
                    "http.server",
                    "--bind",
                    "127.0.0.1",
                    "--directory",
                    str(wd / "charts"),
                    str(ports["repo"]),
                ],
            )
            self.repo_url = f"http://127.0.0.1:{ports['repo']}"
        self._wait_http("etcd", f"{etcd_url}/health", 20, self._log("etcd"))
        self.timings["etcd"] = time.monotonic() - t0

        # kube-apiserver
        pki = wd / "pki"
        self.api_url = f"https://127.0.0.1:{ports['api']}"
        self._spawn(
            "kube-apiserver",
            [
                self.bin_dir / "kube-apiserver",
                f"--etcd-servers={etcd_url}",
                "--bind-address=127.0.0.1",
                f"--secure-port={ports['api']}",
                f"--tls-cert-file={pki / 'apiserver.crt'}",
                f"--tls-private-key-file={pki / 'apiserver.key'}",
                f"--client-ca-file={pki / 'ca.crt'}",
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={pki / 'sa.pub'}",
                f"--service-account-signing-key-file={pki / 'sa.key'}",
                "--service-cluster-ip-range=10.96.0.0/16",
                "--allow-privileged=true",
                f"--cert-dir={wd / 'apiserver-certs'}",
                "--enable-priority-and-fairness=false",
                "--max-requests-inflight=0",
                "--max-mutating-requests-inflight=0",
                # kubectl logs/exec: the apiserver dials kwok's kubelet server at the node's InternalIP
                "--kubelet-preferred-address-types=InternalIP",
                f"--kubelet-client-certificate={pki / 'admin.crt'}",
                f"--kubelet-client-key={pki / 'admin.key'}",
                # a test bed: fewer, shorter surprises
                "--event-ttl=1h",
                "--profiling=false",
            ],
        )
        self._write_kubeconfig(ports["api"])
        self.env = self._make_env()
        self._wait_http("kube-apiserver", f"{self.api_url}/readyz", 60, self._log("kube-apiserver"))
        self.timings["kube-apiserver"] = time.monotonic() - t0

        kc = str(self.kubeconfig)
        self._spawn(
            "kube-controller-manager",
            [
                self.bin_dir / "kube-controller-manager",
                f"--kubeconfig={kc}",
                f"--authentication-kubeconfig={kc}",
                f"--authorization-kubeconfig={kc}",
                "--bind-address=127.0.0.1",
                f"--secure-port={ports['kcm']}",
                "--leader-elect=false",
                f"--root-ca-file={pki / 'ca.crt'}",
                f"--service-account-private-key-file={pki / 'sa.key'}",
                "--use-service-account-credentials=false",
                "--node-monitor-period=2s",
                "--profiling=false",
            ],
        )
        self._spawn(
            "kube-scheduler",
            [
                self.bin_dir / "kube-scheduler",
                f"--kubeconfig={kc}",
                f"--authentication-kubeconfig={kc}",
                f"--authorization-kubeconfig={kc}",
                "--bind-address=127.0.0.1",
                f"--secure-port={ports['sched']}",
                "--leader-elect=false",
                "--profiling=false",
            ],
        )
        kwok_cfg = wd / "kwok.yaml"
        kwok_cfg.write_text(self._kwok_config(pod_delay_ms, crash_after_ms, restart_ms))
        self._spawn(
            "kwok",
            [
                self.bin_dir / "kwok",
                f"--kubeconfig={kc}",
                f"--config={kwok_cfg}",
                "--manage-all-nodes=false",
                "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                "--cidr=10.244.0.0/16",
                "--node-ip=127.0.0.1",
                "--node-name=localhost",
                f"--node-port={ports['kwok']}",
                f"--server-address=127.0.0.1:{ports['kwok']}",
                f"--tls-cert-file={pki / 'kwok.crt'}",
                f"--tls-private-key-file={pki / 'kwok.key'}",
                "--node-lease-duration-seconds=40",
                "--enable-crds=Logs,ClusterLogs",
            ],
            extra_env={"KWOK_WORKDIR": str(wd / "kwok-home")},
        )
        # kwok's Logs/ClusterLogs CRDs (from the module copy made by tests/cluster/build)
        crds = cache_root() / VERSION_TUPLE / "kwok-crds"
        if crds.is_dir():
            self.kubectl_run("apply", "--server-side", "-f", str(crds), timeout=60)

        if serve_charts:
            self._package_charts()
        self.timings["charts"] = time.monotonic() - t0

        self.kubectl_run("apply", "-f", "-", input_text=self._nodes_manifest())
        self._wait_cluster(timeout)
        self.timings["ready"] = time.monotonic() - t0

    # ------------------------------------------------------------------ pieces
    def _log(self, name: str) -> Path:
        return self.workdir / "logs" / f"{name}.log"

    def _spawn(self, name: str, argv: Sequence[str | Path], extra_env: Mapping[str, str] | None = None) -> None:
        log = self._log(name)
        env = dict(os.environ)
        env.pop("KUBECONFIG", None)
        if extra_env:
            env.update(extra_env)
        args = tuple(str(a) for a in argv)
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                list(args),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.workdir,
                start_new_session=True,  # survives `tests/cluster/up` exiting; not hit by the shell's Ctrl-C
            )
        self.processes.append(Proc(name, proc.pid, args[0], log, args, dict(extra_env or {})))
        self._save_state()

    def _pki(self) -> None:
        """CA, apiserver serving cert, admin client cert (system:masters), kwok serving cert, SA keys."""
        p = self.workdir / "pki"
        make_ca(p, "flyte-tui-e2e-ca")
        apiserver_names = (
            "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,"
            "DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1"
        )
        issue_cert(p, "apiserver", "/CN=kube-apiserver", "serverAuth", apiserver_names)
        issue_cert(p, "admin", "/O=system:masters/CN=flyte-tui-e2e-admin", "clientAuth")
        issue_cert(p, "kwok", "/CN=localhost", "serverAuth", "DNS:localhost,IP:127.0.0.1")
        openssl(p, "genrsa", "-out", "sa.key", "2048")
        openssl(p, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub")

    def _write_kubeconfig(self, api_port: int) -> None:
        pki = self.workdir / "pki"
        cluster = self.context
        user = f"{self.context}-admin"
        self.kubeconfig.write_text(
            json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "Config",
                    "clusters": [
                        {
                            "name": cluster,
                            "cluster": {
                                "server": f"https://127.0.0.1:{api_port}",
                                "certificate-authority": str(pki / "ca.crt"),
                            },
                        }
                    ],
                    "users": [
                        {
                            "name": user,
                            "user": {
                                "client-certificate": str(pki / "admin.crt"),
                                "client-key": str(pki / "admin.key"),
                            },
                        }
                    ],
                    "contexts": [{"name": self.context, "context": {"cluster": cluster, "user": user}}],
                    "current-context": self.context,
                },
                indent=2,
            )
        )
        self.kubeconfig.chmod(0o600)

    def _make_env(self) -> dict[str, str]:
        env = dict(os.environ)
        h = self.workdir / "helm"
        env.update(
            {
                "KUBECONFIG": str(self.kubeconfig),
                "HELM_PLUGINS": str(cache_root() / VERSION_TUPLE / "helm-plugins"),
                "HELM_CONFIG_HOME": str(h / "config"),
                "HELM_CACHE_HOME": str(h / "cache"),
                "HELM_DATA_HOME": str(h / "data"),
                "PATH": os.pathsep.join([str(self.bin_dir), str(helm_bin_dir()), env.get("PATH", "")]),
                "FLYTE_TUI_TEST_REPO": self.repo_url,
            }
        )
        return env

    def _wait_http(self, what: str, url: str, timeout: float, log: Path) -> None:
        ctx = ssl.create_default_context(cafile=str(self.workdir / "pki" / "ca.crt"))

        def ok() -> bool:
            with urllib.request.urlopen(url, timeout=2, context=ctx if url.startswith("https") else None) as r:
                return bool(r.status == 200)

        _wait(what, ok, timeout, log=log)

    def _kwok_config(self, delay_ms: int, crash_after_ms: int, restart_ms: int) -> str:
        upstream = cache_root() / VERSION_TUPLE / "kwok-stages"
        docs = [
            (upstream / f).read_text()
            for f in (
                "node-initialize.yaml",
                "node-heartbeat-with-lease.yaml",
                "pod-delete.yaml",
                "pod-complete.yaml",
            )
        ]
        ours = (HERE / "kwok" / "pod-stages.yaml").read_text()
        ours = (
            ours.replace("@DELAY_MS@", str(delay_ms))
            .replace("@CRASH_AFTER_MS@", str(crash_after_ms))
            .replace("@RESTART_MS@", str(restart_ms))
            .replace("@SIM_LOGS_DIR@", str(self._sim_logs_dir()))
        )
        for scenario in sorted(LOG_SCENARIOS_DIR.glob("*.log")):
            self._write_cri_log(self._sim_logs_dir() / scenario.name, scenario.read_text().splitlines())
        docs.append(ours)
        return "\n---\n".join(d.strip() for d in docs) + "\n"

    @staticmethod
    def _nodes_manifest() -> str:
        items = []
        for name, (cpu, mem) in NODES.items():
            res = {"cpu": cpu, "memory": mem, "pods": "110", "ephemeral-storage": "100Gi"}
            items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": {
                        "name": name,
                        "annotations": {"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
                        "labels": {
                            "kubernetes.io/arch": "amd64",
                            "kubernetes.io/hostname": name,
                            "kubernetes.io/os": "linux",
                            "node-role.kubernetes.io/worker": "",
                            "type": "kwok",
                        },
                    },
                    "spec": {"providerID": f"kwok://{name}"},
                    "status": {
                        "allocatable": res,
                        "capacity": res,
                        "nodeInfo": {
                            "architecture": "amd64",
                            "operatingSystem": "linux",
                            "kubeletVersion": KUBE_VERSION,
                            "kubeProxyVersion": KUBE_VERSION,
                            "containerRuntimeVersion": f"kwok-{KWOK_VERSION}",
                            "kernelVersion": "",
                            "osImage": "kwok",
                            "bootID": "",
                            "machineID": "",
                            "systemUUID": "",
                        },
                        "phase": "Running",
                    },
                }
            )
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": items})

    def _wait_cluster(self, timeout: float) -> None:
        def nodes_ready() -> bool:
            out = self.kubectl_run("get", "nodes", "-o", "json").stdout
            nodes = json.loads(out)["items"]
            if len(nodes) != len(NODES):
                return False
            for n in nodes:
                conds = {c["type"]: c["status"] for c in n["status"].get("conditions", [])}
                if conds.get("Ready") != "True":
                    return False
                if any(t["key"].startswith("node.kubernetes.io/") for t in n["spec"].get("taints", [])):
                    return False
            return True

        def default_sa() -> bool:
            return self.kubectl_run("get", "serviceaccount", "default", "-n", "default", check=False).returncode == 0

        _wait("fake nodes Ready and untainted", nodes_ready, timeout, interval=0.5, log=self._log("kwok"))
        _wait(
            "default ServiceAccount (kube-controller-manager)",
            default_sa,
            timeout,
            log=self._log("kube-controller-manager"),
        )
        self._check_alive()

    def _check_alive(self) -> None:
        for p in self.processes:
            if not _alive(p.pid):
                tail = "\n".join(p.log.read_text(errors="replace").splitlines()[-30:]) if p.log.exists() else ""
                raise TestBedError(f"{p.name} (pid {p.pid}) died; {p.log}:\n{tail}")

    def _package_charts(self) -> None:
        """Publish every fixture chart version in the served dir and write ``index.yaml``."""
        out = self.workdir / "charts"
        if not (CHARTS_SRC / FIXTURE_CHART / "Chart.yaml").is_file():
            return
        with tempfile.TemporaryDirectory(prefix="chart-", dir=self.workdir) as tmp:
            for version in FIXTURE_CHART_VERSIONS:
                package_fixture_chart(self.helm3, version, Path(tmp) / version, out, env=self.env)
            for chart in other_fixture_charts():
                run([self.helm3, "package", chart, "-d", out], env=self.env, timeout=60)
        run([self.helm3, "repo", "index", out, "--url", self.repo_url], env=self.env, timeout=60)

    def _save_state(self) -> None:
        state = {
            "workdir": str(self.workdir),
            "kubeconfig": str(self.kubeconfig),
            "repo_url": self.repo_url,
            "processes": [{"name": p.name, "pid": p.pid, "exe": p.exe} for p in self.processes],
        }
        (self.workdir / "state.json").write_text(json.dumps(state, indent=2))

    def _sim_logs_dir(self) -> Path:
        d = self.workdir / "sim-logs"
        d.mkdir(exist_ok=True)
        return d

    @staticmethod
    def _write_cri_log(path: Path, lines: Sequence[str]) -> None:
        """kwok's kubelet server reads container logs in the CRI format: `<RFC3339Nano> stdout F <line>`."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000000000Z", time.gmtime())
        path.write_text("".join(f"{stamp} stdout F {line}\n" for line in lines))

    # ------------------------------------------------------------------ use
    def set_pod_logs(
        self,
        namespace: str,
        pod: str,
        lines: Sequence[str],
        previous: Sequence[str] | None = None,
        container: str | None = None,
    ) -> None:
        """Make `kubectl logs [--previous] <pod> [-c container]` print ``lines`` (``previous``)."""
        stem = f"{namespace}.{pod}.{container or '_'}"
        current = self._sim_logs_dir() / f"{stem}.log"
        self._write_cri_log(current, lines)
        entry: dict[str, object] = {"logsFile": str(current), "follow": False}
        if previous is not None:
            prev = self._sim_logs_dir() / f"{stem}.previous.log"
            self._write_cri_log(prev, previous)
            entry["previousLogsFile"] = str(prev)
        if container:
            entry["containers"] = [container]
        manifest = {
            "apiVersion": "kwok.x-k8s.io/v1alpha1",
            "kind": "Logs",
            "metadata": {"name": pod, "namespace": namespace},
            "spec": {"logs": [entry]},
        }
        self.kubectl_run("apply", "-f", "-", input_text=json.dumps(manifest))

    def kubectl_run(
        self, *args: str, timeout: float = 60, check: bool = True, input_text: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run([self.kubectl, f"--context={self.context}", *args], env=self.env, timeout=timeout,
                   check=check, input_text=input_text)  # fmt: skip

    def helm_run(
        self, helm: Path, *args: str, timeout: float = 180, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        return run([helm, f"--kube-context={self.context}", *args], env=self.env, timeout=timeout, check=check)

    def exports(self) -> str:
        return "\n".join(
            [
                f"export KUBECONFIG={self.kubeconfig}",
                f"export FLYTE_TUI_TEST_REPO={self.repo_url}",
                f"export FLYTE_TUI_TESTBED_DIR={self.workdir}",
                f"export HELM_PLUGINS={self.env['HELM_PLUGINS']}",
                f"export HELM_CONFIG_HOME={self.env['HELM_CONFIG_HOME']}",
                f"export HELM_CACHE_HOME={self.env['HELM_CACHE_HOME']}",
                f"export HELM_DATA_HOME={self.env['HELM_DATA_HOME']}",
                f"export PATH={self.bin_dir}:{helm_bin_dir()}:$PATH",
            ]
        )

    # ------------------------------------------------------------------ faults
    def _proc(self, name: str) -> Proc:
        for p in self.processes:
            if p.name == name:
                return p
        raise TestBedError(f"no {name} in this test bed (has {', '.join(p.name for p in self.processes)})")

    def stop_component(self, name: str = "kube-apiserver") -> None:
        """Kill one component (SIGKILL, as a crash or an OOM kill): for the API server, clients then get
        "connection refused" on its port until :meth:`start_component`. Only the pid this bed started."""
        p = self._proc(name)
        stop_processes([(p.pid, p.exe)], grace=0)

    def start_component(self, name: str = "kube-apiserver", timeout: float = 60) -> None:
        """Start a component :meth:`stop_component` stopped again: same argv (port, certs, etcd), same log.
        Returns once the API server answers ``/readyz`` again (others: once started)."""
        old = self._proc(name)
        if _alive(old.pid) and _is_ours(old.pid, old.exe):
            raise TestBedError(f"{name} (pid {old.pid}) is still running")
        self.processes.remove(old)
        self._spawn(name, old.argv, old.extra_env)
        if name == "kube-apiserver":
            self._wait_http("kube-apiserver", f"{self.api_url}/readyz", timeout, old.log)

    def stop_apiserver(self) -> None:
        """A real API server outage: the process is killed, its port refuses connections."""
        self.stop_component("kube-apiserver")

    def start_apiserver(self, timeout: float = 60) -> None:
        """End an outage of :meth:`stop_apiserver`: the same API server again, ready."""
        self.start_component("kube-apiserver", timeout)

    def pause_component(self, name: str = "kube-apiserver") -> None:
        """SIGSTOP one component: connections are accepted (the kernel's backlog) but never answered."""
        p = self._proc(name)
        if _is_ours(p.pid, p.exe):
            os.kill(p.pid, signal.SIGSTOP)

    def resume_component(self, name: str = "kube-apiserver") -> None:
        """SIGCONT a component :meth:`pause_component` paused."""
        p = self._proc(name)
        if _is_ours(p.pid, p.exe):
            os.kill(p.pid, signal.SIGCONT)

    @contextlib.contextmanager
    def apiserver_down(self) -> Iterator[None]:
        """The API server is stopped inside the block and started again (ready) when it ends, whatever happens."""
        self.stop_apiserver()
        try:
            yield
        finally:
            self.start_apiserver()

    # ------------------------------------------------------------------ stop
    def stop(self, keep_workdir: bool = False) -> None:
        stop_processes([(p.pid, p.exe) for p in self.processes])
        self.processes.clear()
        unregister(self.workdir)
        if not keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def package_fixture_chart(
    helm: Path, version: str, scratch: Path, dest: Path, env: Mapping[str, str] | None = None
) -> Path:
    """``helm package`` tests/charts/flyte-core as ``version``, the way Flyte's release does it: the chart
    version and the Flyte image tags in values.yaml (also the copilot image in ``configmap.copilot``) become
    ``version`` (flyteconsole keeps its own tag)."""
    src = CHARTS_SRC / FIXTURE_CHART
    work = scratch / FIXTURE_CHART
    shutil.copytree(src, work)
    values = work / "values.yaml"
    current = FIXTURE_CHART_VERSIONS[-1]
    text = values.read_text().replace(f"    tag: {current}\n", f"    tag: {version}\n")
    values.write_text(text.replace(f"/flytecopilot:{current}\n", f"/flytecopilot:{version}\n"))
    dest.mkdir(parents=True, exist_ok=True)
    run([helm, "package", work, "--version", version, "-d", dest], env=env, timeout=60)
    return dest / f"{FIXTURE_CHART}-{version}.tgz"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            return False
    return True


def _is_ours(pid: int, exe: str) -> bool:
    """The pid still runs the program we started (guards against pid reuse)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and cmdline[0].decode(errors="replace") == exe


def stop_processes(procs: Sequence[tuple[int, str]], grace: float = 10) -> None:
    """SIGTERM each (pid, exe) still ours, wait up to ``grace`` s, then SIGKILL the rest. Only these pids."""
    ours = [pid for pid, exe in procs if _is_ours(pid, exe)]
    for pid in reversed(ours):  # reverse start order: kwok, scheduler, KCM, apiserver, etcd
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(pid) for pid in ours):
        time.sleep(0.1)
    for pid in ours:
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    for pid in ours:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, 0)


def _registry() -> Path:
    return cache_root() / "run"


def register(workdir: Path, owner: str) -> None:
    """Record a running test bed so that `tests/cluster/down` can find it (and orphans of a killed pytest)."""
    _registry().mkdir(parents=True, exist_ok=True)
    entry = {"workdir": str(workdir), "owner": owner, "pid": os.getpid()}
    (_registry() / f"{workdir.name}.json").write_text(json.dumps(entry))


def unregister(workdir: Path) -> None:
    (_registry() / f"{workdir.name}.json").unlink(missing_ok=True)


def registered(orphans: bool = False, everything: bool = False) -> list[Path]:
    """Registered test beds: those `up` started (its process exits by design); with ``orphans`` also those
    whose starting process is gone (a killed pytest); with ``everything`` all of them."""
    out: list[Path] = []
    if not _registry().is_dir():
        return out
    for f in sorted(_registry().glob("*.json")):
        with contextlib.suppress(ValueError, KeyError, OSError):
            entry = json.loads(f.read_text())
            orphan = entry["owner"] != "up" and not _alive(int(entry["pid"]))
            if everything or entry["owner"] == "up" or (orphans and orphan):
                out.append(Path(entry["workdir"]))
    return out


def stop_workdir(workdir: Path, keep_workdir: bool = False) -> bool:
    """Tear down the test bed recorded in ``workdir/state.json``, or each cluster of a multi-cluster bed
    (``workdir/*/state.json``) (used by ``tests/cluster/down``)."""
    state_files = [workdir / "state.json"] if (workdir / "state.json").is_file() else []
    state_files = state_files or sorted(workdir.glob("*/state.json"))
    if not state_files:
        unregister(workdir)
        return False
    states = [json.loads(f.read_text()) for f in state_files]
    stop_processes([(int(p["pid"]), str(p["exe"])) for state in states for p in state["processes"]])
    unregister(workdir)
    if not keep_workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return True


@contextlib.contextmanager
def running(**kwargs: object) -> Iterator[TestBed]:
    bed = TestBed.start(**kwargs)  # type: ignore[arg-type]
    try:
        yield bed
    finally:
        bed.stop()
