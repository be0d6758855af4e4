"""Who may call what, enforced in one place.

``POLICY`` gives every route of the app (API, pages, documents, static files) a ``Rule``;
``Guard`` (ASGI middleware, outermost) checks the Host header, matches the request to its
route, applies the rule (tokens, the ``decide_access`` mode, job ownership), refuses bodies of
the wrong media type (415: a cross-site form cannot post JSON as ``text/plain``) and
cross-site posts, and adds the security headers to every response. ``create_app`` refuses
to build an app with a route missing from ``POLICY`` (``check_covered``). ``document``
derives the OpenAPI security and error responses from the same table.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.routing import Mount, compile_path

from detainerlaw.interfaces.api.errors import Problem
from detainerlaw.interfaces.api.settings import LOOPBACK

API = "/api/v1"
PRINCIPAL = "detainerlaw.principal"  # scope key: "anonymous" or "token:<digest>"
ROLE = "detainerlaw.role"  # scope key: the caller's token role, or None


@dataclass(frozen=True)
class Rule:
    """Who may call a route, and what body it accepts."""

    roles: tuple[str, ...] = ()  # token roles admitted
    anyone: bool = False  # no token needed
    decide: bool = False  # also admitted by the decide_access mode: "open" anyone, "localhost" loopback clients
    body: str | None = None  # "json" | "form": the only media types accepted (else 415)
    page: bool = False  # a web page: refusals are an HTML fragment
    job: bool = False  # reads a job: only its owner, and only while the rule of the route that started it admits them
    note: str = ""


PUBLIC = Rule(anyone=True, note="anyone")
DECIDE = Rule(roles=("staff",), decide=True, body="json",
              note="staff token; without one under decide_access 'open', or 'localhost' from a loopback address")
JOB = Rule(job=True, note="only the caller that started the job (same token, or anonymous), under the rule that "
                          "let them start it")
AUDITOR = Rule(roles=("auditor",), note="auditor token")
STAFF_OR_AUDITOR = Rule(roles=("staff", "auditor"), note="staff or auditor token")
PAGE = Rule(anyone=True, page=True, note="anyone")

POLICY: dict[tuple[str, str], Rule] = {
    ("POST", f"{API}/decide"): DECIDE,
    ("POST", f"{API}/decide/batch"): DECIDE,
    ("POST", f"{API}/verify"): Rule(anyone=True, body="json", note="anyone"),
    ("GET", f"{API}/claims"): PUBLIC,
    ("GET", f"{API}/scenarios"): PUBLIC,
    ("POST", f"{API}/simulate"): Rule(anyone=True, body="json", note="anyone (the bundled synthetic sample)"),
    ("POST", f"{API}/simulate/upload"): Rule(roles=("staff",), decide=True, body="form", note=DECIDE.note),
    ("GET", f"{API}/jobs/{{job_id}}"): JOB,
    ("GET", f"{API}/jobs/{{job_id}}/table.csv"): JOB,
    ("GET", f"{API}/jobs/{{job_id}}/report.html"): JOB,
    ("GET", f"{API}/places"): PUBLIC,
    ("GET", f"{API}/law"): PUBLIC,
    ("GET", f"{API}/law/versions"): PUBLIC,
    ("GET", f"{API}/law/diff"): PUBLIC,
    ("GET", f"{API}/schema/case"): PUBLIC,
    ("GET", f"{API}/schema/decision"): PUBLIC,
    ("GET", f"{API}/log/verify"): STAFF_OR_AUDITOR,
    ("GET", f"{API}/log/entries"): AUDITOR,
    ("GET", f"{API}/log/entries/{{decision_id}}"): AUDITOR,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs-assets"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    ("GET", "/"): PAGE,
    ("GET", "/screener"): PAGE,
    ("POST", "/screener/result"): Rule(roles=("staff",), decide=True, body="json", page=True, note=DECIDE.note),
    ("GET", "/law"): PAGE,
    ("GET", "/lab"): PAGE,
    ("GET", "/claims"): PAGE,
    ("POST", "/claims"): Rule(anyone=True, body="form", page=True, note="anyone"),
    ("POST", "/claims/build"): Rule(anyone=True, body="form", page=True, note="anyone"),
}

# Pages load only their own scripts and styles: no inline script or handler.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
# The interactive API document (Swagger UI, served from the package): its own scripts only; the UI sets
# inline style attributes, so styles (which cannot run code) may be inline there.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS = ("/docs",)
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"no-referrer"), (b"cross-origin-opener-policy", b"same-origin")]


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (``Guard`` adds them; the 500 handler, which answers
    outside every middleware, adds them itself)."""
    return [(b"content-security-policy", (DOCS_CSP if path in DOCS else PAGE_CSP).encode()), *HEADERS]


JSON_TYPES = ("application/json",)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class Denied(Exception):
    def __init__(self, status: int, field: str, problem: str, headers: dict[str, str] | None = None):
        super().__init__(problem)
        self.status, self.field, self.problem, self.headers = status, field, problem, headers or {}


def principal_of(token: str | None, role: str | None) -> str:
    """Jobs are bound to this: a digest of a known token, else ``anonymous``."""
    if token is None or role is None:
        return "anonymous"
    return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def caller(scope: dict) -> str:
    """The principal ``Guard`` found for this request (``anonymous`` for public routes without a token)."""
    return scope.get(PRINCIPAL, "anonymous")


def _header(scope: dict, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


def _host_ok(scope: dict, allowed: tuple[str, ...]) -> bool:
    if "*" in allowed:
        return True
    host = (_header(scope, b"host") or "").strip().lower()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return host in allowed


def admit(rule: Rule, scope: dict, settings: Any) -> tuple[str | None, str | None]:
    """The caller's (token, role) if ``rule`` admits them; otherwise ``Denied`` (401/403)."""
    token = None
    auth = _header(scope, b"authorization") or ""
    scheme, _, cred = auth.partition(" ")
    if scheme.lower() == "bearer" and cred.strip():
        token = cred.strip()
    role = settings.tokens.get(token) if token else None
    if rule.anyone:
        return token, role
    if rule.decide:
        client = scope.get("client") or ("", 0)
        mode = settings.decide_access
        if mode == "open" or (mode == "localhost" and client[0] in LOOPBACK):
            return token, role
    if not rule.roles:
        raise Denied(403, "Authorization", "no access rule admits this request")
    need = {"WWW-Authenticate": "Bearer"}
    if token is None:
        where = " from this address" if rule.decide and settings.decide_access == "localhost" else ""
        raise Denied(401, "Authorization", f"an API token is required to do this{where} "
                                           f"(Authorization: Bearer <token> of a {' or '.join(rule.roles)})", need)
    if role is None:
        raise Denied(401, "Authorization", "unknown API token", need)
    if role not in rule.roles:
        raise Denied(403, "Authorization", f"role {role!r} may not do this (needs {' or '.join(rule.roles)})")
    return token, role


MOUNTS = ("/static", "/docs-assets")
_PATTERNS = [(method, path, compile_path(path)[0] if path not in MOUNTS else re.compile(f"^{path}(/.*)?$"))
             for method, path in POLICY]


def route_of(scope: dict) -> tuple[str, str, dict] | None:
    """The policy key (method, path) the request falls under and its path parameters; None when no
    route has that path and method (the router answers 404 or 405; ``check_covered`` ensures every
    route of the app has a policy)."""
    method = "GET" if scope["method"] == "HEAD" else scope["method"]
    for m, path, rx in _PATTERNS:
        if m == method and (hit := rx.match(scope["path"])):
            return m, path, {k: v for k, v in hit.groupdict().items() if v is not None}
    return None


def app_routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, included routers flattened, mounts as ``GET <prefix>``."""
    out: list[tuple[str, str]] = []

    def walk(routes: list, prefix: str) -> None:
        for r in routes:
            if hasattr(r, "original_router"):  # a router included into the app
                walk(r.original_router.routes, prefix + getattr(r.include_context, "prefix", ""))
            elif isinstance(r, Mount):
                out.append(("GET", prefix + r.path))
            else:
                out.extend((m, prefix + r.path) for m in sorted(r.methods or ()) if m != "HEAD")

    walk(app.router.routes, "")
    return out


def check_covered(app: Any) -> None:
    """Refuse to build an app with a route that ``POLICY`` does not mention."""
    missing = [f"{m} {p}" for m, p in app_routes(app) if (m, p) not in POLICY]
    if missing:
        raise RuntimeError(f"routes without an access rule in access.POLICY: {', '.join(missing)}")


class Guard:
    """ASGI middleware applying ``POLICY``, the Host check, the body media types and the security headers."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = security_headers(scope["path"])

        async def send_with_headers(msg: dict) -> None:
            if msg["type"] == "http.response.start":
                have = {k.lower() for k, _ in msg.get("headers", [])}
                extra = [(k, v) for k, v in secure if k not in have]
                msg = {**msg, "headers": [*msg.get("headers", []), *extra]}
            await send(msg)

        try:
            self.check(scope)
        except Denied as e:
            await self.refuse(e, scope, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def check(self, scope: dict) -> None:
        app = scope["app"]
        settings = app.state.settings
        if not _host_ok(scope, settings.allowed_hosts):
            raise Denied(400, "Host", f"this server does not answer for the Host {_header(scope, b'host')!r} "
                                      "(see DETAINERLAW_ALLOWED_HOSTS)")
        found = route_of(scope)
        if found is None:
            return  # 404 or 405 from the router
        method, route, params = found
        rule = POLICY[(method, route)]
        scope["detainerlaw.page"] = rule.page
        if method not in ("GET", "HEAD", "OPTIONS") and _header(scope, b"sec-fetch-site") == "cross-site":
            raise Denied(403, "Origin", "requests from other sites are refused")
        if rule.job:
            token, role = self.job_owner(app, scope, params.get("job_id", ""))
        else:
            token, role = admit(rule, scope, settings)
        scope[PRINCIPAL], scope[ROLE] = principal_of(token, role), role
        if rule.body:
            ctype = (_header(scope, b"content-type") or "").partition(";")[0].strip().lower()
            kinds = JSON_TYPES if rule.body == "json" else FORM_TYPES
            if ctype not in kinds and not (rule.body == "json" and ctype.startswith("application/")
                                           and ctype.endswith("+json")):
                raise Denied(415, "Content-Type", f"send the body as {' or '.join(kinds)} (got {ctype or 'none'})")

    @staticmethod
    def job_owner(app: Any, scope: dict, job_id: str) -> tuple[str | None, str | None]:
        """Admit the job's owner under the rule that let them start it; anyone else learns nothing (404)."""
        job = app.state.jobs.get(job_id)
        if job is None:
            return None, None  # the route answers 404
        method, _, route = job.started_by.partition(" ")
        token, role = admit(POLICY.get((method, route), Rule()), scope, app.state.settings)
        if principal_of(token, role) != job.owner:
            raise Denied(404, "job_id", f"no job {job_id!r}")
        return token, role

    @staticmethod
    async def refuse(e: Denied, scope: dict, send: Any) -> None:
        headers = dict(e.headers)
        if scope.get("detainerlaw.page"):
            text = f"{e.field}: {e.problem}"
            if e.status == 401:
                text = ("An API token is required to decide cases from this address: this server decides cases "
                        "only for staff with a token, or for a browser on the server itself.")
            body = ('<div class="problems" role="alert"><h2>Not allowed</h2><p>'
                    f"{html.escape(text)}</p></div>").encode()
            headers["content-type"] = "text/html; charset=utf-8"
        else:
            body = json.dumps({"detail": f"{e.field}: {e.problem}",
                               "errors": [{"field": e.field, "problem": e.problem}]}).encode()
            headers["content-type"] = "application/json"
        headers["content-length"] = str(len(body))
        await send({"type": "http.response.start", "status": e.status,
                    "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})
        await send({"type": "http.response.body", "body": body})


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def document(schema: dict, settings: Any) -> dict:
    """Make the OpenAPI document say what ``Guard`` and the handlers do: security per ``POLICY`` and the
    decide_access mode, and a ``Problem`` for every error status a route can return."""
    comps = schema.setdefault("components", {})
    schemes = comps.setdefault("securitySchemes", {})
    schemes.clear()
    schemes["bearer"] = {"type": "http", "scheme": "bearer",
                         "description": "An API token (DETAINERLAW_TOKENS); its role is 'staff' or 'auditor'."}
    schemas = comps.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            rule = POLICY.get((method.upper(), path), Rule())
            resp = op.setdefault("responses", {})
            resp.setdefault("400", _problem("The Host header is not one this server answers for"))
            open_now = rule.anyone or (rule.decide and settings.decide_access == "open")
            if rule.job:
                op.pop("security", None)
                op["security"] = [{}, {"bearer": []}]
            elif open_now:
                op.pop("security", None)
            else:
                op["security"] = [{"bearer": []}] if not rule.decide or settings.decide_access == "token" \
                    else [{}, {"bearer": []}]
            if not open_now:
                resp.setdefault("401", {**_problem("No token, or an unknown one"),
                                        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}})
                resp.setdefault("403", _problem("The token's role may not do this"))
            if method.upper() != "GET":
                resp.setdefault("403", _problem("A request from another site (Sec-Fetch-Site: cross-site)"))
            if rule.job:
                resp.setdefault("404", _problem("No such job, or not one this caller started"))
            if rule.body:
                resp.setdefault("413", _problem("The body is larger than the limit"))
                resp.setdefault("415", _problem("The body is not " + ("JSON" if rule.body == "json" else "a form")))
            if "422" in resp or op.get("parameters") or rule.body:
                resp["422"] = _problem("Invalid input: each problem names its field")
            if rule.note:
                op["description"] = (op.get("description", "").rstrip() + f"\n\nWho may call: {rule.note}.").strip()
    return schema
