"""Server-rendered pages: screener, law timeline, reform lab, claim checker."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from detainerlaw import claims, facade, scenarios
from detainerlaw.decide import decide
from detainerlaw.decision_log import LogUnavailable
from detainerlaw.errors import InputError, describe_validation
from detainerlaw.interfaces import services
from detainerlaw.interfaces.web import i18n, lab
from detainerlaw.models.decision import Decision

HERE = Path(__file__).parent
Case = facade.place().case_model  # the default place's case model: the pages' forms are its fields
templates = Jinja2Templates(directory=str(HERE / "templates"), context_processors=[i18n.context])

ACTIONS = facade.labels().actions
OUTCOMES = i18n.OUTCOMES  # English; the pages show them in their language (i18n.context)
AGENCY_NAMES = facade.labels().agencies
templates.env.globals.update(ACTIONS=ACTIONS, AGENCY_NAMES=AGENCY_NAMES)


@lru_cache(maxsize=1)
def examples() -> list[dict]:
    return [{"name": n.removesuffix(".json"), "case": ex["case"], "why": ex.get("why", ""), "expect": ex.get("expect")}
            for n, ex in facade.examples()]


@lru_cache(maxsize=1)
def statutes() -> list[dict]:
    """The offences the place's law lists (the screener's picker); none for a place without populations."""
    pop = facade.place().population
    return pop.offences() if pop else []


@lru_cache(maxsize=1)
def sample_size() -> tuple[int, float]:
    """The bundled population's cases and the requests they stand for."""
    pop = facade.place().population
    if pop is None:
        return 0, 0.0
    frame = pop.sample()
    return frame.height, float(frame["weight"].sum())


def deciding(d: Decision) -> dict[str, list[dict]]:
    """For each action, the top-level rules of the explanation whose citation decided it."""
    out: dict[str, list[dict]] = {}
    for action, r in d.actions.items():
        rules = r.explanation.because if r.explanation else []
        if len(r.by_layer) > 1:  # the combined answer's children are the layers: open those it followed
            rules = [rule for layer in rules if layer.holds for section in layer.because for rule in section.because]
        picked = [{"rule": e.rule, "citation": e.citation} for e in rules if e.citation in r.citations]
        out[action] = picked or [{"rule": e.rule, "citation": e.citation} for e in rules[:1]]
    return out


def _offence(x: Any, _: Any) -> str:
    sub = f"({x.subdivision})" if x.subdivision else ""
    return f"{x.statute}{sub} ({i18n.code_word(x.level.value, _)})"


def describe_case(case: Case, lang: str = i18n.DEFAULT) -> list[str]:
    """The case in a few plain sentences, in language ``lang``: who asks for what, and the person's record."""
    _ = i18n.translations(lang).gettext
    agencies = i18n.place_words(lang)["AGENCY_NAMES"]

    def word(code: str) -> str:
        return i18n.code_word(code, _)

    rq, p = case.request, case.person
    what = {"agency": agencies.get(case.agency.value, case.agency.value), "time": case.decided_at,
            "kind": word(rq.kind.value), "requester": word(rq.requester.value), "purpose": word(rq.purpose.value)}
    sentence = _("%(agency)s acts at %(time)s on a request (%(kind)s) from %(requester)s, for %(purpose)s") % what
    if rq.information is not None:
        sentence += " " + _("(information sought: %(information)s)") % {"information": word(rq.information.value)}
    out = [sentence + "."]
    papers = []
    if rq.judicial_warrant:
        papers.append(_("a judicial warrant"))
    if rq.administrative_warrant is not None:
        papers.append(_("an administrative warrant (%(form)s)") % {"form": rq.administrative_warrant})
    extra = sorted(k for k, v in rq.model_dump().items() if v is True and k != "judicial_warrant")
    if papers or extra:
        out.append(_("With: %(items)s.") % {"items": "; ".join(papers + [word(k) for k in extra])})
    if case.instant_arrest_date:
        out.append(_("Arrested (this custody) on %(day)s.") % {"day": case.instant_arrest_date})
    for c in p.convictions:
        out.append((_("Conviction: %(offence)s, convicted %(day)s; youthful offender.") if c.youthful_offender
                    else _("Conviction: %(offence)s, convicted %(day)s.")) % {"offence": _offence(c, _),
                                                                            "day": c.conviction_date})
    for pc in p.pending_cases:
        charges = ", ".join(_offence(ch, _) for ch in pc.charges) or _("no charge listed")
        out.append(_("Pending case: %(charges)s") % {"charges": charges}
                   + (f"; {word(pc.disposition.value)}" if pc.disposition else "") + ".")
    for inc in p.incarcerations:
        out.append((_("Incarcerated %(start)s to %(end)s for a violent or serious offence.")
                    if inc.for_violent_or_serious else _("Incarcerated %(start)s to %(end)s."))
                   % {"start": inc.start, "end": inc.end})
    flags = [word(k) for k, v in p.model_dump().items() if v is True]
    if flags:
        out.append(_("Flags: %(flags)s.") % {"flags": "; ".join(flags)})
    if not (p.convictions or p.pending_cases or p.incarcerations or flags):
        out.append(_("No criminal record and no flags."))
    return out


def diff_view(diff: dict, lang: str = i18n.DEFAULT) -> list[dict]:
    """Each distinguishing case decided under both dates, with both explanations (described in ``lang``)."""
    d1 = dt.date.fromisoformat(diff["date1"])
    out = []
    for raw in diff.get("cases") or []:
        try:
            after_case = Case.model_validate(raw)
            at = after_case.decided_at
            moved = dt.datetime.combine(d1, at.time()) if isinstance(at, dt.datetime) else d1
            before_case = after_case.model_copy(update={"decided_at": moved})
            before, after = decide(before_case, explain=True), decide(after_case, explain=True)
        except (ValidationError, InputError, ValueError) as e:
            out.append({"problem": str(e), "raw": raw})
            continue
        a = diff["action"]
        out.append({
            "facts": describe_case(after_case, lang),
            "before": before.actions.get(a), "after": after.actions.get(a),
            "json": after_case.model_dump_json(indent=2, exclude_defaults=True),
        })
    return out


def law_events(timeline: list[dict], lang: str = i18n.DEFAULT) -> list[dict]:
    """Every dated event of every layer (a local law, a ruling, an order: one source taking effect or
    ending), newest first, with the rules it brought in or ended (titled in ``lang``) and a diff to open."""
    _ = i18n.translations(lang).gettext
    events: dict[tuple[str, str, str], dict] = {}
    for section in timeline:
        for v in section["versions"]:
            for day, what in ((v["start"], "in"), (v["end"], "out")):
                if not day:
                    continue
                e = events.setdefault((day, v["source"], v["layer"]), {
                    "date": day, "source": v["source"], "layer": v["layer"], "in": [], "out": [],
                    "agencies": [], "actions": []})
                label = f"{_(v['title'])} — {v['citation']}"
                if label not in e[what]:
                    e[what].append(label)
                e["agencies"] += [a for a in v["agencies"] if a not in e["agencies"]]
                e["actions"] += [a for a in v["actions"] if a not in e["actions"]]
    out = []
    for e in sorted(events.values(), key=lambda e: (e["date"], e["source"]), reverse=True):
        day = dt.date.fromisoformat(e["date"])
        agency = next((a for a in e["agencies"] if a in AGENCY_NAMES), next(iter(AGENCY_NAMES)))
        action = next((a for a in e["actions"] if a in ACTIONS), "hold")
        e["diff"] = (f"/law?date1={day - dt.timedelta(days=1)}&date2={day}&agency={agency}&action={action}#diff")
        e["in_force"] = f"/law?as_of={day}"
        out.append(e)
    return out


def diff_words(diff: dict, lang: str = i18n.DEFAULT) -> list[dict]:
    """The rule changes between two dates in words (in ``lang``): a rule re-enacted with the same title and
    citation is "re-enacted", one whose citation stays but whose text changes is "amended", others "repealed"
    or "new"."""
    _ = i18n.translations(lang).gettext
    removed, added = list(diff.get("removed") or []), list(diff.get("added") or [])
    out: list[dict] = []
    for r in list(removed):
        same = next((a for a in added if a["citation"] == r["citation"] and a["title"] == r["title"]), None)
        changed = same or next((a for a in added if a["citation"] == r["citation"]), None)
        if changed is None:
            continue
        removed.remove(r)
        added.remove(changed)
        if same:
            text = _("%(citation)s: re-enacted unchanged by %(source)s (was %(was)s): %(title)s.") % {
                "citation": r["citation"], "source": same["source"], "was": r["source"], "title": _(r["title"])}
            out.append({"kind": "re-enacted", "text": text})
        else:
            text = _("%(citation)s: amended by %(source)s. Before: %(before)s (%(was)s). After: %(after)s.") % {
                "citation": r["citation"], "source": changed["source"], "before": _(r["title"]), "was": r["source"],
                "after": _(changed["title"])}
            out.append({"kind": "amended", "text": text})
    out += [{"kind": "repealed", "text": _("%(citation)s: no longer in force (%(source)s): %(title)s.") % {
        **r, "title": _(r["title"])}} for r in removed]
    out += [{"kind": "new", "text": _("%(citation)s: newly in force (%(source)s): %(title)s.") % {
        **a, "title": _(a["title"])}} for a in added]
    return out


def _gettext(request: Request) -> Any:
    """The gettext function of the request's language."""
    return i18n.translations(i18n.language(request)).gettext


def decision_html(request: Request, case: Case, d: Decision, decision_id: str | None) -> HTMLResponse:
    return templates.TemplateResponse(request, "_decision.html", {
        "d": d, "case": case, "deciding": deciding(d), "decision_id": decision_id,
        "case_json": case.model_dump_json(indent=2, exclude_defaults=True),
    })


def swagger_assets() -> Path | None:
    """Swagger UI's files from the ``swagger-ui-bundle`` package, so /docs works offline; None without it."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    assets = swagger_assets()
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=str(assets)), name="docs-assets")
    app.include_router(router(), include_in_schema=False)
    i18n.install(app)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {"assets": assets is not None})


def router() -> APIRouter:
    r = APIRouter()

    @r.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "index.html", {})

    @r.get("/screener", response_class=HTMLResponse)
    def screener(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "screener.html", {
            "examples": examples(), "statutes": statutes(),
            "examples_map": {e["name"]: e["case"] for e in examples()},
        })

    @r.post("/screener/result", response_class=HTMLResponse)
    async def screener_result(request: Request) -> HTMLResponse:
        try:
            case = Case.model_validate_json(await request.body())  # pydantic's parser bounds nesting depth
            d = decide(case, explain=True)
        except ValidationError as e:
            return templates.TemplateResponse(request, "_problems.html", {"problems": describe_validation(e)}, 422)
        except InputError as e:
            return templates.TemplateResponse(request, "_problems.html", {"problems": [str(e)]}, 422)
        except ValueError:
            return templates.TemplateResponse(request, "_problems.html", {"problems": ["the form could not be read"]},
                                              422)
        log = request.app.state.log
        try:
            did = (await log.record_durable(case, d)).decision_id if log else None  # shown once stored
        except LogUnavailable:
            return templates.TemplateResponse(request, "_problems.html", {"problems": [
                "the decision log cannot store this decision now, so it is not shown; try again shortly"]}, 503)
        return decision_html(request, case, d, did)

    @r.get("/law", response_class=HTMLResponse)
    def law_page(request: Request, as_of: str | None = None, agency: str | None = None,
                 date1: str | None = None, date2: str | None = None, action: str = "hold") -> HTMLResponse:
        problems: list[str] = []

        def day(name: str, v: str | None) -> dt.date | None:
            if not v:
                return None
            try:
                return dt.date.fromisoformat(v)
            except ValueError:
                problems.append(f"{name}: {v!r} is not a valid date (YYYY-MM-DD)")
                return None

        ag = agency if agency in AGENCY_NAMES else None
        if agency and ag is None:
            problems.append(f"agency: {agency!r} is not one of {', '.join(AGENCY_NAMES)}")
        if action not in ACTIONS:
            problems.append(f"action: {action!r} is not one of {', '.join(ACTIONS)}")
        d0, d1, d2 = day("as_of", as_of), day("date1", date1), day("date2", date2)
        lang = i18n.language(request)
        rows = services.law_rows(d0, ag) if d0 else None
        diff = None
        if d1 and d2 and action in ACTIONS:
            try:
                diff = services.law_diff(d1, d2, ag or "doc", action, 10)
                diff["view"] = diff_view(diff, lang)
            except HTTPException as e:  # the solver is busy (503): the rule changes alone, and say so
                diff = services.rule_diff(d1, d2, ag or "doc", action) | {
                    "view": [], "cases_note": i18n.translations(lang).gettext(
                        "Cases decided differently could not be listed now: %(problem)s") % {"problem": e.detail}}
            diff["words"] = diff_words(diff, lang)
        return templates.TemplateResponse(request, "law.html", {
            "timeline": services.timeline(), "events": law_events(services.timeline(), lang), "rows": rows,
            "as_of": as_of or "", "agency": ag or "",
            "date1": date1 or "", "date2": date2 or "", "action": action, "diff": diff, "problems": problems,
        }, 422 if problems else 200)

    @r.get("/lab", response_class=HTMLResponse)
    def lab_page(request: Request) -> HTMLResponse:
        from detainerlaw.simulation.report import number
        from detainerlaw.simulation.simulate import suppress_value

        rows, weight = sample_size()
        lang = i18n.language(request)
        return templates.TemplateResponse(request, "lab.html", {
            "scenarios": services.scenario_list(scenarios), "layers": lab.layers(_gettext(request)),
            "sample_rows": number(rows, lang), "sample_weight": number(suppress_value(weight) or 0, lang)})

    @r.get("/claims", response_class=HTMLResponse)
    def claims_page(request: Request) -> HTMLResponse:
        return _claims(request, claims, "", None, [])

    @r.post("/claims", response_class=HTMLResponse)
    def claims_check(request: Request, claim_id: Annotated[str, Form()] = "",
                     claims_yaml: Annotated[str, Form(max_length=200_000)] = "") -> HTMLResponse:
        mod = claims
        if claims_yaml.strip():
            try:
                data = yaml.safe_load(claims_yaml)
            except yaml.YAMLError as e:
                return _claims(request, mod, claims_yaml, None, [f"claims: not valid YAML ({e.__class__.__name__})"])
            if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
                return _claims(request, mod, claims_yaml, None, ["claims: expected a mapping with a 'claims' list"])
        else:
            chosen = [c for c in _bundled(mod) if c.get("id") == claim_id]
            if not chosen:
                return _claims(request, mod, claims_yaml, None, ["claim_id: choose a bundled claim or paste YAML"])
            data = {"claims": chosen}
            claims_yaml = yaml.safe_dump(data, sort_keys=False)
        return _verify_page(request, mod, data, claims_yaml, claim_id)

    @r.post("/claims/build", response_class=HTMLResponse)
    async def claims_build(request: Request) -> HTMLResponse:
        form = await request.form()
        fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        outcomes = [v for v in form.getlist("b_outcome") if isinstance(v, str)]
        try:
            claim = build_claim(fields, outcomes, i18n.language(request))
        except InputError as e:
            return _claims(request, claims, "", None, [str(e)], built=fields | {"b_outcome": outcomes})
        data = {"claims": [claim]}
        return _verify_page(request, claims, data, yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "",
                            built=fields | {"b_outcome": outcomes})

    return r


REQUEST_MODEL = Case.model_fields["request"].annotation
REQUEST_CHOICES = {n: [m.value for m in REQUEST_MODEL.model_fields[n].annotation]
                   for n in ("kind", "requester", "purpose")}
REQUEST_FLAGS = [n for n, f in REQUEST_MODEL.model_fields.items() if f.annotation is bool]
CLAIM_KINDS = {"forall": i18n.N_("always (every case that fits)"),
               "exists": i18n.N_("sometimes (at least one case that fits)")}


def build_claim(f: dict[str, str], outcomes: list[str], lang: str = i18n.DEFAULT) -> dict:
    """A claim from the builder form: who, when, what request, which facts, the outcome claimed (a problem
    with the form said in ``lang``)."""
    _ = i18n.translations(lang).gettext
    kind = f.get("b_quantifier", "forall")
    if kind not in CLAIM_KINDS:
        raise InputError("kind", _("%(value)s is not one of %(choices)s") % {"value": repr(kind),
                                                                              "choices": ", ".join(CLAIM_KINDS)})
    try:
        day = dt.date.fromisoformat(f.get("b_as_of", ""))
    except ValueError:
        raise InputError("when", _("give the date the law is read on (YYYY-MM-DD)")) from None
    agency = f.get("b_agency", "")
    if agency not in AGENCY_NAMES:
        raise InputError("who", _("choose one of %(choices)s") % {"choices": ", ".join(AGENCY_NAMES)})
    request: dict[str, Any] = {}
    for name, values in REQUEST_CHOICES.items():
        v = f.get(f"b_{name}", "")
        if v and v not in values:
            raise InputError(f"request.{name}", _("%(value)s is not one of %(choices)s") % {
                "value": repr(v), "choices": ", ".join(values)})
        if v:
            request[name] = v
    for flag in REQUEST_FLAGS:
        v = f.get(f"b_flag_{flag}", "")
        if v not in ("", "yes", "no"):
            raise InputError(f"request.{flag}", _("choose yes, no or either"))
        if v:
            request[flag] = v == "yes"
    action = f.get("b_action", "")
    if action not in ACTIONS:
        raise InputError("action", _("choose one of %(choices)s") % {"choices": ", ".join(ACTIONS)})
    bad = [o for o in outcomes if o not in OUTCOMES]
    if bad or not outcomes:
        raise InputError("outcome", _("tick at least one of %(choices)s") % {"choices": ", ".join(OUTCOMES)})
    claim: dict[str, Any] = {"id": "my-claim", "text": f.get("b_text", "").strip()[:500], "kind": kind,
                             "as_of": day, "given": {"agency": agency, "request": request},
                             "then": {action: outcomes[0] if len(outcomes) == 1 else outcomes}}
    layer = f.get("b_layer", "")
    if layer:
        if layer not in [x["id"] for x in lab.layers()]:
            raise InputError("layer", _("%(value)s is not one of this place's laws") % {"value": repr(layer)})
        claim["layer"] = layer
    return claim


def _verify_page(request: Request, mod: Any, data: dict, claims_yaml: str, claim_id: str,
                 built: dict | None = None) -> HTMLResponse:
    try:
        out = services.run_verify(mod, data)
    except InputError as e:
        return _claims(request, mod, claims_yaml, None, [str(e)], built=built)
    except HTTPException as e:  # the solver is busy (503): the page says so and keeps what was typed
        return _claims(request, mod, claims_yaml, None, [str(e.detail)], claim_id, status=e.status_code, built=built)
    return _claims(request, mod, claims_yaml,
                   _explain_results(out.get("results", []), data["claims"], i18n.language(request)), [],
                   claim_id, built=built)


def _bundled(mod: Any) -> list[dict]:
    try:
        b = mod.bundled_claims()
    except Exception:  # noqa: BLE001 - a page must still render
        return []
    return b.get("claims", []) if isinstance(b, dict) else list(b)


def _claimed(then: Any) -> dict[str, list[str]]:
    """A claim's ``then`` as action -> the outcomes it allows."""
    if not isinstance(then, dict):
        return {}
    return {str(a): [str(x) for x in (v if isinstance(v, list) else [v])] for a, v in then.items()}


def why_fails(claimed: dict[str, list[str]], d: Decision, lang: str = i18n.DEFAULT) -> list[str]:
    """For each action the claim speaks of, what it claims and what the law answers in the counterexample,
    in language ``lang``."""
    _ = i18n.translations(lang).gettext
    actions = i18n.place_words(lang)["ACTIONS"]
    out = []
    for action, wanted in claimed.items():
        r = d.actions.get(action)
        if r is None or r.outcome.value in wanted:
            continue
        said = _(" or ").join(_(OUTCOMES[w]) if w in OUTCOMES else w for w in wanted)
        cited = f" ({'; '.join(r.citations)})" if r.citations else ""
        out.append(_("%(action)s: the claim says “%(said)s”, but in this case the law's answer is “%(answer)s”"
                     "%(cited)s.") % {"action": actions.get(action, action), "said": said,
                                      "answer": _(OUTCOMES[r.outcome.value]), "cited": cited})
    return out


def _explain_results(results: list[dict], asked: list[Any] | None = None, lang: str = i18n.DEFAULT) -> list[dict]:
    """Attach a decision (with explanation) to each counterexample, and why it refutes the claim."""
    thens = {c.get("id"): _claimed(c.get("then")) for c in asked or [] if isinstance(c, dict)}
    out = []
    for res in results:
        res = dict(res)
        ce = res.get("counterexample") or (res.get("cases") or [None])[0]
        if ce:
            try:
                case = Case.model_validate(ce)
                res["ce_case"] = case
                res["ce_facts"] = describe_case(case, lang)
                res["ce_json"] = case.model_dump_json(indent=2, exclude_defaults=True)
                res["ce_decision"] = d = decide(case, explain=True)
                res["ce_deciding"] = deciding(d)
                if res.get("counterexample") and res.get("kind", "forall") == "forall":
                    res["ce_why"] = why_fails(thens.get(res.get("id"), {}), d, lang)
            except (ValidationError, InputError, ValueError) as e:
                res["ce_problem"] = str(e)
        out.append(res)
    return out


def _claims(request: Request, mod: Any, text: str, results: list[dict] | None, problems: list[str],
            claim_id: str = "", status: int | None = None, built: dict | None = None) -> HTMLResponse:
    return templates.TemplateResponse(request, "claims.html", {
        "bundled": _bundled(mod), "claims_yaml": text, "results": results,
        "problems": problems, "claim_id": claim_id, "b": built or {"b_quantifier": "forall", "b_outcome": []},
        "choices": REQUEST_CHOICES, "flags": REQUEST_FLAGS, "claim_kinds": CLAIM_KINDS,
        "layers": lab.layers(_gettext(request)),
    }, status or (422 if problems else 200))
