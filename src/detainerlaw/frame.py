"""Facts frames: many cases as one Polars DataFrame in the representation of a place's facts schema.

One row per case: a column per scalar field of the schema and a ``list[struct]`` column per
item list, plus ``case_id``. Enum fields are ``pl.Enum`` of their domain, statute keys are
``pl.Categorical``, days ``Int32``, minutes ``Int64``. A place may keep a few raw columns beside
the parsed keys (for New York City the decision time's text and each record's statute text and
jurisdiction) so that ``frame_cases`` rebuilds the same cases; a frame without them (a
synthesized population) is rebuilt from the keys. How a case becomes a row and back is the
place's (``Jurisdiction.frames``); every function takes ``place`` (the default place if None).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow as pa
from pydantic import ValidationError

from detainerlaw import jurisdictions
from detainerlaw.errors import describe_validation
from detainerlaw.jurisdictions import Frames, Jurisdiction


def dtype_of(t: object) -> pl.DataType:
    """The Polars type of a ``Schema`` type."""
    if isinstance(t, tuple):
        return pl.Enum(list(t))
    return {"bool": pl.Boolean(), "int": pl.Int32(), "day": pl.Int32(), "minute": pl.Int64(),
            "key": pl.Categorical()}[t]  # type: ignore[index]


def _place(place: Jurisdiction | None) -> Jurisdiction:
    return place or jurisdictions.get(jurisdictions.DEFAULT)


def _frames(place: Jurisdiction) -> Frames:
    if place.frames is None:
        raise ValueError(f"{place.id}: this place's law package does not read facts frames")
    return place.frames


def frame_schema(raw: bool = True, place: Jurisdiction | None = None) -> dict[str, pl.DataType]:
    """Column types of a facts frame (``raw``: with the raw columns ``frame_cases`` prefers)."""
    place = _place(place)
    schema = place.schema
    extra = _frames(place) if raw else None
    out: dict[str, pl.DataType] = {"case_id": pl.String()}
    out.update({k: dtype_of(t) for k, t in schema.fields.items()})
    for name, fields in schema.lists.items():
        struct = {k: dtype_of(t) for k, t in fields.items()}
        if extra:
            struct.update({k: v() for k, v in extra.raw.get(name, {}).items()})
        out[name] = pl.List(pl.Struct(struct))
    if extra:
        out.update({c: pl.String() for c in extra.raw_columns})
    return out


def _of(place: Jurisdiction | None) -> str:
    """Which place's frame was expected, for a message (another place's frame needs ``--place``)."""
    p = _place(place)
    return f"of {p.title} ({p.id}; a frame of another place needs --place)"


def facts_columns(place: Jurisdiction | None = None) -> list[str]:
    """The columns every facts frame of ``place`` must have."""
    schema = _place(place).schema
    return [*schema.fields, *schema.lists]


# Parquet pages of facts frames: Snappy reads faster than zstd for about a quarter more bytes
# (1M bench cases: 0.39 against 0.47 CPU-s to read the columns the plans need; 54 against 43 MB).
PARQUET_COMPRESSION = "snappy"


def _required(field: pa.Field, raw: frozenset[str]) -> pa.Field:
    """``field`` declared non-null (recursively through lists and structs) unless it is a
    raw column, which may hold nulls."""
    t = field.type
    if pa.types.is_large_list(t) or pa.types.is_list(t):
        inner = _required(t.value_field, raw)
        t = pa.large_list(inner) if pa.types.is_large_list(t) else pa.list_(inner)
    elif pa.types.is_struct(t):
        t = pa.struct([_required(f, raw) for f in t])
    return pa.field(field.name, t, nullable=field.name in raw, metadata=field.metadata)


def facts_arrow(df: pl.DataFrame, place: Jurisdiction | None = None) -> pa.Table:
    """A facts frame as Arrow with every ``SCHEMA`` column (and each record field) declared
    required: Parquet then stores no definition levels for them, which makes reading the
    nested record lists about a third cheaper. Raw and other columns stay nullable."""
    table = df.to_arrow()
    place = _place(place)
    extra = _frames(place)
    raw = frozenset({*extra.raw_columns, *(k for fields in extra.raw.values() for k in fields)})
    known = set(facts_columns(place))
    fields = [_required(f, raw) if f.name in known else f for f in table.schema]
    try:
        return table.cast(pa.schema(fields, metadata=table.schema.metadata))
    except pa.ArrowInvalid as e:  # a null where the facts representation has none
        raise ValueError(f"facts frame: {e}") from None


def write_frame(df: pl.DataFrame, path: str | Path, compression: str = PARQUET_COMPRESSION,
                compression_level: int | None = None, place: Jurisdiction | None = None) -> None:
    """Write a facts frame to Parquet (see ``facts_arrow`` and ``PARQUET_COMPRESSION``)."""
    import pyarrow.parquet as pq

    pq.write_table(facts_arrow(df, place), str(path), compression=compression, compression_level=compression_level)


def facts_frame(cases: list, case_ids: list[str] | None = None, place: Jurisdiction | None = None) -> pl.DataFrame:
    """One row per case (``case_ids`` default to "1", "2", ...)."""
    place = _place(place)
    to_row = _frames(place).row
    ids = case_ids if case_ids is not None else [str(i + 1) for i in range(len(cases))]
    if len(ids) != len(cases):
        raise ValueError(f"case_ids: {len(ids)} ids for {len(cases)} cases")
    rows = []
    for cid, case in zip(ids, cases, strict=True):
        f = to_row(case)
        f["case_id"] = cid
        rows.append(f)
    schema = frame_schema(place=place)
    return pl.DataFrame(rows, schema=schema)


# -- back to cases ---------------------------------------------------------------


def frame_cases(df: pl.DataFrame, first_row: int = 0, place: Jurisdiction | None = None) -> list:
    """The cases of a facts frame; a row that is not a valid case raises ValueError naming it
    (rows numbered from ``first_row`` + 1: a chunk of a larger file names the file's row)."""
    place = _place(place)
    row_case = _frames(place).case
    out = []
    for i, row in enumerate(df.iter_rows(named=True), start=first_row):
        where = f"row {i + 1} (case_id {row.get('case_id')}): "
        try:
            out.append(place.parse_case(row_case(row)))
        except ValidationError as e:
            raise ValueError("; ".join(describe_validation(e, where))) from None
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"{where}{type(e).__name__}: {e}") from None
    return out


# -- readers ------------------------------------------------------------------------


def iter_jsonl(path: Path, place: Jurisdiction | None = None) -> Iterator[tuple[int, str, object]]:
    """(line number, case_id, case) of each line of a .jsonl file, one Case JSON per line (blank lines
    skipped), read as they are consumed so a file of any size takes the memory of a line; a
    line may also be ``{"case_id": ..., "case": {...}}``. Errors name the line and the field. Every case
    is of ``place`` (by default the place the first case names, or the default place): a case naming
    another place is refused at its line."""
    with Path(path).open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            where = f"{path}: line {n}: "
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise ValueError(f"{where}not UTF-8 text (byte {e.start + 1}: {e.reason})") from None
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{where}not valid JSON (column {e.colno}: {e.msg})") from None
            except RecursionError:
                raise ValueError(f"{where}JSON nested too deeply: not a Case") from None
            if not isinstance(data, dict):
                raise ValueError(f"{where}expected a Case (a JSON object), got a JSON {type(data).__name__}")
            given: object = n  # the line number, unless the line names its case
            if "case" in data and "agency" not in data:
                given = data.get("case_id", n)
                data = data["case"]
            elif "case_id" in data:
                data = dict(data)
                given = data.pop("case_id")
            if given is None or isinstance(given, bool | dict | list) or str(given).strip() == "":
                raise ValueError(f"{where}case_id: a non-empty string or number is required")
            named = data.get("jurisdiction")
            if place is None:
                try:
                    place = jurisdictions.get(named if isinstance(named, str) else jurisdictions.DEFAULT)
                except ValueError as e:
                    raise ValueError(f"{where}{e}") from None
            elif isinstance(named, str) and named != place.id:
                if named not in jurisdictions.places():
                    raise ValueError(f"{where}jurisdiction: unknown place {named!r}; known: "
                                     f"{', '.join(jurisdictions.places())}")
                raise ValueError(f"{where}jurisdiction: {named!r} is not the batch's place {place.id!r}: a batch "
                                 "decides the cases of one place")
            try:
                case = place.parse_case(data)
            except ValidationError as e:
                raise ValueError("; ".join(describe_validation(e, where))) from None
            yield n, str(given), case


def read_jsonl(path: Path, place: Jurisdiction | None = None) -> tuple[list[str], list]:
    """Cases of a .jsonl file with their ids (``iter_jsonl``), all in memory."""
    ids: list[str] = []
    cases: list = []
    for _, cid, case in iter_jsonl(path, place):
        ids.append(cid)
        cases.append(case)
    return ids, cases


_UNREADABLE = (pl.exceptions.PolarsError, pa.ArrowException, OSError)


def _named(path: Path, where: str) -> str:
    """How messages name a file: ``where`` (the option that gave it) before its path."""
    return f"{where}: {path}" if where else str(path)


def _unreadable(path: Path, where: str, e: Exception) -> ValueError:
    first = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
    return ValueError(f"{_named(path, where)}: not a readable Parquet file ({first})")


def read_parquet(path: Path, where: str = "") -> pl.DataFrame:
    """A Parquet file as a DataFrame; one ValueError naming the file if it cannot be read
    (empty, truncated, or not Parquet at all)."""
    try:
        return pl.read_parquet(path)
    except _UNREADABLE as e:
        raise _unreadable(path, where, e) from None


def _same_kind(found: pl.DataType, want: pl.DataType) -> bool:
    """Whether a column of ``found`` type reads as ``want``: the exact type, or a value type
    of the same family (any integer for a day, String or Categorical for an Enum or key)."""
    if found == want:
        return True
    if want.is_integer():
        return found.is_integer()
    if isinstance(want, (pl.Enum, pl.Categorical)):
        return isinstance(found, (pl.Enum, pl.Categorical, pl.String))
    if isinstance(want, pl.Boolean):
        return isinstance(found, pl.Boolean)
    return False


def check_types(df: pl.DataFrame, where: str = "", first_row: int = 0,
                place: Jurisdiction | None = None) -> pl.DataFrame:
    """The facts columns of ``df`` with the types of ``frame_schema``, converted where the
    values allow it (an Int64 day, a String enum); otherwise one ValueError naming the column
    (and for a value outside an enum's domain, the row, counted from ``first_row`` + 1)."""
    prefix = f"{where}: " if where else ""
    schema = _place(place).schema
    want = frame_schema(raw=False, place=place)
    for col, t in want.items():
        if col not in df.columns or col == "case_id":
            continue
        found = df.schema[col]
        if isinstance(t, pl.List):
            inner = found.inner if isinstance(found, pl.List) else None  # type: ignore[union-attr]
            if not isinstance(inner, pl.Struct):
                raise ValueError(f"{prefix}column {col}: expected a list of records ({t}), found {found}")
            have = {f.name: f.dtype for f in inner.fields}
            for f in t.inner.fields:  # type: ignore[union-attr]
                if f.name not in have:
                    raise ValueError(f"{prefix}column {col}: records lack the field {f.name!r}")
                if not _same_kind(have[f.name], f.dtype):
                    raise ValueError(f"{prefix}column {col}.{f.name}: expected {f.dtype}, found {have[f.name]}")
            _ascii_keys(df, col, [k for k, kt in schema.lists[col].items() if kt == "key"], prefix, first_row)
            continue
        if found == t:
            continue
        if not _same_kind(found, t):
            raise ValueError(f"{prefix}column {col}: expected {t}, found {found}")
        if isinstance(t, pl.Enum):
            allowed = set(t.categories.to_list())
            bad = df.with_row_index("_i").filter(~pl.col(col).cast(pl.String).is_in(list(allowed))
                                                  & pl.col(col).is_not_null())
            if bad.height:
                r = bad.row(0, named=True)
                raise ValueError(f"{prefix}row {first_row + r['_i'] + 1}: column {col}: {r[col]!r} is not one of "
                                 f"{', '.join(sorted(allowed))}")
        try:
            df = df.with_columns(pl.col(col).cast(pl.String).cast(t) if isinstance(t, pl.Enum) else pl.col(col).cast(t))
        except pl.exceptions.PolarsError:
            raise ValueError(f"{prefix}column {col}: values do not fit {t} (found {found})") from None
    return df


def _ascii_keys(df: pl.DataFrame, col: str, keys: list[str], prefix: str, first_row: int) -> None:
    """Statute keys in a frame are as the Case model reads citations: ASCII after normalization (digits
    of other scripts are refused there, and must not slip in through a frame)."""
    if not keys or df.height == 0:
        return
    items = df.select(pl.int_range(pl.len()).alias("_i"), pl.col(col)).explode(col).unnest(col)
    for k in keys:
        if k not in items.columns:
            continue
        bad = items.filter(pl.col(k).cast(pl.String).str.contains(r"[^\x00-\x7F]"))
        if bad.height:
            r = bad.row(0, named=True)
            raise ValueError(f"{prefix}row {first_row + r['_i'] + 1}: column {col}.{k}: {r[k]!r} holds characters "
                             "other than ASCII (write statute numbers with ASCII digits)")


def read_frame(path: Path, place: Jurisdiction | None = None) -> pl.DataFrame:
    """A facts frame from Parquet, with ``case_id`` added (row numbers) if absent; a file
    that is not Parquet, lacks a column or holds a column of the wrong type is one
    ValueError naming it."""
    df = read_parquet(path)
    missing = [k for k in facts_columns(place) if k not in df.columns]
    if missing:
        raise ValueError(f"{path}: not a facts frame {_of(place)}: missing column(s) {', '.join(missing)}")
    df = check_types(df, str(path), place=place)
    if "case_id" not in df.columns:
        df = df.with_row_index("case_id", offset=1).with_columns(pl.col("case_id").cast(pl.String))
    return df


# Rows per chunk when a facts frame is read in pieces: memory then follows the chunk, not the
# file (200,000 cases of the synthetic population are about 0.1 GB as a frame).
CHUNK_ROWS = 200_000


@dataclass
class FrameFile:
    """A facts-frame Parquet file, or a directory of them (a partitioned dataset, read as one frame in
    the order of the part files' names), opened for reading in chunks (``open_frame``)."""

    path: Path
    rows: int
    columns: list[str]
    where: str = ""
    place: Jurisdiction | None = None
    parts: tuple[Path, ...] = ()  # a dataset's part files, in order (empty for one file)

    def _scan(self) -> pl.LazyFrame:
        return pl.scan_parquet([str(p) for p in self.parts] if self.parts else self.path)

    def column(self, name: str) -> pl.Series:
        """One column of the whole file (the case ids, to check them before any chunk is decided)."""
        try:
            return self._scan().select(name).collect()[name]
        except _UNREADABLE as e:
            raise _unreadable(self.path, self.where, e) from None

    def chunks(self, rows: int = CHUNK_ROWS) -> Iterator[tuple[int, pl.DataFrame]]:
        """(first row, frame) for each chunk of about ``rows`` cases, in file order, each as
        ``read_frame`` gives it: types checked (a bad value named by its row in the file) and
        ``case_id`` from row numbers when the file has none. A file of no rows gives one empty
        chunk, so its readers see the columns. (Polars' batches: pyarrow's refuse nested
        columns whose values span more than one Arrow chunk.)"""
        try:
            first, scan = 0, self._scan()
            for batch in scan.collect_batches(chunk_size=rows):
                if batch.height:
                    yield first, self._checked(batch, first)
                    first += batch.height
            if first == 0:
                yield 0, self._checked(scan.head(0).collect(), 0)
        except _UNREADABLE as e:
            raise _unreadable(self.path, self.where, e) from None

    def _checked(self, batch: pl.DataFrame, first: int) -> pl.DataFrame:
        df = check_types(batch, _named(self.path, self.where), first, self.place)
        if "case_id" not in df.columns:
            df = df.with_row_index("case_id", offset=first + 1).with_columns(pl.col("case_id").cast(pl.String))
        return df


def open_frame(path: Path, where: str = "", place: Jurisdiction | None = None) -> FrameFile:
    """A facts-frame Parquet file, or a directory of part files with the same columns (a partitioned
    dataset, as ``population synth --partitions`` writes), to read in chunks: one ValueError naming
    the file if one is not Parquet, lacks a facts column or differs from the first part, before
    anything is decided."""
    import pyarrow.parquet as pq

    path = Path(path)
    parts = tuple(sorted(path.glob("*.parquet"))) if path.is_dir() else ()
    if path.is_dir() and not parts:
        raise ValueError(f"{_named(path, where)}: a directory with no .parquet files")
    rows, names = 0, None
    for f in parts or (path,):
        try:
            pf = pq.ParquetFile(f, memory_map=True)
        except _UNREADABLE as e:
            raise _unreadable(f, where, e) from None
        these = pf.schema_arrow.names
        if names is None:
            names = these
            missing = [k for k in facts_columns(place) if k not in names]
            if missing:
                raise ValueError(f"{_named(f, where)}: not a facts frame {_of(place)}: missing column(s) "
                                 f"{', '.join(missing)}")
        elif these != names:
            raise ValueError(f"{_named(f, where)}: its columns differ from those of {parts[0].name}")
        rows += pf.metadata.num_rows
    return FrameFile(path, rows, list(names or ()), where, place, parts)


def read_cases(path: Path, place: Jurisdiction | None = None) -> list:
    """Cases of a .jsonl (one case JSON per line) or .parquet (a facts frame) file."""
    return read_cases_with_ids(path, place)[1]


def read_cases_with_ids(path: Path, place: Jurisdiction | None = None) -> tuple[list[str], list]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix == ".jsonl":
        return read_jsonl(path, place)
    if path.suffix == ".parquet":
        df = read_frame(path, place)
        return df["case_id"].to_list(), frame_cases(df, place=place)
    raise ValueError(f"{path}: expected a .jsonl or .parquet file")
