"""NYC Admin. Code § 4-210 (LL 246/2017, in force 2018-04-16): non-local enforcement
personnel may not be let into non-public areas of city property unless (1) an agreement,
(2) a judicial warrant, (3) required by law, (4) a cooperative arrangement, (5) the
agency's mission (not modelled) or (6) exigent circumstances."""

from __future__ import annotations

import pytest

from builders import case, cited, cites, day_before, outcomes

EFF = "2018-04-16"
S = "NYC Admin. Code § 4-210"


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_not_in_force_day_before_2018_04_16(agency: str) -> None:
    c = case(agency, day_before(EFF), "facility_access", purpose="criminal_other", requester="other_federal")
    assert outcomes(c) == {"facility_access": "not_governed"}


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
@pytest.mark.parametrize("purpose", ["criminal_other", "civil_immigration"])
def test_no_ground_prohibited_from_2018_04_16(agency: str, purpose: str) -> None:
    c = case(agency, EFF, "facility_access", purpose=purpose)
    assert outcomes(c) == {"facility_access": "prohibited"}
    assert cited(S, cites(c))


@pytest.mark.parametrize(
    "ground,sub",
    [({"agreement": True}, "1"), ({"judicial_warrant": True}, "2"),
     ({"required_by_law": True}, "3"), ({"cooperative_arrangement": True}, "4"),
     ({"exigent_circumstances": True}, "6")],
)
def test_each_ground_permits_access(ground: dict, sub: str) -> None:
    c = case("nypd", EFF, "facility_access", purpose="criminal_other", requester="other_federal", request=ground)
    assert outcomes(c) == {"facility_access": "permitted"}
    assert cited(f"{S}(b)({sub})", cites(c)) or cited(f"{S} (ground {sub})", cites(c))


def test_judicial_warrant_admits_immigration_officers_under_4_210_and_10_178() -> None:
    c = case("doc", EFF, "facility_access", jw=True)
    assert outcomes(c) == {"facility_access": "permitted"}


def test_civil_immigration_access_before_4_210_barred_by_10_178() -> None:
    assert outcomes(case("doc", day_before(EFF), "facility_access")) == {"facility_access": "prohibited"}
    assert outcomes(case("doc", "2018-01-29", "facility_access")) == {"facility_access": "not_governed"}
