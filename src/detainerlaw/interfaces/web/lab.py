"""The reform lab's reading of a simulation: outcomes and rules in words, counts as whole numbers
(small cells suppressed), the change from the first scenario in sentences, the report's Vega-Lite
charts as SVG, and when a scenario does not change the law on the date chosen."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from detainerlaw import facade, jurisdictions
from detainerlaw.interfaces.web.i18n import N_, place_words, translations

Gettext = Callable[[str], str]

OUTCOME_WORDS = {
    "permitted": N_("permitted (the law allows the agency to act)"),
    "prohibited": N_("prohibited (the law forbids it)"),
    "not_governed": N_("no restriction in this law"),
    "required": N_("required (the law obliges the agency to act)"),
}
BREAKDOWN_WORDS = {"all": N_("Every agency"), "agency": N_("By agency"), "rule": N_("By deciding rule")}
NO_RULE = N_("no rule decides (outside every law)")


def layers(_: Gettext = str) -> list[dict[str, str]]:
    """The default place's layers, highest first: ``id`` and ``title`` (in the language of ``_``; the law
    package's English title is the msgid)."""
    place = jurisdictions.get(jurisdictions.DEFAULT)
    return [{"id": layer.id, "title": _(layer.title)} for layer, _pack in place.stack()]


@lru_cache(maxsize=1)
def _versions() -> dict[str, dict]:
    return {v["id"]: v for section in facade.timeline() for v in section["versions"]}


def rule_label(key: str | None, _: Gettext = str) -> str:
    """A deciding-rule key (``ny:ny.wells.hold#0|nyc:nyc.14-154.b.hold.2014#0+nyc.10-178.c.2018#0``)
    as citations: each layer's rules joined by "with", layers joined by "; then"."""
    if not key or key == "(none)":
        return _(NO_RULE)
    versions, parts = _versions(), []
    for layer_part in key.split("|"):
        ids = layer_part.rpartition(":")[2]
        names = []
        for rid in filter(None, ids.split("+")):
            rid = rid.partition("#")[0]
            v = versions.get(rid)
            if v is None:
                names.append(rid)
            else:
                src = v["source"] or ""
                names.append(v["citation"] + (f" ({src})" if src and src.split()[0] not in v["citation"] else ""))
        if names:
            parts.append(_(" with ").join(dict.fromkeys(names)))
    return _("; then ").join(parts) or _(NO_RULE)


def count(v: float | None, _: Gettext = str, lang: str = "en") -> str:
    """A published count as the language writes it; a withheld cell (None: fewer than 10, or one that would
    give such a count back) as "withheld"."""
    from detainerlaw.simulation.report import number

    return _("withheld") if v is None else number(v, lang)


def _plain(sentence: str) -> str:
    return html.unescape(re.sub(r"</?b>", "", sentence))


def notices(scenarios: list[Any], as_of: dt.date | None, frame: pl.DataFrame, _: Gettext = str) -> dict[str, str]:
    """For each scenario that does not change the law on the date its cases are decided, why."""
    out: dict[str, str] = {}
    for s in scenarios:
        day = s.as_of or as_of
        said = []
        if s.as_of and as_of and s.as_of != as_of:
            said.append(_("This scenario decides every case as of its own date, %(own)s, not %(day)s.")
                        % {"own": s.as_of, "day": as_of})
        start = s.disable_from
        if start and day and day < start:
            said.append(_("Not yet in force on %(day)s: it takes effect on %(start)s, so on %(day)s every case is "
                          "decided under the law then in force: it changes nothing.") % {"day": day, "start": start})
        elif start and day is None and "decided_day" in frame.columns:
            w = frame["weight"].cast(pl.Float64) if "weight" in frame.columns else pl.Series([1.0] * frame.height)
            before = frame.select(pl.col("decided_day") < pl.lit(start).cast(frame.schema["decided_day"])).to_series()
            early = float(w.filter(before).sum())
            if early:
                share = early / max(float(w.sum()), 1e-9)
                said.append(_("It takes effect on %(start)s: requests decided earlier (%(share)s of the population) "
                              "are decided under the law then in force.") % {"start": start, "share": f"{share:.0%}"})
        if s.disable and day and not (start and day < start):
            in_force = [r["id"] for r in facade.law_in_force(day, None)]
            if not any(rid.startswith(p) for rid in in_force for p in s.disable):
                said.append(_("No longer (or not yet) anything to change on %(day)s: none of the sections it "
                              "switches off is in force then.") % {"day": day})
        if said:
            out[s.name] = " ".join(said)
    return out


def _svg(spec: dict) -> str | None:
    try:
        import vl_convert as vlc

        return vlc.vegalite_to_svg(spec)
    except Exception:  # noqa: BLE001 - a chart that cannot be drawn is left out; the table has every figure
        return None


CHART_TEXT = {
    "share": N_("Share of requests the law permits, by scenario and action (bar chart; figures in the table below)"),
    "outcomes": N_("Outcomes by scenario: shares of permitted, required, prohibited and unrestricted requests "
                   "(stacked bar chart; figures in the table below)"),
    "agency": N_("Permitted requests by agency and scenario (grouped bar chart; figures in the table below)"),
}


def view(result: Any, frame: pl.DataFrame, lang: str = "en") -> tuple[dict, bytes]:
    """The lab's reading of ``result`` in language ``lang`` (small cells suppressed throughout) and the
    HTML report."""
    _ = translations(lang).gettext
    words = place_words(lang)
    from detainerlaw.simulation import report
    from detainerlaw.simulation.simulate import suppress_value

    names = result.names
    table = result.public_table()
    rows = []
    for r in table.iter_rows(named=True):
        key = r["key"]
        if r["breakdown"] == "agency":
            key = words["AGENCY_NAMES"].get(key, key)
        elif r["breakdown"] == "rule":
            key = rule_label(key, _)
        else:
            key = _("every agency")
        rows.append([_(BREAKDOWN_WORDS.get(r["breakdown"], r["breakdown"])), key,
                     words["ACTIONS"].get(r["action"], r["action"]),
                     _(OUTCOME_WORDS.get(r["outcome"], r["outcome"])), *(count(r[n], _, lang) for n in names)])
    summary = []
    for r in result.public_summary().iter_rows(named=True):
        share = "—" if r["share_permitted"] is None else f"{100 * r['share_permitted']:.1f} %"
        summary.append([r["scenario"], words["ACTIONS"].get(r["action"], r["action"]), count(r["engaged"], _, lang),
                         count(r["permitted"], _, lang), count(r["prohibited"], _, lang),
                         count(r["not_governed"], _, lang), share])
    charts = []
    for k, spec in report.charts(result, _):
        svg = _svg(spec)
        if svg:
            charts.append({"key": k, "alt": _(CHART_TEXT.get(k, k)),
                           "src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()})
    said = notices(result.scenarios, result.as_of, frame, _)
    layer = result.meta.get("layer")
    titles = words["LAYER_TITLES"]
    out = {
        "layer": layer, "layer_title": titles.get(layer, "") if layer else _("every law in force, combined"),
        "population": {"rows": count(suppress_value(result.population_rows), _, lang),
                       "weight": count(suppress_value(result.population_weight), _, lang)},
        "scenarios": [{"name": s.name, "title": _(s.title) if s.title else s.title, "source": s.source,
                       "notice": said.get(s.name, "")} for s in result.scenarios],
        "changes": [_plain(c) for c in report.changes(result, _, lang)],
        "summary_columns": [_("Scenario"), _("Action"), _("Requests"), _("Permitted or required"), _("Prohibited"),
                            _("No restriction in this law"), _("Share permitted")],
        "summary": summary,
        "columns": [_("Breakdown"), _("Group"), _("Action"), _("Outcome"), *names],
        "rows": rows,
        "charts": charts,
    }
    with tempfile.TemporaryDirectory() as d:
        report.write_report(result, Path(d), _, lang)
        page = (Path(d) / "report.html").read_bytes()
    return out, page
