"""Network: the Ingress has an address, its class exists, gRPC has its own Ingress with TLS where needed."""

from __future__ import annotations

from flyte_tui.doctor.checks import Outcome, check, kubectl_cmd, ok, skip, unreadable
from flyte_tui.doctor.snapshot import Json, Snapshot, meta

CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
NGINX_GRPC = "nginx.ingress.kubernetes.io/backend-protocol"
ALB_GRPC = "alb.ingress.kubernetes.io/backend-protocol-version"


def flyte_ingresses(snap: Snapshot) -> list[Json]:
    """The Ingresses in the namespace that route to the chart's services (flyteadmin or flyteconsole)."""
    routed = snap.chart_objects.ingress_backends
    out = []
    for ing in snap.items("ingresses"):
        backends = {
            str(((p.get("backend") or {}).get("service") or {}).get("name"))
            for rule in (ing.get("spec") or {}).get("rules") or []
            for p in ((rule.get("http") or {}).get("paths") or [])
        }
        if backends & routed:
            out.append(ing)
    return out


def _none_expected(snap: Snapshot) -> Outcome | None:
    if (gone := unreadable(snap, "ingresses")) is not None:
        return gone
    if not flyte_ingresses(snap):
        if snap.value("common.ingress.enabled") is True:
            return Outcome(
                "fail",
                "common.ingress.enabled is true but no Ingress routes to flyteadmin or flyteconsole",
                (f"ingresses in {snap.namespace}",),
                fix="upgrade the release so helm re-creates the Ingress",
            )
        return skip("no Ingress (Flyte is reached by port-forward)", f"ingresses in {snap.namespace}")
    return None


def ingress_class(ing: Json) -> tuple[str, str]:
    """(spec.ingressClassName, the legacy annotation) of an Ingress."""
    spec_class = str((ing.get("spec") or {}).get("ingressClassName") or "")
    annotated = str((meta(ing).get("annotations") or {}).get(CLASS_ANNOTATION) or "")
    return spec_class, annotated


def _class_objects(snap: Snapshot) -> dict[str, Json]:
    return {str(meta(c).get("name")): c for c in snap.ingress_classes}


def _controller(snap: Snapshot, ing: Json) -> str:
    """The controller behind an Ingress: from its IngressClass, else guessed from its class name or annotations."""
    spec_class, annotated = ingress_class(ing)
    name = spec_class or annotated
    classes = _class_objects(snap)
    if not name:
        name = next(
            (
                n
                for n, c in classes.items()
                if (meta(c).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"
            ),
            "",
        )
    controller = str(((classes.get(name) or {}).get("spec") or {}).get("controller") or name)
    annotations = " ".join((meta(ing).get("annotations") or {}).keys())
    for known in ("nginx", "alb", "gce", "contour", "traefik"):
        if known in controller or known in name:
            return known
    if "alb.ingress.kubernetes.io" in annotations:
        return "alb"
    if "nginx.ingress.kubernetes.io" in annotations and not name:
        return "nginx"
    return controller


@check("network.ingress-address", "Ingress has an address", "network")
def ingress_address(snap: Snapshot) -> Outcome:
    """An ingress controller picked the Ingress up and published an address."""
    if (gone := _none_expected(snap)) is not None:
        return gone
    ingresses = flyte_ingresses(snap)
    names = [str(meta(i).get("name")) for i in ingresses]
    looked = tuple(f"Ingress {n} status.loadBalancer" for n in names)
    bare = [
        str(meta(i).get("name"))
        for i in ingresses
        if not ((i.get("status") or {}).get("loadBalancer") or {}).get("ingress")
    ]
    if not bare:
        addresses = sorted(
            {
                str(a.get("hostname") or a.get("ip"))
                for i in ingresses
                for a in ((i.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
            }
        )
        return ok(f"{', '.join(names)} published at {', '.join(addresses)}", *looked)
    alb = any(_controller(snap, i) == "alb" for i in ingresses if str(meta(i).get("name")) in bare)
    return Outcome(
        "fail",
        f"Ingress {', '.join(bare)} has no address: no ingress controller has taken it",
        looked,
        fix="install the ingress controller for its class, or fix the class (see network.ingress-class)"
        + ("; read the aws-load-balancer-controller logs (certificate ARN, subnet tags)" if alb else ""),
        commands=(f"{kubectl_cmd(snap)} describe ingress {bare[0]}", f"{kubectl_cmd(snap)} get ingressclass"),
        answer="ingress.controller",
    )


@check("network.ingress-class", "ingress class exists", "network")
def ingress_class_check(snap: Snapshot) -> Outcome:
    """The Ingress names an IngressClass that exists, and not two different ones."""
    if (gone := _none_expected(snap)) is not None:
        return gone
    if "namespaces" in snap.errors:
        return skip(f"not checked: cannot read IngressClasses: {snap.errors['namespaces']}")
    classes = _class_objects(snap)
    looked = ("kubectl get ingressclass", *(f"Ingress {meta(i).get('name')} class" for i in flyte_ingresses(snap)))
    problems = []
    for ing in flyte_ingresses(snap):
        name = str(meta(ing).get("name"))
        spec_class, annotated = ingress_class(ing)
        if spec_class and annotated and spec_class != annotated:
            problems.append(
                f"{name}: ingressClassName {spec_class} and annotation {CLASS_ANNOTATION}={annotated} disagree"
            )
        elif spec_class and spec_class not in classes:
            problems.append(f"{name}: IngressClass {spec_class} does not exist")
        elif not (spec_class or annotated):
            defaults = [
                n
                for n, c in classes.items()
                if (meta(c).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"
            ]
            if not defaults:
                problems.append(f"{name}: no ingress class and no default IngressClass in the cluster")
    if not problems:
        shown = sorted({ingress_class(i)[0] or ingress_class(i)[1] or "(default)" for i in flyte_ingresses(snap)})
        return ok(f"ingress class {', '.join(shown)} exists", *looked)
    have = ", ".join(sorted(classes)) or "none"
    return Outcome(
        "fail",
        "; ".join(problems),
        looked,
        evidence=(f"IngressClasses in the cluster: {have}",),
        fix="set common.ingress.ingressClassName to an installed class (or keep only the annotation, not both "
        "with different values), or install the controller",
        commands=(f"{kubectl_cmd(snap)} get ingressclass",),
        answer="ingress.controller",
    )


@check("network.grpc-ingress", "gRPC Ingress (separate, with TLS) where the controller needs it", "network")
def grpc_ingress(snap: Snapshot) -> Outcome:
    """nginx and ALB need gRPC routes in their own Ingress (backend protocol GRPC); nginx needs TLS for it."""
    if (gone := _none_expected(snap)) is not None:
        return gone
    ingresses = flyte_ingresses(snap)
    controller = _controller(snap, ingresses[0])
    looked = tuple(f"Ingress {meta(i).get('name')} annotations and tls" for i in ingresses)
    marker = {"nginx": (NGINX_GRPC, "GRPC"), "alb": (ALB_GRPC, "GRPC")}.get(controller)
    if marker is None:
        return skip(f"controller {controller or 'unknown'} serves gRPC on the same Ingress", *looked)
    key, wanted = marker
    grpc = [i for i in ingresses if str((meta(i).get("annotations") or {}).get(key, "")).upper() == wanted]
    if not grpc:
        return Outcome(
            "fail",
            f"the {controller} controller needs a separate gRPC Ingress annotated {key}: {wanted}, and there is "
            "none: flytectl and pyflyte cannot talk to flyteadmin (received http2 header with status 404)",
            looked,
            fix="set common.ingress.separateGrpcIngress: true with that annotation",
            commands=(f"{kubectl_cmd(snap)} get ingress",),
            answer="ingress.separateGrpc",
        )
    name = str(meta(grpc[0]).get("name"))
    if controller == "nginx" and not (grpc[0].get("spec") or {}).get("tls"):
        return Outcome(
            "warn",
            f"gRPC Ingress {name} has no TLS: gRPC through nginx needs TLS on 443",
            looked,
            fix="enable ingress TLS (common.ingress.tls.enabled and a certificate Secret)",
            commands=(f"{kubectl_cmd(snap)} describe ingress {name}",),
            answer="ingress.tls.enabled",
        )
    return ok(f"gRPC Ingress {name} ({key}: {wanted})", *looked)
