"""The Case: what an agency knows when a federal request arrives (spec § Case).

Everything a user submits is validated here, so that every backend can assume a
well-formed case: dates exist, judgments do not precede convictions, spells do
not end before they start, and statutes of New York convictions parse.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from detainerlaw.models.statutes import parse_statute


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


class Requester(str, Enum):
    federal_immigration = "federal_immigration"
    other_federal = "other_federal"
    state_or_local = "state_or_local"


class Purpose(str, Enum):
    civil_immigration = "civil_immigration"
    criminal_immigration = "criminal_immigration"
    criminal_other = "criminal_other"


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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class Request(_Strict):
    """The federal request, with the papers that came with it."""

    kind: RequestKind
    requester: Requester = Requester.federal_immigration
    purpose: Purpose = Purpose.civil_immigration
    judicial_warrant: bool = False
    judicial_warrant_at: dt.datetime | None = None
    administrative_warrant: Literal["I-200", "I-205"] | None = None
    information: InformationKind | None = None
    required_by_law: bool = False
    # Extension for LL 63/2026: the requesting federal officer's duties include immigration
    # enforcement in whole or in part (§ 9-131(a)(4), § 14-154(a)(3) as amended).
    requester_immigration_duties: bool = False
    # Extensions for § 4-210 (access to non-public areas of city property): the other
    # grounds on which access may be given besides a judicial warrant or a legal duty.
    agreement: bool = False
    cooperative_arrangement: bool = False
    exigent_circumstances: bool = False
    furthers_agency_mission: bool = False
    # A warrant of a federal or New York State court authorizing entry or search: enough
    # for § 4-210(b)(2), not for the custody warrant of § 9-131(a)(5).
    access_warrant: bool = False

    @model_validator(mode="after")
    def _information_kind(self) -> Request:
        if self.kind == RequestKind.information and self.information is None:
            raise ValueError("request.information is required when request.kind is 'information'")
        return self


class Charge(_Strict):
    statute: str
    subdivision: str | None = None
    level: Level
    # Extensions needed by the 2013 "covered" definitions (§ 9-131(a)(3)-(4) as of LL 22/2013).
    patronizing: bool = False
    firearm_or_ammunition: bool = False

    @field_validator("statute")
    @classmethod
    def _parse(cls, v: str) -> str:
        parse_statute(v, strict=True)
        return v


class PendingCase(_Strict):
    charges: list[Charge] = Field(default_factory=list)
    disposition: Disposition | None = None
    released_cpl_170_70: bool = False
    family_court: bool = False
    jurisdiction: str = "NY"


class Conviction(_Strict):
    statute: str
    subdivision: str | None = None
    level: Level
    jurisdiction: str = "NY"
    offense_date: dt.date | None = None
    conviction_date: dt.date
    judgment_date: dt.date | None = None
    sentence: Sentence | None = None
    youthful_offender: bool = False
    juvenile_delinquent: bool = False
    hate_crime: bool = False
    inchoate: Inchoate | None = None
    predicate_felony: bool = False
    equivalent_statute: str | None = None
    patronizing: bool = False

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
    start: dt.date
    end: dt.date
    for_violent_or_serious: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Incarceration:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Person(_Strict):
    convictions: list[Conviction] = Field(default_factory=list)
    incarcerations: list[Incarceration] = Field(default_factory=list)
    pending_cases: list[PendingCase] = Field(default_factory=list)
    outstanding_criminal_warrant: bool = False
    gang_database_match: bool = False
    terrorist_screening_match: bool = False
    removal_warrant_outstanding: bool = False
    final_order_of_removal: bool = False
    reentered_after_removal: bool = False
    mandatory_youthful_offender: bool = False


DecidedAt = Union[dt.datetime, dt.date]


class Case(_Strict):
    """One request about one person, decided under the law in force at ``decided_at``."""

    jurisdiction: Literal["nyc"] = "nyc"
    agency: Agency
    decided_at: DecidedAt
    instant_arrest_date: dt.date | None = None
    request: Request
    person: Person = Field(default_factory=Person)

    @field_validator("decided_at", mode="before")
    @classmethod
    def _date_or_time(cls, v: object) -> object:
        # A bare date stays a date (the agency acts on that day, at midnight for the NYPD window).
        if isinstance(v, str) and len(v) == 10:
            return dt.date.fromisoformat(v)
        return v

    @property
    def decided_datetime(self) -> dt.datetime:
        d = self.decided_at
        return d if isinstance(d, dt.datetime) else dt.datetime(d.year, d.month, d.day)

    @property
    def decided_date(self) -> dt.date:
        return self.decided_datetime.date()

    @model_validator(mode="after")
    def _arrest_before_decision(self) -> Case:
        if self.instant_arrest_date is not None and self.instant_arrest_date > self.decided_date:
            raise ValueError(
                f"instant_arrest_date {self.instant_arrest_date} is after decided_at {self.decided_date}"
            )
        for i, c in enumerate(self.person.convictions):
            if c.conviction_date > self.decided_date:
                raise ValueError(f"person.convictions[{i}].conviction_date is after decided_at")
        return self
