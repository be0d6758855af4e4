"""``detainerlaw reports mandated --agency doc --year 2025``: the annual report a detainer law requires
(§ 9-131(f), § 14-154(f) or § 9-205(f), in the version the year's report followed) and, from 2018, the
§ 10-178(d) quarterly counts, from the decision log."""

from __future__ import annotations

import json

import typer
from rich.table import Table


def _fmt(value: object) -> str:
    return "—" if value is None else str(value)


def register(app: typer.Typer) -> None:
    reports = typer.Typer(no_args_is_help=True, help="Reports the detainer laws mandate, from the decision log.")

    @reports.command("mandated")
    def mandated_cmd(
        agency: str = typer.Option(..., "--agency", help="doc, nypd or dop."),
        year: str = typer.Option(..., "--year", help="The year the report is due: from 2018 on Sept 1, for the 12 "
                                                     "months ending June 30; 2012-2017 (from 2013 for nypd) on Sept "
                                                     "30 or Oct 15, for the 12 months ending Sept 30."),
        db: str = typer.Option(None, "--db", help="Decision-log database URL; default $DETAINERLAW_DB or "
                                                  "sqlite:///detainerlaw.db."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        unsuppressed: bool = typer.Option(False, "--unsuppressed",
                                          help="Show counts below 10 (for internal use, not for publication)."),
    ) -> None:
        """The report one agency owes for one year, with citations; counts below 10 withheld unless --unsuppressed.

        Exits 1 without a report if the decision log does not verify (altered, truncated, dropped or forged)."""
        from detainerlaw import facade
        from detainerlaw.decision_log import default_url
        from detainerlaw.decision_log.source import LogSourceError
        from detainerlaw.errors import InputError
        from detainerlaw.interfaces.cli import console, fail

        place = facade.place()
        law = place.reports
        if law is None:
            fail(f"{place.title}: its law package mandates no reports")
            return

        agency = agency.strip().lower()
        try:
            y = int(year)
        except ValueError:
            fail(f"--year: {year!r} is not a year (e.g. 2025)")
            return
        try:
            period = law.period(agency, y)
        except InputError as e:
            fail(f"--{e.field}: {e.problem}")
            return
        try:
            entries, chain = read_log_entries(db or default_url(), agency)
        except LogSourceError as e:
            fail(f"--db: {e}")
            return
        if not chain["ok"]:  # a report must not rest on entries that may have been altered or removed
            where = f" at row {chain['first_bad']}" if chain["first_bad"] is not None else ""
            fail(f"the decision log does not verify{where}: {chain['problem']}; no report made", code=1)
            return
        report = law.report(entries, agency, period["start"], period["end"])
        report["log"] = chain
        if not unsuppressed:
            report = law.public(report)
        if as_json:
            print(json.dumps(report, indent=2))
            return
        p = report["period"]
        law = report["law"]
        t = Table(title=f"{report['agency_name']} — {report['section']} ({law['enacted_by']}, in force "
                        f"{law['in_force']}): {p['start']} to {p['end']} (due {p['due']})")
        for col in ("item", "citation", "what the law asks", "count", "detail"):
            t.add_column(col, overflow="fold")
        for it in report["items"]:
            detail = ", ".join(f"{k}: {_fmt(v)}" for k, v in (it["breakdown"] or {}).items())
            if it["note"]:
                detail = f"{detail}\n[dim]{it['note']}[/]" if detail else f"[dim]{it['note']}[/]"
            value = "<10 (withheld)" if it.get("suppressed") else _fmt(it["value"])
            t.add_row(str(it["item"]), it["citation"], it["text"], value, detail)
        console.print(t)
        if report.get("s10_178") is not None:  # § 10-178(d) counts from 2018-01-30
            _print_s10_178(report["s10_178"], agency)
        for note in report["notes"]:
            console.print(f"[dim]· {note}[/]")
        dated = report["dated_by"]
        console.print(f"[dim]· entries placed in the period by their decision date: {_fmt(dated['decision_date'])}; "
                      f"by the time they were written: {_fmt(dated['time_written'])}[/]")
        if report["suppressed"]:
            console.print(f"[bold]suppressed:[/] {report['suppression']} ({report['suppressed_cells']} cells)")
        console.print(f"decision log: {chain['entries']} entries, chain {'intact' if chain['ok'] else 'BROKEN'}")

    app.add_typer(reports, name="reports")


def _print_s10_178(s: dict, agency: str) -> None:
    from detainerlaw.interfaces.cli import console

    q = Table(title=f"{s['citation']}: requests received by {agency}, per quarter")
    for col in ("quarter", "from", "to", "requests", "assistance permitted", "assistance prohibited"):
        q.add_column(col)
    for row in s["quarters"]:
        mine = row["by_receiving_agency"].get(agency, {})
        q.add_row(row["quarter"], row["start"], row["end"], _fmt(row["requests"]),
                  _fmt(mine.get("assistance_permitted", 0)), _fmt(mine.get("assistance_prohibited", 0)))
    console.print(q)
    console.print(f"[dim]{s['note']}[/]")


def read_log_entries(url: str, agency: str) -> tuple[list[dict], dict]:
    from detainerlaw.decision_log.source import read_log

    return read_log(url, agency)
