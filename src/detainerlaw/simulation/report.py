"""The simulation report: report.html (Vega-Lite charts via Altair, with text that says
what changes and for whom), report.json and CSV tables. Every figure in it is a public
aggregate, so cells below 10 weighted cases are suppressed, and the report says so."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import altair as alt
import polars as pl

from detainerlaw.simulation import COUNTED, SUPPRESS_BELOW, SimulationResult
from detainerlaw.simulation.simulate import protect

ACTION_TEXT = {
    "hold": "holds past release for ICE",
    "notify_release": "release notifications to ICE",
    "share_information": "answers to ICE inquiries",
}
OUTCOME_WORDS = {"permitted": "permitted", "required": "required", "prohibited": "prohibited",
                 "not_governed": "no restriction (not governed)"}
AGENCY_TEXT = {"doc": "DOC (jails)", "nypd": "NYPD", "dop": "Probation"}


def _summary(result: SimulationResult) -> pl.DataFrame:
    return result.public_summary()


def _by_agency(result: SimulationResult) -> pl.DataFrame:
    """Permitted (or required) weighted counts per scenario, agency and action."""
    lg = result.long
    g = lg.group_by("scenario", "agency", "action").agg(
        pl.col("weight").sum().alias("engaged"),
        pl.col("weight").filter(pl.col("outcome").is_in(["permitted", "required"])).sum().alias("permitted"),
    )
    return protect(g, ["engaged", "permitted"], across=True)


def charts(result: SimulationResult) -> list[tuple[str, dict]]:
    names = result.names
    summary = _summary(result).with_columns(pl.col("share_permitted") * 100)
    share = (
        alt.Chart(alt.Data(values=summary.to_dicts()))
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=names, title=None),
            y=alt.Y("share_permitted:Q", title="% of requests the law permits"),
            color=alt.Color("scenario:N", sort=names, legend=None),
            column=alt.Column("action:N", sort=list(COUNTED), title=None),
            tooltip=["scenario:N", "action:N", alt.Tooltip("share_permitted:Q", format=".2f"),
                     alt.Tooltip("permitted:Q", format=",.0f"), alt.Tooltip("engaged:Q", format=",.0f")],
        )
        .properties(width=220, height=240, title="Share of requests the law permits, by scenario")
    )
    outcomes = result.public_table().filter(pl.col("breakdown") == "all")
    stacked_rows = outcomes.unpivot(index=["action", "outcome"], on=names, variable_name="scenario",
                                    value_name="weight").drop_nulls("weight")
    stacked = (
        alt.Chart(alt.Data(values=stacked_rows.to_dicts()))
        .mark_bar()
        .encode(
            y=alt.Y("scenario:N", sort=names, title=None),
            x=alt.X("weight:Q", title="weighted requests", stack="normalize"),
            color=alt.Color("outcome:N", scale=alt.Scale(domain=["permitted", "required", "prohibited", "not_governed"],
                                                         range=["#2ca02c", "#1f77b4", "#d62728", "#aaaaaa"])),
            row=alt.Row("action:N", sort=list(COUNTED), title=None),
            tooltip=["scenario:N", "action:N", "outcome:N", alt.Tooltip("weight:Q", format=",.0f")],
        )
        .properties(width=520, title="Outcomes by scenario (share of weighted requests)")
    )
    agency = _by_agency(result).drop_nulls("permitted")
    by_agency = (
        alt.Chart(alt.Data(values=agency.to_dicts()))
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=names, title=None),
            y=alt.Y("permitted:Q", title="weighted requests permitted"),
            color=alt.Color("agency:N"),
            xOffset="agency:N",
            column=alt.Column("action:N", sort=list(COUNTED), title=None),
            tooltip=["scenario:N", "agency:N", "action:N", alt.Tooltip("permitted:Q", format=",.0f")],
        )
        .properties(width=220, height=240, title="Permitted requests by agency")
    )
    return [("share", share.to_dict()), ("outcomes", stacked.to_dict()), ("agency", by_agency.to_dict())]


def changes(result: SimulationResult) -> list[str]:
    """Plain sentences: for each scenario, what it changes against the first one, and for whom."""
    names = result.names
    if len(names) < 2:
        return []
    base = names[0]
    g = result.long.group_by("scenario", "agency", "action").agg(
        *[pl.col("weight").filter(pl.col("outcome") == o).sum().alias(o) for o in OUTCOME_WORDS],
        pl.col("weight").sum().alias("engaged"),
    )
    layer = result.meta.get("layer")
    out = [(f"Counts are the answers of one law alone: <b>{html.escape(layer)}</b>. Another law in force (the "
            "state's, federal law) may still prohibit what this one no longer restricts; the combined answers say.")
           if layer else
           "Counts are the combined answers under every law in force (federal, New York State, the city's code and "
           "the Mayor's orders): a scenario that repeals city sections leaves state and federal law in place, and "
           "what they prohibit stays prohibited."]
    for name in names[1:]:
        sentences = []
        for (agency, action), _ in g.filter(pl.col("scenario") == base).group_by("agency", "action"):
            b = g.filter((pl.col("scenario") == base) & (pl.col("agency") == agency) & (pl.col("action") == action))
            s = g.filter((pl.col("scenario") == name) & (pl.col("agency") == agency) & (pl.col("action") == action))
            if s.is_empty():
                continue
            moved = [(o, float(b[o][0]), float(s[o][0])) for o in OUTCOME_WORDS]
            changed = [(o, x, y) for o, x, y in moved if abs(y - x) >= SUPPRESS_BELOW]
            if not changed:
                continue
            parts = [f"{OUTCOME_WORDS[o]}: {_n(x)} → {_n(y)}" for o, x, y in changed]
            left = float(s["prohibited"][0])
            if left >= SUPPRESS_BELOW and not layer:
                parts.append(f"{_n(left)} still prohibited by the law in force")
            sentences.append((max(abs(y - x) for _, x, y in changed),
                              f"{AGENCY_TEXT.get(agency, agency)} {ACTION_TEXT[action]}: " + ", ".join(parts)))
        if sentences:
            body = "; ".join(t for _, t in sorted(sentences, reverse=True))
            out.append(f"<b>{html.escape(name)}</b> compared with <b>{html.escape(base)}</b>: {html.escape(body)}.")
        else:
            out.append(f"<b>{html.escape(name)}</b> changes no count by {SUPPRESS_BELOW:g} or more weighted "
                       f"requests compared with <b>{html.escape(base)}</b>.")
    return out


def _n(x: float) -> str:
    return "fewer than 10" if 0 < x < SUPPRESS_BELOW else f"{x:,.0f}"


def _summary_html(result: SimulationResult) -> str:
    s = _summary(result)
    rows = []
    for r in s.iter_rows(named=True):
        share = "—" if r["share_permitted"] is None else f"{100 * r['share_permitted']:.2f} %"
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in (
            r["scenario"], ACTION_TEXT[r["action"]], _cell(r["engaged"]), _cell(r["permitted"]),
            _cell(r["prohibited"]), _cell(r["not_governed"]), share)) + "</tr>")
    head = "".join(f"<th>{h}</th>" for h in ("scenario", "action", "requests", "permitted", "prohibited",
                                              "not governed", "% permitted"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(v: float | None) -> str:
    return "<10" if v is None else f"{v:,.0f}"


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Detainer-law simulation</title>
{head_scripts}
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}}
table{{border-collapse:collapse;font-size:.9em}}td,th{{border:1px solid #ccc;padding:.25em .5em;text-align:right}}
td:first-child,td:nth-child(2),th{{text-align:left}}
.note{{background:#f6f6f6;padding:.6em 1em;border-left:4px solid #999}}
</style></head><body>
<h1>What New York City's detainer laws permit: a simulation</h1>
<p>The same population of federal immigration requests ({rows:,} synthetic or imported cases standing for
{weight:,.0f} requests) is decided under each scenario below by the project's rules engine. A request is
<b>permitted</b> when the law in force allows the agency to act on it (it does not mean the agency did),
<b>required</b> when the law compels it (court process addressed to the agency), <b>prohibited</b> when a law in
force forbids it and no higher law overrides that, and <b>not governed</b> when no law in force speaks to it
(there is no restriction in it). The law in force is every layer combined (federal law, New York State law, the
city's code, the Mayor's orders), unless the report says it counts one layer alone. {when}</p>
<p class="note">Small cells are suppressed: any count below {threshold:g} weighted requests (other than zero) is
shown as &lt;10 or left out of the charts, so that no figure describes a handful of people. The population is a
model (see <code>population/calibration.yaml</code> for each parameter's source and quality grade), so the
counts are illustrations of what the law allows, not records of what happened.</p>
<h2>Scenarios</h2><ul>{scenarios}</ul>
<h2>What changes, and for whom</h2><ul>{changes}</ul>
<h2>Summary</h2>{summary}
<h2>Charts</h2>{charts}
<h2>Files</h2><p><code>report.json</code> (everything here, machine-readable), <code>report.csv</code> (counts by
scenario, agency and deciding rule), <code>summary.csv</code>.</p>
<p><small>Evaluated with the {backend} backend in {seconds:.1f} s.</small></p>
{embed_script}
</body></html>
"""


CDN_SCRIPTS = """<script src="https://cdn.jsdelivr.net/npm/vega@6"></script>
<script src="https://cdn.jsdelivr.net/npm/vega-lite@6"></script>
<script src="https://cdn.jsdelivr.net/npm/vega-embed@7"></script>
"""


@lru_cache(maxsize=1)
def vega_bundle() -> str | None:
    """Vega, Vega-Lite and vega-embed as one script (from vl-convert-python), so the report works offline;
    None when vl-convert is not installed (the report then loads them from a CDN)."""
    try:
        import vl_convert as vlc
    except ImportError:
        return None
    want = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    try:
        bundle = vlc.javascript_bundle(vl_version=want if want in vlc.get_vegalite_versions() else None)
    except Exception:  # noqa: BLE001 - fall back to the CDN rather than fail the report
        return None
    return bundle.replace("</script", "<\\/script")


def _scripts(embed: str) -> dict[str, str]:
    bundle = vega_bundle()
    if bundle is None:
        return {"head_scripts": CDN_SCRIPTS, "embed_script": f"<script>{embed}</script>"}
    return {"head_scripts": "", "embed_script": f'<script type="module">{bundle}\n{embed}</script>'}


def write_report(result: SimulationResult, directory: Path) -> list[Path]:
    """Write report.html, report.json, report.csv and summary.csv into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    specs = charts(result)
    scen = "".join(
        f"<li><b>{html.escape(s.name)}</b>: {html.escape(s.title)}"
        + (f" (every case decided on {s.as_of})" if s.as_of else "")
        + f". {html.escape(s.description)} <i>Source: {html.escape(s.source)}</i></li>"
        for s in result.scenarios
    )
    ch = changes(result) or ["Give two or more scenarios to compare them; the first is the reference."]
    when = (f"Every case is decided as of {result.as_of} unless its scenario fixes a date."
            if result.as_of else "Each case is decided on its own date unless its scenario fixes one.")
    page = PAGE.format(
        rows=result.population_rows, weight=result.population_weight, when=when, threshold=SUPPRESS_BELOW,
        scenarios=scen, changes="".join(f"<li>{c}</li>" for c in ch), summary=_summary_html(result),
        charts="".join(f'<div id="chart-{k}"></div>' for k, _ in specs), backend=result.backend,
        seconds=result.seconds,
        **_scripts("".join(f"vegaEmbed('#chart-{k}', {json.dumps(spec)});" for k, spec in specs)),
    )
    paths = [directory / "report.html", directory / "report.json", directory / "report.csv",
             directory / "summary.csv"]
    paths[0].write_text(page)
    paths[1].write_text(result.to_json())
    result.public_table().write_csv(paths[2])
    _summary(result).write_csv(paths[3])
    return paths
