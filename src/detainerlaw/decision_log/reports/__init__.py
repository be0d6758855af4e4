"""Reports the detainer laws mandate (§§ 9-131(f), 14-154(f), 9-205(f), 10-178(d)), counted from the
decision log."""

from detainerlaw.decision_log.reports.mandated import (
    AGENCIES,
    SUPPRESS_BELOW,
    ReportError,
    immigration_enforcement_requests,
    mandated_report,
    public_report,
    quarters,
    record_date,
    reporting_period,
)
from detainerlaw.decision_log.reports.source import LogSourceError, read_log

__all__ = [
    "AGENCIES",
    "SUPPRESS_BELOW",
    "LogSourceError",
    "ReportError",
    "immigration_enforcement_requests",
    "mandated_report",
    "public_report",
    "quarters",
    "read_log",
    "record_date",
    "reporting_period",
]
