"""One plain ASGI middleware: the request's language, what may be read of its body, the
CSRF cookie, security headers.

Plain ASGI rather than ``BaseHTTPMiddleware`` because it runs on every request,
the API's included, and adds next to nothing to them.

Bodies are counted as they arrive, never trusted to their ``Content-Length``, and nothing
is read of a request that will be refused anyway (:meth:`RequestContextMiddleware._admit`):
an anonymous request may only send a small body, and a large or chunked one has its
credentials checked in the database before its first byte is read.
"""
import re
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from app.auth.deps import SESSION_COOKIE
from app.auth.service import API, WEB, user_for_token
from app.cookies import cookie_header, cookie_secure
from app.db import UNSAFE_METHODS
from app.errors import RequestTooLarge, _respond
from app.i18n import LANG_COOKIE, LANGUAGES, N_, gettext_for, negotiate
from app.settings import Settings
from app.web import CSRF_COOKIE, from_this_site

MAX_BODY_BYTES = 21 * 1024 * 1024  # a 20 MB document and its multipart envelope
#: The most an anonymous request may send (the login and welcome forms need a few hundred
#: bytes), and the most a request with credentials sends before they are checked: no JSON
#: body or plain form of this service comes near it.
SMALL_BODY_BYTES = 64 * 1024
TOO_LARGE = N_("The request is too large: files up to 20 MB are accepted.")
TOO_LARGE_ANONYMOUS = N_("The request is too large.")
#: Writes that need no credentials: logging in, out, and the one-time link.
_PUBLIC_API_WRITES = frozenset({"/api/v1/auth/token"})
_PUBLIC_PAGE_WRITE = re.compile(r"/(login|logout|welcome/[^/]+)")

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
_PAGE_CSP = (b"content-security-policy",
             (b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
              b"frame-ancestors 'none'; form-action 'self'"))
#: Pages, API answers and downloads hold someone's data: no cache keeps them (a shared
#: computer's browser, a proxy). Static files may be cached.
_NO_STORE = (b"cache-control", b"no-store")
_HSTS = (b"strict-transport-security", b"max-age=31536000")


def _too_large(limit: int) -> str:
    return TOO_LARGE if limit == MAX_BODY_BYTES else TOO_LARGE_ANONYMOUS


def _credential_is_valid(engine: Engine, raw: str, kind: str) -> bool:
    with Session(engine) as session:
        return user_for_token(session, raw, kind) is not None


class RequestContextMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        settings: Settings = scope["app"].state.settings
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except CookieError:  # a malformed Cookie header is ignored, not an error
            cookies = SimpleCookie()
        query_lang = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
        cookie_lang = cookies[LANG_COOKIE].value if LANG_COOKIE in cookies else None
        state = scope.setdefault("state", {})
        state["lang"] = negotiate(query_lang, cookie_lang, None, headers.get("accept-language"),
                                  settings.default_language)
        state["lang_explicit"] = query_lang in LANGUAGES or cookie_lang in LANGUAGES
        path = scope["path"]
        is_page = not path.startswith(("/api", "/static", "/openapi.json"))
        remember_lang = is_page and query_lang in LANGUAGES and query_lang != cookie_lang
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = list(_SECURITY_HEADERS)
                if is_page:
                    extra.append(_PAGE_CSP)
                if not path.startswith("/static/") and not any(
                        k.lower() == b"cache-control" for k, _ in message.get("headers", [])):
                    extra.append(_NO_STORE)
                if scope.get("scheme") == "https":
                    extra.append(_HSTS)
                secure = cookie_secure(scope.get("scheme", "http"), settings)
                if state.get("new_csrf_cookie") and CSRF_COOKIE not in cookies:
                    extra.append((b"set-cookie", cookie_header(CSRF_COOKIE, state["new_csrf_cookie"],
                                                               secure=secure, same_site="Strict")))
                if remember_lang:
                    extra.append((b"set-cookie", cookie_header(LANG_COOKIE, query_lang, secure=secure,
                                                               max_age=365 * 86400, http_only=False)))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        admitted = await self._admit(scope, headers, cookies)
        if isinstance(admitted, tuple):
            return await _refuse(scope, receive, send_with_headers, *admitted)
        limit, received = admitted, 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(_too_large(limit))
            return message

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except RequestTooLarge as exc:
            # The app's handler answers it wherever FastAPI reads a body; this is for a
            # body read anywhere else.
            if started:
                raise
            await _refuse(scope, receive, send_with_headers, 413, exc.detail, {})

    async def _admit(self, scope, headers: dict[str, str], cookies: SimpleCookie) -> int | tuple:
        """How many body bytes the request may send, or why it is refused at once:
        ``(status, message id, headers)``. Nothing of the body is read here.

        - An unsafe page request from another site (``from_this_site``): 403.
        - An unsafe request without credentials — no ``Authorization: Bearer`` for the
          API, no session cookie for the pages — is refused as it would be after its
          body was read (401; a browser is sent to the login page), except logging
          in, out, and the one-time link, which may send ``SMALL_BODY_BYTES``.
        - With credentials, up to ``MAX_BODY_BYTES``; a body over ``SMALL_BODY_BYTES``
          or of unknown length (chunked) is read only once the credentials are found
          good in the database (one indexed query, in a worker thread), so a forged
          token cannot make a worker read 20 MB.
        """
        path = scope["path"]
        unsafe = scope["method"] in UNSAFE_METHODS
        is_api = path.startswith("/api")
        if unsafe and not is_api and not from_this_site(Request(scope)):
            return 403, N_("This form was sent from another site: it was refused."), {}
        if is_api:
            public = path in _PUBLIC_API_WRITES
            scheme, token = get_authorization_scheme_param(headers.get("authorization"))
            credential = token if scheme.lower() == "bearer" and token else None
            kind = API
            refusal = 401, N_("Log in first: send a valid bearer token."), {"WWW-Authenticate": "Bearer"}
        else:
            public = _PUBLIC_PAGE_WRITE.fullmatch(path) is not None
            credential = cookies[SESSION_COOKIE].value if SESSION_COOKIE in cookies else None
            kind = WEB
            refusal = 401, N_("Please log in."), {}
        if public or not credential:
            if unsafe and not public:
                return refusal
            credential, limit = None, SMALL_BODY_BYTES
        else:
            limit = MAX_BODY_BYTES
        declared = headers.get("content-length", "")
        length = int(declared) if declared.isdigit() else None
        if length is not None and length > limit:
            return 413, _too_large(limit), {}
        if credential and unsafe and (length is None or length > SMALL_BODY_BYTES):
            engine = scope["app"].state.engine
            if not await run_in_threadpool(_credential_is_valid, engine, credential, kind):
                return refusal
        return limit


async def _refuse(scope, receive, send, status: int, message: str, headers: dict[str, str]) -> None:
    """Answer as the app's error handler would (problem+json, or a page for a browser),
    in the request's language, without reading the body."""
    request = Request(scope, receive)
    request.state.user = None  # not looked up here, on the event loop: the page's header shows no one
    _ = gettext_for(request.state.lang)
    await _respond(request, status, _(message), headers=headers)(scope, receive, send)
