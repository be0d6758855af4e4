"""Claims about the law, proved or refuted with Z3 (``detainerlaw verify``).

Python API (also used by the web app): ``verify_claims(data)`` checks a claims
document (spec § Claims) and returns the ``{"results": [...]}`` JSON;
``bundled_claims()`` is the shipped claims file; ``diff_laws(d1, d2, agency, action)``
lists minimal cases on which two dates' law differ.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import files

import yaml

from detainerlaw.claims.engine import DEFAULT_TIMEOUT_MS, Claim, ClaimError, check_claim, parse_claim

__all__ = ["ClaimError", "bundled_claims", "diff_laws", "parse_claims", "verify_claims", "load_claims_text"]


def load_claims_text(text: str, where: str = "claims") -> dict:
    """A claims document from YAML (or JSON) text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ClaimError(f"{where}: not valid YAML ({e})") from None
    except ValueError as e:  # e.g. an impossible date such as 2024-13-01
        raise ClaimError(f"{where}: {e}") from None
    if not isinstance(data, dict):
        raise ClaimError(f"{where}: a mapping with a 'claims' list")
    return data


def parse_claims(data: dict) -> list[Claim]:
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise ClaimError("claims: a list of claims is required")
    out = [parse_claim(c, f"claims[{i}]") for i, c in enumerate(data["claims"])]
    seen: set[str] = set()
    for c in out:
        if c.id in seen:
            raise ClaimError(f"claims: id {c.id!r} is used twice")
        seen.add(c.id)
    return out


def verify_claims(data: dict, k: int = 3, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> dict:
    """Check every claim: ``{"results": [{id, verdict, expected_matched, counterexample, cases, seconds, bounds}]}``."""
    if k < 1 or k > 6:
        raise ClaimError("k: the list bound must be between 1 and 6")
    return {"results": [check_claim(c, k=k, timeout_ms=timeout_ms) for c in parse_claims(data)]}


def bundled_claims() -> dict:
    """The claims shipped with the package (the 2024 debate)."""
    text = files("detainerlaw.claims").joinpath("data/debate-2024.yaml").read_text()
    return load_claims_text(text, "debate-2024.yaml")


def diff_laws(date1: dt.date | str, date2: dt.date | str, agency: str | None, action: str, limit: int = 10,
              *, k: int = 3, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> list[dict]:
    """Up to ``limit`` minimal Cases (as dicts, decided under ``date2``) on which ``action``
    has a different outcome under the law of ``date1`` and of ``date2``."""
    given: dict = {"agency": agency} if agency else {}
    claim = parse_claim(
        {"id": "diff", "kind": "diff", "laws": [str(date1), str(date2)], "given": given, "action": action,
         "limit": limit},
        "diff",
    )
    r = check_claim(claim, k=k, timeout_ms=timeout_ms)
    if r.get("error"):
        raise RuntimeError(r["error"])
    return r["cases"]
