"""The HTTP API (spec § Entry points) and the web pages, in one FastAPI app."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import (
    APIRouter,
    Body,
    FastAPI,
    File,
    Form,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field, ValidationError

from detainerlaw import facade
from detainerlaw.decision_log import DecisionLog, LogUnavailable
from detainerlaw.errors import InputError
from detainerlaw.interfaces import services
from detainerlaw.interfaces.api import access, errors, solver, upload
from detainerlaw.interfaces.api.errors import documented
from detainerlaw.interfaces.api.jobs import JobRunner
from detainerlaw.interfaces.api.settings import Settings
from detainerlaw.interfaces.languages import language
from detainerlaw.models.decision import Decision

API = "/api/v1"
UPLOAD_PATHS = (f"{API}/simulate/upload",)


class LawRule(BaseModel):
    layer: str = Field(description="The law the rule belongs to (spec v2 § Layers): us, ny, nyc, nyc-orders")
    agency: str
    id: str
    actions: list[str]
    title: str
    citation: str
    source: str
    start: str
    end: str | None
    exceptions: list[dict[str, Any]]
    default: str


class SimulateRequest(BaseModel):
    model_config = {"extra": "forbid"}  # a misspelt setting is an error, never silently ignored
    scenarios: list[str] = Field(min_length=1, max_length=20, description="Names from GET /api/v1/scenarios.")
    as_of: dt.date | None = Field(None, ge=dt.date(1900, 1, 1), le=dt.date(2099, 12, 31),
                                  description="Decide every case under the law of this date (default: each case's "
                                              "own date); between 1900-01-01 and 2099-12-31.")
    population: Literal["sample"] = "sample"
    sample_rows: int | None = Field(None, ge=1, le=1_000_000, description="Use this many cases drawn from the sample "
                                                                          "(default: all of it).")
    layer: str | None = Field(None, max_length=40, description="Count one layer's own answers (us, ny, nyc) instead "
                                                               "of the combined answer under every law.")


class Claims(BaseModel):
    model_config = {"extra": "allow"}
    claims: list[dict[str, Any]] = Field(min_length=1, max_length=50)


def create_api(settings: Settings | None = None) -> FastAPI:
    """The HTTP API (``interfaces.server`` adds the pages); every piece of state (log, jobs) hangs off
    ``app.state``."""
    settings = settings or Settings()
    jobs = JobRunner()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        await run_in_threadpool(solver.shutdown)  # the solver's worker processes end with the server
        if app.state.log is not None:
            await run_in_threadpool(app.state.log.close)  # store every queued entry before exiting

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # /docs is served by the web pages from the package's own Swagger UI (offline)
        redoc_url=None,
        title="detainerlaw",
        version="1",
        description="New York City's immigration-detainer laws as executable rules: decide cases, read the law, "
                    "check claims, simulate reforms.",
    )
    app.state.settings = settings
    app.state.log = DecisionLog(settings.db_url) if settings.log_decisions else None
    app.state.jobs = jobs
    app.state.upload_limits = upload.Limits(
        max_rows=settings.max_population, max_decoded_bytes=settings.max_decoded_bytes,
        max_list_length=settings.max_list_length, max_columns=settings.max_upload_columns, jobs=settings.upload_jobs)
    app.state.upload_slots = upload.Slots(settings.upload_jobs)
    app.add_middleware(errors.BodyLimit, limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes,
                       upload_paths=UPLOAD_PATHS)
    app.add_middleware(access.Guard)  # outermost: who may call what (access.POLICY), before any body is read
    errors.install(app)
    app.include_router(api_router())
    app.include_router(health_router())

    def openapi() -> dict:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = access.document(doc, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


INLINE_RECORDS = 40  # cases with at most this many history records are decided on the event loop
# The default place's case model and agencies type the documented bodies and parameters.
Case = facade.place().case_model
Agency = Enum("Agency", {a: a for a in facade.labels().agencies}, type=str)


def _place(pid: str | None) -> Any:
    """The place a query names (``query.place`` in the message if unknown)."""
    try:
        return facade.place(pid)
    except InputError as e:
        raise InputError("query.place", e.problem) from None


def case_size(case: Any) -> int:
    """How many history records a case holds (a place's case without a person has none)."""
    p = getattr(case, "person", None)
    return 0 if p is None else sum(len(v) for v in vars(p).values() if isinstance(v, list))


def parse_case(body: bytes) -> Case:
    """A Case from a JSON request body; errors are reported like FastAPI's own (422, naming the field)."""
    if not body.strip():
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required",
                                       "input": None}])
    model = Case
    if b'"jurisdiction"' in body:  # a case of another place: validated by that place's model
        try:
            named = json.loads(body).get("jurisdiction")
        except (ValueError, AttributeError, RecursionError):
            named = None  # the model's own parse names the problem
        if isinstance(named, str) and named != facade.place().id:
            model = facade.place(named).case_model  # an unknown place: InputError naming the field
    try:
        return model.model_validate_json(body)
    except ValidationError as e:
        raise RequestValidationError(e.errors(include_url=False, include_context=False)) from None


async def log_decision(request: Request, case: Case, decision: Decision) -> str | None:
    """Log a decision; its id comes back only once the entry is committed, so an id a client holds is never
    lost (the event loop keeps serving while the writer commits)."""
    log: DecisionLog | None = request.app.state.log
    if log is None:
        return None
    try:
        return (await log.record_durable(case, decision)).decision_id
    except LogUnavailable as e:
        raise HTTPException(503, f"the decision could not be logged: {e}") from None


def log_decision_blocking(request: Request, case: Case, decision: Decision, wait: bool = True) -> str | None:
    """``log_decision`` for worker threads; ``wait=False`` only queues the entry (a later waited entry is
    committed after it: entries are stored in order)."""
    log: DecisionLog | None = request.app.state.log
    if log is None:
        return None
    try:
        return log.record(case, decision, wait=wait).decision_id
    except LogUnavailable as e:
        raise HTTPException(503, f"the decision could not be logged: {e}") from None


def api_router() -> APIRouter:
    r = APIRouter(prefix=API)

    @r.post("/decide", response_model=Decision, tags=["decide"],
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Case"}}}}},
            responses={422: {"description": "Invalid case: names the field and the problem"}})
    async def decide_one(request: Request,
                         explain: Annotated[bool, Query(description="Include the explanation tree.")] = True,
                         scenario: Annotated[str | None, Query(max_length=80, description=(
                             "Decide under a named scenario (GET /api/v1/scenarios); default the law as enacted."))]
                         = None,
                         ) -> Response:
        """Decide one Case: the outcome of every action the request engages, with citations."""
        # The hot path: the body is validated straight from JSON bytes and the answer is serialized once.
        case = parse_case(await request.body())
        if case_size(case) <= INLINE_RECORDS:
            d = facade.decide(case, explain=explain, scenario_name=scenario)  # well under a millisecond
        else:
            d = await run_in_threadpool(facade.decide, case, explain=explain, scenario_name=scenario)
        # A decision under a scenario is a what-if, not an agency's decision: it is not logged (nor reported).
        did = await log_decision(request, case, d) if scenario in (None, "", "baseline") else None
        return Response(d.model_dump_json(), media_type="application/json",
                        headers={"X-Decision-Id": did} if did else None)

    @r.post("/decide/batch", response_model=list[Decision], tags=["decide"], responses=documented(413))
    def decide_batch(cases: Annotated[list[Case], Body(max_length=10_000)], request: Request,
                     explain: bool = False) -> list[Decision]:
        """Decide a list of Cases (at most the configured batch size) in order."""
        limit = request.app.state.settings.max_batch
        if len(cases) > limit:
            raise HTTPException(413, f"a batch holds at most {limit} cases; got {len(cases)}")
        out = []
        for i, c in enumerate(cases):
            try:
                d = facade.decide(c, explain=explain)
            except InputError as e:
                raise InputError(f"[{i}].{e.field}", e.problem) from None
            log_decision_blocking(request, c, d, wait=i == len(cases) - 1)  # the last waits for all
            out.append(d)
        return out

    @r.post("/verify", tags=["claims"],
            responses={422: {"description": "Invalid claims: names the field (claims[i].then.hold, ...)"},
                       **documented(503, s503="The solver is busy or was restarted: try again after Retry-After "
                                                  "seconds")})
    def verify(claims: Claims,
               timeout_ms: Annotated[int, Query(ge=100, le=services.VERIFY_TIMEOUT_MS,
                                                description="Solver time for one claim.")] = services.VERIFY_TIMEOUT_MS,
               k: Annotated[int, Query(ge=1, le=4, description="Bound on list lengths the solver explores.")] = 3,
               ) -> dict:
        """Check claims (spec § Claims, as JSON); returns the verify JSON. Each claim gets at most ``timeout_ms`` of
        solver time and the whole request at most a minute; what the time does not cover is ``unknown``."""
        from detainerlaw import claims as checker

        return services.run_verify(checker, claims.model_dump(), timeout_ms=timeout_ms, k=k)

    @r.get("/claims", tags=["claims"])
    def bundled_claims() -> dict:
        """The claims shipped with the package."""
        from detainerlaw.claims import bundled_claims as shipped

        return shipped()

    @r.get("/scenarios", tags=["simulate"])
    def scenarios() -> list[dict]:
        """Reform scenarios a simulation can compare."""
        from detainerlaw import scenarios as library

        return services.scenario_list(library)

    @r.post("/simulate", status_code=202, tags=["simulate"])
    def simulate(req: SimulateRequest, request: Request) -> dict:
        """Start a simulation of the bundled sample population; poll GET /jobs/{id}."""
        job = services.start_simulation(request.app, req.scenarios, req.as_of, None, req.sample_rows,
                                        owner=access.caller(request.scope), started_by=f"POST {API}/simulate",
                                        layer=req.layer, lang=language(request))
        return job.as_dict()

    @r.post("/simulate/upload", status_code=202, tags=["simulate"],
            responses=documented(413, 429, 503, s413="The upload is larger than the limit", s429="Uploaded "
                                 "populations are being simulated already: try again after Retry-After seconds"))
    async def simulate_upload(
        request: Request,
        scenarios: Annotated[str, Form(description="Comma-separated scenario names.")],
        population: Annotated[UploadFile, File(description="A facts frame as Parquet or CSV, or Cases as JSON Lines "
                                                           "(.jsonl: one Case, or {case, weight}, a line).")],
        as_of: Annotated[dt.date | None, Form()] = None,
        layer: Annotated[str | None, Form(max_length=40, description="Count one layer's own answers.")] = None,
    ) -> dict:
        """Start a simulation of an uploaded population (Parquet or CSV facts frame, or JSON Lines of Cases)."""
        names = [s.strip() for s in scenarios.split(",") if s.strip()]
        if not names:
            raise InputError("scenarios", "choose at least one scenario")
        slots: upload.Slots = request.app.state.upload_slots
        if not slots.take():
            raise HTTPException(429, "uploaded populations are being simulated already; try again shortly",
                                headers={"Retry-After": "30"})
        try:
            data = await population.read()
            frame = await run_in_threadpool(upload.read_population, population.filename or "", data,
                                            request.app.state.upload_limits)
            del data
        except BaseException:
            slots.give()
            raise
        return services.start_simulation(request.app, names, as_of, frame, owner=access.caller(request.scope),
                                         started_by=f"POST {API}/simulate/upload", on_done=slots.give,
                                         layer=layer or None, lang=language(request)).as_dict()

    @r.get("/jobs/{job_id}", tags=["simulate"], responses=documented(404))
    def job(job_id: str, request: Request) -> dict:
        """Progress (0..1) and, when done, the result of a background job."""
        j = request.app.state.jobs.get(job_id)
        if j is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return j.as_dict()

    @r.get("/jobs/{job_id}/table.csv", tags=["simulate"], response_class=Response,
           responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **documented(404)})
    def job_csv(job_id: str, request: Request) -> Response:
        """The comparison table of a finished simulation, as CSV."""
        return _artifact(request, job_id, "table.csv", "text/csv", "{}.csv")

    @r.get("/jobs/{job_id}/report.html", tags=["simulate"], response_class=Response,
           responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}}, **documented(404)})
    def job_report(job_id: str, request: Request) -> Response:
        """The HTML report of a finished simulation (charts, what changes and for whom), as a download."""
        return _artifact(request, job_id, "report.html", "text/html", "{}-report.html")

    def _artifact(request: Request, job_id: str, name: str, media: str, filename: str) -> Response:
        """A finished job's file, as a download named ``filename`` (``{}``: simulation and the job id)."""
        j = request.app.state.jobs.get(job_id)
        if j is None or name not in j.artifacts:
            raise HTTPException(404, f"no finished simulation {job_id!r}")
        download = filename.format(f"simulation-{job_id[:8]}")
        return Response(j.artifacts[name], media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{download}"'})

    @r.get("/places", tags=["law"])
    def places() -> list[dict]:
        """The places whose law is here: id, title, the layers of their law (highest first) and their agencies."""
        return [{"id": p.id, "title": p.title, "layers": [{"id": x.id, "title": x.title} for x in p.layers],
                 "agencies": p.labels.agencies} for p in map(facade.place, facade.places())]

    @r.get("/law", response_model=list[LawRule], tags=["law"])
    def law(as_of: Annotated[dt.date | None, Query(description="Date (default today).")] = None,
            agency: Annotated[str | None, Query(max_length=40, description=(
                f"One of the place's agencies (GET /api/v1/places; for {facade.place().id}: "
                f"{', '.join(facade.labels().agencies)}); default all."))] = None,
            place: Annotated[str | None, Query(max_length=40, description=(
                f"The place (GET /api/v1/places); default {facade.place().id}."))] = None) -> list[dict]:
        """The rules in force on a date, with citations and sources."""
        p = _place(place)
        if agency is not None and agency not in p.labels.agencies:
            raise InputError("query.agency", f"{agency!r} is not one of {', '.join(p.labels.agencies)}")
        return facade.law_in_force(as_of or dt.date.today(), None if agency is None else (agency,), p.id)

    @r.get("/law/versions", tags=["law"])
    def law_versions(place: Annotated[str | None, Query(max_length=40, description=(
            f"The place (GET /api/v1/places); default {facade.place().id}."))] = None) -> list[dict]:
        """Each section's versions with effective dates and enacting laws."""
        return facade.timeline(_place(place).id)

    @r.get("/law/diff", tags=["law"], responses=documented(
        503, s503="The solver is busy listing distinguishing cases: try again after Retry-After seconds"))
    def law_diff(date1: dt.date, date2: dt.date, agency: Agency = Agency.doc,
                 action: Annotated[str, Query(max_length=40)] = "hold",
                 limit: Annotated[int, Query(ge=1, le=50)] = 10) -> dict:
        """What changed between two dates: distinguishing cases when the claims module is present, and the rules
        added and removed."""
        actions = facade.labels().actions
        if action not in actions:
            raise InputError("action", f"{action!r} is not one of {', '.join(actions)}")
        return services.law_diff(date1, date2, agency.value, action, limit)

    @r.get("/schema/case", tags=["schema"])
    def schema_case() -> dict:
        """JSON Schema of a Case."""
        return Case.model_json_schema()

    @r.get("/schema/decision", tags=["schema"])
    def schema_decision() -> dict:
        """JSON Schema of a Decision."""
        return Decision.model_json_schema()

    @r.get("/log/verify", tags=["log"], responses=documented(404, s404="Decision logging is switched off"))
    def log_verify(request: Request) -> dict:
        """Recompute the decision log's hash chain; reports the first broken entry."""
        return services.the_log(request).verify().as_dict()

    @r.get("/log/entries", tags=["log"], responses=documented(404, s404="Decision logging is switched off"))
    def log_entries(request: Request,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                    offset: Annotated[int, Query(ge=0, le=2**62)] = 0) -> list[dict]:
        """Decision-log entries (auditors)."""
        return services.the_log(request).entries(limit, offset)

    @r.get("/log/entries/{decision_id}", tags=["log"], responses=documented(404))
    def log_entry(decision_id: str, request: Request) -> dict:
        """One decision-log entry (auditors)."""
        e = services.the_log(request).get(decision_id)
        if e is None:
            raise HTTPException(404, f"no logged decision {decision_id!r}")
        return e

    return r


def health_router() -> APIRouter:
    r = APIRouter()

    @r.get("/healthz", tags=["health"])
    def healthz(request: Request) -> dict:
        """Liveness: the law pack loads and the log answers."""
        facade.place().pack()
        return {"status": "ok", "log": request.app.state.log is not None}

    return r


__all__ = ["Settings", "create_api"]
