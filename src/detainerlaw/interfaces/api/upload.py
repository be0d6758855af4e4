"""Uploaded populations read within fixed memory bounds.

A Parquet file can declare gigabytes of values in a few kilobytes (run-length encoded lists of
zeros, one long string in a dictionary page), and a CSV can declare a million columns in one
line. So nothing is decoded before the file's own metadata shows that the decoded frame fits
``Limits``; then it is decoded in bounded chunks, each checked again, and at most
``Limits.jobs`` uploaded populations are held at once.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass
from typing import Any

from detainerlaw.errors import InputError

JSONL_SUFFIXES = (".jsonl", ".ndjson")
BATCH_ROWS = 4096  # Parquet rows decoded at a time
JSONL_CHUNK = 2000  # JSON Lines cases validated and converted at a time
_FIXED_WIDTH = {"BOOLEAN": 1, "INT32": 4, "INT64": 8, "INT96": 12, "FLOAT": 4, "DOUBLE": 8}


@dataclass(frozen=True)
class Limits:
    """Bounds on one uploaded population; exceeding any is a 422 naming ``population``."""

    max_rows: int = 200_000
    max_decoded_bytes: int = 256_000_000  # the whole decoded frame
    max_list_length: int = 1000  # records in one case's list (convictions, pending cases, ...)
    max_columns: int = 200
    jobs: int = 2  # uploaded populations held (decoding, queued or simulating) at once


def _bad(problem: str) -> InputError:
    return InputError("population", problem)


def read_population(filename: str, data: bytes, limits: Limits) -> Any:
    """A polars DataFrame from Parquet or CSV bytes (a facts frame), or from JSON Lines of Cases."""
    name = filename.lower()
    is_jsonl = name.endswith(JSONL_SUFFIXES) or (not name.endswith((".csv", ".parquet"))
                                                 and data.lstrip()[:1] == b"{")
    if is_jsonl:
        frame = read_jsonl(data, limits)
    elif data[:4] == b"PAR1" or name.endswith(".parquet"):
        frame = read_parquet(data, limits, filename)
    else:
        frame = read_csv(data, limits, filename)
    if frame.height == 0:
        raise _bad("the file holds no rows")
    if not is_jsonl:  # a frame of Cases is well-formed by construction; an uploaded frame is checked now
        from detainerlaw.simulation.simulate import check_population

        try:
            frame = check_population(frame)
        except ValueError as e:
            raise _bad(_frame_problem(str(e), name)) from None
    return frame


def _frame_problem(text: str, name: str) -> str:
    if name.endswith(".csv") and "missing" in text and text.startswith("column "):
        return f"{text}: a CSV cannot hold the record lists of a facts frame; upload Parquet or JSON Lines of Cases"
    return text


def _unreadable(filename: str, kind: str, e: Exception) -> InputError:
    return _bad(f"cannot read {filename or 'the file'} as {kind} ({type(e).__name__})")


def parquet_budget(meta: Any, columns: list[str], limits: Limits) -> int:
    """Bytes the chosen columns take decoded, bounded from the footer alone: each leaf's value count
    times its width, plus its declared uncompressed size (variable-width values, dictionaries)."""
    if meta.num_rows > limits.max_rows:
        raise _bad(f"at most {limits.max_rows} rows; the file declares {meta.num_rows}")
    chosen = set(columns)
    total = 0
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        for i in range(rg.num_columns):
            col = rg.column(i)
            top = col.path_in_schema.split(".")[0]
            if top not in chosen:
                continue
            rows = max(rg.num_rows, 1)
            if col.path_in_schema != top and col.num_values > rows * limits.max_list_length:
                raise _bad(f"column {top}: lists longer than {limits.max_list_length} records "
                           f"({col.num_values} values in {rg.num_rows} rows)")
            total += col.num_values * _FIXED_WIDTH.get(col.physical_type, 8) + col.total_uncompressed_size
            if total > limits.max_decoded_bytes:
                raise _bad(f"the file would take more than {limits.max_decoded_bytes} bytes decoded; "
                           "upload fewer or smaller rows")
    return total


def read_parquet(data: bytes, limits: Limits, filename: str = "") -> Any:
    """Check the footer (rows, columns, decoded size, list lengths), then decode a batch at a time."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from detainerlaw.frame import frame_schema

    try:
        pf = pq.ParquetFile(io.BytesIO(data))
        meta = pf.metadata
        names = pf.schema_arrow.names
    except Exception as e:  # noqa: BLE001 - any footer failure is bad input
        raise _unreadable(filename, "Parquet", e) from None
    if len(names) > limits.max_columns:
        raise _bad(f"at most {limits.max_columns} columns; the file has {len(names)}")
    known = set(frame_schema(raw=True)) | {"weight"}
    columns = [n for n in names if n in known]  # other columns are never decoded
    if not columns:
        raise _bad("not a facts frame: none of its columns is a facts column")
    parquet_budget(meta, columns, limits)
    batches, size = [], 0
    try:
        for b in pf.iter_batches(batch_size=BATCH_ROWS, columns=columns):
            size += b.nbytes
            if size > limits.max_decoded_bytes:
                raise _bad(f"the file takes more than {limits.max_decoded_bytes} bytes decoded")
            for name, arr in zip(b.schema.names, b.columns, strict=True):
                if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
                    longest = pc.max(pc.list_value_length(arr)).as_py()
                    if longest is not None and longest > limits.max_list_length:
                        raise _bad(f"column {name}: lists longer than {limits.max_list_length} records")
            batches.append(b)
        table = pa.Table.from_batches(batches, schema=pa.schema([pf.schema_arrow.field(c) for c in columns]))
        return pl.from_arrow(table)
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - a corrupt page is bad input
        raise _unreadable(filename, "Parquet", e) from None


def read_csv(data: bytes, limits: Limits, filename: str = "") -> Any:
    """A CSV facts frame: the header's width and the row count are checked before parsing."""
    import polars as pl

    header = data.split(b"\n", 1)[0]
    if header.count(b",") + 1 > limits.max_columns:
        raise _bad(f"at most {limits.max_columns} columns; the header has {header.count(b',') + 1}")
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema_length=10_000, n_rows=limits.max_rows + 1)
    except Exception as e:  # noqa: BLE001 - any reader failure is bad input
        raise _unreadable(filename, "Parquet, CSV or JSON Lines", e) from None
    if frame.height > limits.max_rows:
        raise _bad(f"at most {limits.max_rows} rows; the file holds more")
    if frame.estimated_size() > limits.max_decoded_bytes:
        raise _bad(f"the file takes more than {limits.max_decoded_bytes} bytes decoded")
    return frame


def _case_records(obj: Any) -> int:
    """The longest record list of a case-like dict (before validation builds objects for them)."""
    if not isinstance(obj, dict):
        return 0
    person = obj.get("person") if isinstance(obj.get("person"), dict) else {}
    lists = [v for v in person.values() if isinstance(v, list)]
    lists += [c.get("charges") for c in person.get("pending_cases") or [] if isinstance(c, dict)]
    return max((len(x) for x in lists if isinstance(x, list)), default=0)


def read_jsonl(data: bytes, limits: Limits) -> Any:
    """One Case per line (or ``{"case": Case, "weight": w}``), validated and converted a chunk at a time,
    so only one chunk of Case objects is alive at once."""
    import polars as pl
    from pydantic import ValidationError

    from detainerlaw import facade
    from detainerlaw.frame import facts_frame

    Case = facade.place().case_model

    frames: list[Any] = []
    cases: list[Any] = []
    weights: list[float] = []
    count = 0

    def flush() -> None:
        if not cases:
            return
        try:
            f = facts_frame(cases, [str(count - len(cases) + i + 1) for i in range(len(cases))])
        except (ValueError, InputError) as e:
            raise _bad(str(e)) from None
        frames.append(f.with_columns(pl.Series("weight", weights, dtype=pl.Float64)))
        cases.clear()
        weights.clear()

    for n, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        if count >= limits.max_rows:
            raise _bad(f"at most {limits.max_rows} cases; the file holds more")
        try:
            obj = json.loads(line)
        except ValueError:
            raise InputError(f"population[line {n}]", "not valid JSON") from None
        except RecursionError:
            raise InputError(f"population[line {n}]", "JSON nested too deeply: not a Case") from None
        weight = 1.0
        if isinstance(obj, dict) and "case" in obj:
            weight = obj.get("weight", 1.0)
            obj = obj["case"]
            if not isinstance(weight, int | float) or isinstance(weight, bool) or not weight > 0:
                raise InputError(f"population[line {n}].weight", "a positive number")
        if _case_records(obj) > limits.max_list_length:
            raise InputError(f"population[line {n}].person", f"at most {limits.max_list_length} records in a list")
        try:
            cases.append(Case.model_validate(obj))
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            raise InputError(f"population[line {n}]" + (f".{where}" if where else ""),
                             str(err["msg"]).removeprefix("Value error, ")) from None
        weights.append(float(weight))
        count += 1
        if len(cases) >= JSONL_CHUNK:
            flush()
    flush()
    if not frames:
        raise _bad("the file holds no cases")
    frame = pl.concat(frames, how="vertical") if len(frames) > 1 else frames[0]
    if frame.estimated_size() > limits.max_decoded_bytes:
        raise _bad(f"the file takes more than {limits.max_decoded_bytes} bytes decoded")
    return frame


class Slots:
    """At most ``n`` uploaded populations in memory: a slot is taken before decoding and given back
    when the job ends (or the upload is refused)."""

    def __init__(self, n: int):
        self._sem = threading.BoundedSemaphore(n)

    def take(self) -> bool:
        return self._sem.acquire(blocking=False)

    def give(self) -> None:
        self._sem.release()
