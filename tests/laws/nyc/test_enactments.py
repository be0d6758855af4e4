"""Every city rule names a local law defined once in ``enactments`` and starts on a day that law (or a
part of it the law dates separately) took effect; citation records are built by keyword."""

from __future__ import annotations

import dataclasses

import pytest

from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc import enactments as E
from detainerlaw.laws.nyc import pack

LAWS = {str(v): v for v in vars(E).values() if isinstance(v, E.Enactment)}
LATER_PARTS = {"LL 58/2014": {E.LL58_2014_SUBDIVISION_H}}  # LL 58/2014 § 7: subdivision (h)


def test_every_rule_names_an_enactment_and_starts_when_it_took_effect() -> None:
    p = pack()
    rules = {r.id: r for day in p.boundaries() for r in p.rules_at(day)}
    assert rules
    for rule in rules.values():
        law = LAWS.get(rule.source)
        assert law is not None, f"{rule.id}: {rule.source} is not in enactments"
        assert rule.start in {law.in_force, *LATER_PARTS.get(rule.source, set())}, rule.id


def test_enactments_are_dated_in_order() -> None:
    for law in LAWS.values():
        assert law.became_law <= law.in_force, law
        assert law.text.endswith(".json") and law.bill.startswith("Int ")
    assert E.LL226_2017_REPORTING.isoformat() == "2018-01-30"


def test_citation_records_are_built_by_keyword() -> None:
    with pytest.raises(TypeError):
        D.Cites("§ 9-131", "§ 9-131(a)(2)")  # type: ignore[misc]
    assert D.DOC.code("(b)(1)") == "NYC Admin. Code § 9-131(b)(1)"
    assert D.DOP.convicted == "§ 9-205(a), § 9-131(a)(2)" and D.DOP.b1_danger == "§ 9-205(b)(2)"
    assert {f.name for f in dataclasses.fields(D.Cites)} >= {"section", "convicted", "vsc", "tsdb", "fia"}
