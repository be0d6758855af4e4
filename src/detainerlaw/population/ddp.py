"""Importing the Deportation Data Project (DDP) ICE detainer file into a facts frame.

The layout is the 65-column "latest" release (data.md § 3.2; DDP ``clean/detainers-latest.R``).
What the columns can tell is filled in: the prepare date (taken as the decision date and,
since detainers are lodged within a day of admission, the instant arrest), the receiving
facility (its agency), the most serious conviction (one conviction record), a pending
charge, and ICE's removal-order, re-entry and gang flags. What they cannot tell is marked
in the ``unknown`` column and given its least-proving value: the MSC statute is not a New
York citation, so the record never counts as violent-or-serious (like register E-5); no
judicial warrant; the conviction's judgment date is its conviction date when a sentence
is recorded. Rows that cannot be mapped (outside New York City, no date, a facility of
no city agency, later duplicates) go to the report with the reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from detainerlaw.laws.nyc.facts import SCHEMA

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
REQUIRED = ("Detainer Prepare Date", "Facility State", "Detention Facility", "Detainer Prepared Criminality")
NYC_CITIES = {"NEW YORK", "BROOKLYN", "BRONX", "QUEENS", "STATEN ISLAND", "EAST ELMHURST", "KEW GARDENS",
              "JAMAICA", "LONG ISLAND CITY", "MANHATTAN"}
ICE_POLICY_10074_2 = dt.date(2017, 4, 2)
UNKNOWN = ("instant_arrest_date (prepare date used)", "judicial_warrant", "msc_statute", "pending_charge_statute")


class DDPError(ValueError):
    """A file that is not in the DDP detainer layout."""


def agency_of(facility: str | None) -> str | None:
    """The city agency of a receiving facility named in the DDP file, or None."""
    f = (facility or "").upper()
    if "PROBATION" in f:
        return "dop"
    if "CENTRAL BOOKING" in f or "PRECINCT" in f or "NYPD" in f or "POLICE" in f:
        return "nypd"
    if any(k in f for k in ("RIKERS", "HOUSE OF DETENTION", "VERNON C BAIN", "NYC DOC", "NYC DEPT OF CORR",
                            "BELLEVUE PRISON", "ROSE M SINGER", "ANNA M KROSS", "GEORGE R VIERNO",
                            "ERIC M TAYLOR", "OTIS BANTUM", "ROBERT N DAVOREN", "WEST FACILITY")):
        return "doc"
    return None


def read_ddp(path: Path) -> pl.DataFrame:
    """The raw file, every column as text (csv, tab-separated, parquet or feather)."""
    path = Path(path)
    if path.suffix in (".parquet",):
        df = pl.read_parquet(path)
    elif path.suffix in (".feather", ".arrow", ".ipc"):
        df = pl.read_ipc(path)
    elif path.suffix in (".csv", ".tsv", ".txt"):
        sep = "\t" if path.suffix == ".tsv" else ","
        df = pl.read_csv(path, separator=sep, infer_schema=False)
    else:
        raise DDPError(f"{path}: unsupported file type {path.suffix!r} (csv, tsv, parquet, feather)")
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise DDPError(f"{path}: not the DDP detainer layout: missing column(s) {', '.join(missing)}")
    return df.with_columns(pl.all().cast(pl.String))


def _date(col: str) -> pl.Expr:
    s = pl.col(col).str.strip_chars().str.slice(0, 10)
    return pl.coalesce(
        s.str.to_date("%Y-%m-%d", strict=False),
        s.str.to_date("%m/%d/%Y", strict=False),
    )


def _yes(col: str, df: pl.DataFrame) -> pl.Expr:
    if col not in df.columns:
        return pl.lit(False)
    return pl.col(col).str.strip_chars().str.to_uppercase().str.starts_with("Y").fill_null(False)


def _num(col: str, df: pl.DataFrame) -> pl.Expr:
    if col not in df.columns:
        return pl.lit(0.0)
    return pl.col(col).str.strip_chars().cast(pl.Float64, strict=False).fill_null(0.0)


def _ordinal(e: pl.Expr) -> pl.Expr:
    """Day ordinal (``date.toordinal()``) of a Date expression."""
    return (e.cast(pl.Int32) + dt.date(1970, 1, 1).toordinal()).cast(pl.Int32)


def import_ddp(path: Path | str, *, nyc_only: bool = True) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read a DDP detainer file: ``(facts frame, report of unmapped rows with reasons)``."""
    raw = read_ddp(Path(path))
    for c in COLUMNS:
        if c not in raw.columns:
            raw = raw.with_columns(pl.lit(None, dtype=pl.String).alias(c))
    df = raw.with_row_index("source_row", offset=1).with_columns(
        _date("Detainer Prepare Date").alias("_prepared"),
        _date("MSC Conviction Date").alias("_convicted"),
        _date("MSC Charge Date").alias("_charged"),
        pl.col("Detention Facility").map_elements(agency_of, return_dtype=pl.String).alias("_agency"),
        pl.col("Facility State").str.strip_chars().str.to_uppercase().alias("_state"),
        pl.col("Facility City").str.strip_chars().str.to_uppercase().alias("_city"),
        pl.col("Detainer Prepared Criminality").str.strip_chars().str.slice(0, 1).alias("_crim"),
    )
    in_nyc = (pl.col("_state") == "NEW YORK") & (pl.col("_city").is_in(list(NYC_CITIES)) | pl.col("_agency")
                                                  .is_not_null())
    reason = (
        pl.when(pl.col("_prepared").is_null()).then(pl.lit("missing or unreadable Detainer Prepare Date"))
        .when(pl.lit(nyc_only) & ~in_nyc.fill_null(False)).then(pl.lit("facility outside New York City"))
        .when(pl.col("_agency").is_null()).then(pl.lit("facility is not a DOC, NYPD or Probation facility"))
        .when(pl.col("_convicted").is_not_null() & (pl.col("_convicted") > pl.col("_prepared")))
        .then(pl.lit("MSC Conviction Date is after the prepare date"))
        .otherwise(None)
    )
    df = df.with_columns(reason.alias("_reason"))
    # Duplicates (DDP rule): the same person within 24 hours; the later row is dropped.
    uid = pl.col("Unique Identifier")
    ok = df.filter(pl.col("_reason").is_null()).sort("_prepared", "source_row")
    prev = pl.col("_prepared").shift(1).over(uid)
    dup = uid.is_not_null() & prev.is_not_null() & ((pl.col("_prepared") - prev).dt.total_days() <= 1)
    ok = ok.with_columns(pl.when(dup).then(pl.lit("duplicate detainer for the same person within 24 hours"))
                         .otherwise(None).alias("_reason"))
    bad = pl.concat([df.filter(pl.col("_reason").is_not_null()), ok.filter(pl.col("_reason").is_not_null())])
    ok = ok.filter(pl.col("_reason").is_null()).sort("source_row")
    report = bad.select(
        pl.col("source_row"), pl.col("Unique Identifier").alias("unique_identifier"),
        pl.col("Detention Facility").alias("facility"), pl.col("_reason").alias("reason"),
    ).sort("source_row")
    return _facts(ok, raw), report


def _struct(name: str, **known: pl.Expr) -> pl.Expr:
    """A list item of ``SCHEMA.lists[name]``: the known fields, the rest least-proving."""
    from detainerlaw.population.synth import _default

    return pl.struct(**{f: known.get(f, pl.lit(_default(t))) for f, t in SCHEMA.lists[name].items()})


def _facts(ok: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    prepared = _ordinal(pl.col("_prepared"))
    convicted = pl.col("_crim") == "1"
    pending = pl.col("_crim") == "2"
    sentence_days = _num("MSC Sentence Days", raw) + 30 * _num("MSC Sentence Months", raw) + \
        365 * _num("MSC Sentence Years", raw)
    felony = _yes("Prior Felony Yes No", raw) | _yes("Aggravated Felony Yes No", raw) | \
        (pl.col("Detainer Prep Threat Level").str.strip_chars().str.slice(0, 1) == "1").fill_null(False)
    final_order = _yes("Final Order Yes No", raw) | _yes("Case Final Order Yes No", raw)
    i247a = pl.col("Detainer Type").str.to_uppercase().str.contains("I247A|I-247A").fill_null(False)
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
        _yes("Criminal Street Gang Yes No", raw).alias("gang_database_match"),
        pl.lit(False).alias("terrorist_screening_match"),
        pl.lit(False).alias("removal_warrant_outstanding"),
        final_order.alias("final_order_of_removal"),
        _yes("Illegal Reentry Yes No", raw).alias("reentered_after_removal"),
        pl.lit(False).alias("mandatory_youthful_offender"),
        listed(has_conv, conviction).alias("convictions"),
        listed(has_conv & (sentence_days > 0), spell).alias("incarcerations"),
        listed(pending, case).alias("pending"),
        listed(pending, charge).alias("charges"),
        pl.col("source_row"),
        pl.col("Unique Identifier").alias("ddp_unique_identifier"),
        pl.col("Detainer Lift Reason").alias("ddp_lift_reason"),
        pl.lit(", ".join(UNKNOWN)).alias("unknown"),
    )
    from detainerlaw.population.synth import complete, typed

    extra = ("source_row", "ddp_unique_identifier", "ddp_lift_reason", "unknown")
    return typed(complete(out).select("case_id", "weight", *SCHEMA.fields, *SCHEMA.lists, *extra))
