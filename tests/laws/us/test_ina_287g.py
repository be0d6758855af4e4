"""8 U.S.C. § 1357(g): a 287(g) agreement is allowed, never required, and displaces no lower
prohibition."""

from __future__ import annotations

from detainerlaw.laws.nyc.case import Case
from laws.layered import decided, layer


def test_1357_g_agreement_permitted_not_required_not_preempting() -> None:
    d = decided(Case.model_validate({"agency": "nypd", "decided_at": "2024-03-01",
                                     "request": {"kind": "agreement_287g"}}))
    assert layer(d, "agreement_287g", "us") == "permitted"
    assert d.actions["agreement_287g"].outcome.value == "prohibited"
    assert "8 U.S.C. § 1357(g)(1)" in d.actions["agreement_287g"].by_layer["us"].citations
