"""Places as plug-ins: what a law package provides so that the engine and the interfaces
can decide, list and simulate its cases without knowing the place.

A place (``case.jurisdiction``) is a folder under ``detainerlaw/laws/`` whose package
defines ``JURISDICTION``: its case model and how a case becomes facts, the laws that
govern it as layers (highest first, each a law pack with its own versions, reusable by
other places), the labels its pages show, and its bundled examples and scenarios. The
registry finds every such package; nothing else names a place.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.errors import InputError
from detainerlaw.models.decision import InputWarning


@dataclass(frozen=True)
class Layer:
    """One law in a place's stack: ``us`` (federal), ``ny`` (a state), ``nyc`` (a city's code)..."""

    id: str
    title: str
    pack: Callable[[], LawPack]  # built on first use, shared by every place that stacks it


@dataclass(frozen=True)
class Labels:
    """Words the interfaces show for a place's codes (metadata beside the law)."""

    agencies: dict[str, str]
    actions: dict[str, str]
    sections: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Frames:
    """How a place's cases become rows of a facts frame (one Polars row per case, the columns of its
    facts schema) and back, and the checks its case model and ``check`` make, vectorized over a
    frame. ``detainerlaw.frame`` reads and writes frames with these; it knows no place."""

    raw: dict[str, dict[str, Any]]  # per list column: record fields kept as given (Polars types)
    raw_columns: tuple[str, ...]  # top-level String columns kept as given (e.g. the decision time's text)
    row: Callable[[Any], dict]  # a case -> its facts with the raw columns
    case: Callable[[dict], dict]  # a row -> the case's data (what the case model validates)
    check: Callable[[Any, str, int], None]  # (frame, where, first row) -> raises ValueError naming the row
    warnings: Callable[[Any], list[list[InputWarning]]]  # each row's input warnings


@dataclass(frozen=True)
class Reports:
    """The reports a place's law mandates, made from the decision log's entries."""

    period: Callable[[str, int], dict]  # (agency, year) -> {"start", "end", ...}; InputError naming the option
    report: Callable[[list[dict], str, Any, Any], dict]  # (entries, agency, start, end) -> the report
    public: Callable[[dict], dict]  # the report with small counts withheld


@dataclass(frozen=True)
class Symbolic:
    """How the claim checker reads a place's cases symbolically: a claim's ``given`` (a partial
    case in the place's case model) as constraints on the solver's symbolic case, and a solver
    model back as a case of the place's model (a counterexample)."""

    given: Callable[[dict, str], Any]  # (given, where) -> an object with the constraints (claims.problem)
    render: Callable[[Any, Any, int], dict]  # (problem, model, law index) -> the case's data


@dataclass(frozen=True)
class Population:
    """What a place provides for populations (its modules imported on first use, so deciding one
    case never loads them): the bundled sample (a weighted facts frame), a synthesizer, an importer
    of published data, a validation against published figures, and the offences its law lists (the
    screener's picker)."""

    sample: Callable[[], Any]
    synthesize: Callable[..., Any] | None = None
    import_published: Callable[..., Any] | None = None
    validate: Callable[..., Any] | None = None  # a frame -> rows (dataclasses) of published figure beside the frame's
    read: Callable[[Any], Any] | None = None  # a population file (Parquet) -> a frame ``validate`` reads
    offences: Callable[[], list[dict]] = list


def _no_warnings(_: Any) -> list[InputWarning]:
    return []


def _no_check(_: Any) -> None:
    return None


@dataclass(frozen=True)
class Jurisdiction:
    """Everything a place's law package provides (the plug-in contract)."""

    id: str
    title: str
    layers: tuple[Layer, ...]  # highest first
    home: str  # the layer a plain reform or scenario changes (the place's own law)
    case_model: type[BaseModel]
    facts: Callable[[Any], dict]  # a case -> the facts of the layers' schema
    labels: Labels
    data: Traversable  # examples/ (public cases with their expected answers)
    check: Callable[[Any], None] = _no_check  # raises InputError for a case the law in force cannot decide
    warnings: Callable[[Any], list[InputWarning]] = _no_warnings  # accepted input that may not mean what it says
    cite: Callable[[str], str] = str  # a rule's citation as a reader sees it (adds the code's name)
    frames_of: Callable[[], Frames] | None = None  # many cases as one frame (None: one by one); built on first use
    population: Population | None = None  # populations to simulate (None: the place decides cases only)
    reports_of: Callable[[], Reports] | None = None  # mandated reports (None: the law mandates none); on first use
    symbolic_of: Callable[[], Symbolic] | None = None  # claims about the law (None: no claim checker); on first use

    @cached_property
    def _packs(self) -> dict[str, LawPack]:
        packs = {layer.id: layer.pack() for layer in self.layers}
        for layer in self.layers:  # a packaged layer is built from its package and those beside it (``laws``)
            parent = sys.modules.get(getattr(layer.pack, "__module__", "").rpartition(".")[0])
            if packs[layer.id].built_from is None and getattr(parent, "__file__", None):
                packs[layer.id].built_from = Path(parent.__file__).parent  # type: ignore[union-attr, arg-type]
        return packs

    def pack(self, layer: str | None = None) -> LawPack:
        """The law pack of one layer (the home layer by default)."""
        return self._packs[layer or self.home]

    @cached_property
    def _stack(self) -> tuple[tuple[Layer, LawPack], ...]:
        return tuple((layer, self._packs[layer.id]) for layer in self.layers)

    def stack(self) -> tuple[tuple[Layer, LawPack], ...]:
        """Every layer with its pack, highest first."""
        return self._stack

    def reform_for(self, layer: str, reform: Reform) -> Reform:
        """``reform`` as one layer sees it: it changes only the layer it names (the home layer by default)."""
        return reform if (reform.layer or self.home) == layer else BASELINE

    def layered(self, pack: LawPack | None = None, reform: Reform = BASELINE) -> list[tuple[str, LawPack, Reform]]:
        """Each layer's id, pack and reform, highest first: ``pack`` replaces the home layer's pack and
        ``reform`` applies to the layer it names (what every backend evaluates)."""
        return [(layer.id, pack if pack is not None and layer.id == self.home else p, self.reform_for(layer.id, reform))
                for layer, p in self.stack()]

    @cached_property
    def frames(self) -> Frames | None:
        """How the place's cases become facts-frame rows (loaded on first use: it needs Polars)."""
        return self.frames_of() if self.frames_of else None

    @cached_property
    def symbolic(self) -> Symbolic | None:
        """How claims read the place's cases (loaded on first use: it needs Z3)."""
        return self.symbolic_of() if self.symbolic_of else None

    @cached_property
    def reports(self) -> Reports | None:
        """The reports the place's law mandates (loaded on first use)."""
        return self.reports_of() if self.reports_of else None

    @property
    def schema(self) -> Any:
        """The facts schema the place's layers read (the home layer's)."""
        return self.pack().schema

    def parse_case(self, data: object) -> Any:
        """A case of this place from JSON-like data (pydantic validation errors propagate)."""
        return self.case_model.model_validate(data)


_REGISTRY: dict[str, Jurisdiction] = {}
_lock = threading.Lock()
_found = False
_PACKAGED: set[str] = set()


def register(j: Jurisdiction) -> Jurisdiction:
    """Add a place (a law package calls this, or a test registers a toy place)."""
    with _lock:
        _REGISTRY[j.id] = j
    return j


def _discover() -> None:
    """Import every package under ``detainerlaw.laws`` that declares ``JURISDICTION``."""
    global _found
    if _found:
        return
    laws = importlib.import_module("detainerlaw.laws")
    for m in pkgutil.iter_modules(laws.__path__):
        mod = importlib.import_module(f"detainerlaw.laws.{m.name}")
        j = getattr(mod, "JURISDICTION", None)
        if isinstance(j, Jurisdiction):
            _PACKAGED.add(j.id)
            if j.id not in _REGISTRY:
                register(j)
    _found = True


def get(place: str) -> Jurisdiction:
    """The place a case names; an unknown place is bad input naming the field."""
    j = _REGISTRY.get(place)
    if j is None:
        _discover()
        j = _REGISTRY.get(place)
    if j is None:
        raise InputError("jurisdiction", f"unknown place {place!r}; known: {', '.join(sorted(places()))}")
    return j


def places() -> list[str]:
    _discover()
    return sorted(_REGISTRY)


def packaged() -> list[str]:
    """The places the installed law packages declare (not those a program or test registered itself)."""
    _discover()
    return sorted(_PACKAGED)


DEFAULT = "nyc"  # the place a case that names none belongs to (spec: jurisdiction defaults to "nyc")


def layered(pack: LawPack | None = None, reform: Reform = BASELINE) -> list[tuple[str, LawPack, Reform]]:
    """The default place's ``Jurisdiction.layered``: what populations (facts frames carry no place) are
    evaluated under."""
    return get(DEFAULT).layered(pack, reform)
