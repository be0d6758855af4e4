"""The Protect Our Courts Act: Civil Rights Law § 28 (ch. 322 of 2020, in force on signature,
2020-12-15), with Judiciary Law §§ 4-a and 212.

A party or potential witness in a court proceeding, or a family or household member of one,
who attends it in good faith is privileged from civil arrest while going to, remaining at and
returning from it, unless a judicial warrant or judicial order authorizes the civil arrest
(§ 28(1)). Anyone who executes such an arrest, or willfully assists it, commits contempt and
false imprisonment (§ 28(2)): the rule binds every agency's officers, so a city officer may
neither make the arrest nor help federal officers make it.

- courthouse_civil_arrest: `prohibited` for a civil arrest of a covered person, unless a
  warrant or order of a judge the act accepts authorizes it (register Q-P1); `permitted` then.
  "Returning from" reaches a custodial ride back from court (Q-P2); a party produced from
  custody attends in good faith (Q-P4). An arrest for a criminal prosecution is not civil.
- transfer_at_release: handing a covered person to federal immigration authorities (say, off
  the custodial ride back from court) assists their civil arrest, and is barred the same way.
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, PROHIBITED, Rule, When
from detainerlaw.laws.ny.definitions import judge_signed

POCA = dt.date(2020, 12, 15)  # ch. 322 of 2020, signed and in force 2020-12-15
CRL_28_1 = "N.Y. Civ. Rights Law § 28(1)"
CRL_28_2 = "N.Y. Civ. Rights Law § 28(2)"


def covered_attendance(p: Params) -> Def:
    """§ 28(1): a party, potential witness, or family or household member of one, on the way
    to, at, or (register Q-P2) on the way back from the proceeding."""
    phases = {"going_to", "at"} | ({"returning_from"} if p.poca_returning_from_covered else set())
    return Def(
        "the person attends a court proceeding as a party or potential witness, or a family or household member "
        "of one, and is " + ", ".join(sorted(phases)).replace("_", " ") + " it",
        Field("court_role").isin({"party", "potential_witness", "family_or_household"})
        & Field("court_attendance").isin(phases),
        CRL_28_1,
        notes=("Q-P2", "Q-P4"),
    )


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    civil = Def("the arrest is civil (for immigration enforcement, not for a criminal prosecution)",
                Field("purpose").eq("civil_immigration"), CRL_28_1)
    return [Rule(
        id="ny.poca.arrest",
        title="No civil arrest of a person going to, at or returning from court without a judge's warrant or order",
        cite=CRL_28_2,
        also_cite=(CRL_28_1,),
        source="ch. 322 of 2020 (Protect Our Courts Act)",
        agencies=agencies,
        actions=("courthouse_civil_arrest", "transfer_at_release"),
        start=POCA,
        applies=Field("kind").isin({"courthouse_arrest", "transfer"}) & civil & covered_attendance(p),
        applies_label="a civil arrest (executed or assisted, a hand-over among them) of a person attending a court "
        "proceeding",
        default=PROHIBITED,
        default_label="privileged from civil arrest: executing or willfully assisting it is contempt and false "
        "imprisonment",
        default_conditions=("do not make or help make the arrest without a judge's warrant or order",),
        exceptions=(When("a judicial warrant or judicial order authorizes the civil arrest (register Q-P1)", CRL_28_1,
                         judge_signed(p.poca_judicial_issuers, "a warrant or order of a judge authorizes the civil "
                                      "arrest", CRL_28_1), PERMITTED, notes=("Q-P1",)),),
        notes=("Q-P1",),
    )]
