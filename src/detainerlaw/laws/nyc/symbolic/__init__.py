"""New York City's cases as the claim checker reads them: a claim's ``given`` as constraints on
the symbolic case (``given``), and a solver model as a Case (``render``)."""

from __future__ import annotations

from detainerlaw.jurisdictions import Symbolic
from detainerlaw.laws.nyc.symbolic.given import Given
from detainerlaw.laws.nyc.symbolic.render import render

SYMBOLIC = Symbolic(given=Given, render=render)

__all__ = ["SYMBOLIC", "Given", "render"]
