"""NYC Admin. Code § 10-178: immigration enforcement (LL 228/2017, from 2018-01-30;
definitions broadened by LL 63/2026).

(c) No city resources, on-duty time or property may be used for immigration
enforcement (civil enforcement and the presence, entry and re-entry offences). (e)
saves actions consistent with §§ 9-131, 9-205 and 14-154, cooperation not primarily
for immigration enforcement, and compliance with federal law (register E-14).
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PermittedBy, Rule, When
from detainerlaw.laws.nyc import definitions as D

S = "NYC Admin. Code § 10-178"
LL228_2017 = dt.date(2018, 1, 30)
LL63_2026 = dt.date(2026, 1, 29)
ACTIONS = ("hold", "notify_release", "share_information", "office", "facility_access", "honor_criminal_warrant")
SECTION_RULES = ("nyc.9-131.", "nyc.14-154.", "nyc.9-205.")


def rules(p: Params) -> list[Rule]:
    enforcement = D.Def(
        "the request seeks help with immigration enforcement (civil, or presence, entry or re-entry offences)",
        Field("purpose").isin({"civil_immigration", "criminal_immigration"}),
        f"{S}(a)",
    )
    status = Field("kind").eq("information") & Field("information").eq("immigration_status")
    exceptions = (
        When(
            "an action consistent with § 9-131, § 9-205 or § 14-154",
            f"{S}(e)(ii)",
            PermittedBy(SECTION_RULES, "permitted by the section governing the agency"),
            PERMITTED,
            notes=("E-14",),
        ),
        When(
            "part of a cooperative arrangement not primarily intended to further immigration enforcement",
            f"{S}(e)(i)",
            D.flag("a cooperative arrangement not primarily for immigration enforcement", "cooperative_arrangement"),
            PERMITTED,
        ),
        When(
            "complying with federal law (the response is required by law)",
            f"{S}(e) (complying with federal law)",
            D.flag("otherwise required by law", "required_by_law"),
            PERMITTED,
        ),
        When(
            "access under a judicial warrant (complying with federal law)",
            f"{S}(e) (complying with federal law)",
            Field("kind").eq("facility_access") & Field("judicial_warrant"),
            PERMITTED,
            notes=("X-ACCESS",),
        ),
    )
    out = [
        Rule(
            id="nyc.10-178.status",
            title="Citizenship and immigration-status information is outside the city's restrictions",
            cite=f"{S}(e) (complying with federal law)",
            source="LL 228/2017",
            agencies=("nypd", "dop"),
            actions=("share_information",),
            start=LL228_2017,
            applies=enforcement & status,
            default=NOT_GOVERNED,
            default_label="federal law (8 U.S.C. § 1373) bars restricting it; § 10-178(e) yields to federal law",
            notes=("E-13",),
        )
    ]
    for start, end, source in ((LL228_2017, LL63_2026, "LL 228/2017"), (LL63_2026, None, "LL 63/2026")):
        out.append(
            Rule(
                id=f"nyc.10-178.c.{start.year}",
                title="No city resources for immigration enforcement",
                cite=f"{S}(c)",
                source=source,
                agencies=("doc", "nypd", "dop"),
                actions=ACTIONS,
                start=start,
                end=end,
                applies=enforcement & ~status,
                applies_label="a request for help with immigration enforcement",
                default_label="no saving clause of § 10-178(e) applies",
                default_conditions=("do not use city time, resources or property for it",),
                exceptions=exceptions,
                note_if=(("E-13", status),),
            )
        )
    return out
