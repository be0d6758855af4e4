"""The columnar backend agrees with the interpreter on the facts the generated cases do not
vary: Request.immigration_offence (§ 10-178(a)) and Person.sources (who showed a circumstance,
§ 9-131(b)(2), § 14-154(b)(2) of 2013)."""

from __future__ import annotations

import itertools

from builders import case
from detainerlaw.decide import decide, default_pack
from detainerlaw.engine import columnar as C
from detainerlaw.engine.calendar import minute
from detainerlaw.frame import facts_frame

OFFENCES = [None, "presence_entry_reentry", "failure_to_depart_or_other_federal",
            "registration_documents_supervision", "proxy"]
SOURCES = ["records_search", "court", "government", "ice"]
FLAGS = ["outstanding_criminal_warrant", "final_order_of_removal", "terrorist_screening_match"]


def _cases() -> list:
    out = []
    for agency, day, offence in itertools.product(("doc", "nypd", "dop"), ("2025-06-02", "2026-02-02"), OFFENCES):
        for kind in ("information", "criminal_warrant"):
            req = {"immigration_offence": offence} if offence else None
            out.append(case(agency, day, kind, purpose="criminal_immigration", request=req))
    for agency, day, flag, source in itertools.product(("doc", "nypd"), ("2012-06-01", "2014-01-10", "2016-06-01"),
                                                       FLAGS, SOURCES):
        out.append(case(agency, day, jw=True, **{flag: True}, sources={flag: source}))
    return out


def test_columnar_agrees_on_offence_and_sources() -> None:
    pack = default_pack()
    cases = _cases()
    rows = C.evaluate(facts_frame(cases), pack).iter_rows(named=True)
    for c, row in zip(cases, rows, strict=True):
        d = decide(c, pack, explain=False)
        snap = pack.snapshot(c.decided_date, c.agency.value)
        for a, r in d.actions.items():
            want = (r.outcome.value, minute(r.until) if r.until else None, r.citations)
            got = (row[a], row[f"{a}_until"], C.label_citations(snap, a, row[f"{a}_rule"]))
            assert want == got, (c.model_dump(mode="json"), a)
