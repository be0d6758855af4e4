"""The claim checker's names in one place (spec § Claims), for callers that import them from
here: reading claims is ``parse``, its Z3 problem is ``problem``, and the checks and verdicts
are ``check``. A claim's ``given`` as constraints and a model as a case are the place's
(``Jurisdiction.symbolic``)."""

from __future__ import annotations

from detainerlaw.claims.check import Found, InternalError, check_claim, diff_laws, verify_claims
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

__all__ = [
    "DEFAULT_TIMEOUT_MS", "KINDS", "NAMES", "OUTCOMES", "Claim", "ClaimError", "Found", "InternalError", "Law",
    "Problem", "actions_known", "check_claim", "diff_laws", "normalize_given", "parse_claim", "parse_claims",
    "verify_claims",
]
