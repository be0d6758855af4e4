"""The decision log (a keyed, checkpointed hash chain: ``store``) and the reports the detainer
laws mandate, counted from it (``reports``)."""

from detainerlaw.decision_log.store import (
    DEFAULT_URL,
    GENESIS,
    ChainReport,
    DecisionLog,
    LogKeyError,
    LogUnavailable,
    Recorded,
    default_url,
    masked_input,
    row_hash,
    row_mac,
)

__all__ = ["DEFAULT_URL", "GENESIS", "ChainReport", "DecisionLog", "LogKeyError", "LogUnavailable", "Recorded",
           "default_url", "masked_input", "row_hash", "row_mac"]
