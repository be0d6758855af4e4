"""Turning bad input into one clear message that names the field and the problem."""

from __future__ import annotations

from pydantic import ValidationError


class InputError(ValueError):
    """A case that is well-formed but lacks a fact the law in force needs, or names what no
    law here knows: ``field`` says where, ``problem`` what."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def field_path(parts: object) -> str:
    """A field's path as every message writes it: names joined by dots, list places in brackets
    (``person.convictions[0].statute``), the form warnings and errors share."""
    out = ""
    for x in parts:  # type: ignore[attr-defined]
        if isinstance(x, int) or (isinstance(x, str) and x.isdigit()):
            out += f"[{x}]"
        else:
            out += f".{x}" if out else str(x)
    return out


def describe_validation(err: ValidationError, prefix: str = "") -> list[str]:
    """One line per problem: ``request.kind: Input should be 'detainer', ...``."""
    out = []
    for e in err.errors():
        loc = field_path(x for x in e["loc"] if not str(x).startswith("function-after")) or "(case)"
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] == "extra_forbidden":
            msg = "unknown field"
        out.append(f"{prefix}{loc}: {msg}")
    return out
