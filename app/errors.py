"""One error shape: RFC 9457 problem details, in the caller's language.

Services raise :class:`DomainError` subclasses with a message id (marked with
``N_``) and its parameters; the one handler here translates and renders them:
JSON ``application/problem+json`` for the API (and any non-browser client),
an HTML page for a browser on the web pages.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.i18n import N_, gettext_for

PROBLEM = "application/problem+json"


class DomainError(Exception):
    status = 400

    def __init__(self, detail: str, /, *, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None, **params: Any):
        super().__init__(detail % params if params else detail)
        self.detail = detail
        self.params = params
        self.headers = headers or {}
        self.extra = extra or {}


class Unauthorized(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PreconditionFailed(DomainError):
    status = 412


class PreconditionRequired(DomainError):
    status = 428


class InvalidInput(DomainError):
    """422 with ``errors: [{"loc": [...], "msg": ...}]``; messages already translated or msgids."""

    status = 422


def field_error(loc: list, msg: str, **params: Any) -> InvalidInput:
    """A 422 about one field; ``msg`` is a message id, translated when shown."""
    return InvalidInput(N_("The request is not valid: see each field's error."),
                        extra={"errors": [{"loc": loc, "msg": msg, "params": params}]})


class TooManyRequests(DomainError):
    status = 429


def problem(status: int, detail: str, lang: str, *, errors: list | None = None,
            extra: dict | None = None) -> dict[str, Any]:
    _ = gettext_for(lang)
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _(HTTPStatus(status).phrase),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return body


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def request_language(request: Request) -> str:
    return getattr(request.state, "lang", None) or "en"


def _respond(request: Request, status: int, detail: str, *, errors=None, extra=None, headers=None):
    lang = request_language(request)
    if wants_html(request):
        from app.web import render_error  # pages are an optional layer over the API

        return render_error(request, status, detail, errors or [], headers)
    return JSONResponse(problem(status, detail, lang, errors=errors, extra=extra),
                        status_code=status, media_type=PROBLEM, headers=headers)


def validation_errors(exc: RequestValidationError, lang: str) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    out = []
    for err in exc.errors():
        loc = [p for p in err["loc"] if p != "body" or len(err["loc"]) == 1]
        message = err["msg"]
        out.append({"loc": list(loc), "msg": _(message) if lang != "en" else message})
    return out


def _translated(error: dict[str, Any], _) -> dict[str, Any]:
    """An error item with its message translated (and its parameters filled in)."""
    out = {k: v for k, v in error.items() if k != "params"}
    message = error["msg"]
    out["msg"] = _(message, **error.get("params", {}))
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        _ = gettext_for(request_language(request))
        errors = [_translated(e, _) for e in exc.extra["errors"]] if "errors" in exc.extra else None
        extra = {k: v for k, v in exc.extra.items() if k != "errors"}
        return _respond(request, exc.status, _(exc.detail, **exc.params), errors=errors,
                        extra=extra, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        lang = request_language(request)
        errors = validation_errors(exc, lang)
        _ = gettext_for(lang)
        return _respond(request, 422, _(N_("The request is not valid: see each field's error.")),
                        errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        _ = gettext_for(request_language(request))
        messages = {
            404: N_("Nothing here: check the address."),
            405: N_("This method is not allowed here."),
        }
        detail = _(messages[exc.status_code]) if exc.status_code in messages else str(exc.detail)
        return _respond(request, exc.status_code, detail, headers=getattr(exc, "headers", None))
