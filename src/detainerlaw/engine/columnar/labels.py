"""Rule labels: the deciding rules of an action as ``id#branch`` joined by ``+`` (the
``{action}_rule`` column), numbered per lowered action, and the citations and conditions
a label stands for (as ``decide`` reports them)."""

from __future__ import annotations

import datetime as dt
import weakref

import numpy as np

from detainerlaw.engine.lower import LoweredAction, branch_citations
from detainerlaw.engine.rules import NOT_GOVERNED, SEVERITY, Rule, Snapshot


def deciding(rules: tuple[Rule, ...], branches: tuple[int, ...]) -> tuple[str, list[tuple[Rule, int]]]:
    """The combined outcome and the deciding (rule, branch) pairs of one action."""
    outs = []
    for r, b in zip(rules, branches, strict=True):
        if b < 0:
            outs.append(NOT_GOVERNED)
        else:
            outs.append(r.default if b == 0 else r.ranked()[b - 1].outcome)
    scoped = [(o, r, b) for o, r, b in zip(outs, rules, branches, strict=True) if b >= 0]
    if not scoped:
        return NOT_GOVERNED, []
    best = max((o for o, _, _ in scoped), key=SEVERITY.__getitem__)
    return best, [(r, b) for o, r, b in scoped if o == best]


def rule_label(pairs: list[tuple[Rule, int]]) -> str:
    """``id#branch`` of each deciding rule, joined by ``+`` (the ``{action}_rule`` column)."""
    return "+".join(f"{r.id}#{b}" for r, b in pairs)


def parse_rule_label(snapshot: Snapshot, action: str, label: str | None) -> list[tuple[Rule, int]]:
    if not label:
        return []
    by_id = {r.id: r for r in snapshot.actions.get(action, [])}
    out = []
    for part in label.split("+"):
        rid, _, b = part.rpartition("#")
        out.append((by_id[rid], int(b)))
    return out



# By identity, weakly: an entry goes with its lowered action (a reform's law dropped from the pack's cache).
_LABELS: dict[int, tuple[weakref.ref, list[str], list[int]]] = {}


def _rule_words(la: LoweredAction) -> tuple[list[str], list[int]]:
    """(the label of each combination of the rules' branches, the weight of each rule's
    branch in a combination's number), found once per lowered action."""
    hit = _LABELS.get(id(la))
    if hit is None or hit[0]() is not la:
        rules = tuple(r.rule for r in la.rules)
        radix = [len(r.exceptions) + 2 for r in rules]  # branches -1 .. len(exceptions)
        weight = [1]
        for r in radix[:-1]:
            weight.append(weight[-1] * r)
        words = [rule_label(deciding(rules, tuple((key // w) % r - 1 for w, r in zip(weight, radix, strict=True)))[1])
                 for key in range(weight[-1] * radix[-1])] if rules else [""]
        hit = _LABELS[id(la)] = (weakref.ref(la), words, weight if rules else [])
        weakref.finalize(la, _LABELS.pop, id(la), None)
    return hit[1], hit[2]


def _rule_lut(la: LoweredAction, labels: dict[str, int]) -> tuple[np.ndarray, list[int]]:
    """(index in ``labels`` of each branch combination's label, the weights): a row's
    label is ``lut[sum((branch + 1) * weight)]`` over the rules' branch columns."""
    words, weight = _rule_words(la)
    return np.array([labels.setdefault(w, len(labels)) for w in words], dtype=np.uint32), weight


def citation_code(rule: Rule) -> str:
    """The code a rule's bare section citations ("§ ...") belong to, as a prefix: the code
    the rule's own citation names, before its first "§" (empty when it names none)."""
    head, sep, _ = rule.cite.partition("§")
    return head if sep else ""


def _cite(rule: Rule, c: str) -> str:
    """A citation of ``rule``'s branch in full: a bare section with the code of the rule."""
    return f"{citation_code(rule)}{c}" if c.startswith("§") else c


def label_citations(snapshot: Snapshot, action: str, label: str | None) -> list[str]:
    """The citations of an ``{action}_rule`` value (as ``decide`` reports them)."""
    out: list[str] = []
    for rule, b in parse_rule_label(snapshot, action, label):
        for c in branch_citations(rule, b):
            if _cite(rule, c) not in out:
                out.append(_cite(rule, c))
    return out


def label_conditions(snapshot: Snapshot, action: str, label: str | None, until: dt.datetime | None) -> list[str]:
    """The conditions of an ``{action}_rule`` value (as ``decide`` reports them)."""
    return worded(condition_texts(snapshot, action, label), until)


def condition_texts(snapshot: Snapshot, action: str, label: str | None) -> list[str]:
    """The deciding rules' condition templates of an ``{action}_rule`` value (``{until}`` unfilled)."""
    return [t for rule, b in parse_rule_label(snapshot, action, label)
            for t in (rule.default_conditions if b == 0 else rule.ranked()[b - 1].conditions)]


def worded(texts: list[str], until: dt.datetime | None) -> list[str]:
    """Condition templates with the time limit filled in, each once."""
    out: list[str] = []
    for t in texts:
        s = t.format(until=until.isoformat(timespec="minutes") if until else "")
        if s not in out:
            out.append(s)
    return out
