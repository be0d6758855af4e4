"""Reforms are cached by what they change, not by their names: a reform cannot take over
the baseline's law (or another reform's) by its name, both backends agree, and a pack keeps
a bounded number of reforms besides the baseline."""

from __future__ import annotations

import datetime as dt
import functools
import threading

import pytest
from tests.builders import case, conv

import detainerlaw.laws.nyc
from detainerlaw.decide import decide
from detainerlaw.engine import columnar as C
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.frame import facts_frame
from detainerlaw.laws.nyc import s9_131
from detainerlaw.laws.nyc.case import Case
from detainerlaw.scenarios import Scenario


def fresh_pack(**kw: object) -> LawPack:
    """The NYC pack with nothing cached, as in a new process."""
    p: LawPack = detainerlaw.laws.nyc.pack.__wrapped__()
    for k, v in kw.items():
        setattr(p, k, v)
    return p


def doc_2020() -> Case:
    """A DOC hold in 2020 with a judicial warrant; robbery in the second degree sentenced in
    January 2016 is within the five-year lookback, outside a one-year one."""
    return case("doc", "2020-06-01", arrest="2020-05-01", jw=True,
                convictions=[conv("PL 160.10", "2016-01-10")])


IMPOSTOR = Reform(name="baseline", params={"lookback_years": 1})


def interpreter(c: Case, pack: LawPack, reform: Reform) -> str:
    return decide(c, pack, reform, explain=False).actions["hold"].outcome.value


def columnar(c: Case, pack: LawPack, reform: Reform) -> str:
    return C.evaluate(facts_frame([c]), pack, reform)["hold"][0]


@pytest.mark.parametrize("backend", [interpreter, columnar])
@pytest.mark.parametrize("baseline_first", [True, False])
def test_reform_named_baseline_does_not_change_the_baseline(backend, baseline_first: bool) -> None:
    pack, c = fresh_pack(), doc_2020()
    if baseline_first:
        assert backend(c, pack, BASELINE) == "permitted"
    assert backend(c, pack, IMPOSTOR) == "prohibited"
    assert backend(c, pack, BASELINE) == "permitted"
    assert backend(c, pack, Reform(name="baseline")) == "permitted"


def test_backends_agree_under_reforms_sharing_a_name() -> None:
    pack, c = fresh_pack(), doc_2020()
    for years, want in ((1, "prohibited"), (5, "permitted"), (2, "prohibited"), (10, "permitted")):
        r = Reform(name="lookback", params={"lookback_years": years})
        assert interpreter(c, pack, r) == columnar(c, pack, r) == want, years


def test_same_content_shares_a_key() -> None:
    a = Reform(name="a", params={"lookback_years": {"2015-01-01": 1}}, disable=("9-131.b", "14-154"),
               disable_from=dt.date(2021, 1, 1), description="one", source="x")
    b = Reform(name="b", params={"lookback_years": {dt.date(2015, 1, 1): 1}}, disable=("14-154", "9-131.b", "14-154"),
               disable_from=dt.date(2021, 1, 1), description="two", source="y")
    assert a.key == b.key
    assert Reform(name="x").key == Reform(name="y", description="z").key == BASELINE.key
    assert Reform(params={"p": [1, 2]}).key == Reform(params={"p": (1, 2)}).key
    assert Reform(add=(s9_131.rules,)).key == Reform(name="other", add=(s9_131.rules,)).key
    sc = Scenario(name="sc", title="A title", params={"lookback_years": 1}, as_of=dt.date(2020, 1, 1))
    assert sc.key == Reform(params={"lookback_years": 1}).key


def test_same_name_different_content_differ() -> None:
    keys = [
        BASELINE.key,
        IMPOSTOR.key,
        Reform(name="baseline", params={"lookback_years": 2}).key,
        Reform(name="baseline", params={"lookback_years": 1.0}).key,
        Reform(name="baseline", params={"lookback_years": "1"}).key,
        Reform(name="baseline", params={"lookback_years": True}).key,
        Reform(name="baseline", params={"lookback_years": {"2015-01-01": 1}}).key,
        Reform(name="baseline", params={"lookback_years": {"2016-01-01": 1}}).key,
        Reform(name="baseline", disable=("9-131",)).key,
        Reform(name="baseline", disable=("9-131",), disable_from=dt.date(2020, 1, 1)).key,
        Reform(name="baseline", disable_from=dt.date(2020, 1, 1)).key,
        Reform(name="baseline", add=(s9_131.rules,)).key,
    ]
    assert len(set(keys)) == len(keys)


def test_added_builders_with_one_name_but_different_rules_differ() -> None:
    def make(years: int):
        def extra(p):
            return []
        extra.years = years  # type: ignore[attr-defined]
        return extra

    f, g = make(1), make(2)
    assert f.__qualname__ == g.__qualname__
    assert Reform(add=(f,)).key != Reform(add=(g,)).key
    assert Reform(add=(f,)).key == Reform(name="again", add=(f,)).key
    p1, p2 = functools.partial(s9_131.rules), functools.partial(s9_131.rules)
    assert Reform(add=(p1,)).key != Reform(add=(p2,)).key


def test_key_is_computed_once() -> None:
    r = Reform(name="once", params={"lookback_years": 3})
    assert r.key is r.key


def test_lru_keeps_the_baseline_and_the_most_recent_reforms() -> None:
    pack, c = fresh_pack(max_reforms=3), doc_2020()
    assert interpreter(c, pack, BASELINE) == "permitted"
    base = pack.cache(BASELINE)
    reforms = [Reform(name=f"r{y}", params={"lookback_years": y}) for y in (1, 2, 3, 4)]
    for r in reforms:
        interpreter(c, pack, r)
    assert pack.cached_reforms() == [BASELINE.key, *(r.key for r in reforms[1:])]
    assert pack.cache(BASELINE) is base and base.snapshots
    interpreter(c, pack, reforms[1])  # used again: now the most recent
    interpreter(c, pack, IMPOSTOR)
    assert pack.cached_reforms() == [BASELINE.key, reforms[3].key, reforms[1].key, IMPOSTOR.key]
    assert pack.cache(Reform(name="baseline")) is base
    assert interpreter(c, pack, BASELINE) == "permitted"
    assert interpreter(c, pack, reforms[0]) == "prohibited"  # evicted, then rebuilt from its content


def test_lru_is_bounded_under_threads() -> None:
    pack, c = fresh_pack(max_reforms=4), doc_2020()
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for y in range(1, 13):
                want = "permitted" if y >= 5 else "prohibited"
                got = interpreter(c, pack, Reform(name=f"t{i}", params={"lookback_years": y}))
                assert got == want, (y, got)
                assert interpreter(c, pack, BASELINE) == "permitted"
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(pack.cached_reforms()) <= 1 + 4
