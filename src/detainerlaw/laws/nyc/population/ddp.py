"""Importing ICE detainer records (as released under FOIA and republished by the
Deportation Data Project, DDP, or by NPR) into a facts frame.

Five layouts are read, each recognised from its header (published-data.md § 1): the raw
ICE release of 2025 (``.xlsx`` with banner rows above the header, or the same columns in
csv), the March 2026 raw release with its renamed columns, DDP's cleaned snake_case files
(feather, parquet, csv), DDP's merged historical file (``prepare_date``) and NPR's
FY2008-FY2017 files (``Prepare Date``, ``Detainer Detention Facility``, ``City``,
``State``; NPR's ``.csv`` files are tab-separated, which is detected). Files are read in
batches (pyarrow, openpyxl read-only), so a national file of millions of rows runs in
bounded memory: only rows in New York State are kept past their batch.

What the columns can tell is filled in: the prepare date (taken as the decision date and,
since detainers are lodged within a day of admission, the instant arrest), the receiving
facility's agency (from the sourced table in ``facilities.py``, never from a word in the
name), the most serious conviction (one conviction record), a pending charge, and ICE's
removal-order, re-entry and gang flags. What they cannot tell is listed in the
``unknown`` column and given its least-proving value. Every row not imported is counted
by reason, and rows in New York State are listed one by one.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from detainerlaw.laws.nyc.facts import SCHEMA
from detainerlaw.laws.nyc.population.facilities import CITY_AGENCIES, agency_expr

# The 65 columns of the raw 2025 release, in file order (data.md § 3.2).
COLUMNS = (
    "Detainer Prepare Date", "Facility State", "Facility AOR", "Port of Departure", "Departure Country",
    "Departed Date", "Case Status", "Detainer Prepared Criminality", "Detention Facility",
    "Detention Facility Code", "Facility City", "Detainer Prep Threat Level", "Gender", "Citizenship Country",
    "Birth Country", "Birth Date", "Birth Year", "Entry Status", "Most Serious Conviction (MSC) Charge",
    "MSC Sentence Days", "MSC Sentence Months", "MSC Sentence Years", "MSC Charge Code", "MSC Charge Date",
    "MSC Conviction Date", "Felon", "Processing Disposition", "Case Category", "Final Program",
    "Time of Apprehension Case Category", "Time of Apprehension Current Program", "Apprehension Method",
    "Case Final Order Yes No", "Final Order Date", "Apprehension Date", "Entry Date", "Prior Felony Yes No",
    "Multiple Prior MISD Yes No", "Violent Misdemeanor Yes No", "Illegal Entry Yes No", "Illegal Reentry Yes No",
    "Immigration Fraud Yes No", "Significant Risk Yes No", "Other Removal Reason Yes No", "Other Removal Reason",
    "Criminal Street Gang Yes No", "Aggravated Felony Yes No", "Deportation Ordered Yes No",
    "Order to Show Cause Served Yes No", "Order to Show Cause Served Date", "Biometric Match Yes No",
    "Statements Made Yes No", "Unlawful Attempt Yes No", "Unlawful Entry Yes No", "Visa Yes No",
    "Final Order Yes No", "Federal Interest Yes No", "Resume Custody Yes No", "Detainer Lift Reason",
    "Detainer Type", "Alien File Number", "EID Case ID", "EID Subject ID", "EID DTA ID", "Unique Identifier",
)
# Column names of the March 2026 release that replace (renamed) or add to the 2025 ones.
COLUMNS_2026_RENAMED = {
    "Detainer Prepared Criminality": "Detainer Criminality", "Detention Facility": "Detainer Facility",
    "Detention Facility Code": "Detainer Facility Code", "Detainer Prep Threat Level": "Detainer Threat Level",
    "Most Serious Conviction (MSC) Charge": "MSC Charge", "Felon": "Aggravated Felon Yes No",
    "Time of Apprehension Case Category": "TOA Case Category",
    "Time of Apprehension Current Program": "TOA Current Program", "Unique Identifier": "Anonymized Identifier",
}
COLUMNS_2026_NEW = ("Federal Register Notice Yes No", "Detainer Lift Reason Code", "Active Investigation Yes No",
                    "Arrest Warrant Served Date", "Notify Release Request Yes No", "TOD Current Duty Site")
NPR_COLUMNS = ("Prepare Date", "Detainer Lift Reason", "Detainer Detention Facility", "City", "State",
               "Detainer Type")

# Each field the importer reads, and the column names (snake_case) it may have; where a
# file has several, the first non-null value wins (the 2026 release keeps empty old names).
FIELDS: dict[str, tuple[str, ...]] = {
    "prepared": ("detainer_prepare_date", "prepare_date"),
    "state": ("facility_state", "state"),
    "city": ("facility_city", "city"),
    "facility": ("detainer_facility", "detention_facility", "detainer_detention_facility"),
    "facility_code": ("detainer_facility_code", "detention_facility_code"),
    "criminality": ("detainer_criminality", "detainer_prepared_criminality"),
    "threat_level": ("detainer_threat_level", "detainer_prep_threat_level"),
    "msc_conviction_date": ("msc_conviction_date",),
    "msc_charge_date": ("msc_charge_date",),
    "msc_sentence_days": ("msc_sentence_days",),
    "msc_sentence_months": ("msc_sentence_months",),
    "msc_sentence_years": ("msc_sentence_years",),
    "prior_felony": ("prior_felony_yes_no",),
    "aggravated_felony": ("aggravated_felony_yes_no", "aggravated_felon_yes_no"),
    "final_order": ("final_order_yes_no",),
    "case_final_order": ("case_final_order_yes_no",),
    "illegal_reentry": ("illegal_reentry_yes_no",),
    "gang": ("criminal_street_gang_yes_no",),
    "lift_reason": ("detainer_lift_reason",),
    "detainer_type": ("detainer_type",),
    "unique_identifier": ("anonymized_identifier", "unique_identifier", "unique_id"),
}
REQUIRED = ("prepared", "state", "facility")
LAYOUTS = {
    "ice-2025": "raw ICE release, 2025 (65 columns)",
    "ice-2026": "raw ICE release, March 2026 (renamed columns)",
    "ddp-cleaned": "DDP cleaned file (snake_case)",
    "ddp-historical": "DDP merged historical file (prepare_date)",
    "npr": "NPR FY2008-FY2017 file",
}
ICE_POLICY_10074_2 = dt.date(2017, 4, 2)
UNKNOWN = ("instant_arrest_date (prepare date used)", "judicial_warrant", "msc_statute", "pending_charge_statute")
BATCH = 100_000
HEADER_SEARCH_ROWS = 30

R_DATE = "missing or unreadable prepare date"
R_STATE = "facility outside New York State"
R_TABLE = "facility in New York State but not in the New York City facility table"
R_FEDERAL = "federal facility in New York City (not DOC, NYPD or Probation)"
R_CONVICTED_LATER = "MSC conviction date is after the prepare date"
R_DUPLICATE = "same person's episode (a gap of 24 hours or less after the previous detainer)"
LISTED = (R_DATE, R_TABLE, R_FEDERAL, R_CONVICTED_LATER, R_DUPLICATE)  # listed row by row

Progress = Callable[[int, int | None], None]


class DDPError(ValueError):
    """A file that is not in any known detainer layout."""


def snake(name: str) -> str:
    """``janitor::clean_names``-style snake case: ``Detainer Prepare Date`` -> ``detainer_prepare_date``."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def detect_layout(header: list[str]) -> str:
    """The layout a header belongs to (a key of ``LAYOUTS``), or DDPError naming what is missing."""
    names = {snake(c) for c in header if c is not None}
    is_snake = all(c is None or str(c) == snake(c) for c in header)
    if {"prepare_date", "detainer_detention_facility"} <= names:
        return "npr"
    if "prepare_date" in names and {"detention_facility", "detainer_facility"} & names:
        return "ddp-historical"
    if "detainer_prepare_date" in names:
        if is_snake:
            return "ddp-cleaned"
        if {"detainer_criminality", "detainer_facility", "anonymized_identifier"} & names:
            return "ice-2026"
        return "ice-2025"
    raise DDPError("not a known detainer layout: no prepare-date column (expected 'Detainer Prepare Date', "
                   "'detainer_prepare_date', 'prepare_date' or 'Prepare Date')")


# -- reading in batches ------------------------------------------------------------------------


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    s = str(v)
    return s if s.strip() else None


def _xlsx_batches(path: Path) -> Iterator[tuple[list[str], pl.DataFrame]]:
    """Every sheet of a workbook: the header is the first row (of the first 30) with a
    prepare-date column; the rows above it (ICE's banner) are skipped."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header = None
            for i, row in enumerate(rows):
                cells = [_text(c) for c in row]
                if {"detainer_prepare_date", "prepare_date"} & {snake(c) for c in cells if c}:
                    header = [c or f"column_{j + 1}" for j, c in enumerate(cells)]
                    break
                if i >= HEADER_SEARCH_ROWS:
                    break
            if header is None:
                continue
            buf: list[list[str | None]] = []
            for row in rows:
                cells = [_text(c) for c in row[: len(header)]]
                if not any(cells):
                    continue
                buf.append(cells + [None] * (len(header) - len(cells)))
                if len(buf) >= BATCH:
                    yield header, _frame(header, buf)
                    buf = []
            if buf:
                yield header, _frame(header, buf)
    finally:
        wb.close()


def _frame(header: list[str], rows: list[list[str | None]]) -> pl.DataFrame:
    cols = list(zip(*rows)) if rows else [[] for _ in header]
    return pl.DataFrame({f"c{j}": pl.Series(list(c), dtype=pl.String) for j, c in enumerate(cols)})


def _arrow_batches(path: Path, suffix: str) -> tuple[int | None, Iterator[tuple[list[str], pl.DataFrame]]]:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    if suffix == ".parquet":
        f = pq.ParquetFile(path)
        total = f.metadata.num_rows
        it = f.iter_batches(batch_size=BATCH)
    elif suffix in (".feather", ".arrow", ".ipc"):
        reader = pa.ipc.open_file(pa.memory_map(str(path)))
        total = None
        it = (reader.get_batch(i) for i in range(reader.num_record_batches))
    else:
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            first = fh.readline()
        sep = "\t" if first.count("\t") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=sep)) if first.strip() else []
        if not header:
            raise DDPError("empty file: no header")
        total = None
        it = pcsv.open_csv(
            path, read_options=pcsv.ReadOptions(block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                                strings_can_be_null=True),
        )

    def gen() -> Iterator[tuple[list[str], pl.DataFrame]]:
        for b in it:
            df = pl.from_arrow(pa.Table.from_batches([b]))
            assert isinstance(df, pl.DataFrame)
            header = df.columns
            df = df.with_columns(pl.all().cast(pl.String)).rename({c: f"c{j}" for j, c in enumerate(header)})
            yield header, df

    return total, gen()


def batches(path: Path) -> tuple[int | None, Iterator[tuple[list[str], pl.DataFrame]]]:
    """``(row count if known, iterator of (header, batch with columns c0, c1, ... as text))``."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        total = sum(max((ws.max_row or 1) - 1, 0) for ws in wb.worksheets) or None
        wb.close()
        return total, _xlsx_batches(path)
    if suffix in (".parquet", ".feather", ".arrow", ".ipc", ".csv", ".tsv", ".txt"):
        return _arrow_batches(path, suffix)
    raise DDPError(f"unsupported file type {path.suffix!r} (xlsx, csv, tsv, txt, parquet, feather)")


# -- mapping -----------------------------------------------------------------------------------


def _canonical(header: list[str], df: pl.DataFrame) -> pl.DataFrame:
    """The ``FIELDS`` of a batch (null where the layout has no such column)."""
    index: dict[str, list[str]] = {}
    for j, c in enumerate(header):
        index.setdefault(snake(c), []).append(f"c{j}")
    exprs = []
    for name, candidates in FIELDS.items():
        cols = [pl.col(c).str.strip_chars().replace("", None) for cand in candidates for c in index.get(cand, [])]
        exprs.append((pl.coalesce(cols) if cols else pl.lit(None, dtype=pl.String)).alias(name))
    return df.select(exprs)


def _date(col: str) -> pl.Expr:
    s = pl.col(col).str.strip_chars().str.replace(r"[ T].*$", "")
    return pl.coalesce(
        s.str.to_date("%Y-%m-%d", strict=False),
        pl.when(s.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")).then(s.str.to_date("%m/%d/%Y", strict=False)),
        pl.when(s.str.contains(r"^\d{1,2}/\d{1,2}/\d{2}$")).then(s.str.to_date("%m/%d/%y", strict=False)),
    )


def _classify(df: pl.DataFrame, offset: int) -> pl.DataFrame:
    """Row numbers, parsed dates, the agency and the reason a row is not imported (null if it is)."""
    df = df.with_row_index("source_row", offset=offset + 1).with_columns(
        _date("prepared").alias("_prepared"),
        _date("msc_conviction_date").alias("_convicted"),
        _date("msc_charge_date").alias("_charged"),
        agency_expr(pl.col("facility"), pl.col("facility_code")).alias("_agency"),
        pl.col("state").str.to_uppercase().str.strip_chars().alias("_state"),
        pl.col("criminality").str.slice(0, 1).alias("_crim"),
    )
    in_ny = pl.col("_state").is_in(["NEW YORK", "NY"]) | pl.col("_state").is_null()
    reason = (
        pl.when(pl.col("_prepared").is_null()).then(pl.lit(R_DATE))
        .when(~in_ny).then(pl.lit(R_STATE))
        .when(pl.col("_agency").is_null()).then(pl.lit(R_TABLE))
        .when(pl.col("_agency") == "federal").then(pl.lit(R_FEDERAL))
        .when(pl.col("_convicted").is_not_null() & (pl.col("_convicted") > pl.col("_prepared")))
        .then(pl.lit(R_CONVICTED_LATER))
        .otherwise(None)
    )
    return df.with_columns(reason.alias("_reason"))


def _episodes(ok: pl.DataFrame) -> pl.DataFrame:
    """``_duplicate``: a later row of the same person's episode (DDP: a gap of more than
    24 hours after the person's previous detainer starts a new episode)."""
    uid = pl.col("unique_identifier")
    ok = ok.sort("_prepared", "source_row")
    prev = pl.col("_prepared").shift(1).over(uid)
    dup = uid.is_not_null() & prev.is_not_null() & ((pl.col("_prepared") - prev).dt.total_days() <= 1)
    return ok.with_columns(dup.fill_null(False).alias("_duplicate"))


@dataclass
class ImportReport:
    """What an import read and did not import."""

    path: str
    layout: str
    rows_read: int = 0
    imported: int = 0
    episodes: bool = True
    not_imported: Counter = field(default_factory=Counter)
    episode_duplicates: int = 0
    rejected: pl.DataFrame = field(default_factory=pl.DataFrame)

    def to_dict(self) -> dict:
        return {
            "file": self.path, "layout": self.layout, "layout_title": LAYOUTS.get(self.layout, self.layout),
            "rows_read": self.rows_read, "imported": self.imported,
            "not_imported": dict(self.not_imported.most_common()),
            "episode_rule": "on: later rows of an episode are not imported" if self.episodes
            else "off: every row imported; rows that would be later rows of an episode counted",
            "episode_duplicates": self.episode_duplicates,
        }


def import_ddp(path: Path | str, *, episodes: bool = True,
               progress: Progress | None = None) -> tuple[pl.DataFrame, ImportReport]:
    """Read a detainer file in any known layout: ``(facts frame, report)``. With
    ``episodes`` the later rows of a person's episode are not imported (reported)."""
    path = Path(path)
    total, it = batches(path)
    layout: str | None = None
    kept: list[pl.DataFrame] = []
    counts: Counter = Counter()
    read = 0
    for header, raw in it:
        if layout is None:
            layout = detect_layout(header)
            have = {snake(c) for c in header}
            missing = [f for f in REQUIRED if not set(FIELDS[f]) & have]
            if missing:
                raise DDPError(f"{LAYOUTS[layout]} without the column(s) for {', '.join(missing)}")
        df = _classify(_canonical(header, raw), read)
        read += df.height
        counts.update(dict(df.group_by("_reason").len().drop_nulls("_reason").iter_rows()))
        kept.append(df.filter(pl.col("_reason").is_null() | (pl.col("_reason") != R_STATE)))
        if progress:
            progress(read, total)
    if layout is None:
        raise DDPError("no rows: no sheet or file part with a detainer header")
    allrows = pl.concat(kept) if kept else pl.DataFrame()
    ok = _episodes(allrows.filter(pl.col("_reason").is_null()))
    n_dup = int(ok["_duplicate"].sum())
    if episodes:
        ok = ok.with_columns(pl.when(pl.col("_duplicate")).then(pl.lit(R_DUPLICATE)).otherwise(None).alias("_reason"))
        if n_dup:
            counts[R_DUPLICATE] += n_dup
    bad = pl.concat([allrows.filter(pl.col("_reason").is_not_null()),
                     ok.drop("_duplicate").filter(pl.col("_reason").is_not_null())])
    ok = ok.filter(pl.col("_reason").is_null()).sort("source_row")
    rejected = bad.select(
        "source_row", "unique_identifier", "facility", pl.col("_state").alias("state"),
        pl.col("_reason").alias("reason"),
    ).sort("source_row")
    report = ImportReport(str(path), layout, read, ok.height, episodes, counts, n_dup, rejected)
    extra = ("criminality",) if layout == "npr" else ()
    return _facts(ok, extra), report


def _struct(name: str, **known: pl.Expr) -> pl.Expr:
    """A list item of ``SCHEMA.lists[name]``: the known fields, the rest least-proving."""
    from detainerlaw.laws.nyc.population.synth import _default

    return pl.struct(**{f: known.get(f, pl.lit(_default(t))) for f, t in SCHEMA.lists[name].items()})


def _yes(col: str) -> pl.Expr:
    return pl.col(col).str.to_uppercase().str.starts_with("Y").fill_null(False)


def _num(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Float64, strict=False).fill_null(0.0)


def _ordinal(e: pl.Expr) -> pl.Expr:
    """Day ordinal (``date.toordinal()``) of a Date expression."""
    return (e.cast(pl.Int32) + dt.date(1970, 1, 1).toordinal()).cast(pl.Int32)


def _facts(ok: pl.DataFrame, unknown_extra: tuple[str, ...] = ()) -> pl.DataFrame:
    prepared = _ordinal(pl.col("_prepared"))
    convicted = pl.col("_crim") == "1"
    pending = pl.col("_crim") == "2"
    sentence_days = _num("msc_sentence_days") + 30 * _num("msc_sentence_months") + 365 * _num("msc_sentence_years")
    agg = pl.col("aggravated_felony").str.to_uppercase()
    aggravated = (agg.str.starts_with("Y") | (agg.str.starts_with("AGGRAVATED"))).fill_null(False)
    felony = _yes("prior_felony") | aggravated | \
        (pl.col("threat_level").str.slice(0, 1) == "1").fill_null(False)
    final_order = _yes("final_order") | _yes("case_final_order")
    i247a = pl.col("detainer_type").str.to_uppercase().str.contains("I247A|I-247A").fill_null(False)
    admin = (
        pl.when(i247a | (pl.col("_prepared") >= ICE_POLICY_10074_2))
        .then(pl.when(final_order).then(pl.lit("I-205")).otherwise(pl.lit("I-200")))
        .otherwise(pl.lit("none"))
    )
    has_conv = convicted & pl.col("_convicted").is_not_null()
    level = pl.when(felony).then(pl.lit("felony")).otherwise(pl.lit("misdemeanor"))
    conv_day = _ordinal(pl.col("_convicted"))
    conviction = _struct(
        "convictions", code=pl.lit("OTHER"), section=pl.lit("OTHER"), full=pl.lit("OTHER"), article=pl.lit("OTHER"),
        level=level, ny=pl.lit(True),
        has_offense=pl.col("_charged").is_not_null(),
        offense_day=pl.when(pl.col("_charged").is_not_null() & (pl.col("_charged") <= pl.col("_convicted")))
        .then(_ordinal(pl.col("_charged"))).otherwise(conv_day).cast(pl.Int32),
        conviction_day=conv_day,
        has_judgment=sentence_days > 0,
        judgment_day=pl.when(sentence_days > 0).then(conv_day).otherwise(0).cast(pl.Int32),
        sentence=pl.when(sentence_days > 0).then(pl.lit("incarceration")).otherwise(pl.lit("none")),
        youthful_offender=pl.lit(False), juvenile_delinquent=pl.lit(False), hate_crime=pl.lit(False),
        inchoate=pl.lit("none"), predicate_felony=pl.lit(False), patronizing=pl.lit(False),
    )
    spell = _struct(
        "incarcerations", start_day=conv_day,
        end_day=pl.min_horizontal(conv_day + sentence_days.round().cast(pl.Int32), prepared).cast(pl.Int32),
        for_vsc=pl.lit(False),
    )
    case = _struct("pending", index=pl.lit(0, dtype=pl.Int32), disposition=pl.lit("none"),
                   released_cpl_170_70=pl.lit(False), family_court=pl.lit(False))
    charge = _struct("charges", case=pl.lit(0, dtype=pl.Int32), code=pl.lit("OTHER"), section=pl.lit("OTHER"),
                     full=pl.lit("OTHER"), article=pl.lit("OTHER"), level=pl.lit("misdemeanor"),
                     patronizing=pl.lit(False), firearm_or_ammunition=pl.lit(False))

    def listed(cond: pl.Expr, item: pl.Expr) -> pl.Expr:
        return pl.when(cond).then(pl.concat_list(item)).otherwise(pl.concat_list(item).list.head(0))

    out = ok.select(
        pl.concat_str(pl.lit("ddp-"), pl.col("source_row").cast(pl.String)).alias("case_id"),
        pl.lit(1.0).alias("weight"),
        pl.col("_agency").alias("agency"),
        prepared.alias("decided_day"),
        (prepared.cast(pl.Int64) * 1440).alias("decided_minute"),
        pl.lit(True).alias("has_arrest"),
        prepared.alias("arrest_day"),
        pl.lit("detainer").alias("kind"),
        pl.lit("federal_immigration").alias("requester"),
        pl.lit("civil_immigration").alias("purpose"),
        pl.lit(False).alias("judicial_warrant"),
        pl.lit(False).alias("has_jw_at"),
        pl.lit(0, dtype=pl.Int64).alias("jw_at_minute"),
        admin.alias("administrative_warrant"),
        pl.lit("none").alias("information"),
        *(pl.lit(False).alias(f) for f in ("required_by_law", "agreement", "cooperative_arrangement",
                                           "exigent_circumstances", "outstanding_criminal_warrant")),
        _yes("gang").alias("gang_database_match"),
        pl.lit(False).alias("terrorist_screening_match"),
        pl.lit(False).alias("removal_warrant_outstanding"),
        final_order.alias("final_order_of_removal"),
        _yes("illegal_reentry").alias("reentered_after_removal"),
        pl.lit(False).alias("mandatory_youthful_offender"),
        listed(has_conv, conviction).alias("convictions"),
        listed(has_conv & (sentence_days > 0), spell).alias("incarcerations"),
        listed(pending, case).alias("pending"),
        listed(pending, charge).alias("charges"),
        pl.col("source_row"),
        pl.col("unique_identifier").alias("ddp_unique_identifier"),
        pl.col("lift_reason").alias("ddp_lift_reason"),
        pl.lit(", ".join(UNKNOWN + unknown_extra)).alias("unknown"),
    )
    assert set(out["agency"].unique().to_list()) <= set(CITY_AGENCIES)
    from detainerlaw.laws.nyc.population.synth import complete, typed

    extra = ("source_row", "ddp_unique_identifier", "ddp_lift_reason", "unknown")
    return typed(complete(out).select("case_id", "weight", *SCHEMA.fields, *SCHEMA.lists, *extra))
