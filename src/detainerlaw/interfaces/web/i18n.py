"""The pages' languages: gettext catalogs (``locale/<lang>/LC_MESSAGES/messages.po``, read with Babel), chosen
by ``?lang=`` (remembered in a cookie), else the cookie, else the browser's Accept-Language, else English.
A language is added by adding its catalog and a line to ``LANGUAGES`` (``interfaces/languages.py``).

The catalogs are read from the ``.po`` files at start-up (no compiled ``.mo`` is shipped). To refresh them
after changing a message, from this folder::

    pybabel extract -F babel.cfg --no-location --omit-header -o locale/messages.pot .
    pybabel update -i locale/messages.pot -d locale --ignore-obsolete --no-fuzzy-matching

``babel.cfg`` also runs ``extract.py``, which collects the words that live outside this folder: each
place's title, layer titles and agency, action and section labels (English in the law package, the msgid
here, translated at display time; see ``place_words``), the rules' titles, labels, conditions and cited
definitions (translated at display time by ``explained`` and ``condition``), the bundled scenarios' titles and
descriptions (the reform lab), the law packages' register notes (the notes at the foot of a decision, by
``note``, which also translates the combined ``LAYERS`` note from its fixed pattern), the bundled claims' texts
(the claim checker) and the reform lab's report (simulation/report.py)."""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import FastAPI, Request

from detainerlaw import facade
from detainerlaw.interfaces.languages import COOKIE, DEFAULT, LANGUAGES, language

LOCALE = Path(__file__).parent / "locale"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention: marks a message for extraction only
    return message


# The plain-language outcomes, translated where they are shown.
OUTCOMES = {
    "permitted": N_("Permitted: the agency may do this"),
    "prohibited": N_("Prohibited: the agency may not do this"),
    "not_governed": N_("Not governed: no restriction or duty in this law"),
    "required": N_("Required: the agency must do this"),
}


# The case model's codes as the forms show them (the English is the msgid; codes without an entry are shown
# with their underscores as spaces).
CODE_WORDS = {
    # request kinds
    "detainer": N_("detainer"), "information": N_("information"), "office": N_("office on agency premises"),
    "facility_access": N_("access to the facility"), "criminal_warrant": N_("criminal warrant"),
    "courthouse_arrest": N_("arrest at or near a courthouse"), "agreement_287g": N_("287(g) agreement"),
    "transfer": N_("transfer at release"),
    # requesters and purposes
    "federal_immigration": N_("federal immigration authorities"), "other_federal": N_("other federal authorities"),
    "state_or_local": N_("state or local authorities"), "civil_immigration": N_("civil immigration enforcement"),
    "criminal_immigration": N_("criminal immigration enforcement"),
    "criminal_other": N_("other criminal law enforcement"),
    # information asked for
    "release_date": N_("release date"), "court_date": N_("court date"),
    "incarceration_status": N_("incarceration status"), "immigration_status": N_("immigration status"),
    "other": N_("other"),
    # levels, sentences, inchoate offences, dispositions
    "felony": N_("felony"), "misdemeanor": N_("misdemeanor"), "violation": N_("violation"),
    "incarceration": N_("incarceration"), "probation": N_("probation"),
    "conditional_discharge": N_("conditional discharge"), "fine": N_("fine"), "attempt": N_("attempt"),
    "conspiracy": N_("conspiracy"), "solicitation": N_("solicitation"), "facilitation": N_("facilitation"),
    "acd": N_("adjournment in contemplation of dismissal (ACD)"),
    # the request's yes-or-no facts
    "judicial_warrant": N_("A judicial warrant came with the request"),
    "required_by_law": N_("The response is otherwise required by law"),
    "requester_immigration_duties": N_("The requesting officer has civil immigration duties"),
    "agreement": N_("Access under an agreement"), "cooperative_arrangement": N_("Cooperative arrangement"),
    "exigent_circumstances": N_("Exigent circumstances"),
    "furthers_agency_mission": N_("Access furthers the agency's own mission"),
    "access_warrant": N_("A judicial warrant for access"), "assist": N_("The agency is asked to assist"),
    "dmv_records": N_("Motor vehicle (DMV) records are sought"),
    # the person's yes-or-no facts
    "outstanding_criminal_warrant": N_("An outstanding criminal warrant"),
    "gang_database_match": N_("A gang-database match"),
    "terrorist_screening_match": N_("A possible terrorist-screening-database match"),
    "removal_warrant_outstanding": N_("An outstanding warrant of removal"),
    "final_order_of_removal": N_("A final order of removal"),
    "reentered_after_removal": N_("Re-entered illegally after removal"),
    "mandatory_youthful_offender": N_("Mandatory youthful offender (CPL 720.20(1)(b))"),
}


# The outcome words the explanation tree adds to the law's ("title: permitted (label)"; engine.interpreter,
# results), in their own context: a rule's outcome (the reform lab's report has the same words for counts).
EXPLAIN_OUTCOMES = ("permitted", "prohibited", "not governed", "required")


def outcome_word(word: str, t: gettext.NullTranslations) -> str:
    """A rule's outcome in the tree ("not_governed" or "not governed") in the language of ``t``."""
    word = word.replace("_", " ")
    return {"permitted": t.pgettext("rule outcome", "permitted"),
            "prohibited": t.pgettext("rule outcome", "prohibited"),
            "not governed": t.pgettext("rule outcome", "not governed"),
            "required": t.pgettext("rule outcome", "required")}.get(word, word)


_OUTCOME = "|".join(EXPLAIN_OUTCOMES)
_COMBINED = re.compile(r"combined answer: (?P<outcome>\w+) \(a prohibition in any layer prevails unless a higher "
                       r"layer displaces it; then required, permitted, or not governed\)")
_LAYER = re.compile(rf"layer (?P<layer>\S+): (?P<outcome>{_OUTCOME.replace(' ', '[ _]')})")
_SCOPE = re.compile(r"(?P<title>.+?): outside its scope")
_RULE = re.compile(rf"(?P<title>.+?): (?P<outcome>{_OUTCOME})(?: \((?P<label>.*)\))?", re.DOTALL)
# A limit as decide.conditions fills "{until}" in (an ISO date and time to the minute, maybe with its offset).
_UNTIL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?")


def explained(text: str, t: gettext.NullTranslations | None = None, actions: dict[str, str] | None = None) -> str:
    """A line of the explanation tree or a deciding rule in the language of the translations ``t``: the law's
    words (a rule's title, an exception's label, a cited definition) and the tree's own ("title: permitted
    (label)", "title: outside its scope", the layers' lines) translated; a description of the case's own
    facts ("conviction: PL 120.05 felony, ...") is not in the catalog and stays as it is. ``actions``: the
    action codes in words (a layer's line names its action by its code)."""
    if t is None:
        return text
    _ = t.gettext
    if (out := _(text)) != text:
        return out
    if m := _COMBINED.fullmatch(text):
        return _("combined answer: %(outcome)s (a prohibition in any layer prevails unless a higher layer displaces "
                 "it; then required, permitted, or not governed)") % {"outcome": outcome_word(m["outcome"], t)}
    if m := _LAYER.fullmatch(text):
        return _("layer %(layer)s: %(outcome)s") % {"layer": m["layer"], "outcome": outcome_word(m["outcome"], t)}
    if m := _SCOPE.fullmatch(text):
        return _("%(title)s: outside its scope") % {"title": _(m["title"])}
    if m := _RULE.fullmatch(text):
        title = (actions or {}).get(m["title"]) or _(m["title"])
        out = f"{title}: {outcome_word(m['outcome'], t)}"
        return out + (f" ({_(m['label'])})" if m["label"] is not None else "")
    return text


_CONFLICT = re.compile(r"(?P<action>\S+): the layers disagree \((?P<said>[^()]*)\); combined as (?P<outcome>\w+): a "
                       r"prohibition in any layer prevails unless a higher layer requires the action or preempts the "
                       r"restriction(?: \(displaced: (?P<displaced>[^()]*)\))?\.")
_SAID = re.compile(rf"(?P<layer>[^:,]+): (?P<outcome>{_OUTCOME.replace(' ', '[ _]')})")


def note(code: str, text: str, t: gettext.NullTranslations | None = None,
         actions: dict[str, str] | None = None) -> str:
    """A note at the foot of a decision in the language of ``t``: a register note's fixed text is the msgid
    (collected by ``extract.py``); the ``LAYERS`` note, composed per decision (results.action_result), is
    translated sentence by sentence from its fixed pattern, or left as it is if it does not follow it."""
    if t is None:
        return text
    _ = t.gettext
    if (out := _(text)) != text:
        return out
    if code != "LAYERS":
        return text
    parts, end = [], 0
    for m in _CONFLICT.finditer(text):
        if text[end:m.start()].strip():
            return text
        end = m.end()
        said = []
        for piece in m["said"].split(", "):
            if not (s := _SAID.fullmatch(piece)):
                return text
            said.append(f"{s['layer']}: {outcome_word(s['outcome'], t)}")
        args = {"action": (actions or {}).get(m["action"], m["action"]), "said": ", ".join(said),
                "outcome": outcome_word(m["outcome"], t)}
        if m["displaced"] is not None:
            parts.append(_("%(action)s: the layers disagree (%(said)s); combined as %(outcome)s: a prohibition in any "
                           "layer prevails unless a higher layer requires the action or preempts the restriction "
                           "(displaced: %(displaced)s).") % {**args, "displaced": m["displaced"]})
        else:
            parts.append(_("%(action)s: the layers disagree (%(said)s); combined as %(outcome)s: a prohibition in any "
                           "layer prevails unless a higher layer requires the action or preempts the restriction.")
                         % args)
    if not parts or text[end:].strip():
        return text
    return " ".join(parts)


def condition(text: str, gettext: Any = None) -> str:
    """A decision's condition in the language of ``gettext``: the law's text is the msgid, with "{until}"
    where decide.conditions wrote the limit, which is put back into the translation."""
    if not gettext:
        return text
    t = gettext(text)
    if t != text:
        return t
    m = _UNTIL.search(text)
    if m:
        template = f"{text[:m.start()]}{{until}}{text[m.end():]}"
        t = gettext(template)
        if t != template:
            return t.replace("{until}", m.group())
    return text


def code_word(code: str, gettext: Any = None) -> str:
    """A case-model code in words, in the language of ``gettext`` (English without one)."""
    word = CODE_WORDS.get(code)
    if word is None:
        return code.replace("_", " ")
    return gettext(word) if gettext else word


@lru_cache(maxsize=len(LANGUAGES))
def place_words(lang: str) -> dict[str, Any]:
    """The default place's words in ``lang``: its title, agencies, actions, sections and layer titles. The
    law package holds them in English; the English is the msgid (collected by ``extract.py``). Read only."""
    tr = translations(lang).gettext
    place = facade.place()
    labels = place.labels
    return {
        "PLACE": tr(place.title),
        "AGENCY_NAMES": {k: tr(v) for k, v in labels.agencies.items()},
        "ACTIONS": {k: tr(v) for k, v in labels.actions.items()},
        "SECTIONS": {k: tr(v) for k, v in labels.sections.items()},
        "LAYER_TITLES": {layer.id: tr(layer.title) for layer, _ in place.stack()},
    }


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` (English, the source language, needs none)."""
    po = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=Locale.parse(lang))
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def context(request: Request) -> dict[str, Any]:
    """What every template gets: ``_`` (gettext, for literal messages), ``tr`` (the same, for a message held in a
    variable and extracted elsewhere), ``word`` (a case-model code in words), ``explained`` and ``condition``
    (an explanation line or deciding rule, a condition, in the page's language), ``lang``, the languages, and the
    outcomes and the place's words (``place_words``) in the page's language."""
    lang = language(request)
    t = translations(lang)
    words = place_words(lang)
    return {"_": t.gettext, "tr": t.gettext, "word": lambda code: code_word(code, t.gettext), "lang": lang,
            "explained": lambda text: explained(text, t, words["ACTIONS"]),
            "condition": lambda text: condition(text, t.gettext),
            "note": lambda code, text: note(code, text, t, words["ACTIONS"]),
            "LANGUAGES": LANGUAGES, "OUTCOMES": {k: t.gettext(v) for k, v in OUTCOMES.items()},
            **words}


def install(app: FastAPI) -> None:
    """Remember a language chosen with ``?lang=`` in a cookie."""

    @app.middleware("http")
    async def remember(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        lang = request.query_params.get("lang")
        if lang in LANGUAGES and request.cookies.get(COOKIE) != lang:
            response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response
