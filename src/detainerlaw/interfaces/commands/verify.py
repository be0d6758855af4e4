"""``detainerlaw verify CLAIMS.yaml``: prove or refute claims about the law with Z3."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.text import Text

from detainerlaw.claims import ClaimError, load_claims_text, verify_claims
from detainerlaw.claims.engine import DEFAULT_TIMEOUT_MS

VERDICT_STYLE = {"holds": "bold green", "fails": "bold red", "unknown": "bold yellow"}


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_cmd(
        claims_file: Path = typer.Argument(..., help="A claims file (YAML or JSON, spec § Claims)."),
        as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
        k: int = typer.Option(3, "--k", help="Items per list the solver considers (convictions, spells, cases)."),
        timeout_ms: int = typer.Option(DEFAULT_TIMEOUT_MS, "--timeout-ms", help="Time limit per claim."),
    ) -> None:
        """Check claims about the law: each holds, fails (with a replayed counterexample) or is unknown.

        Exits 1 when a claim could not be checked or its verdict is not the one its ``expect`` names."""
        from detainerlaw.interfaces.cli import console, decide_or_fail, fail, load_case
        from detainerlaw.render import decision_renderable

        try:
            text = claims_file.read_text()
        except FileNotFoundError:
            fail(f"{claims_file}: no such file")
        except OSError as e:
            fail(f"{claims_file}: cannot read ({e.strerror})")
        if k < 1 or k > 6:
            fail("--k: must be between 1 and 6")
        if timeout_ms < 1:
            fail("--timeout-ms: must be positive")
        try:
            data = load_claims_text(text, str(claims_file))
        except ClaimError as e:
            fail(str(e))
            return
        try:
            out = verify_claims(data, k=k, timeout_ms=timeout_ms)
        except (ClaimError, ValueError, KeyError) as e:  # a claim's reform or given the law cannot read
            fail(f"{claims_file}: {str(e).strip(chr(39))}")
            return
        results = out["results"]
        if as_json:
            keys = ("id", "verdict", "expected_matched", "counterexample", "cases", "seconds", "bounds")
            extra = ("text", "expected", "laws", "comparisons", "outcomes", "why", "error", "vacuous", "note")
            print(json.dumps({"results": [{**{x: r[x] for x in keys}, **{x: r[x] for x in extra if x in r}}
                                          for r in results]}, indent=2))
        else:
            for r in results:
                head = Text(f"{r['id']}: ", style="bold")
                head.append(r["verdict"], style=VERDICT_STYLE[r["verdict"]])
                if r["expected_matched"] is not None:
                    head.append(" (as expected)" if r["expected_matched"] else f" (expected {r['expected']})",
                                style="dim" if r["expected_matched"] else "bold magenta")
                head.append(f"  {r['seconds']:.2f} s", style="dim")
                console.print(head)
                if r.get("text"):
                    console.print(Text(f"  {r['text']}", style="italic"))
                if r.get("error"):
                    console.print(Text(f"  {r['error']}", style="bold red"))
                b = r["bounds"]
                if r.get("vacuous"):
                    console.print(Text(f"  vacuous: {r['note']}", style="bold yellow"))
                elif r["verdict"] == "holds" and r["kind"] in ("forall", "implies", "equivalent"):
                    console.print(Text(
                        f"  proved for every case with at most {b['items_per_list']} items per list, decisions "
                        f"{b['decision_dates'][0]}..{b['decision_dates'][1]}, history from {b['history_dates'][0]}",
                        style="green"))
                shown = ([r["counterexample"]] if r["counterexample"] else []) + list(r["cases"])
                for i, case in enumerate(shown):
                    label = "counterexample" if r["counterexample"] and i == 0 else f"case {i + 1}"
                    console.print(Text(f"  {label}: {json.dumps(case)}", style="cyan"))
                    console.print(decision_renderable(decide_or_fail(load_case(case)), title=label))
                    if r.get("comparisons") and i < len(r["comparisons"]):
                        c = r["comparisons"][i]
                        console.print(Text(f"  before ({c['before']['decided_at']}): {c['before']['outcomes']}; "
                                           f"after ({c['after']['decided_at']}): {c['after']['outcomes']}"))
                console.print()
            console.print(summary(results))
        if any(r.get("error") for r in results) or any(r["expected_matched"] is False for r in results):
            raise typer.Exit(1)


def summary(results: list[dict]) -> Text:
    """The closing line: how many claims of each verdict, and how many were not as expected."""
    from collections import Counter

    verdicts = Counter(r["verdict"] for r in results)
    line = Text(f"{len(results)} claim{'s' if len(results) != 1 else ''}: ", style="bold")
    line.append(", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())))
    vacuous = sum(1 for r in results if r.get("vacuous"))
    if vacuous:
        line.append(f" ({vacuous} vacuous)", style="yellow")
    expected = [r for r in results if r["expected_matched"] is not None]
    if expected:
        missed = sum(1 for r in expected if not r["expected_matched"])
        line.append(f"; {len(expected) - missed} of {len(expected)} as expected",
                    style="bold magenta" if missed else "green")
    errors = sum(1 for r in results if r.get("error"))
    if errors:
        line.append(f"; {errors} could not be checked", style="bold red")
    return line
