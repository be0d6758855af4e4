"""Identity memo tables: an entry answers only for its own object, and the table stays bounded."""

from __future__ import annotations

from detainerlaw.engine.memo import IdentityMemo


class Thing:
    pass


def test_an_entry_answers_only_for_its_own_object() -> None:
    memo: IdentityMemo[int] = IdentityMemo()
    a = Thing()
    memo.put(a, 1)
    assert memo.get(a) == 1
    assert memo.get(Thing()) is None


def test_the_table_is_bounded_by_its_limit() -> None:
    memo: IdentityMemo[int] = IdentityMemo(limit=100)
    keep = [Thing() for _ in range(1_000)]
    for i, t in enumerate(keep):
        memo.put(t, i)
        assert len(memo) <= 100
    assert memo.get(keep[-1]) == len(keep) - 1


def test_interpreter_caches_stay_bounded_over_many_reforms() -> None:
    """A server deciding under many reforms keeps a bounded number of compiled rules."""
    from detainerlaw.decide import decide
    from detainerlaw.engine import compiled, interpreter
    from detainerlaw.engine.pack import Reform
    from detainerlaw.laws.nyc import pack as nyc_pack
    from detainerlaw.laws.nyc.case import Case

    case = Case.model_validate({"agency": "doc", "decided_at": "2020-06-01", "instant_arrest_date": "2020-05-01",
                                "request": {"kind": "detainer", "judicial_warrant": True}})
    p = nyc_pack()
    for years in range(1, 60):
        decide(case, p, Reform(name=f"r{years}", params={"lookback_years": years}), explain=False)
    assert len(interpreter._FAST) <= interpreter._FAST.limit
    assert len(compiled._CACHE) <= compiled._CACHE.limit
