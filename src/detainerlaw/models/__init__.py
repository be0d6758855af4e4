"""The place-independent half of the data contract: the Decision. Each place's law package
provides its own Case model (``detainerlaw.laws.nyc.case`` for New York City)."""

from detainerlaw.models.decision import ActionResult, Decision, Explanation, Outcome

__all__ = ["ActionResult", "Decision", "Explanation", "Outcome"]
