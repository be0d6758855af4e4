"""Checking claims (spec § Claims): ``forall`` looks for a case breaking ``then``; ``exists``
for one meeting it; ``implies``, ``equivalent`` and ``diff`` evaluate the same facts under
two laws. Every case the solver finds is minimised (fewest list items, then fewest true
flags), rendered as a complete Case and replayed through ``decide``; a case whose replay
disagrees with the solver is reported as an internal error, never shown as an answer."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

import z3

from detainerlaw.claims.parse import (
    DEFAULT_TIMEOUT_MS,
    NAMES,
    Claim,
    ClaimError,
    _place,
    about,
    parse_claim,
    parse_claims,
)
from detainerlaw.claims.problem import Problem, flags


class InternalError(RuntimeError):
    """The solver and the interpreter disagree on a case: a bug in a backend."""


@dataclass
class Found:
    cases: list[dict]  # one Case per law
    outcomes: list[dict[str, str]]  # solver's outcome per law per action


def _minimise(solver: z3.Solver, prob: Problem, deadline: float) -> z3.ModelRef | None | str:
    """A model with the fewest list items, then the fewest true flags (binary search on
    the cost); None if unsatisfiable, "unknown" on timeout."""
    r = solver.check()
    if r == z3.unknown:
        return "unknown"
    if r == z3.unsat:
        return None
    best = solver.model()
    cost = 64 * prob.sym.size() + flags(prob.sym)
    lo, hi = 0, best.eval(cost, model_completion=True).as_long()
    while lo < hi and time.monotonic() < deadline:
        mid = (lo + hi) // 2
        solver.push()
        solver.add(cost <= mid)
        r = solver.check()
        if r == z3.sat:
            best = solver.model()
            hi = best.eval(cost, model_completion=True).as_long()
        else:
            lo = mid + 1
        solver.pop()
        if r == z3.unknown:
            break
    return best


def _replay(prob: Problem, m: z3.ModelRef, actions: list[str]) -> Found:
    from detainerlaw.decide import decide

    cases, outs = [], []
    for i, law in enumerate(prob.claim.laws):
        data = prob.place.symbolic.render(prob, m, i)
        want = {a: NAMES[m.eval(prob.outcome(i, a), model_completion=True).as_long()] for a in actions}
        try:
            case = _place().case_model.model_validate(data)
            d = decide(case, reform=law.reform, explain=False)
        except Exception as e:  # noqa: BLE001 - any failure here is a backend bug to report
            raise InternalError(f"the solver's case does not decide: {e}; case {json.dumps(data)}") from None
        layer = prob.claim.layer
        got = {a: ((d.actions[a].by_layer[layer].outcome if layer else d.actions[a].outcome).value
                   if a in d.actions else "not engaged") for a in actions}
        if got != want:
            raise InternalError(
                f"replay disagrees with the solver under {law.label()}: solver {want}, decide {got}; "
                f"case {json.dumps(data)}"
            )
        cases.append(data)
        outs.append(want)
    return Found(cases, outs)


VACUOUS = ("no case matches the claim's given (within the solver's bounds: check its dates, e.g. facts after the "
           "decision or a decision outside the law's dates), so the verdict says nothing about the law: a claim "
           "about every such case is vacuously true, and no such case can be shown")


def _no_case(solver: z3.Solver, deadline: float) -> bool:
    """Whether no case at all satisfies the constraints so far (``given``, bounds, engagement)."""
    solver.push()
    try:
        solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))
        return solver.check() == z3.unsat
    finally:
        solver.pop()


def check_claim(claim: Claim, k: int = 3, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> dict:
    """The verdict on one claim, checked under the law of the place it is about."""
    with about(claim.place):
        return _check_claim(claim, k, timeout_ms)


def _check_claim(claim: Claim, k: int, timeout_ms: int) -> dict:
    t0 = time.monotonic()
    deadline = t0 + timeout_ms / 1000
    actions = list(claim.then) if claim.then else [claim.action]  # type: ignore[list-item]
    prob = Problem(claim, k, actions)  # type: ignore[arg-type]
    solver = z3.Solver()
    solver.set("timeout", max(1, timeout_ms))
    solver.add(prob.constraints)
    for a in actions:
        solver.add(prob.engaged(a))
    result: dict = {"id": claim.id, "text": claim.text, "kind": claim.kind, "verdict": "unknown",
                    "expected": claim.expect, "counterexample": None, "cases": [],
                    "laws": [law.label() for law in claim.laws], "why": claim.why}
    try:
        if _no_case(solver, deadline):
            # Nothing matches ``given`` (within the bounds): a universal claim holds of no case at all and says
            # nothing; an existential one has no witness for the same reason, not because the law says so.
            universal = claim.kind in ("forall", "implies", "equivalent", "diff")
            result.update(verdict="holds" if universal else "fails", vacuous=True, note=VACUOUS)
        elif claim.kind == "forall":
            solver.add(z3.Not(prob.satisfies(0, claim.then)))
            m = _minimise(solver, prob, deadline)
            if m is None:
                result["verdict"] = "holds"
            elif m != "unknown":
                found = _replay(prob, m, actions)  # type: ignore[arg-type]
                result.update(verdict="fails", counterexample=found.cases[0], outcomes=found.outcomes)
        elif claim.kind == "exists":
            solver.add(prob.satisfies(0, claim.then))
            m = _minimise(solver, prob, deadline)
            if m is None:
                result["verdict"] = "fails"
            elif m != "unknown":
                found = _replay(prob, m, actions)  # type: ignore[arg-type]
                result.update(verdict="holds", cases=[found.cases[0]], outcomes=found.outcomes)
        elif claim.kind in ("implies", "equivalent"):  # a pair of cases that breaks it, or none
            if claim.kind == "implies":
                solver.add(prob.satisfies(0, claim.then), z3.Not(prob.satisfies(1, claim.then)))
            else:
                solver.add(prob.outcome(0, actions[0]) != prob.outcome(1, actions[0]))
            m = _minimise(solver, prob, deadline)
            if m is None:
                result["verdict"] = "holds"
            elif m != "unknown":
                found = _replay(prob, m, actions)  # type: ignore[arg-type]
                result.update(verdict="fails", counterexample=found.cases[1], comparisons=[_pair(found)])
        else:
            found_all = _diff(prob, solver, actions[0], claim.limit, deadline)
            if found_all == "unknown":
                pass
            else:
                result["cases"] = [f.cases[1] for f in found_all]  # type: ignore[union-attr]
                result["comparisons"] = [_pair(f) for f in found_all]  # type: ignore[union-attr]
                result["verdict"] = "holds" if found_all else "fails"
    except InternalError as e:
        result.update(verdict="unknown", error=f"internal error: {e}", counterexample=None, cases=[])
    result["expected_matched"] = None if claim.expect is None else claim.expect == result["verdict"]
    result["seconds"] = round(time.monotonic() - t0, 3)
    result["bounds"] = prob.bounds.as_dict()
    return result


def _pair(f: Found) -> dict:
    return {
        "before": {"decided_at": f.cases[0]["decided_at"], "outcomes": f.outcomes[0]},
        "after": {"decided_at": f.cases[1]["decided_at"], "outcomes": f.outcomes[1]},
    }


def _diff(prob: Problem, solver: z3.Solver, action: str, limit: int, deadline: float) -> list[Found] | str:
    """Up to ``limit`` cases on which ``action`` differs, each minimal, each with a
    different combination of the rules' branches (so each shows a different reason)."""
    o1, o2 = prob.outcome(0, action), prob.outcome(1, action)
    solver.add(o1 != o2)
    sig = [o1, o2, *prob.branches(0, action), *prob.branches(1, action)]
    out: list[Found] = []
    while len(out) < limit:
        if time.monotonic() > deadline:
            break
        solver.push()
        m = _minimise(solver, prob, deadline)
        solver.pop()
        if m == "unknown":
            return out if out else "unknown"
        if m is None:
            break
        out.append(_replay(prob, m, [action]))  # type: ignore[arg-type]
        vals = [m.eval(t, model_completion=True) for t in sig]
        solver.add(z3.Not(z3.And([t == v for t, v in zip(sig, vals)])))
    return out


def verify_claims(data: dict, k: int = 3, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> dict:
    """Check every claim: ``{"results": [{id, verdict, expected_matched, counterexample, cases, seconds, bounds}]}``."""
    if k < 1 or k > 6:
        raise ClaimError("k: the list bound must be between 1 and 6")
    return {"results": [check_claim(c, k=k, timeout_ms=timeout_ms) for c in parse_claims(data)]}


def diff_laws(date1: dt.date | str, date2: dt.date | str, agency: str | None, action: str, limit: int = 10,
              *, k: int = 3, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> list[dict]:
    """Up to ``limit`` minimal Cases (as dicts, decided under ``date2``) on which ``action``
    has a different outcome under the law of ``date1`` and of ``date2``."""
    given: dict = {"agency": agency} if agency else {}
    claim = parse_claim(
        {"id": "diff", "kind": "diff", "laws": [str(date1), str(date2)], "given": given, "action": action,
         "limit": limit},
        "diff",
    )
    r = check_claim(claim, k=k, timeout_ms=timeout_ms)
    if r.get("error"):
        raise RuntimeError(r["error"])
    return r["cases"]
