"""The reports the city's detainer laws mandate (§§ 9-131(f), 14-154(f), 9-205(f) in each version, and
§ 10-178(d)): what each version asks (``subdivisions``) and the counts the decision log can give
(``mandated``)."""

from detainerlaw.laws.nyc.reports.mandated import (
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
from detainerlaw.laws.nyc.reports.subdivisions import VERSIONS, Item, Version, version_due, version_for_period

__all__ = [
    "AGENCIES",
    "SUPPRESS_BELOW",
    "VERSIONS",
    "Item",
    "ReportError",
    "Version",
    "immigration_enforcement_requests",
    "mandated_report",
    "public_report",
    "quarters",
    "record_date",
    "reporting_period",
    "version_due",
    "version_for_period",
]


def _reports():  # noqa: ANN202
    from detainerlaw.jurisdictions import Reports

    return Reports(period=reporting_period, report=mandated_report, public=public_report)
