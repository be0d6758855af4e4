"""The decision log (a keyed, checkpointed hash chain: ``store``) and reading it for reports without
changing it (``source``). The reports themselves are the law's: ``detainerlaw.laws.nyc.reports``."""

from detainerlaw.decision_log.store import (
    DEFAULT_URL,
    GENESIS,
    ChainReport,
    DecisionLog,
    LogKeyError,
    LogUnavailable,
    Recorded,
    default_url,
    hashed_fields,
    masked_input,
    row_hash,
    row_mac,
)

__all__ = ["DEFAULT_URL", "GENESIS", "ChainReport", "DecisionLog", "LogKeyError", "LogUnavailable", "Recorded",
           "default_url", "hashed_fields", "masked_input", "row_hash", "row_mac"]
