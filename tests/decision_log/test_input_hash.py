"""The log's input_hash tells inputs apart (convictions, dates) and is keyed: it reveals nothing without
the log's key; rows written with the older unkeyed hash still verify."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from detainerlaw.decide import decide
from detainerlaw.decision_log import DecisionLog, masked_input
from detainerlaw.decision_log.store import _canon, input_digest
from detainerlaw.laws.nyc.case import Case

KEY = b"k" * 32


def _case(statute: str, judgment: str = "2015-02-01") -> Case:
    return Case.model_validate({
        "agency": "doc", "decided_at": "2019-06-01", "instant_arrest_date": "2019-05-30",
        "request": {"kind": "detainer", "judicial_warrant": True},
        "person": {"convictions": [{"statute": statute, "level": "felony", "conviction_date": "2015-01-01",
                                    "judgment_date": judgment}]},
    })


def _logged_hashes(tmp_path: Path, cases: list[Case]) -> list[str]:
    log = DecisionLog(f"sqlite:///{tmp_path / 'log.db'}", key=KEY)
    try:
        for c in cases:
            log.record(c, decide(c))
        assert log.verify().ok
        return [e["input_hash"] for e in log.entries(10, 0)]
    finally:
        log.close()


def test_different_histories_have_different_hashes(tmp_path: Path) -> None:
    a, b, c = _case("PL 160.10"), _case("PL 120.05"), _case("PL 160.10", judgment="2016-03-01")
    assert masked_input(a) == masked_input(b) == masked_input(c)  # what the old hash could not tell apart
    hashes = _logged_hashes(tmp_path, [a, b, c, _case("PL 160.10")])
    assert len(set(hashes[:3])) == 3
    assert hashes[0] == hashes[3]  # the same input, the same hash


def test_hash_is_keyed(tmp_path: Path) -> None:
    case = _case("PL 160.10")
    [logged] = _logged_hashes(tmp_path, [case])
    assert logged == input_digest(KEY, case)
    assert logged != input_digest(b"x" * 32, case)
    unkeyed = [hashlib.sha256(_canon(x).encode()).hexdigest()
               for x in (case.model_dump(mode="json"), masked_input(case))]
    assert logged not in unkeyed


def test_rows_with_the_old_hash_still_verify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows written by the older code (the unkeyed hash of the masked input) verify beside new rows."""
    from detainerlaw.decision_log import store

    url = f"sqlite:///{tmp_path / 'log.db'}"
    old, new = _case("PL 160.10"), _case("PL 120.05")
    with monkeypatch.context() as m:
        m.setattr(store, "input_digest", lambda key, case: hashlib.sha256(_canon(masked_input(case)).encode())
                  .hexdigest())
        log = DecisionLog(url, key=KEY)
        log.record(old, decide(old))
        log.close()
    log = DecisionLog(url, key=KEY)
    try:
        log.record(new, decide(new))
        report = log.verify()
        assert report.ok and report.entries == 2, report.as_dict()
        first, second = sorted(log.entries(10, 0), key=lambda e: e["seq"])
        assert first["input_hash"] == hashlib.sha256(_canon(masked_input(old)).encode()).hexdigest()
        assert second["input_hash"] == input_digest(KEY, new)
    finally:
        log.close()
