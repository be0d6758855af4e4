"""The data contract: Case in, Decision out."""

from detainerlaw.models.case import Case
from detainerlaw.models.decision import ActionResult, Decision, Explanation, Outcome

__all__ = ["ActionResult", "Case", "Decision", "Explanation", "Outcome"]
