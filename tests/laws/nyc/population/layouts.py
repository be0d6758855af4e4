"""Detainer files in each published layout, built from the documented columns and example
values (published-data.md § 1, data.md § 3.2); no real records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from detainerlaw.laws.nyc.population.ddp import COLUMNS, COLUMNS_2026_NEW, COLUMNS_2026_RENAMED, NPR_COLUMNS, snake

REDACTED = "(b)(6), (b)(7)(c)"
I247A = "I247A - Immigration Detainer - Notice of Action (as of May 2025)"
# (prepare date, state, city, facility, code, criminality, MSC conviction date, lift reason, identifier)
ROWS = [
    (dt.date(2024, 3, 5), "NEW YORK", "EAST ELMHURST", "RIKERS ISLAND, QUEENS, NY", None, "1 Convicted Criminal",
     dt.date(2020, 5, 1), "Booked into Detention", "p01"),
    (dt.date(2024, 7, 19), "NEW YORK", "QUEENS", "QUEENS CENTRAL BOOKING", "QUEENNY", "2 Pending Criminal Charges",
     None, "Detainer Declined by LEA", "p02"),
    (dt.date(2024, 7, 20), "NEW YORK", "QUEENS", "QUEENS CENTRAL BOOKING", "QUEENNY", "2 Pending Criminal Charges",
     None, "Detainer Declined by LEA", "p02"),  # the same person a day later: one episode
    (dt.date(2024, 8, 1), "NEW YORK", "BROOKLYN", "BROOKLYN HOUSE OF DETENT.", None, "3 Other Immigration Violator",
     None, None, "p03"),
    (dt.date(2024, 8, 2), "NEW YORK", "MINEOLA", "NASSAU COUNTY POLICE DEPT.", None, "2 Pending Criminal Charges",
     None, None, "p04"),
    (dt.date(2024, 8, 3), "NEW YORK", "YAPHANK", "SUFFOLK COUNTY PROBATION DEPT.", None, "1 Convicted Criminal",
     dt.date(2019, 1, 1), None, "p05"),
    (dt.date(2024, 8, 4), "NEW YORK", "VALHALLA", "WESTCHESTER COUNTY POLICE DEPT.", None,
     "2 Pending Criminal Charges", None, None, "p06"),
    (dt.date(2024, 8, 5), "CALIFORNIA", "GARDENA", "GARDENA POLICE DEPT.", None, "1 Convicted Criminal",
     dt.date(2018, 1, 1), None, "p07"),
    (dt.date(2024, 8, 6), "NEW YORK", "BROOKLYN", "BROOKLYN MDC", None, "1 Convicted Criminal",
     dt.date(2015, 2, 2), None, "p08"),
]
LOOKALIKES = ("NASSAU COUNTY POLICE DEPT.", "SUFFOLK COUNTY PROBATION DEPT.", "WESTCHESTER COUNTY POLICE DEPT.")
FIELD_OF = {"Detainer Prepare Date": 0, "Facility State": 1, "Facility City": 2, "Detention Facility": 3,
            "Detention Facility Code": 4, "Detainer Prepared Criminality": 5, "MSC Conviction Date": 6,
            "Detainer Lift Reason": 7, "Unique Identifier": 8}


def _raw_row(r: tuple, names: tuple[str, ...]) -> list:
    """One record under the 2025 names (values typed as the workbook holds them)."""
    out = []
    for c in names:
        if c in FIELD_OF:
            out.append(r[FIELD_OF[c]])
        elif c == "Facility AOR":
            out.append("New York City Area of Responsibility")
        elif c == "Detainer Prep Threat Level":
            out.append(1.0 if r[5].startswith("1") else None)
        elif c == "Detainer Type":
            out.append(I247A)
        elif c in ("Alien File Number", "EID Case ID", "EID Subject ID", "EID DTA ID", "Birth Date"):
            out.append(REDACTED)
        elif c == "Felon":
            out.append(None)  # blank in the data
        elif c.endswith("Yes No"):
            out.append("NO")
        else:
            out.append(None)
    return out


def _xlsx(path: Path, header: list[str], rows: list[list], banner: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for i in range(banner):
        ws.append(["ERO Detainers LESA-STU FINAL Redacted" if i == 0 else None])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def ice_2025_xlsx(path: Path) -> Path:
    """The raw 2025 release: six banner rows above the 65-column header."""
    return _xlsx(path, list(COLUMNS), [_raw_row(r, COLUMNS) for r in ROWS], banner=6)


def ice_2026_xlsx(path: Path) -> Path:
    """The March 2026 raw release: renamed columns, new ones appended."""
    header = [COLUMNS_2026_RENAMED.get(c, c) for c in COLUMNS] + list(COLUMNS_2026_NEW)
    rows = [_raw_row(r, COLUMNS) + ["NO", None, "NO", None, "NO", None] for r in ROWS]
    for row in rows:  # "Aggravated Felon Yes No" holds words, not YES/NO
        row[COLUMNS.index("Felon")] = "Not an Aggravated Felon"
    return _xlsx(path, header, rows, banner=6)


def ddp_cleaned_frame(*, renamed_2026: bool = False) -> pl.DataFrame:
    """DDP's cleaned file: snake_case names, dates typed, threat level as double, blank or
    redacted columns dropped, ``duplicate_likely``. The 2026 build renames back to the older
    snake names, with the new-named columns left in and empty (``renamed_2026``)."""
    names = [snake(c) for c in COLUMNS]
    recs = [dict(zip(names, _raw_row(r, COLUMNS))) for r in ROWS]
    df = pl.DataFrame(recs, infer_schema_length=None)
    keep = [c for c in df.columns if df[c].null_count() < df.height and not (df[c].dtype == pl.String and (
        df[c] == REDACTED).all())]
    df = df.select(keep).with_columns(pl.col("detainer_prep_threat_level").cast(pl.Float64),
                                      pl.Series("duplicate_likely", [False, False, True] + [False] * 6))
    if renamed_2026:
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias("detainer_facility"),
                             pl.lit(None, dtype=pl.String).alias("anonymized_identifier"))
    return df


def ddp_historical_parquet(path: Path) -> Path:
    """DDP's merged historical file: ``prepare_date`` and ``duplicate_episode_id``."""
    df = ddp_cleaned_frame().rename({"detainer_prepare_date": "prepare_date"}).with_columns(
        pl.Series("duplicate_episode_id", [1, 2, 2, 3, 4, 5, 6, 7, 8]),
        pl.col("prepare_date").cast(pl.Datetime("us")),
    )
    df.write_parquet(path)
    return path


def npr_csv(path: Path) -> Path:
    """NPR's FY files: tab-separated despite the .csv name, dates month/day/year."""
    lines = ["\t".join(NPR_COLUMNS)]
    for r in ROWS:
        lines.append("\t".join([f"{r[0].month}/{r[0].day}/{r[0].year}", r[7] or "", r[3], r[2], r[1],
                                "I-247 - Immigration Detainer"]))
    path.write_text("\n".join(lines) + "\n")
    return path
