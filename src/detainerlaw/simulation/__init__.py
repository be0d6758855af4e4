"""Microsimulation of populations under law versions and reforms (``simulate``) and its public
report (``report``)."""

from detainerlaw.simulation.simulate import (
    COUNTED,
    SUPPRESS_BELOW,
    SimulationResult,
    evaluator,
    interpret_frame,
    simulate,
    suppress,
    with_as_of,
)

__all__ = ["COUNTED", "SUPPRESS_BELOW", "SimulationResult", "evaluator", "interpret_frame", "simulate", "suppress",
           "with_as_of"]
