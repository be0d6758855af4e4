"""Uploaded populations are bounded by their metadata before anything is decoded, and held two at once."""

from __future__ import annotations

import io
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from tests.interfaces.api.conftest import example

from detainerlaw.interfaces.server import Settings, create_app

UPLOAD = "/api/v1/simulate/upload"


def _list_bomb(rows: int, per_row: int, column: str = "convictions") -> bytes:
    """A few kilobytes of Parquet that decode to rows * per_row * 8 bytes (run-length encoded zeros)."""
    offsets = pa.array(np.arange(0, rows * per_row + 1, per_row, dtype=np.int32))
    col = pa.ListArray.from_arrays(offsets, pa.array(np.zeros(rows * per_row, dtype=np.int64)))
    buf = io.BytesIO()
    pq.write_table(pa.table({"agency": ["doc"] * rows, column: col}), buf, compression="zstd")
    return buf.getvalue()


def _post(client: TestClient, name: str, data: bytes):  # noqa: ANN202
    return client.post(UPLOAD, data={"scenarios": "baseline"}, files={"population": (name, data, "application/x")})


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if any Parquet page is decoded: refusals must come from the footer alone."""

    def refuse(*a: object, **k: object) -> None:
        raise AssertionError("decoded a file that its metadata already rules out")

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", refuse)
    monkeypatch.setattr(pq.ParquetFile, "read", refuse)
    monkeypatch.setattr(pq, "read_table", refuse)
    import polars as pl

    monkeypatch.setattr(pl, "read_parquet", refuse)


def test_long_lists_are_refused_from_the_footer(client: TestClient, no_decoding: None) -> None:
    pytest.importorskip("detainerlaw.simulation")
    data = _list_bomb(4, 200_000)  # 6.4 MB decoded from a few kB
    assert len(data) < 20_000
    r = _post(client, "bomb.parquet", data)
    assert r.status_code == 422, r.text
    err = r.json()["errors"][0]
    assert err["field"] == "population" and "lists longer than 1000" in err["problem"]


def test_decoded_size_is_bounded(settings: Settings, no_decoding: None) -> None:
    pytest.importorskip("detainerlaw.simulation")
    settings.max_decoded_bytes = 1_000_000
    with TestClient(create_app(settings)) as c:
        r = _post(c, "wide.parquet", _list_bomb(2000, 100))  # 1.6 MB of list values
    assert r.status_code == 422, r.text
    assert "bytes decoded" in r.json()["errors"][0]["problem"]


def test_unknown_columns_are_never_decoded(client: TestClient) -> None:
    from detainerlaw.interfaces.api.upload import Limits, read_parquet

    frame = read_parquet(_list_bomb(3, 5_000_000, column="extra"), Limits())
    assert frame.columns == ["agency"] and frame.height == 3


def test_csv_with_too_many_columns(client: TestClient) -> None:
    pytest.importorskip("detainerlaw.simulation")
    header = ",".join(f"c{i}" for i in range(50_000)).encode()
    r = _post(client, "wide.csv", header + b"\n" + b",".join([b"1"] * 50_000) + b"\n")
    assert r.status_code == 422, r.text
    assert "at most 200 columns" in r.json()["errors"][0]["problem"]


def test_csv_row_limit(settings: Settings) -> None:
    pytest.importorskip("detainerlaw.simulation")
    settings.max_population = 10
    with TestClient(create_app(settings)) as c:
        r = _post(c, "rows.csv", b"agency\n" + b"doc\n" * 11)
    assert r.status_code == 422 and "at most 10 rows" in r.json()["errors"][0]["problem"]


def test_jsonl_list_length(client: TestClient) -> None:
    pytest.importorskip("detainerlaw.simulation")
    import json

    case = example("ex01-doc-2012-any-conviction")["case"]
    case["person"]["convictions"] = case["person"]["convictions"] * 1001
    r = _post(client, "cases.jsonl", json.dumps(case).encode() + b"\n")
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "population[line 1].person"


def test_at_most_two_uploads_held(client: TestClient) -> None:
    pytest.importorskip("detainerlaw.simulation")
    import json

    line = json.dumps(example("ex01-doc-2012-any-conviction")["case"]).encode() + b"\n"
    slots = client.app.state.upload_slots
    assert slots.take() and slots.take()  # two uploads in progress
    r = _post(client, "cases.jsonl", line)
    assert r.status_code == 429 and r.headers["Retry-After"]
    slots.give()
    r = _post(client, "cases.jsonl", line)
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    for _ in range(300):
        if client.get(f"/api/v1/jobs/{job_id}").json()["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    time.sleep(0.2)
    assert slots.take(), "a finished job gives its slot back"
    slots.give()
    slots.give()
    r = _post(client, "bad.jsonl", b"{not json\n")  # a refused upload gives its slot back at once
    assert r.status_code == 422
    assert slots.take() and slots.take()
