"""The Case: what an agency knows when a federal request arrives (spec § Case).

Everything a user submits is validated here, so that every backend can assume a
well-formed case: dates exist, judgments do not precede convictions, spells do
not end before they start, and statutes of New York convictions parse.

Input is read strictly, because a lax reading gives silent wrong answers: booleans must
be JSON ``true``/``false`` (not ``"yes"`` or ``1``), dates must be ``YYYY-MM-DD`` strings
or ``date`` objects (not integers), every date and time lies in ``DATE_RANGE``
(1900-01-01 to 2099-12-31), and no fact of the history is dated after ``decided_at``.
Times are New York local time: a time written with an offset (``Z``, ``-04:00``) is
converted to local time in America/New_York, and the conversion is recorded (see
``Case.conversions``) so that a Decision can say which local time it used. A local time
without an offset is a New York clock reading, kept as given; one the clocks repeat
(``2019-11-03T01:30``) or skip (``2019-03-10T02:30``) when daylight saving time ends or
starts is recorded there too, so the Decision warns of it. It is not refused: every backend
applies the law to local clock minutes (facts frames hold such readings), so it is decided
the same everywhere. Statutes are NFKC-normalized; a digit of another script is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import Enum
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from detainerlaw.laws.nyc.statutes import char_name, parse_statute


class Agency(str, Enum):
    doc = "doc"
    nypd = "nypd"
    dop = "dop"


class RequestKind(str, Enum):
    detainer = "detainer"
    information = "information"
    office = "office"
    facility_access = "facility_access"
    criminal_warrant = "criminal_warrant"
    # A civil arrest at, or on the way to or from, a court proceeding (Civil Rights Law § 28).
    courthouse_arrest = "courthouse_arrest"
    # An agreement placing agency staff under federal immigration direction (8 U.S.C. § 1357(g)).
    agreement_287g = "agreement_287g"
    # Handing the person to federal immigration authorities when released (Wells; register Q-W3).
    transfer = "transfer"


class CourtAttendance(str, Enum):
    """Where the person is in attending a court proceeding (CRL § 28(1): "going to, remaining
    at, and returning from")."""

    going_to = "going_to"
    at = "at"
    returning_from = "returning_from"


class CourtRole(str, Enum):
    """Why the person attends (CRL § 28(1)): a party or potential witness, or a family or
    household member of one."""

    party = "party"
    potential_witness = "potential_witness"
    family_or_household = "family_or_household"


class OrderIssuer(str, Enum):
    """Who signed the warrant or order presented for an arrest or for records: the state laws
    differ on whom they accept (POCA: a judge of the judicial branch; Green Light: an Article
    III judge's warrant or a court order); an immigration judge or ICE officer is not a court."""

    article_iii = "article_iii"
    magistrate = "magistrate"
    state_judge = "state_judge"
    immigration_judge = "immigration_judge"
    ice_officer = "ice_officer"


class Requester(str, Enum):
    federal_immigration = "federal_immigration"
    other_federal = "other_federal"
    state_or_local = "state_or_local"


class Purpose(str, Enum):
    civil_immigration = "civil_immigration"
    criminal_immigration = "criminal_immigration"
    criminal_other = "criminal_other"


class ImmigrationOffence(str, Enum):
    """The federal offence a criminal-immigration request enforces: § 10-178(a) as enacted
    (LL 228/2017) reaches only the INA's presence, entry and re-entry offences; LL 63/2026
    adds other federal presence and failure-to-depart offences, the INA's registration,
    travel-document and supervision requirements, and laws used as a proxy."""

    presence_entry_reentry = "presence_entry_reentry"
    failure_to_depart_or_other_federal = "failure_to_depart_or_other_federal"
    registration_documents_supervision = "registration_documents_supervision"
    proxy = "proxy"


class FactSource(str, Enum):
    """Who showed a circumstance: the versions differ on whom they accept (the e-JusticeNY
    records search always; a court from 2013; "any other governmental entity" from 2014; ICE
    itself for removal orders and warrants of removal in 2011 and 2013)."""

    records_search = "records_search"
    court = "court"
    government = "government"
    ice = "ice"


SOURCED_FLAGS = (
    "outstanding_criminal_warrant",
    "gang_database_match",
    "terrorist_screening_match",
    "removal_warrant_outstanding",
    "final_order_of_removal",
    "reentered_after_removal",
)
SourcedFlag = Literal[
    "outstanding_criminal_warrant",
    "gang_database_match",
    "terrorist_screening_match",
    "removal_warrant_outstanding",
    "final_order_of_removal",
    "reentered_after_removal",
]


class InformationKind(str, Enum):
    release_date = "release_date"
    court_date = "court_date"
    incarceration_status = "incarceration_status"
    immigration_status = "immigration_status"
    other = "other"


class Level(str, Enum):
    felony = "felony"
    misdemeanor = "misdemeanor"
    violation = "violation"


class Inchoate(str, Enum):
    attempt = "attempt"
    conspiracy = "conspiracy"
    solicitation = "solicitation"
    facilitation = "facilitation"


class Sentence(str, Enum):
    incarceration = "incarceration"
    probation = "probation"
    conditional_discharge = "conditional_discharge"
    fine = "fine"
    other = "other"


class Disposition(str, Enum):
    acd = "acd"
    conditional_discharge = "conditional_discharge"


# A hand-over delay longer than a week is not a hand-over at release (and keeps minute arithmetic small).
MAX_DELAY_MINUTES = 7 * 24 * 60
NEW_YORK = ZoneInfo("America/New_York")
# Every date and time of a Case lies in this range: far wider than any record or law this
# project models, and narrow enough that the arithmetic the law needs (five or ten years
# added to a date, 48 counting hours after a time) stays inside the calendar and holiday
# tables of every backend (the columnar day table ends on 2100-12-31).
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2099, 12, 31))
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$")


def _error(kind: str, message: str, **ctx: object) -> PydanticCustomError:
    return PydanticCustomError(kind, message, ctx or None)


def _in_range(d: dt.date, v: object) -> None:
    lo, hi = DATE_RANGE
    day = d.date() if isinstance(d, dt.datetime) else d
    if not lo <= day <= hi:
        raise _error("date_out_of_range", "{value} is outside the supported range {lo} to {hi}",
                     value=str(v), lo=lo.isoformat(), hi=hi.isoformat())


def strict_date(v: object) -> dt.date:
    """A ``date`` or a ``YYYY-MM-DD`` string, in ``DATE_RANGE``; never an integer or a time."""
    if isinstance(v, dt.datetime) or not isinstance(v, (str, dt.date)):
        raise _error("date_type", "expected a date as YYYY-MM-DD, got {type}", type=type(v).__name__)
    if isinstance(v, str):
        if not _ISO_DATE.match(v):
            raise _error("date_format", "{value} is not a date as YYYY-MM-DD", value=repr(v[:40]))
        try:
            v = dt.date.fromisoformat(v)
        except ValueError as e:
            raise _error("date_invalid", "{value} is not a date on the calendar ({reason})", value=v,
                         reason=str(e)) from None
    _in_range(v, v)
    return v


def strict_time(v: object) -> dt.datetime:
    """A time (``datetime`` or ISO string), as naive New York local time: an aware time is
    converted to America/New_York, a naive one is already local (spec § Case)."""
    if not isinstance(v, (str, dt.datetime)):
        raise _error("datetime_type", "expected a time as YYYY-MM-DDTHH:MM, got {type}", type=type(v).__name__)
    if isinstance(v, str):
        if not _ISO_TIME.match(v):
            raise _error("datetime_format", "{value} is not a time as YYYY-MM-DDTHH:MM[:SS][offset]",
                         value=repr(v[:40]))
        try:
            t = dt.datetime.fromisoformat(v)
        except ValueError as e:
            raise _error("datetime_invalid", "{value} is not a time on the calendar ({reason})", value=v,
                         reason=str(e)) from None
    else:
        t = v
    _in_range(t, v)  # before converting: a year-9999 time must not overflow in the conversion
    if t.tzinfo is not None and t.utcoffset() is not None:
        t = t.astimezone(NEW_YORK).replace(tzinfo=None)
        _in_range(t, v)
    # A naive time is a New York clock reading and is kept as given, even one the clocks skip or repeat
    # when daylight saving time starts or ends: every backend applies the law to local clock minutes, so
    # it is decided the same everywhere, and the Case reports it (``conversions``, read as warnings).
    return t.replace(tzinfo=None, fold=0)


def local_time_exists(t: dt.datetime) -> bool:
    """Whether the naive New York time ``t`` is on the clock (not skipped when daylight saving
    time starts, e.g. 2019-03-10T02:30)."""
    t = t.replace(tzinfo=None)
    back = t.replace(tzinfo=NEW_YORK).astimezone(dt.UTC).astimezone(NEW_YORK).replace(tzinfo=None)
    return back == t


def local_time_ambiguous(t: dt.datetime) -> bool:
    """Whether the naive New York time ``t`` occurs twice (the hour repeated when daylight
    saving time ends, e.g. 2019-11-03T01:30)."""
    t = t.replace(tzinfo=None)
    return local_time_exists(t) and (t.replace(tzinfo=NEW_YORK, fold=0).utcoffset()
                                     != t.replace(tzinfo=NEW_YORK, fold=1).utcoffset())


def _date_or_time(v: object) -> dt.date | dt.datetime:
    # A bare date stays a date (the agency acts on that day, at midnight for the NYPD window).
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return strict_date(v)
    if isinstance(v, str) and _ISO_DATE.match(v):
        return strict_date(v)
    if not isinstance(v, (str, dt.datetime)):
        raise _error("date_or_time_type", "expected a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM), got {type}",
                     type=type(v).__name__)
    if isinstance(v, str) and not _ISO_TIME.match(v):
        raise _error("date_or_time_format", "{value} is not a date as YYYY-MM-DD or a time as "
                     "YYYY-MM-DDTHH:MM[:SS][offset]", value=repr(v[:40]))
    return strict_time(v)


def _is_aware(v: object) -> bool:
    if isinstance(v, dt.datetime):
        return v.utcoffset() is not None
    return isinstance(v, str) and bool(_ISO_TIME.match(v)) and bool(re.search(r"(Z|[+-]\d{2}:?\d{2})$", v))


Day = Annotated[dt.date, BeforeValidator(strict_date)]
Time = Annotated[dt.datetime, BeforeValidator(strict_time)]
DayOrTime = Annotated[Union[dt.datetime, dt.date], BeforeValidator(_date_or_time)]


def _nfkc(v: object) -> object:
    """Citations typed with full-width or compatibility characters read as plain ones; a digit
    of another script (``PL ١٦٠.١٠``) is refused: no citation of these laws is written with one."""
    if not isinstance(v, str):
        return v
    v = unicodedata.normalize("NFKC", v)
    for ch in v:
        if not ch.isascii() and unicodedata.decimal(ch, None) is not None:
            raise _error("citation_digit", "{value} holds the digit {char} ({name}): write the citation with the "
                         "digits 0-9", value=repr(v[:40]), char=repr(ch), name=char_name(ch))
    return v


def _subdivision(v: object) -> object:
    """A subdivision (``2(a)(i)``) in plain characters: after NFKC normalization anything but
    ASCII is refused (it would otherwise be dropped from the key the law matches on)."""
    v = _nfkc(v)
    if isinstance(v, str):
        bad = next((ch for ch in v if not ch.isascii()), None)
        if bad is not None:
            raise _error("subdivision_ascii", "{value} holds {char} ({name}): write the subdivision with the digits "
                         "0-9, the letters a-z and parentheses, e.g. 2(a)(i)", value=repr(v[:40]), char=repr(bad),
                         name=char_name(bad))
    return v


Citation = Annotated[str, BeforeValidator(_nfkc)]
SubdivisionText = Annotated[str, BeforeValidator(_subdivision)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Request(_Strict):
    """The federal request, with the papers that came with it."""

    kind: RequestKind
    requester: Requester = Requester.federal_immigration
    purpose: Purpose = Purpose.civil_immigration
    judicial_warrant: StrictBool = False
    judicial_warrant_at: Time | None = None
    administrative_warrant: Literal["I-200", "I-205"] | None = None
    information: InformationKind | None = None
    required_by_law: StrictBool = False
    # Extension for LL 63/2026: the requesting federal officer's duties include immigration
    # enforcement in whole or in part (§ 9-131(a)(4), § 14-154(a)(3) as amended).
    requester_immigration_duties: StrictBool = False
    # Extensions for § 4-210 (access to non-public areas of city property): the other
    # grounds on which access may be given besides a judicial warrant or a legal duty.
    agreement: StrictBool = False
    cooperative_arrangement: StrictBool = False
    exigent_circumstances: StrictBool = False
    furthers_agency_mission: StrictBool = False
    # A warrant of a federal or New York State court authorizing entry or search: enough
    # for § 4-210(b)(2), not for the custody warrant of § 9-131(a)(5).
    access_warrant: StrictBool = False
    # Extension for § 10-178(a): which federal offence a criminal-immigration request
    # enforces; null reads as the INA presence/entry/re-entry offences (the 2017 core).
    immigration_offence: ImmigrationOffence | None = None
    # Extensions for New York State law. A courthouse arrest: whether the agency assists
    # federal officers' arrest rather than executing it itself (CRL § 28(2) bars both).
    assist: StrictBool = False
    # Who signed the warrant or order authorizing the arrest or disclosure (CRL § 28(1), VTL § 201(12)).
    judicial_order_issuer: OrderIssuer | None = None
    # The information comes from DMV records (VTL § 201(12), the Green Light law).
    dmv_records: StrictBool = False
    # A transfer: minutes the person is kept past release for the hand-over (register Q-W3).
    delay_minutes: StrictInt = Field(default=0, ge=0, le=MAX_DELAY_MINUTES)

    @model_validator(mode="after")
    def _information_kind(self) -> Request:
        if self.kind == RequestKind.information and self.information is None:
            raise ValueError("request.information is required when request.kind is 'information'")
        return self


class Charge(_Strict):
    statute: Citation
    subdivision: SubdivisionText | None = None
    level: Level
    # Extensions needed by the 2013 "covered" definitions (§ 9-131(a)(3)-(4) as of LL 22/2013).
    patronizing: StrictBool = False
    firearm_or_ammunition: StrictBool = False

    @field_validator("statute")
    @classmethod
    def _parse(cls, v: str) -> str:
        parse_statute(v, strict=True)
        return v


class PendingCase(_Strict):
    charges: list[Charge] = Field(default_factory=list)
    disposition: Disposition | None = None
    released_cpl_170_70: StrictBool = False
    family_court: StrictBool = False
    jurisdiction: str = "NY"


class Conviction(_Strict):
    statute: Citation
    subdivision: SubdivisionText | None = None
    level: Level
    jurisdiction: str = "NY"
    offense_date: Day | None = None
    conviction_date: Day
    judgment_date: Day | None = None
    sentence: Sentence | None = None
    youthful_offender: StrictBool = False
    juvenile_delinquent: StrictBool = False
    hate_crime: StrictBool = False
    inchoate: Inchoate | None = None
    predicate_felony: StrictBool = False
    equivalent_statute: Citation | None = None
    patronizing: StrictBool = False

    @model_validator(mode="after")
    def _coherent(self) -> Conviction:
        ny = self.jurisdiction.upper() == "NY"
        parse_statute(self.statute, strict=ny)
        if self.equivalent_statute is not None:
            parse_statute(self.equivalent_statute, strict=True)
        if self.judgment_date is not None and self.judgment_date < self.conviction_date:
            raise ValueError(
                f"judgment_date {self.judgment_date} is before conviction_date {self.conviction_date}:"
                " a judgment is entered at or after the conviction (CPL 1.20(15))"
            )
        if self.offense_date is not None and self.offense_date > self.conviction_date:
            raise ValueError(f"offense_date {self.offense_date} is after conviction_date {self.conviction_date}")
        return self


class Incarceration(_Strict):
    start: Day
    end: Day
    for_violent_or_serious: StrictBool = False

    @model_validator(mode="after")
    def _ordered(self) -> Incarceration:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Person(_Strict):
    convictions: list[Conviction] = Field(default_factory=list)
    incarcerations: list[Incarceration] = Field(default_factory=list)
    pending_cases: list[PendingCase] = Field(default_factory=list)
    outstanding_criminal_warrant: StrictBool = False
    gang_database_match: StrictBool = False
    terrorist_screening_match: StrictBool = False
    removal_warrant_outstanding: StrictBool = False
    final_order_of_removal: StrictBool = False
    reentered_after_removal: StrictBool = False
    mandatory_youthful_offender: StrictBool = False
    # Extension (where a fact came from): who showed each of the flags above; a flag not
    # named here was shown by the records search, which every version accepts.
    sources: dict[SourcedFlag, FactSource] = Field(default_factory=dict)
    # Extensions for the Protect Our Courts Act (CRL § 28): attending a court proceeding, and as whom.
    court_attendance: CourtAttendance | None = None
    court_role: CourtRole | None = None


DecidedAt = Union[dt.datetime, dt.date]  # kept for importers


class Case(_Strict):
    """One request about one person, decided under the law in force at ``decided_at``."""

    jurisdiction: Literal["nyc"] = "nyc"
    agency: Agency
    decided_at: DayOrTime
    instant_arrest_date: Day | None = None
    request: Request
    person: Person = Field(default_factory=Person)

    # Times given with an offset and converted to New York local time: (field, as given, as used).
    _conversions: tuple[tuple[str, str, str], ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _record_conversions(cls, data: Any, handler: Any) -> Case:
        case = handler(data)
        if isinstance(data, dict):
            found = []
            req = data.get("request")
            for field, raw, used in (
                ("decided_at", data.get("decided_at"), case.decided_at),
                ("request.judicial_warrant_at", req.get("judicial_warrant_at") if isinstance(req, dict) else None,
                 case.request.judicial_warrant_at),
            ):
                if _is_aware(raw) and isinstance(used, dt.datetime):
                    given = raw.isoformat() if isinstance(raw, dt.datetime) else str(raw)
                    found.append((field, given, used.isoformat(timespec="minutes")))
                elif isinstance(used, dt.datetime) and local_time_ambiguous(used):
                    # The hour repeated when daylight saving time ends: the law reads local clock time, so
                    # both readings are decided alike; the decision says which clock time it used.
                    local = used.isoformat(timespec="minutes")
                    found.append((field, local, f"{local} (a time that occurs twice that night: the law is applied "
                                                "to the local clock time, so both readings are decided alike)"))
                elif isinstance(used, dt.datetime) and not local_time_exists(used):
                    # The hour skipped when daylight saving time starts: kept as the clock reading given.
                    local = used.isoformat(timespec="minutes")
                    found.append((field, local, f"{local} (a clock time skipped that night, when the clocks went "
                                                "forward an hour: the law is applied to it as given)"))
            case._conversions = tuple(found)
        return case

    @property
    def conversions(self) -> tuple[tuple[str, str, str], ...]:
        """(field, as given, New York local time used) for each time given with an offset."""
        return self._conversions

    @property
    def decided_datetime(self) -> dt.datetime:
        d = self.decided_at
        return d if isinstance(d, dt.datetime) else dt.datetime(d.year, d.month, d.day)

    @property
    def decided_date(self) -> dt.date:
        return self.decided_datetime.date()

    @model_validator(mode="after")
    def _history_before_decision(self) -> Case:
        """Facts dated after the decision cannot be known when the agency acts: each is
        reported at its own field (all of them at once)."""
        day = self.decided_date
        dated: list[tuple[tuple[str | int, ...], dt.date | None]] = [
            (("instant_arrest_date",), self.instant_arrest_date)]
        for i, c in enumerate(self.person.convictions):
            for name in ("offense_date", "conviction_date", "judgment_date"):
                dated.append((("person", "convictions", i, name), getattr(c, name)))
        for i, s in enumerate(self.person.incarcerations):
            dated.append((("person", "incarcerations", i, "start"), s.start))
        errors = [
            InitErrorDetails(
                type=_error("after_decision", "{value} is after decided_at {decided}: a fact dated after the "
                            "decision cannot be known when the agency acts", value=d.isoformat(),
                            decided=day.isoformat()),
                loc=loc, input=d.isoformat())
            for loc, d in dated if d is not None and d > day
        ]
        if errors:
            raise ValidationError.from_exception_data("Case", errors)
        return self
