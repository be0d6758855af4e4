"""Babel extraction methods (named in ``babel.cfg``) for the words the pages show whose text lives outside
this folder, listed in ``outside_messages.cfg``:

- ``place-labels``: every registered place's title, layer titles and agency, action and section labels. The
  law packages keep them in English and know nothing of languages; the English label is the msgid and the
  pages translate it when they show it (``i18n.place_words``).
- ``rule-words``: every rule's title, its exceptions' labels and conditions, its default and scope labels
  and conditions, and the names of the definitions its expressions cite, over every layer, epoch and agency
  of every registered place: the words of the explanation tree, the deciding rules and the conditions. The
  English is the msgid; the pages translate it when they show it (``i18n.explained``, ``i18n.condition``).
  A condition may hold ``{until}``: the msgid keeps it and the translation must too (the page fills it in).
- ``scenario-words``: every bundled scenario's title and description (the reform lab's list and report).
- ``register-notes``: every register note of every layer of every registered place (the notes at the foot
  of a decision, by code).
- ``claim-texts``: every bundled claim's text (the claim checker's list and results).
- ``python <module>``: the ``_()`` and ``N_()`` messages of a module the pages show (the reform lab's report,
  ``detainerlaw.simulation.report``), read with Babel's own Python extractor.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Collection, Iterator
from typing import IO, Any

from babel.messages.extract import extract_python

Message = tuple[int, str, str, list[str]]


def place_labels() -> Iterator[tuple[str, str]]:
    """(message, where it comes from) for every word of every place the law packages declare."""
    from detainerlaw import jurisdictions

    for pid in jurisdictions.packaged():
        place = jurisdictions.get(pid)
        yield place.title, f"{pid}: the place's title"
        for layer in place.layers:
            yield layer.title, f"{pid}: title of the layer {layer.id}"
        for kind, words in (("agency", place.labels.agencies), ("action", place.labels.actions),
                            ("section", place.labels.sections)):
            for code, text in words.items():
                yield text, f"{pid}: {kind} {code}"


def rule_words() -> Iterator[tuple[str, str]]:
    """(message, where it comes from) for every static word of every rule of every place the law packages
    declare, in every layer, epoch and agency (each message once, where first met)."""
    from detainerlaw import jurisdictions
    from detainerlaw.engine import expr as E

    seen: set[str] = set()

    def new(text: str) -> bool:
        if not text or text in seen:
            return False
        seen.add(text)
        return True

    def names(e: E.Expr) -> Iterator[str]:
        stack, done = [e], set()
        while stack:
            x = stack.pop()
            if id(x) in done:
                continue
            done.add(id(x))
            if isinstance(x, E.Def):
                yield x.name
            stack.extend(reversed(E.children(x)))

    for pid in jurisdictions.packaged():
        place = jurisdictions.get(pid)
        for layer, pack in place.stack():
            for day in pack.boundaries():
                for agency in pack.agencies:
                    for rule in pack.snapshot(day, agency).rules():
                        where = f"{pid}/{layer.id}: rule {rule.id}"
                        texts = [(rule.title, "title"), (rule.applies_label, "scope"),
                                 (rule.default_label, "default"),
                                 *((t, "default condition") for t in rule.default_conditions)]
                        exprs = [rule.applies]
                        for w in rule.ranked():
                            texts += [(w.label, "exception"), *((t, "exception condition") for t in w.conditions)]
                            exprs.append(w.condition)
                        for e in exprs:
                            texts += [(n, "definition") for n in names(e)]
                        for text, what in texts:
                            if new(text):
                                yield text, f"{where}, {what}"


def scenario_words() -> Iterator[tuple[str, str]]:
    """(message, where it comes from) for every bundled scenario's title and description."""
    from detainerlaw.scenarios import list_scenarios

    for s in list_scenarios():
        for what in ("title", "description"):
            if s.get(what):
                yield s[what], f"scenario {s['name']}: {what}"


def register_notes() -> Iterator[tuple[str, str]]:
    """(message, where it comes from) for every register note of every layer of every registered place."""
    from detainerlaw import jurisdictions

    for pid in jurisdictions.packaged():
        for layer, pack in jurisdictions.get(pid).stack():
            for code, text in pack.register.items():
                yield text, f"{pid}/{layer.id}: register note {code}"


def claim_texts() -> Iterator[tuple[str, str]]:
    """(message, where it comes from) for every bundled claim's text."""
    from detainerlaw import claims

    for c in claims.bundled_claims()["claims"]:
        if c.get("text"):
            yield c["text"], f"claim {c.get('id')}"


SOURCES = {"place-labels": place_labels, "rule-words": rule_words, "scenario-words": scenario_words,
           "register-notes": register_notes, "claim-texts": claim_texts}


def outside(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
            options: dict[str, Any]) -> Iterator[Message]:
    """The messages of each source ``fileobj`` (``outside_messages.cfg``) lists, one a line."""
    for lineno, raw in enumerate(fileobj.read().decode("utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind, _, arg = line.partition(" ")
        if kind in SOURCES:
            for text, where in SOURCES[kind]():
                yield lineno, "_", text, [where]
        elif kind == "python":
            spec = importlib.util.find_spec(arg.strip())
            if spec is None or spec.origin is None:
                raise ValueError(f"outside_messages.cfg line {lineno}: no module {arg.strip()!r}")
            with open(spec.origin, "rb") as f:
                for _lineno, funcname, messages, comments in extract_python(f, keywords, comment_tags, options):
                    yield lineno, funcname, messages, [f"{arg.strip()}, line {_lineno}", *comments]
        else:
            raise ValueError(f"outside_messages.cfg line {lineno}: unknown source {kind!r}")
