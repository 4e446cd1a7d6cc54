"""One plain ASGI middleware: the request's language, the CSRF cookie, security headers.

Plain ASGI rather than ``BaseHTTPMiddleware`` because it runs on every request,
the API's included, and adds next to nothing to them.
"""
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.responses import JSONResponse

from app.errors import PROBLEM, problem
from app.i18n import LANG_COOKIE, LANGUAGES, N_, gettext_for, negotiate
from app.settings import get_settings
from app.web import CSRF_COOKIE

MAX_BODY_BYTES = 21 * 1024 * 1024  # a 20 MB document and its multipart envelope
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
_PAGE_CSP = (b"content-security-policy",
             b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
             b"frame-ancestors 'none'; form-action 'self'")


def cookie_header(name: str, value: str, *, secure: bool, max_age: int | None = None,
                  http_only: bool = True, same_site: str = "Lax") -> bytes:
    parts = [f"{name}={value}", "Path=/", f"SameSite={same_site}"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def cookie_secure(scheme: str) -> bool:
    setting = get_settings().cookie_secure
    return scheme == "https" if setting is None else setting


class RequestContextMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is ignored, not an error
            cookies = SimpleCookie()
        query_lang = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
        cookie_lang = cookies[LANG_COOKIE].value if LANG_COOKIE in cookies else None
        state = scope.setdefault("state", {})
        state["lang"] = negotiate(query_lang, cookie_lang, None, headers.get("accept-language"),
                                  get_settings().default_language)
        state["lang_explicit"] = query_lang in LANGUAGES or cookie_lang in LANGUAGES
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            # Refused before the body is read: uploads are capped at 20 MB, workbooks at 10 MB.
            _ = gettext_for(state["lang"])
            body = problem(413, _(N_("The request is too large: files up to 20 MB are accepted.")), state["lang"])
            return await JSONResponse(body, status_code=413, media_type=PROBLEM)(scope, receive, send)
        is_page = not scope["path"].startswith(("/api", "/static", "/openapi.json"))
        remember_lang = is_page and query_lang in LANGUAGES and query_lang != cookie_lang

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                extra = list(_SECURITY_HEADERS)
                if is_page:
                    extra.append(_PAGE_CSP)
                secure = cookie_secure(scope.get("scheme", "http"))
                if state.get("new_csrf_cookie") and CSRF_COOKIE not in cookies:
                    extra.append((b"set-cookie", cookie_header(CSRF_COOKIE, state["new_csrf_cookie"],
                                                               secure=secure, same_site="Strict")))
                if remember_lang:
                    extra.append((b"set-cookie", cookie_header(LANG_COOKIE, query_lang, secure=secure,
                                                               max_age=365 * 86400, http_only=False)))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
