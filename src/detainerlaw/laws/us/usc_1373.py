"""8 U.S.C. §§ 1644 and 1373: communication with federal immigration authorities.

- § 1644 (PRWORA § 434, Pub. L. 104-193, from 1996-08-22): no state or local government
  entity may be prohibited or "in any way restricted" from sending to or receiving from the
  INS information about a person's immigration status.
- § 1373 (IIRIRA § 642, Pub. L. 104-208, from 1996-09-30): (a) no federal, state or local
  entity or official may prohibit or restrict any government entity or official from sending
  to or receiving from the INS information about "citizenship or immigration status"; (b)(3)
  nor from exchanging immigration-status information with any other government entity.

Both make sending status information `permitted` and void lower restrictions on it
(``preempts``); neither requires anyone to send it (New York v. U.S. Dep't of Justice,
951 F.3d 84 (2d Cir. 2020): § 1373 requires "only that nothing be done to prohibit
voluntary communication"). Release dates, court dates and custody facts are not status
information by default (register Q-F2), so § 1373 does not reach them.
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, Rule, When
from detainerlaw.laws.us.definitions import CUSTODY_INFORMATION, information_request, status_information

PRWORA = dt.date(1996, 8, 22)  # Pub. L. 104-193, approved 1996-08-22
IIRIRA = dt.date(1996, 9, 30)  # Pub. L. 104-208, div. C, approved 1996-09-30
S1373A = "8 U.S.C. § 1373(a)"
S1373B = "8 U.S.C. § 1373(b)(3)"
S1644 = "8 U.S.C. § 1644"


def _status_rule(p: Params, agencies: tuple[str, ...], *, rule_id: str, start: dt.date, end: dt.date | None,
                 source: str, with_1373: bool) -> Rule:
    protected = bool(p.status_sharing_protected)
    to_ice = Field("requester").eq("federal_immigration")
    exceptions = [When(
        "the status information goes to federal immigration authorities, which no law may restrict",
        S1373A if with_1373 else S1644,
        Def("the requester is a federal immigration authority", to_ice, S1373A if with_1373 else S1644),
        PERMITTED,
        preempts=protected,
        also_cite=(S1644,) if with_1373 else (),
    )]
    if with_1373:
        exceptions.append(When(
            "the immigration status is exchanged with another government entity, which no law may restrict",
            S1373B,
            Def("the requester is another federal, state or local government entity", ~to_ice, S1373B),
            PERMITTED,
            preempts=protected,
        ))
    return Rule(
        id=rule_id,
        title="Sending or receiving citizenship or immigration status information may not be restricted",
        cite=S1373A if with_1373 else S1644,
        source=source,
        agencies=agencies,
        actions=("share_information",),
        start=start,
        end=end,
        applies=status_information() if with_1373 else Def(
            "the information asked for is the person's immigration status from the INS",
            information_request({"immigration_status"}) & to_ice, S1644),
        applies_label="a request for citizenship or immigration status information",
        default=PERMITTED,
        default_label="voluntary communication about immigration status is lawful",
        exceptions=tuple(exceptions),
        notes=("Q-F1",),
        preempts=protected,
    )


def custody_information(p: Params, agencies: tuple[str, ...]) -> Rule:
    """Q-F2: release dates, court dates, custody status and other custody facts are not
    "information regarding ... immigration status" unless a reform reads them in."""
    reads_in = bool(p.status_includes_custody_information)
    return Rule(
        id="us.1373.custody-information",
        title="Release dates, court dates and custody facts are not immigration status information",
        cite=S1373A,
        source="IIRIRA § 642 (Pub. L. 104-208)",
        agencies=agencies,
        actions=("share_information",),
        start=IIRIRA,
        applies=Def("federal immigration authorities ask for custody information (release or court dates, custody "
                    "status, other facts)",
                    information_request(CUSTODY_INFORMATION) & Field("requester").eq("federal_immigration"), S1373A),
        applies_label="a request for custody information",
        default=PERMITTED if reads_in else NOT_GOVERNED,
        default_label=("custody information read as status information (register Q-F2)" if reads_in else
                       "§ 1373 protects only citizenship and immigration status information; it neither permits "
                       "nor restricts custody information (register Q-F2)"),
        notes=("Q-F2",),
        preempts=reads_in and bool(p.status_sharing_protected),
    )


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    return [
        _status_rule(p, agencies, rule_id="us.1644.status", start=PRWORA, end=IIRIRA,
                     source="PRWORA § 434 (Pub. L. 104-193)", with_1373=False),
        _status_rule(p, agencies, rule_id="us.1373.status", start=IIRIRA, end=None,
                     source="IIRIRA § 642 (Pub. L. 104-208)", with_1373=True),
        custody_information(p, agencies),
    ]
