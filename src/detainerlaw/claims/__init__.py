"""Claims about the law, proved or refuted with Z3 (``detainerlaw verify``).

Python API (also used by the web app): ``verify_claims(data)`` checks a claims
document (spec § Claims) and returns the ``{"results": [...]}`` JSON;
``bundled_claims()`` is the shipped claims file; ``diff_laws(d1, d2, agency, action)``
lists minimal cases on which two dates' law differ.

Modules: ``parse`` (claims documents to ``Claim`` objects), ``problem`` (the Z3 problem over
the place's layers), ``check`` (the checks, minimisation and verdicts); ``engine`` re-exports
them. How a claim's partial case becomes constraints and a model becomes a case is the
place's (``Jurisdiction.symbolic``; New York City's in ``laws/nyc/symbolic``).
"""

from __future__ import annotations

from detainerlaw.claims.check import check_claim, diff_laws, verify_claims
from detainerlaw.claims.parse import (
    DEFAULT_TIMEOUT_MS,
    Claim,
    ClaimError,
    bundled_claims,
    load_claims_text,
    parse_claim,
    parse_claims,
)

__all__ = ["ClaimError", "bundled_claims", "diff_laws", "parse_claims", "verify_claims", "load_claims_text",
           "DEFAULT_TIMEOUT_MS", "Claim", "check_claim", "parse_claim"]
