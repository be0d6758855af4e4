"""Error responses: every problem names the field; no stack trace ever reaches a client."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from detainerlaw.errors import InputError, field_path

log = logging.getLogger("detainerlaw.interfaces.api")
_LEAD = re.compile(r"^([a-z_][a-z0-9_.\[\]]*) (?:is |\d|\()")


class ProblemItem(BaseModel):
    field: str = Field(description="Path of the field (or header) at fault, e.g. person.convictions[0].statute")
    problem: str


class Problem(BaseModel):
    """The body of every error response (4xx and 5xx)."""

    detail: str = Field(description="All problems in one line")
    errors: list[ProblemItem] | None = Field(None, description="One entry per field at fault")


_MEANING = {
    404: "Not found",
    409: "Conflict",
    413: "The body or upload is larger than the limit",
    429: "Busy: try again after Retry-After seconds",
    503: "Not available now (a feature not installed, or busy): try again later",
}


def documented(*statuses: int, **described: str) -> dict:
    """OpenAPI ``responses`` for error statuses a route returns, each a Problem (``s404="..."`` to describe)."""
    out: dict = {}
    for s in statuses:
        entry: dict = {"model": Problem, "description": described.get(f"s{s}", _MEANING.get(s, "Error"))}
        if s in (429, 503):
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
        out[s] = entry
    return out


def field_of(loc: tuple | list, msg: str) -> str:
    """The path (``errors.field_path``) of a pydantic error location, refined by the field a model check
    names."""
    parts = [str(x) for x in loc if not str(x).startswith("function-") and x != "body"]
    if len(parts) > 1 and parts[-1] in ("date", "datetime"):
        parts = parts[:-1]  # the member of a date-or-time union
    m = _LEAD.match(msg)
    if m and ("_" in m.group(1) or "." in m.group(1) or m.group(1) in ("start", "end")):
        named = re.sub(r"\[(\d+)\]", r".\1", m.group(1))
        if named.split(".")[0] in ("person", "request"):
            parts = named.split(".")  # a path from the case's root
        elif not parts or parts[-1] != named:
            parts.append(named)
    return field_path(parts) or "(body)"


def problem(field: str, text: str, status: int = 422) -> JSONResponse:
    return JSONResponse({"detail": f"{field}: {text}", "errors": [{"field": field, "problem": text}]}, status)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for e in exc.errors():
            msg = str(e.get("msg", "invalid")).removeprefix("Value error, ")
            if e.get("type") == "missing":
                msg = "required field is missing"
            elif e.get("type") == "extra_forbidden":
                msg = "unknown field"
            errors.append({"field": field_of(e.get("loc", ()), msg), "problem": msg})
        detail = "; ".join(f"{x['field']}: {x['problem']}" for x in errors)
        return JSONResponse({"detail": detail, "errors": errors}, 422)

    @app.exception_handler(InputError)
    async def _input(_: Request, exc: InputError) -> JSONResponse:
        return problem(exc.field, exc.problem)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        from detainerlaw.interfaces.api.access import security_headers

        log.exception("unhandled error on %s %s", request.method, request.url.path)
        # Starlette answers a crash outside every middleware (Guard too): the headers are added here.
        headers = {k.decode(): v.decode() for k, v in security_headers(request.url.path)}
        return JSONResponse({"detail": "internal error; the problem has been logged"}, 500, headers=headers)


class BodyLimit:
    """ASGI middleware: refuse request bodies over a limit with 413 (uploads have their own limit)."""

    def __init__(self, app, limit: int, upload_limit: int, upload_paths: tuple[str, ...]):  # noqa: ANN001
        self.app, self.limit, self.upload_limit, self.upload_paths = app, limit, upload_limit, upload_paths

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"] in self.upload_paths else self.limit
        for k, v in scope.get("headers", []):
            if k == b"content-length" and v.isdigit() and int(v) > limit:
                await _too_large(send, limit)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunks.append(msg.get("body", b""))
            size += len(chunks[-1])
            if size > limit:
                await _too_large(send, limit)
                return
            if not msg.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> dict:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send, limit: int) -> None:  # noqa: ANN001
    resp = JSONResponse({"detail": f"request body is larger than {limit} bytes"}, 413)
    await send({"type": "http.response.start", "status": 413, "headers": resp.raw_headers})
    await send({"type": "http.response.body", "body": resp.body})
