"""Reading claims (spec § Claims): a claims document (YAML or JSON) into ``Claim`` objects,
each with its laws (a range of decision days and a reform) and its ``given`` partial Case
normalised into nested mappings. What a claim means is checked in ``check``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from importlib.resources import files

import yaml

from detainerlaw.engine.calendar import as_date
from detainerlaw.engine.lower import CODES
from detainerlaw.engine.pack import BASELINE, Reform

KINDS = ("forall", "exists", "implies", "equivalent", "diff")
OUTCOMES = tuple(CODES)
NAMES = {v: k for k, v in CODES.items()}
DEFAULT_TIMEOUT_MS = 20_000


class ClaimError(ValueError):
    """A claim that cannot be read; the message names the field."""


# The place the claim being read or checked is about: the place its ``given`` names
# (``jurisdiction``), else the default place (``about``).
_PLACE: ContextVar[str | None] = ContextVar("claim_place", default=None)


@contextmanager
def about(place: str | None) -> Iterator[None]:
    """Read or check a claim about ``place`` (None: the default place)."""
    token = _PLACE.set(place)
    try:
        yield
    finally:
        _PLACE.reset(token)


def _pack():  # noqa: ANN202
    """The home layer's pack of the place the claim is about."""
    return _place().pack()


def _place():  # noqa: ANN202
    """The place the claim is about (``about``): its layers and their packs."""
    from detainerlaw import jurisdictions

    return jurisdictions.get(_PLACE.get() or jurisdictions.DEFAULT)


# -- laws -----------------------------------------------------------------------------


@dataclass
class Law:
    """A law to evaluate under: a range of decision days (one day for ``as_of``) and a reform."""

    lo: dt.date
    hi: dt.date
    reform: Reform = BASELINE

    def label(self) -> str:
        when = self.lo.isoformat() if self.lo == self.hi else f"{self.lo.isoformat()}..{self.hi.isoformat()}"
        return when if self.reform is BASELINE else f"{when} with {self.reform.name}"

    def reform_for(self, layer: str) -> Reform:
        """The reform as it applies to one layer of the place (it changes only the layer it names)."""
        return _place().reform_for(layer, self.reform)

    def epochs(self, pack=None, layer: str | None = None) -> list[tuple[dt.date, dt.date]]:  # noqa: ANN001
        """The parts of [lo, hi] in which one layer's law (the home layer's by default) is one snapshot."""
        reform = self.reform_for(layer) if layer else self.reform
        cuts = [b for b in (pack or _pack()).boundaries(reform) if self.lo < b <= self.hi]
        starts = [self.lo, *cuts]
        ends = [c - dt.timedelta(days=1) for c in cuts] + [self.hi]
        return list(zip(starts, ends))


def _parse_then(raw: dict, where: str, known: set[str] | frozenset[str]) -> dict[str, tuple[str, ...]]:
    """``then``: ACTION: OUTCOME (or a list of outcomes any of which satisfies it)."""
    then = raw.get("then")
    if not isinstance(then, dict) or not then:
        raise ClaimError(f"{where}.then: a mapping ACTION: OUTCOME is required")
    out: dict[str, tuple[str, ...]] = {}
    for a, o in then.items():
        if a not in known:
            raise ClaimError(f"{where}.then: unknown action {a!r} (one of {', '.join(sorted(known))})")
        outs = tuple(o) if isinstance(o, list) else (o,)
        for x in outs:
            if x not in OUTCOMES:
                raise ClaimError(f"{where}.then.{a}: {x!r} is not one of {', '.join(OUTCOMES)}")
        out[a] = outs
    return out


def parse_date(x: object, where: str) -> dt.date:
    try:
        return as_date(x)
    except ValueError as e:
        raise ClaimError(f"{where}: {e}") from None


def _reform(x: object, where: str) -> Reform:
    if x is None:
        return BASELINE
    if isinstance(x, str):
        try:
            from detainerlaw.scenarios import load_scenario
        except ImportError:
            raise ClaimError(f"{where}: named reforms need detainerlaw.scenarios") from None
        try:
            sc = load_scenario(x)
        except ValueError as e:
            raise ClaimError(f"{where}: {e}") from None
        return sc.reform() if hasattr(sc, "reform") else sc
    if isinstance(x, dict):
        unknown = set(x) - {"name", "params", "disable", "disable_from"}
        if unknown:
            raise ClaimError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (params, disable, disable_from)")
        params = x.get("params") or {}
        bad = sorted(set(params) - set(_pack().params.timelines))
        if bad:
            raise ClaimError(f"{where}.params: unknown parameter(s): {', '.join(bad)}")
        try:
            _pack().params.with_overrides(dict(params))  # each value's type and declared bounds
        except (ValueError, KeyError) as e:
            raise ClaimError(f"{where}.params.{str(e).strip(chr(39))}") from None
        digest = hashlib.sha1(json.dumps(x, sort_keys=True, default=str).encode()).hexdigest()[:10]
        return Reform(
            name=str(x.get("name") or f"inline-{digest}"),
            params=dict(params),
            disable=tuple(x.get("disable") or ()),
            disable_from=parse_date(x["disable_from"], f"{where}.disable_from") if x.get("disable_from") else None,
        )
    raise ClaimError(f"{where}: a reform is a scenario name or {{params: ..., disable: [...]}}")


def _law_item(x: object, where: str) -> Law:
    if isinstance(x, dict):
        if "as_of" not in x:
            raise ClaimError(f"{where}: as_of is required")
        d = parse_date(x["as_of"], f"{where}.as_of")
        return Law(d, d, _reform(x.get("reform"), f"{where}.reform"))
    d = parse_date(x, where)
    return Law(d, d)


# -- the claim ----------------------------------------------------------------------


@dataclass
class Claim:
    id: str
    kind: str
    text: str = ""
    laws: list[Law] = field(default_factory=list)
    given: dict = field(default_factory=dict)
    then: dict[str, tuple[str, ...]] = field(default_factory=dict)
    action: str | None = None
    limit: int = 10
    expect: str | None = None
    why: str = ""
    layer: str | None = None  # check ``then`` against this layer's answer (spec v2); None: the combined answer
    place: str | None = None  # the place its ``given`` names (``jurisdiction``); None: the default place


def actions_known() -> set[str]:
    p = _pack()
    kinds = p.schema.fields["kind"]
    return {a for ag in p.agencies for k in kinds for a in p.engaged(ag, k)}  # type: ignore[union-attr]


def parse_claim(raw: object, where: str) -> Claim:
    """A claim, read as about the place its ``given`` names (``given.jurisdiction``; the default place
    if it names none)."""
    if not isinstance(raw, dict):
        raise ClaimError(f"{where}: a claim is a mapping")
    given = raw.get("given")
    named = given.get("jurisdiction") if isinstance(given, dict) else None
    if named is not None:
        from detainerlaw import jurisdictions

        try:
            place = jurisdictions.get(str(named))
        except ValueError as e:
            raise ClaimError(f"{where}.given.jurisdiction: {getattr(e, 'problem', e)}") from None
        if place.symbolic is None:
            raise ClaimError(f"{where}.given.jurisdiction: {place.title}'s law package does not support claims "
                             "(it declares no symbolic reading of its cases)")
    with about(None if named is None else str(named)):
        c = _parse_claim(raw, where)
    c.place = None if named is None else str(named)
    return c


def _parse_claim(raw: dict, where: str) -> Claim:
    allowed = {"id", "text", "kind", "as_of", "between", "given", "then", "laws", "action", "limit", "expect", "why",
               "reform", "layer"}
    unknown = set(raw) - allowed
    if unknown:
        raise ClaimError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    cid = raw.get("id")
    if not cid or not isinstance(cid, str):
        raise ClaimError(f"{where}.id: required (a string)")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ClaimError(f"{where}.kind: {kind!r} is not one of {', '.join(KINDS)}")
    c = Claim(cid, kind, str(raw.get("text") or ""), why=str(raw.get("why") or ""))
    if raw.get("layer") is not None:
        layers = [layer.id for layer in _place().layers]
        if raw["layer"] not in layers:
            raise ClaimError(f"{where}.layer: {raw['layer']!r} is not one of {', '.join(layers)}")
        c.layer = raw["layer"]
    given = raw.get("given") or {}
    if not isinstance(given, dict):
        raise ClaimError(f"{where}.given: a partial Case (a mapping)")
    c.given = normalize_given(given, f"{where}.given")
    known = actions_known()
    if kind in ("forall", "exists"):
        reform = _reform(raw.get("reform"), f"{where}.reform")
        if "as_of" in raw and "between" in raw:
            raise ClaimError(f"{where}: give as_of or between, not both")
        if "as_of" in raw:
            d = parse_date(raw["as_of"], f"{where}.as_of")
            c.laws = [Law(d, d, reform)]
        elif "between" in raw:
            b = raw["between"]
            if not isinstance(b, list) or len(b) != 2:
                raise ClaimError(f"{where}.between: two dates [D1, D2]")
            d1, d2 = parse_date(b[0], f"{where}.between[0]"), parse_date(b[1], f"{where}.between[1]")
            if d2 < d1:
                raise ClaimError(f"{where}.between: {d2} is before {d1}")
            c.laws = [Law(d1, d2, reform)]
        else:
            raise ClaimError(f"{where}: as_of or between is required")
        c.then.update(_parse_then(raw, where, known))
    else:
        laws = raw.get("laws")
        if not isinstance(laws, list) or len(laws) != 2:
            raise ClaimError(f"{where}.laws: two laws [D1, D2] (a date or {{as_of, reform}} each)")
        c.laws = [_law_item(x, f"{where}.laws[{i}]") for i, x in enumerate(laws)]
        if "decided_at" in c.given:
            raise ClaimError(f"{where}.given.decided_at: fixed by laws")
        if kind == "implies":
            c.then.update(_parse_then(raw, where, known))
        else:
            a = raw.get("action")
            if a not in known:
                raise ClaimError(f"{where}.action: {a!r} is not one of {', '.join(sorted(known))}")
            c.action = a
        lim = raw.get("limit", 10)
        if not isinstance(lim, int) or lim < 1:
            raise ClaimError(f"{where}.limit: a positive integer")
        c.limit = lim
    exp = raw.get("expect")
    if exp is not None and exp not in ("holds", "fails", "unknown"):
        raise ClaimError(f"{where}.expect: one of holds, fails, unknown")
    c.expect = exp
    return c


def normalize_given(given: dict, where: str) -> dict:
    """Dotted paths (``person.convictions[0].statute: PL 120.08``) become nested mappings."""
    out: dict = {}
    for k, v in given.items():
        if isinstance(v, dict) and k not in _DATE_KEYS:
            v = normalize_given(v, f"{where}.{k}")
        elif isinstance(v, list):
            v = [normalize_given(x, f"{where}.{k}[{i}]") if isinstance(x, dict) else x for i, x in enumerate(v)]
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", str(k))
        _put(out, parts, v, where)
    return out


_DATE_KEYS = {"decided_at", "instant_arrest_date", "offense_date", "conviction_date", "judgment_date", "start", "end",
              "judicial_warrant_at"}


def _put(d: dict | list, parts: list[str], v: object, where: str) -> None:
    head, rest = parts[0], parts[1:]
    if head.startswith("["):
        raise ClaimError(f"{where}: a path cannot start with an index")
    if not rest:
        if isinstance(d.get(head), dict) and isinstance(v, dict):  # type: ignore[union-attr]
            d[head].update(v)  # type: ignore[index]
        else:
            d[head] = v  # type: ignore[index]
        return
    if rest[0].startswith("["):
        i = int(rest[0][1:-1])
        lst = d.setdefault(head, [])  # type: ignore[union-attr]
        while len(lst) <= i:
            lst.append({})
        if len(rest) == 1:
            lst[i] = v
        else:
            _put(lst[i], rest[1:], v, where)
        return
    _put(d.setdefault(head, {}), rest, v, where)  # type: ignore[union-attr]


def load_claims_text(text: str, where: str = "claims") -> dict:
    """A claims document from YAML (or JSON) text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ClaimError(f"{where}: not valid YAML ({e})") from None
    except ValueError as e:  # e.g. an impossible date such as 2024-13-01
        raise ClaimError(f"{where}: {e}") from None
    if not isinstance(data, dict):
        raise ClaimError(f"{where}: a mapping with a 'claims' list")
    return data


def parse_claims(data: dict) -> list[Claim]:
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise ClaimError("claims: a list of claims is required")
    out = [parse_claim(c, f"claims[{i}]") for i, c in enumerate(data["claims"])]
    seen: set[str] = set()
    for c in out:
        if c.id in seen:
            raise ClaimError(f"claims: id {c.id!r} is used twice")
        seen.add(c.id)
    return out


def bundled_claims() -> dict:
    """The claims shipped with the package (the 2024 debate)."""
    text = files("detainerlaw.claims").joinpath("data/debate-2024.yaml").read_text()
    return load_claims_text(text, "debate-2024.yaml")
