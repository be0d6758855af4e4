"""What the endpoints and pages share: the law's timeline and diffs, claims, simulations."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from functools import lru_cache
from typing import Any

import polars as pl
from fastapi import FastAPI, HTTPException, Request

from detainerlaw import facade
from detainerlaw.decision_log import DecisionLog
from detainerlaw.errors import InputError
from detainerlaw.interfaces.api.jobs import Job

__all__ = ["InputError", "law_diff", "law_rows", "run_verify", "start_simulation", "timeline"]


def the_log(request: Request) -> DecisionLog:
    log = request.app.state.log
    if log is None:
        raise HTTPException(404, "decision logging is switched off")
    return log


def law_rows(day: dt.date, agency: str | None) -> list[dict]:
    return facade.law_in_force(day, None if agency is None else (agency,))


def timeline() -> list[dict]:
    return facade.timeline()


DIFF_TIMEOUT_MS = 10_000
DIFF_WAIT_S = 10.0  # longest a diff waits for a solver worker before the answer is 503


def law_diff(date1: dt.date, date2: dt.date, agency: str, action: str, limit: int) -> dict:
    """Rules added and removed between two dates, and (when claims are available) distinguishing cases."""
    facade.check_day(date1, "date1"), facade.check_day(date2, "date2")
    return copy.deepcopy(_law_diff(date1, date2, agency, action, limit))


def rule_diff(date1: dt.date, date2: dt.date, agency: str, action: str) -> dict[str, Any]:
    """Rules added and removed between two dates, without distinguishing cases (no solver)."""
    before = {r["id"]: r for r in law_rows(date1, agency)}
    after = {r["id"]: r for r in law_rows(date2, agency)}
    return {
        "date1": date1.isoformat(), "date2": date2.isoformat(), "agency": agency, "action": action,
        "removed": [before[k] for k in before if k not in after],
        "added": [after[k] for k in after if k not in before],
        "cases": None, "cases_note": None,
    }


@lru_cache(maxsize=64)
def _law_diff(date1: dt.date, date2: dt.date, agency: str, action: str, limit: int) -> dict:
    out = rule_diff(date1, date2, agency, action)
    from detainerlaw.interfaces.api import solver

    # In a worker process (Z3 is not thread-safe); a busy or crashed worker is a 503, which is not cached.
    kind, found = solver.run("diff", date1, date2, agency, action, limit, DIFF_TIMEOUT_MS,
                             wait_s=DIFF_WAIT_S, limit_s=DIFF_TIMEOUT_MS / 1000 + solver.GRACE_S)
    if kind == "ok":
        out["cases"] = _jsonable(found)
        if not out["cases"]:
            out["cases_note"] = "no case is decided differently (within the solver's bounds)"
    elif kind == "no_cases":
        out["cases_note"] = f"no distinguishing cases: {found}"
    else:
        out["cases_note"] = f"the solver could not list distinguishing cases ({found})"
    return out


def _jsonable(x: Any) -> Any:
    if hasattr(x, "model_dump"):
        return x.model_dump(mode="json", exclude_defaults=True)
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, dt.date | dt.datetime):
        return x.isoformat()
    return x


_FIELD = re.compile(r"^([A-Za-z_][\w.\[\]-]*): (.+)$", re.S)
VERIFY_BUDGET_S = 60.0  # all claims of one request together
VERIFY_TIMEOUT_MS = 20_000  # one claim


def claim_error(e: Exception) -> InputError:
    """A claims problem as a 422 naming the field (``claims[0].then.hold: ...``)."""
    # A KeyError's str() is the repr of its message: read the message itself (quotes inside it are kept).
    text = (str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)).strip() or type(e).__name__
    m = _FIELD.match(text)
    if m:
        return InputError(m.group(1), m.group(2))
    return InputError("claims", text)


def run_verify(mod: Any, data: dict, timeout_ms: int = VERIFY_TIMEOUT_MS, budget_s: float = VERIFY_BUDGET_S,
               k: int = 3) -> dict:
    """Check every claim, each within ``timeout_ms`` and all within ``budget_s``; a claim the budget
    no longer covers is reported ``unknown`` rather than checked. The solver runs in a worker process
    (``detainerlaw.interfaces.api.solver``): a full queue, a dead worker or a job past its hard limit is a 503 with
    ``Retry-After``."""
    try:
        claims = mod.parse_claims(data)
    except (ValueError, KeyError, TypeError) as e:
        raise claim_error(e) from None
    if not claims:
        return {"results": []}
    from detainerlaw.interfaces.api import solver

    # In a worker process (Z3 is not thread-safe); the budget starts when a worker takes the job.
    out = solver.run("verify", data, k, timeout_ms, budget_s,
                     wait_s=budget_s / 2, limit_s=budget_s + solver.GRACE_S)
    if out[0] == "claim_error":
        _, i, claim_id, message = out
        err = claim_error(ValueError(message))
        if i is not None:
            field = err.field.removeprefix(f"{claim_id}.") if err.field.startswith(f"{claim_id}.") else err.field
            if not field.startswith("claims"):
                err = InputError(f"claims[{i}].{field}", err.problem)
        raise err
    return _jsonable({"results": out[1]})


def scenario_list(mod: Any) -> list[dict]:
    out = []
    for s in mod.list_scenarios():
        if isinstance(s, str):
            out.append({"name": s, "description": ""})
        elif isinstance(s, dict):
            out.append({"name": s.get("name"), "description": s.get("description", "")})
        else:
            out.append({"name": getattr(s, "name", str(s)), "description": getattr(s, "description", "")})
    return out



_SAMPLES: dict[tuple[str, int | None], pl.DataFrame] = {}  # the place's sample as first read, per size


def sample_population(sample_rows: int | None = None) -> tuple[pl.DataFrame, str]:
    """The place's bundled sample (``sample_rows`` of it, a fixed draw), read once per process, and a
    key standing for it: the same frame is simulated again warm without hashing it."""
    place = facade.place()
    key = (place.id, sample_rows)
    pop = _SAMPLES.get(key)
    if pop is None:
        pop = place.population.sample()
        if sample_rows and sample_rows < pop.height:
            pop = pop.sample(sample_rows, seed=1)
        if len(_SAMPLES) >= 8:
            _SAMPLES.clear()
        pop = _SAMPLES.setdefault(key, pop)
    return pop, f"sample:{place.id}:{sample_rows}"


def simulation_job(names: list[str], as_of: dt.date | None, frame: Any, sample_rows: int | None = None,
                   layer: str | None = None, lang: str = "en", progress: Any = None) -> tuple[dict, dict[str, bytes]]:
    """A simulation job's computation: (its result, its artifacts). ``frame`` None simulates the place's
    sample (kept warm between jobs, as is an uploaded population of the same content: ``simulate``)."""
    from detainerlaw import simulation as sim
    from detainerlaw.engine.columnar import plan_cache
    from detainerlaw.interfaces.web import lab

    key = None
    pop = frame
    if pop is None:
        pop, key = sample_population(sample_rows)
    res = sim.simulate(pop, as_of, names, progress=progress, layer=layer, cache_key=key)
    plan_cache.flush()  # what this job compiled, for the next process (a server's workers, a restart)
    # Everything that leaves the server is suppressed by the one rule (simulation.suppress):
    # the rows, the CSV, the summary, the lab's view and the report alike.
    table = res.public_table()
    artifacts = {"table.csv": table.with_columns(pl.col(n).round(2) for n in res.names).write_csv().encode()}
    view, report = lab.view(res, pop, lang)
    artifacts["report.html"] = report
    return {
        "view": view,
        "summary": json.loads(res.to_json(public=True)),
        "columns": list(table.columns),
        "rows": [[_jsonable(v) for v in row] for row in table.head(500).rows()],
        "rows_total": table.height,
    }, artifacts


def start_simulation(app: FastAPI, names: list[str], as_of: dt.date | None, frame: Any,
                     sample_rows: int | None = None, owner: str = "anonymous", started_by: str = "",
                     on_done: Any = None, layer: str | None = None, lang: str = "en") -> Job:
    """Queue a simulation bound to its ``owner``; ``on_done`` runs when it ends (or is never started).
    ``layer`` counts one layer's own answers instead of the combined ones. The result carries the
    web lab's reading of it in language ``lang`` (``view``) and the HTML report (artifact ``report.html``)."""
    from detainerlaw import scenarios

    known = {s["name"] for s in scenario_list(scenarios)}
    unknown = [n for n in names if n not in known]
    if unknown:
        if on_done is not None:
            on_done()
        raise InputError("scenarios", f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    layer_ids = [x.id for x in facade.place().layers]
    if layer is not None and layer not in layer_ids:
        if on_done is not None:
            on_done()
        raise InputError("layer", f"{layer!r} is not one of {', '.join(layer_ids)}")

    def work(job: Job) -> dict:
        def progress(*args: Any) -> None:
            nums = [a for a in args if isinstance(a, int | float)]
            if len(nums) >= 2 and nums[1]:
                job.progress = min(1.0, nums[0] / nums[1])
            elif nums:
                job.progress = min(1.0, float(nums[0]))
            if args and isinstance(args[-1], str):
                job.message = args[-1]

        result, artifacts = simulation_job(names, as_of, frame, sample_rows, layer, lang, progress)
        job.artifacts.update(artifacts)
        return result

    return app.state.jobs.submit("simulate", work, owner=owner, started_by=started_by, on_done=on_done)
