"""A field's label and help text, both from the answers model (its attribute docstrings). No Textual here."""

from __future__ import annotations

from typing import Any


def field_help(path: str) -> tuple[str, str]:
    """The label and the help of the field that edits a dotted answers path."""
    from pydantic import BaseModel

    from flyte_tui.model.plan import InstallPlan

    model: Any = InstallPlan
    description = ""
    name = path.rsplit(".", 1)[-1]
    for part in path.split("."):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            break
        info = next((i for n, i in model.model_fields.items() if part in (n, i.alias)), None)
        if info is None:
            continue  # a dict key such as a component or a domain name: the value model stays
        description = info.description or ""
        model = _inner_model(info.annotation)
    return _label(name), description


def _inner_model(annotation: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


_ACRONYMS = {
    "cpu": "CPU", "gpu": "GPU", "arn": "ARN", "tls": "TLS", "ssl": "SSL", "grpc": "gRPC", "id": "ID", "oci": "OCI",
    "aws": "AWS", "gcp": "GCP",
}


def _label(name: str) -> str:
    words: list[str] = []
    current = ""
    for char in name.replace("-", " "):
        if char.isupper() and current:
            words.append(current)
            current = char.lower()
        elif char == " ":
            words.append(current)
            current = ""
        else:
            current += char
    words.append(current)
    text = " ".join(_ACRONYMS.get(w, w) for w in words if w)
    return text[:1].upper() + text[1:]
