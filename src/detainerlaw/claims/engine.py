"""The claim checker's names in one place (spec § Claims), for callers that import them from
here: reading claims is ``parse``, a claim's ``given`` is ``given``, its Z3 problem is
``problem``, a model as a Case is ``render``, and the checks and verdicts are ``check``."""

from __future__ import annotations

from detainerlaw.claims.check import Found, InternalError, check_claim, diff_laws, verify_claims
from detainerlaw.claims.given import Given
from detainerlaw.claims.parse import (
    DEFAULT_TIMEOUT_MS,
    KINDS,
    NAMES,
    OUTCOMES,
    Claim,
    ClaimError,
    Law,
    actions_known,
    normalize_given,
    parse_claim,
    parse_claims,
)
from detainerlaw.claims.problem import Problem
from detainerlaw.claims.render import render

__all__ = [
    "DEFAULT_TIMEOUT_MS", "KINDS", "NAMES", "OUTCOMES", "Claim", "ClaimError", "Found", "Given", "InternalError", "Law",
    "Problem", "actions_known", "check_claim", "diff_laws", "normalize_given", "parse_claim", "parse_claims", "render",
    "verify_claims",
]
