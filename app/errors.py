"""One error shape: RFC 9457 problem details, in the caller's language.

Services raise :class:`DomainError` subclasses with a message id (marked with
``N_``) and its parameters (and extra members, where a :class:`~app.i18n.Phrase` is
a message too, such as each warning of a list); the one handler here translates and renders them:
JSON ``application/problem+json`` for the API (and any non-browser client),
an HTML page for a browser on the web pages. A database that is unavailable for a
moment answers 503 with ``Retry-After``; any other unexpected error 500, in the same
shape.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.db import WriterTimeout
from app.i18n import N_, Phrase, gettext_for

PROBLEM = "application/problem+json"
#: Seconds a client is told to wait (``Retry-After``) before trying again when the
#: database is unavailable: a restart of PostgreSQL takes about one.
RETRY_AFTER_SECONDS = 2
#: PostgreSQL's SQLSTATEs that mean "try again" (besides class 08, connection
#: exceptions): serialization failure, deadlock (the transaction chosen to fail), too
#: many connections, administrator or crash shutdown, server starting up.
RETRY_SQLSTATES = frozenset({"40001", "40P01", "53300", "57P01", "57P02", "57P03"})
DATABASE_UNAVAILABLE = N_("The database is unavailable for a moment: try again in a few seconds.")
#: A write refused because the record changed since it was read (If-Match, or the
#: conditional UPDATE): one message, without version numbers, whichever caught it.
STALE_RECORD = N_("Someone else changed this record meanwhile: reload it and make your change again.")
INTERNAL_ERROR = N_("Something went wrong on our side: try again in a moment.")
log = logging.getLogger(__name__)


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


#: A refused request's message when each refused field says why (``errors``).
INVALID_FIELDS = N_("The request is not valid: see each field's error.")


def fields_error(errors: list[dict[str, Any]]) -> InvalidInput:
    """A 422 about several fields: ``errors`` are ``{"loc", "msg", "params"}``, each ``msg``
    a message id translated when shown."""
    return InvalidInput(INVALID_FIELDS, extra={"errors": errors})


def field_error(loc: list, msg: str, **params: Any) -> InvalidInput:
    """A 422 about one field; ``msg`` is a message id, translated when shown."""
    return fields_error([{"loc": loc, "msg": msg, "params": params}])


class TooManyRequests(DomainError):
    status = 429


class RequestTooLarge(StarletteHTTPException):
    """413 while a request's body is being received (``app.middleware`` counts it).

    An HTTPException rather than a DomainError: FastAPI turns any other exception
    raised while it reads a body into a 400. ``detail`` is a message id.
    """

    def __init__(self, detail: str):
        super().__init__(status_code=413, detail=detail)


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


#: One line: no "|" (the workbook's separator) and no line break, Unicode's line and
#: paragraph separators included (control characters are refused in every text by
#: ``app.schemas.check_text``).
ONE_LINE_PATTERN = r"^[^|\r\n\u2028\u2029]*$"


def field_message(err: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A pydantic error as a message id and parameters, so that it reads in the user's
    language and says what to do (pydantic's own wording is English and technical)."""
    kind, ctx = err["type"], err.get("ctx") or {}
    last = err["loc"][-1] if err.get("loc") else ""
    if kind == "missing":
        return N_("This field is required."), {}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return N_("This field may not be empty."), {}
        return N_("At least %(min)s characters."), {"min": ctx.get("min_length")}
    if kind == "string_too_long":
        return N_("At most %(max)s characters."), {"max": ctx.get("max_length")}
    if kind == "too_long":
        return N_("At most %(max)s items."), {"max": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        if last == "url":
            return N_("A link starts with http:// or https:// and has no spaces nor \"|\"."), {}
        if last == "email":
            return N_("This is not an e-mail address."), {}
        if ctx.get("pattern") == ONE_LINE_PATTERN:
            return N_("No line break nor \"|\" here."), {}
        return N_("This value does not have the expected form."), {}
    if kind in ("enum", "literal_error"):
        return N_("Choose one of: %(expected)s."), {"expected": ctx.get("expected", "")}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return N_("A whole number is expected."), {}
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return N_("This number is out of range."), {}
    if kind in ("bool_parsing", "bool_type"):
        return N_("Yes or no (true or false) is expected."), {}
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        return N_("A date is expected, as YYYY-MM-DD."), {}
    if kind == "extra_forbidden":
        return N_("Unknown field."), {}
    if kind == "json_invalid":
        return N_("The request body is not valid JSON."), {}
    if kind == "control_characters":
        return N_("Text may not contain control characters."), {}
    if kind == "direction_characters":
        return N_("Text may not contain invisible characters that change its direction."), {}
    if kind == "string_type":
        return N_("Text is expected here."), {}
    if kind in ("list_type", "tuple_type", "set_type"):
        return N_("A list is expected here."), {}
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return N_("An object with named fields is expected here."), {}
    # Anything else pydantic may say, in the user's language rather than in its English.
    return N_("This value is not valid here."), {}


def field_errors(errors: Sequence[Mapping[str, Any]], drop_body: bool = True) -> list[dict[str, Any]]:
    """Pydantic errors as ``{"loc", "msg", "params"}`` items, translated when shown."""
    out = []
    for err in errors:
        loc = [p for p in err["loc"] if p != "body" or len(err["loc"]) == 1] if drop_body else list(err["loc"])
        msg, params = field_message(err)
        out.append({"loc": loc, "msg": msg, "params": params})
    return out


def validation_errors(exc: RequestValidationError, lang: str) -> list[dict[str, Any]]:
    _ = gettext_for(lang)
    return [_translated(e, _) for e in field_errors(exc.errors())]


def _translated(error: dict[str, Any], _) -> dict[str, Any]:
    """An error item with its message translated (and its parameters filled in)."""
    out = {k: v for k, v in error.items() if k != "params"}
    message = error["msg"]
    out["msg"] = _(message, **error.get("params", {}))
    return out


def _localized(value: Any, _) -> Any:
    """A problem's extra member with every :class:`Phrase` in it translated (such as the
    messages of a list of warnings), the rest as it is."""
    if isinstance(value, Phrase):
        return _(value.msgid, **value.params)
    if isinstance(value, dict):
        return {k: _localized(v, _) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_localized(v, _) for v in value]
    return value


def database_unavailable(exc: BaseException) -> bool:
    """Whether a database error means the database is unavailable for a moment, so that
    the same request may succeed if tried again (rather than a fault of ours)."""
    if isinstance(exc, PoolTimeout | WriterTimeout):  # no pooled connection (or turn to write) came in time
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:  # the connection was lost: the server went away
        return True
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        # The busy timeout ran out waiting for another writer. SQLite's other
        # "operational" errors (no such table, syntax error...) are our faults.
        return getattr(orig, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith("08") or sqlstate in RETRY_SQLSTATES
    # No SQLSTATE: the driver could not talk to a server at all (refused, reset, timed out).
    return isinstance(exc, OperationalError)


def install(app: FastAPI) -> None:
    # Plain ``def`` handlers run in a worker thread (Starlette's rule, as for routes): the
    # error page of an unknown address looks up who is logged in (``app.web.render_error``).
    @app.exception_handler(DomainError)
    def _domain(request: Request, exc: DomainError):
        _ = gettext_for(request_language(request))
        errors = [_translated(e, _) for e in exc.extra["errors"]] if "errors" in exc.extra else None
        extra = {k: _localized(v, _) for k, v in exc.extra.items() if k != "errors"}
        return _respond(request, exc.status, _(exc.detail, **exc.params), errors=errors,
                        extra=extra, headers=exc.headers)

    @app.exception_handler(StaleDataError)
    def _stale(request: Request, exc: StaleDataError):
        # A conditional UPDATE (app/versioning.py) matched no row: someone else wrote first.
        _ = gettext_for(request_language(request))
        return _respond(request, 412, _(STALE_RECORD))

    @app.exception_handler(RequestValidationError)
    def _validation(request: Request, exc: RequestValidationError):
        lang = request_language(request)
        errors = validation_errors(exc, lang)
        _ = gettext_for(lang)
        return _respond(request, 422, _(INVALID_FIELDS),
                        errors=errors)

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException):
        _ = gettext_for(request_language(request))
        messages = {
            404: N_("Nothing here: check the address."),
            405: N_("This method is not allowed here."),
        }
        if isinstance(exc, RequestTooLarge):
            detail = _(exc.detail)
        else:
            detail = _(messages[exc.status_code]) if exc.status_code in messages else str(exc.detail)
        return _respond(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    @app.exception_handler(WriterTimeout)
    async def _database(request: Request, exc: Exception):
        # Reached from the handler, the dependencies, and the request session's commit
        # (which runs before the response is sent): a write whose commit failed is
        # never reported as saved.
        if not database_unavailable(exc):
            raise exc
        log.warning("Database unavailable, answered 503 to %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        _ = gettext_for(request_language(request))
        return _respond(request, 503, _(DATABASE_UNAVAILABLE), headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # Starlette calls this last, sends its answer, then re-raises ``exc`` so that the
        # server logs it: the client gets the one error shape, not a plain-text 500.
        _ = gettext_for(request_language(request))
        return _respond(request, 500, _(INTERNAL_ERROR))
