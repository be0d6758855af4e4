"""The simulation report: report.html (Vega-Lite charts via Altair, with text that says
what changes and for whom), report.json and CSV tables. Every figure in it is a public
aggregate, so cells below 10 weighted cases are suppressed, and the report says so.

Its words are English unless a gettext function is passed in (``gettext``: the web pages pass their
catalog's; ``N_`` marks a message for extraction only). The place is named from its jurisdiction."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import altair as alt
import polars as pl

from detainerlaw import facade
from detainerlaw.simulation import COUNTED, SUPPRESS_BELOW, SimulationResult
from detainerlaw.simulation.simulate import suppress_value

Gettext = Callable[[str], str]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention: marks a message for extraction only
    return message


def english(message: str) -> str:
    """The report's own language: a message as written."""
    return message


ACTION_TEXT = {
    "hold": N_("holds past release for ICE"),
    "notify_release": N_("release notifications to ICE"),
    "share_information": N_("answers to ICE inquiries"),
}
OUTCOME_WORDS = {"permitted": N_("permitted"), "required": N_("required"), "prohibited": N_("prohibited"),
                 "not_governed": N_("no restriction (not governed)")}
AGENCY_TEXT = {"doc": N_("DOC (jails)"), "nypd": N_("NYPD"), "dop": N_("Probation")}


def _agency(code: str, _: Gettext) -> str:
    """An agency in a sentence: its short name, else the place's label for it."""
    text = AGENCY_TEXT.get(code) or facade.labels().agencies.get(code, code)
    return _(text)


def _layer_titles(_: Gettext) -> dict[str, str]:
    """The place's layers (highest first), id -> title in the report's language."""
    return {layer.id: _(layer.title) for layer in facade.place().layers}


def _summary(result: SimulationResult) -> pl.DataFrame:
    return result.public_summary()


def _published(result: SimulationResult) -> pl.DataFrame:
    """The public table's agency rows, long: scenario, agency, action, outcome and the published count
    (withheld cells left out). Charts and sentences read only these, so nothing they show can be set
    beside the table to give back a withheld cell."""
    t = result.public_table().filter(pl.col("breakdown") == "agency")
    return (t.unpivot(index=["key", "action", "outcome"], on=result.names, variable_name="scenario",
                      value_name="weight").drop_nulls("weight").rename({"key": "agency"}))


def _by_agency(result: SimulationResult) -> pl.DataFrame:
    """Permitted (or required) published counts per scenario, agency and action."""
    return (_published(result).filter(pl.col("outcome").is_in(["permitted", "required"]))
            .group_by("scenario", "agency", "action").agg(pl.col("weight").sum().alias("permitted")))


def charts(result: SimulationResult, _: Gettext = english) -> list[tuple[str, dict]]:
    """The report's Vega-Lite charts, their titles, actions, outcomes and agencies in the language of ``_``."""
    names = result.names
    actions = {a: _(ACTION_TEXT.get(a, a)) for a in COUNTED}
    outcome_words = {o: _(OUTCOME_WORDS[o]) for o in ("permitted", "required", "prohibited", "not_governed")}

    def words(frame: pl.DataFrame) -> pl.DataFrame:
        """The frame with its codes (action, outcome, agency) replaced by words."""
        if "action" in frame.columns:
            frame = frame.with_columns(pl.col("action").replace(actions))
        if "outcome" in frame.columns:
            frame = frame.with_columns(pl.col("outcome").replace(outcome_words))
        if "agency" in frame.columns:
            codes = frame["agency"].unique().to_list()
            frame = frame.with_columns(pl.col("agency").replace({c: _agency(c, _) for c in codes}))
        return frame

    scenario = alt.Tooltip("scenario:N", title=_("scenario"))
    action = alt.Tooltip("action:N", title=_("action"))
    order = [actions[a] for a in COUNTED]
    summary = words(_summary(result).with_columns(pl.col("share_permitted") * 100))
    share = (
        alt.Chart(alt.Data(values=summary.to_dicts()))
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=names, title=None),
            y=alt.Y("share_permitted:Q", title=_("Percent of requests the law permits")),
            color=alt.Color("scenario:N", sort=names, legend=None),
            column=alt.Column("action:N", sort=order, title=None),
            tooltip=[scenario, action,
                     alt.Tooltip("share_permitted:Q", format=".2f", title=_("Percent of requests the law permits")),
                     alt.Tooltip("permitted:Q", format=",.0f", title=_("permitted")),
                     alt.Tooltip("engaged:Q", format=",.0f", title=_("requests"))],
        )
        .properties(width=220, height=240, title=_("Share of requests the law permits, by scenario"))
    )
    outcomes = result.public_table().filter(pl.col("breakdown") == "all")
    stacked_rows = words(outcomes.unpivot(index=["action", "outcome"], on=names, variable_name="scenario",
                                          value_name="weight").drop_nulls("weight"))
    stacked = (
        alt.Chart(alt.Data(values=stacked_rows.to_dicts()))
        .mark_bar()
        .encode(
            y=alt.Y("scenario:N", sort=names, title=None),
            x=alt.X("weight:Q", title=_("weighted requests"), stack="normalize"),
            color=alt.Color("outcome:N", title=_("outcome"),
                            scale=alt.Scale(domain=list(outcome_words.values()),
                                            range=["#2ca02c", "#1f77b4", "#d62728", "#aaaaaa"])),
            row=alt.Row("action:N", sort=order, title=None),
            tooltip=[scenario, action, alt.Tooltip("outcome:N", title=_("outcome")),
                     alt.Tooltip("weight:Q", format=",.0f", title=_("weighted requests"))],
        )
        .properties(width=520, title=_("Outcomes by scenario (share of weighted requests)"))
    )
    agency = words(_by_agency(result).drop_nulls("permitted"))
    by_agency = (
        alt.Chart(alt.Data(values=agency.to_dicts()))
        .mark_bar()
        .encode(
            x=alt.X("scenario:N", sort=names, title=None),
            y=alt.Y("permitted:Q", title=_("weighted requests permitted")),
            color=alt.Color("agency:N", title=_("agency")),
            xOffset="agency:N",
            column=alt.Column("action:N", sort=order, title=None),
            tooltip=[scenario, alt.Tooltip("agency:N", title=_("agency")), action,
                     alt.Tooltip("permitted:Q", format=",.0f", title=_("weighted requests permitted"))],
        )
        .properties(width=220, height=240, title=_("Permitted requests by agency"))
    )
    return [("share", share.to_dict()), ("outcomes", stacked.to_dict()), ("agency", by_agency.to_dict())]


def changes(result: SimulationResult, _: Gettext = english, lang: str = "en") -> list[str]:
    """Plain sentences (HTML: names in bold): for each scenario, what it changes against the first one, and
    for whom; in the language of ``_`` (English by default), numbers written as ``lang`` writes them and
    published as every count is (``simulate.suppress_value``: small ones withheld, the others rounded)."""
    names = result.names
    if len(names) < 2:
        return []
    base = names[0]
    published = {(r["scenario"], r["agency"], r["action"], r["outcome"]): r["weight"]
                 for r in _published(result).iter_rows(named=True)}
    pairs = sorted({(a, act) for (_s, a, act, _o) in published})
    layer = result.meta.get("layer")
    titles = _layer_titles(_)
    if layer:
        others = ", ".join(t for k, t in titles.items() if k != layer)
        out = [_("Counts are the answers of one law alone: %(law)s. Another law in force (%(others)s) may still "
                 "prohibit what this one no longer restricts; the combined answers say.")
               % {"law": f"<b>{html.escape(titles.get(layer, layer))}</b>", "others": html.escape(others)}]
    else:
        out = [_("Counts are the combined answers under every law in force (%(laws)s): a scenario that changes "
                 "one of them leaves the others in place, and what they prohibit stays prohibited.")
               % {"laws": html.escape(", ".join(titles.values()))}]
    for name in names[1:]:
        sentences = []
        for agency, action in pairs:
            # only counts published in both (a withheld cell, or one withheld beside it, is not compared)
            moved = [(o, published[(base, agency, action, o)], published[(name, agency, action, o)])
                     for o in OUTCOME_WORDS if (base, agency, action, o) in published
                     and (name, agency, action, o) in published]
            changed = [(o, x, y) for o, x, y in moved if abs(y - x) >= SUPPRESS_BELOW]
            if not changed:
                continue
            parts = [f"{_(OUTCOME_WORDS[o])}: {_n(x, _, lang)} → {_n(y, _, lang)}" for o, x, y in changed]
            left = published.get((name, agency, action, "prohibited"), 0.0)
            if left >= SUPPRESS_BELOW and not layer:
                parts.append(_("%(count)s still prohibited by the law in force") % {"count": _n(left, _, lang)})
            who = _("%(agency)s %(action)s: %(changes)s") % {
                "agency": _agency(agency, _), "action": _(ACTION_TEXT.get(action, action)), "changes": ", ".join(parts)}
            sentences.append((max(abs(y - x) for _o, x, y in changed), who))
        if sentences:
            body = "; ".join(t for _size, t in sorted(sentences, reverse=True))
            out.append(_("%(scenario)s compared with %(base)s: %(changes)s.") % {
                "scenario": f"<b>{html.escape(name)}</b>", "base": f"<b>{html.escape(base)}</b>",
                "changes": html.escape(body)})
        else:
            out.append(_("%(scenario)s changes no count by %(threshold)s or more weighted requests compared with "
                         "%(base)s.") % {"scenario": f"<b>{html.escape(name)}</b>", "threshold": f"{SUPPRESS_BELOW:g}",
                                         "base": f"<b>{html.escape(base)}</b>"})
    return out


def _n(x: float, _: Gettext = english, lang: str = "en") -> str:
    shown = suppress_value(x)
    return _("fewer than 10") if shown is None else number(shown, lang)


def number(x: float, lang: str = "en") -> str:
    """A count as the language writes it (20,000 in English, 20.000 in Spanish)."""
    from babel.numbers import format_decimal

    return format_decimal(x, format="#,##0", locale=lang)


def _summary_html(result: SimulationResult, _: Gettext = english, lang: str = "en") -> str:
    s = _summary(result)
    rows = []
    for r in s.iter_rows(named=True):
        share = "—" if r["share_permitted"] is None else f"{100 * r['share_permitted']:.2f} %"
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in (
            r["scenario"], _(ACTION_TEXT.get(r["action"], r["action"])), _cell(r["engaged"], lang, _),
            _cell(r["permitted"], lang, _), _cell(r["prohibited"], lang, _), _cell(r["not_governed"], lang, _), share))
            + "</tr>")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in (
        _("scenario"), _("action"), _("requests"), _("permitted"), _("prohibited"), _("not governed"),
        _("percent permitted")))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(v: float | None, lang: str = "en", _: Gettext = english) -> str:
    """A published count; a withheld one (fewer than 10, or one that would give such a count back)."""
    return _("withheld") if v is None else number(v, lang)


PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
{head_scripts}
<style>body{{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}}
table{{border-collapse:collapse;font-size:.9em}}td,th{{border:1px solid #ccc;padding:.25em .5em;text-align:right}}
td:first-child,td:nth-child(2),th{{text-align:left}}
.note{{background:#f6f6f6;padding:.6em 1em;border-left:4px solid #999}}
</style></head><body>
<h1>{heading}</h1>
<p>{intro} {when}</p>
<p class="note">{note}</p>
<h2>{h_scenarios}</h2><ul>{scenarios}</ul>
<h2>{h_changes}</h2><ul>{changes}</ul>
<h2>{h_summary}</h2>{summary}
<h2>{h_charts}</h2>{charts}
<h2>{h_files}</h2><p>{files}</p>
<p><small>{evaluated}</small></p>
{embed_script}
</body></html>
"""

# The report's paragraphs (HTML; a translation keeps the tags).
INTRO = N_(
    "The same population of federal immigration requests (%(rows)s synthetic or imported cases standing for "
    "%(weight)s requests) is decided under each scenario below by the project's rules engine. A request is "
    "<b>permitted</b> when the law in force allows the agency to act on it (it does not mean the agency did), "
    "<b>required</b> when the law compels it (court process addressed to the agency), <b>prohibited</b> when a "
    "law in force forbids it and no higher law overrides that, and <b>not governed</b> when no law in force speaks "
    "to it (there is no restriction in it). The law in force is every layer combined (%(layers)s), unless the "
    "report says it counts one layer alone.")
NOTE = N_(
    "Small cells are suppressed: any count below %(threshold)s weighted requests (other than zero) is shown as "
    "&lt;10 or left out of the charts, so that no figure describes a handful of people. The population is a model "
    "(see <code>population/calibration.yaml</code> for each parameter's source and quality grade), so the counts "
    "are illustrations of what the law allows, not records of what happened.")
FILES = N_(
    "<code>report.json</code> (everything here, machine-readable), <code>report.csv</code> (counts by scenario, "
    "agency and deciding rule), <code>summary.csv</code>.")


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


def write_report(result: SimulationResult, directory: Path, _: Gettext = english, lang: str = "en") -> list[Path]:
    """Write report.html, report.json, report.csv and summary.csv into ``directory``; the HTML's words in
    the language of ``_`` (``lang`` its code; English by default)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    specs = charts(result, _)
    place = _(facade.place().title)
    source = html.escape(_("Source:"))
    scen = "".join(
        f"<li><b>{html.escape(s.name)}</b>: {html.escape(s.title)}"
        + (" " + html.escape(_("(every case decided on %(day)s)") % {"day": s.as_of}) if s.as_of else "")
        + f". {html.escape(s.description)} <i>{source} {html.escape(s.source)}</i></li>"
        for s in result.scenarios
    )
    ch = changes(result, _, lang) or [html.escape(_("Give two or more scenarios to compare them; the first is the "
                                              "reference."))]
    when = (_("Every case is decided as of %(day)s unless its scenario fixes a date.") % {"day": result.as_of}
            if result.as_of else _("Each case is decided on its own date unless its scenario fixes one."))
    page = PAGE.format(
        lang=html.escape(lang), title=html.escape(_("Detainer-law simulation: %(place)s") % {"place": place}),
        heading=html.escape(_("What the detainer laws of %(place)s permit: a simulation") % {"place": place}),
        intro=_(INTRO) % {"rows": _n(result.population_rows, _, lang), "weight": _n(result.population_weight, _, lang),
                          "layers": html.escape(", ".join(_layer_titles(_).values()))},
        when=html.escape(when), note=_(NOTE) % {"threshold": f"{SUPPRESS_BELOW:g}"},
        h_scenarios=_("Scenarios"), h_changes=_("What changes, and for whom"), h_summary=_("Summary"),
        h_charts=_("Charts"), h_files=_("Files"), files=_(FILES),
        scenarios=scen, changes="".join(f"<li>{c}</li>" for c in ch), summary=_summary_html(result, _, lang),
        charts="".join(f'<div id="chart-{k}"></div>' for k, _spec in specs),
        evaluated=html.escape(_("Evaluated with the %(backend)s backend in %(seconds)s s.")
                              % {"backend": result.backend, "seconds": f"{result.seconds:.1f}"}),
        **_scripts("".join(f"vegaEmbed('#chart-{k}', {json.dumps(spec)});" for k, spec in specs)),
    )
    paths = [directory / "report.html", directory / "report.json", directory / "report.csv",
             directory / "summary.csv"]
    paths[0].write_text(page)
    paths[1].write_text(result.to_json())
    result.public_table().write_csv(paths[2])
    _summary(result).write_csv(paths[3])
    return paths
