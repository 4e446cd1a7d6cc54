"""Server-rendered pages: the Jinja2 environment, rendering, forms and CSRF.

Each phase folder keeps its templates in ``<folder>/templates``; they share
``app/templates/base.html``. Every template gets ``_`` (the request's language),
``lang``, ``user``, ``csrf_token`` and ``path``.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app import labels
from app.auth.deps import SESSION_COOKIE
from app.auth.security import csrf_token_for
from app.errors import DomainError, Forbidden, InvalidInput, _translated, field_errors, request_language
from app.i18n import LANGUAGES, N_, gettext_for

M = TypeVar("M", bound=BaseModel)
APP_DIR = Path(__file__).resolve().parent
CSRF_COOKIE = "inti_csrf"
CSRF_FIELD = "csrf_token"

env = Environment(
    loader=FileSystemLoader([str(APP_DIR / "templates"), *sorted(str(p) for p in APP_DIR.glob("*/templates"))]),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["phase_label"] = lambda value: labels.PHASES.get(value, value)
env.filters["role_label"] = lambda value: labels.ROLES.get(value, value)
env.filters["rating_label"] = lambda value: labels.RATINGS.get(value, value)
env.filters["set_status_label"] = lambda value: labels.SET_STATUSES.get(value, value)
env.filters["date_label"] = labels.date_label


def csrf_cookie(request: Request) -> str:
    """The browser's CSRF cookie value, minting one for this response if it has none."""
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if value is None:
        value = secrets.token_urlsafe(24)
        request.state.new_csrf_cookie = value
    return value


def _secret_key(request: Request) -> str:
    key: str = request.app.state.settings.secret_key
    if not key:  # loaded by the app's lifespan (app.secret_key); never a default
        raise RuntimeError("no secret key: the app's lifespan did not run")
    return key


def csrf_token(request: Request) -> str:
    """The token of this page's forms: keyed by the secret, bound to the browser's CSRF
    cookie and to its session (if logged in), so that it is refused in another session."""
    return csrf_token_for(_secret_key(request), csrf_cookie(request), request.cookies.get(SESSION_COOKIE, ""))


def _site(hostname: str | None, port: int | None) -> tuple[str, int | None]:
    # Default ports are one: behind a TLS proxy that does not say so, the app sees
    # http (port 80) where the browser says https (443).
    return (hostname or "").lower(), None if port in (None, 80, 443) else port


def from_this_site(request: Request) -> bool:
    """Whether an unsafe page request comes from this site, as ``Origin`` says, or
    ``Referer`` when there is no ``Origin``.

    A foreign origin is refused, and so is the opaque ``null`` (what a browser sends for
    a cross-site post from a page with ``Referrer-Policy: no-referrer``, or from a
    sandboxed frame). Our pages send ``Referrer-Policy: same-origin``, so browsers give
    our own posts their real origin. This site is the request's own host and port (the
    ``Host`` header; schemes are not compared, see ``_site``) and the origins of
    ``INTI_TRUSTED_ORIGINS`` (for a proxy that rewrites ``Host``).

    Neither header: allowed. Every current browser sends ``Origin`` with a post, so a
    request with neither comes from a client that strips them (some proxies and privacy
    tools do) or is not a browser — which a forged cross-site form is. Such a request
    still needs the CSRF token, bound to its cookie and session; refusing it would lock
    those users out and protect nobody.
    """
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return True
    try:
        parts = urlsplit(claimed)
        site = _site(parts.hostname, parts.port)
    except ValueError:  # a port out of range, a broken IPv6 address: not this site
        return False
    if parts.scheme not in ("http", "https") or not site[0]:
        return False
    if site == _site(request.url.hostname, request.url.port):
        return True
    return any(site == _site(t.hostname, t.port) and parts.scheme == t.scheme
               for t in map(urlsplit, request.app.state.settings.trusted_origins))


async def check_csrf(request: Request) -> None:
    """Every page form that changes something carries the token of its cookie and session.
    (That it comes from this site, ``from_this_site``, the middleware checks before the
    body is read.)"""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not request.cookies.get(CSRF_COOKIE) or not isinstance(sent, str) or not secrets.compare_digest(
        sent.encode(), csrf_token(request).encode()
    ):
        raise Forbidden(N_("This form has expired or did not come from this site: reload the page and try again."))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = request_language(request)
    html = env.get_template(template).render(
        request=request,
        _=gettext_for(lang),
        lang=lang,
        languages=LANGUAGES,
        colon="\u00a0: " if lang == "fr" else ": ",  # French puts a (non-breaking) space before it
        user=getattr(request.state, "user", None),
        csrf_token=csrf_token(request),
        path=request.url.path,
        query=request.url.query,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def render_error(request: Request, status: int, detail: str, errors: list, headers=None):
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    response = render(request, "error.html", status_code=status, status=status, detail=detail, errors=errors)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


async def _form_fields(request: Request) -> dict[str, Any]:
    """The posted form's fields. Reading the body is the only work a page does on the event
    loop: the handlers that use them are plain ``def``, run in a worker thread."""
    return dict(await request.form())


FormFields = Annotated[dict[str, Any], Depends(_form_fields)]


def run_form(request: Request, session: Session, action: Callable[[], Response],
             show_refusal: Callable[[int, str, list[dict]], Response]) -> Response:
    """The one way a page runs a form's action: its answer when it succeeds; when the rules
    refuse it (a :class:`DomainError`), nothing it did is kept (rolled back here, since the
    request will end in a normal answer) and ``show_refusal(status, message, field_errors)``
    shows the form again with the reason, in the user's language (with the refusal's
    headers, such as ``Retry-After``, but the API's ``WWW-Authenticate``)."""
    try:
        return action()
    except DomainError as exc:
        session.rollback()
        message, errors = error_message(request, exc)
        response = show_refusal(exc.status, message, errors)
        for key, value in exc.headers.items():
            if key.lower() != "www-authenticate":
                response.headers[key] = value
        return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def parse_form(model: type[M], data: dict[str, Any]) -> M:
    """Validate form fields with the API's schema, so pages refuse what the API refuses."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(N_("The request is not valid: see each field's error."),
                           extra={"errors": field_errors(exc.errors(), drop_body=False)}) from None


def error_message(request: Request, exc: DomainError) -> tuple[str, list[dict]]:
    """A refused form's message and field errors, translated, for showing beside the form."""
    _ = gettext_for(request_language(request))
    errors = [_translated(e, _) for e in exc.extra.get("errors", [])]
    return _(exc.detail, **exc.params), errors


def safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send anyone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
