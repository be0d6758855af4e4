"""New York City's cases as facts-frame rows and back, and the checks ``decide`` makes, vectorized
over a frame: what the plug-in's ``Frames`` gives the generic readers and writers of ``frame``."""

from __future__ import annotations

import datetime as dt

import polars as pl

from detainerlaw.engine.calendar import to_date, to_datetime
from detainerlaw.engine.columnar.days import EPOCH_ORDINAL
from detainerlaw.jurisdictions import Frames
from detainerlaw.laws.nyc.case import DATE_RANGE, Case, Person, Request
from detainerlaw.laws.nyc.facts import NONE, SCHEMA, case_facts, optional_parts
from detainerlaw.laws.nyc.inputs import LOOKBACK_FROM, LOOKBACK_KINDS, missing_arrest_date, unknown_citation
from detainerlaw.models.decision import InputWarning

# Record fields kept as given beside the parsed keys, so that a frame gives back the same Cases.
_RAW_CONVICTION = {"statute": pl.String, "subdivision": pl.String, "jurisdiction": pl.String,
                   "equivalent_statute": pl.String}
_RAW_PENDING = {"jurisdiction": pl.String}
_RAW_CHARGE = {"statute": pl.String, "subdivision": pl.String}
_RAW = {"convictions": _RAW_CONVICTION, "pending": _RAW_PENDING, "charges": _RAW_CHARGE}


def case_row(case: Case) -> dict:
    """The facts of ``case`` with the raw columns (its facts-frame row, without ``case_id``)."""
    f = case_facts(case)
    p = case.person
    for c, d in zip(p.convictions, f["convictions"], strict=True):
        d.update(statute=c.statute, subdivision=c.subdivision, jurisdiction=c.jurisdiction,
                 equivalent_statute=c.equivalent_statute)
    charges = iter(f["charges"])
    for pc, d in zip(p.pending_cases, f["pending"], strict=True):
        d["jurisdiction"] = pc.jurisdiction
        for ch in pc.charges:
            next(charges).update(statute=ch.statute, subdivision=ch.subdivision)
    f["decided_at"] = case.decided_at.isoformat() if isinstance(case.decided_at, dt.date) else str(case.decided_at)
    return f


# -- back to Cases ---------------------------------------------------------------


def _statute(item: dict, raw_ok: bool) -> tuple[str, str | None]:
    """(statute, subdivision) of a record: the raw text if kept, else from the keys."""
    if raw_ok and item.get("statute") is not None:
        return item["statute"], item.get("subdivision")
    section, full = item["section"], item["full"]
    sub = full[len(section):] if full.startswith(section) else ""
    sub = sub.replace(")(", " ").strip("()") or None
    statute = section
    inch = item.get("inchoate", NONE)
    if inch and inch != NONE and section.startswith("PL "):
        art = {"solicitation": "100", "conspiracy": "105", "attempt": "110", "facilitation": "115"}[inch]
        statute = f"PL {art}/{section[3:]}"
    return statute, sub


def _conviction(c: dict) -> dict:
    raw = c.get("jurisdiction") is not None
    ny = c["ny"]
    out: dict = {"level": c["level"], "conviction_date": to_date(c["conviction_day"]).isoformat()}
    if ny:
        out["statute"], out["subdivision"] = _statute(c, raw)
        if c["inchoate"] != NONE and "/" not in out["statute"]:
            out["inchoate"] = c["inchoate"]
        if raw:
            out["jurisdiction"] = c["jurisdiction"]
    else:
        out["jurisdiction"] = c.get("jurisdiction") or "other"
        out["statute"] = c.get("statute") or "unknown"
        out["subdivision"] = c.get("subdivision") if raw else _statute(c, False)[1]
        if raw:
            out["equivalent_statute"] = c.get("equivalent_statute")
        elif c["section"] != "OTHER":
            out["equivalent_statute"] = c["section"]
        if c["inchoate"] != NONE:
            out["inchoate"] = c["inchoate"]
    if c["has_offense"]:
        out["offense_date"] = to_date(c["offense_day"]).isoformat()
    if c["has_judgment"]:
        out["judgment_date"] = to_date(c["judgment_day"]).isoformat()
    if c["sentence"] != NONE:
        out["sentence"] = c["sentence"]
    for k in ("youthful_offender", "juvenile_delinquent", "hate_crime", "predicate_felony", "patronizing"):
        out[k] = c[k]
    return out


def _flags(model: type) -> list[str]:
    """The model's boolean fields that are also facts of the same name."""
    return [k for k, f in model.model_fields.items() if f.annotation is bool and k in SCHEMA.fields]


def row_case(row: dict) -> dict:
    """The Case (as a dict) of one facts-frame row."""
    decided = row.get("decided_at") or to_datetime(row["decided_minute"]).isoformat(timespec="minutes")
    request: dict = {"kind": row["kind"], "requester": row["requester"], "purpose": row["purpose"],
                     **{k: row[k] for k in _flags(Request) if k in row}}
    if row["has_jw_at"]:
        request["judicial_warrant_at"] = to_datetime(row["jw_at_minute"]).isoformat(timespec="minutes")
    if row["administrative_warrant"] != NONE:
        request["administrative_warrant"] = row["administrative_warrant"]
    if row["information"] != NONE:
        request["information"] = row["information"]
    pending = []
    for pc in sorted(row["pending"] or [], key=lambda x: x["index"]):
        charges = []
        for ch in row["charges"] or []:
            if ch["case"] != pc["index"]:
                continue
            statute, sub = _statute(ch, ch.get("statute") is not None)
            charges.append({"statute": statute, "subdivision": sub, "level": ch["level"],
                            "patronizing": ch["patronizing"], "firearm_or_ammunition": ch["firearm_or_ammunition"]})
        pending.append({
            "charges": charges,
            "disposition": None if pc["disposition"] == NONE else pc["disposition"],
            "released_cpl_170_70": pc["released_cpl_170_70"],
            "family_court": pc["family_court"],
            "jurisdiction": pc.get("jurisdiction") or "NY",
        })
    person = {
        "convictions": [_conviction(c) for c in row["convictions"] or []],
        "incarcerations": [
            {"start": to_date(i["start_day"]).isoformat(), "end": to_date(i["end_day"]).isoformat(),
             "for_violent_or_serious": i["for_vsc"]}
            for i in row["incarcerations"] or []
        ],
        "pending_cases": pending,
        **{k: row[k] for k in _flags(Person) if k in row},
    }
    more_request, more_person = optional_parts(row.get)
    request.update(more_request)
    person.update(more_person)
    return {
        "agency": row["agency"],
        "decided_at": decided,
        "instant_arrest_date": to_date(row["arrest_day"]).isoformat() if row["has_arrest"] else None,
        "request": request,
        "person": person,
    }


# -- the checks of ``decide``, over a frame --------------------------------------


def frame_warnings(frame: pl.DataFrame) -> list[list[InputWarning]]:
    """``inputs.case_warnings`` for the rows of a facts frame: New York citations of no Penal
    Law article (the only warnings a frame can carry: its times are already local). The records
    are read as columns, and each distinct citation is looked up once."""
    out: list[list[InputWarning]] = [[] for _ in range(frame.height)]
    for col, field in (("convictions", "person.convictions[{i}].statute"),
                       ("charges", "person.pending_cases[{c}].charges[{k}].statute")):
        names = {f.name for f in frame.schema[col].inner.fields}  # type: ignore[union-attr]
        items = (frame.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"), pl.col(col))
                 .filter(pl.col(col).list.len() > 0)
                 .with_columns(pl.int_ranges(pl.col(col).list.len()).alias("_i"))
                 .explode(col, "_i").unnest(col))
        if not items.height:
            continue
        text = pl.col("section").cast(pl.String)
        if "statute" in names:
            text = pl.when(pl.col("statute").cast(pl.String).fill_null("") != "").then(
                pl.col("statute").cast(pl.String)).otherwise(text)
        keep = pl.col("code").cast(pl.String) == "PL"
        if col == "convictions" and "ny" in names:
            keep = keep & pl.col("ny").fill_null(True)
        cited = items.with_columns(text.alias("_text")).filter(keep.fill_null(False))
        said = {t: w for t in cited["_text"].unique().to_list() if (w := unknown_citation(t))}
        if not said:
            continue
        warned = cited.filter(pl.col("_text").is_in(list(said)))
        case = pl.col("case") if "case" in names else pl.lit(0)
        place = (items.filter(pl.col("_row").is_in(warned["_row"].unique().implode()))  # k: its place in its case
                 .select("_row", "_i", case.alias("_c"), pl.int_range(pl.len()).over("_row", case).alias("_k")))
        for row, i, c, k, t in warned.select("_row", "_i", "_text").join(place, on=["_row", "_i"], how="left",
                                                                            maintain_order="left").select(
                "_row", "_i", "_c", "_k", "_text").iter_rows():
            out[row].append(InputWarning(field=field.format(i=i, c=c, k=k), text=said[t]))
    return out


def check_frame(frame: pl.DataFrame, where: str = "", first_row: int = 0) -> None:
    """The checks ``decide`` and the Case model make, vectorized for a frame whose facts are present:
    every date in range and none after the decision, and the instant arrest date present when the
    law in force measures a lookback from it. Rows are named from ``first_row`` + 1 (a chunk names
    its row in the file)."""
    prefix = f"{where}: " if where else ""
    _check_days(frame, prefix, first_row)
    bad = frame.with_row_index("_i").filter(
        ~pl.col("has_arrest")
        & pl.col("kind").cast(pl.String).is_in(LOOKBACK_KINDS)
        & (pl.col("decided_day") >= LOOKBACK_FROM.toordinal())
        & ((pl.col("convictions").list.len().fill_null(0) > 0) | (pl.col("pending").list.len().fill_null(0) > 0))
    )
    if bad.height:
        r = bad.row(0, named=True)
        day = dt.date.fromordinal(r["decided_day"])
        e = missing_arrest_date(day)
        raise ValueError(f"{prefix}row {first_row + r['_i'] + 1} (case_id {r['case_id']}): {e}")


FIRST_DAY, LAST_DAY = (d.toordinal() for d in DATE_RANGE)
# (list column, day field, flag that says the day is present, spec field) of every dated record.
_RECORD_DAYS = (
    ("convictions", "offense_day", "has_offense", "person.convictions[{i}].offense_date"),
    ("convictions", "conviction_day", None, "person.convictions[{i}].conviction_date"),
    ("convictions", "judgment_day", "has_judgment", "person.convictions[{i}].judgment_date"),
    ("incarcerations", "start_day", None, "person.incarcerations[{i}].start"),
    ("incarcerations", "end_day", None, "person.incarcerations[{i}].end"),
)


def _check_days(frame: pl.DataFrame, prefix: str, first_row: int = 0) -> None:
    """The date checks of the Case model, vectorized for frames that never were Cases: every
    day in ``DATE_RANGE`` and no fact dated after the decision. The first bad row is named."""
    lo, hi = pl.lit(FIRST_DAY), pl.lit(LAST_DAY)
    rows = frame.with_row_index("_i", offset=first_row)
    span = f"is outside the supported range {DATE_RANGE[0]} to {DATE_RANGE[1]}"
    checks: list[tuple[pl.Expr, str, str]] = [
        (~pl.col("decided_day").is_between(lo, hi), "decided_at", span),
        (pl.col("decided_minute") // 1440 != pl.col("decided_day"), "decided_at",
         "decided_minute is not a time on decided_day"),
        (pl.col("has_arrest") & ~pl.col("arrest_day").is_between(lo, hi), "instant_arrest_date", span),
        (pl.col("has_arrest") & (pl.col("arrest_day") > pl.col("decided_day")), "instant_arrest_date",
         "is after decided_at"),
        (pl.col("has_jw_at") & ~(pl.col("jw_at_minute") // 1440).is_between(lo, hi), "request.judicial_warrant_at",
         span),
    ]
    if "decided_at" in frame.columns:  # the raw text the interpreter reads must be the day the columns hold
        raw_day = pl.col("decided_at").cast(pl.String).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        checks.append((pl.col("decided_at").is_not_null()
                       & (raw_day.is_null() | (raw_day.cast(pl.Int64) + EPOCH_ORDINAL != pl.col("decided_day"))),
                       "decided_at", "the decided_at text is not the day in decided_day"))
    for cond, field, problem in checks:
        bad = rows.filter(cond.fill_null(False))
        if bad.height:
            r = bad.row(0, named=True)
            raise ValueError(f"{prefix}row {r['_i'] + 1} (case_id {r['case_id']}): {field}: {problem}")
    exploded: dict[str, pl.DataFrame] = {}  # each list column's items once, with their place in the list (_k)
    for col, day, flag, field in _RECORD_DAYS:
        items = exploded.get(col)
        if items is None:
            items = exploded[col] = rows.select(
                "_i", "case_id", "decided_day", pl.col(col), pl.int_ranges(pl.col(col).list.len()).alias("_k"),
            ).explode(col, "_k").unnest(col)
        if items.height == 0 or day not in items.columns:
            continue
        present = pl.col(flag) if flag else pl.lit(True)
        out_of_range = present & ~pl.col(day).is_between(lo, hi)
        late = present & (pl.col(day) > pl.col("decided_day")) & pl.lit(not day.startswith("end"))
        bad = items.filter((out_of_range | late).fill_null(False))
        if bad.height:
            r = bad.row(0, named=True)
            problem = f"is outside the supported range {DATE_RANGE[0]} to {DATE_RANGE[1]}" if not (
                FIRST_DAY <= r[day] <= LAST_DAY) else "is after decided_at"
            raise ValueError(f"{prefix}row {r['_i'] + 1} (case_id {r['case_id']}): "
                             f"{field.format(i=r['_k'])}: {problem}")


FRAMES = Frames(raw=_RAW, raw_columns=("decided_at",), row=case_row, case=row_case, check=check_frame,
                warnings=frame_warnings)
