"""Server-rendered pages: the Jinja2 environment, rendering, forms and CSRF.

Each phase folder keeps its templates in ``<folder>/templates``; they share
``app/templates/base.html``. Every template gets ``_`` (the request's language),
``lang``, ``user``, ``csrf_token`` and ``path``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
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
from app.auth.service import WEB, user_for_token
from app.cookies import cookie_header, cookie_secure
from app.errors import DomainError, Forbidden, _translated, field_errors, fields_error, request_language
from app.i18n import LANGUAGES, N_, gettext_for

M = TypeVar("M", bound=BaseModel)
APP_DIR = Path(__file__).resolve().parent
CSRF_COOKIE = "inti_csrf"
CSRF_FIELD = "csrf_token"
#: The message shown once on the next page after a form succeeded (``redirect(flash=...)``).
FLASH_COOKIE = "inti_flash"
log = logging.getLogger(__name__)

env = Environment(
    loader=FileSystemLoader([str(APP_DIR / "templates"), *sorted(str(p) for p in APP_DIR.glob("*/templates"))]),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["phase_label"] = lambda value: labels.PHASES.get(value, value)
env.filters["role_label"] = lambda value: labels.ROLES.get(value, value)
env.filters["rating_label"] = lambda value: labels.RATINGS.get(value, value)
env.filters["performance_label"] = lambda value: labels.PERFORMANCES.get(value, value)
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


class Flash:
    """What a form that worked says on the page it leads to: a message id (marked with
    ``N_``) and its parameters, translated when shown, in the language of that page
    (parameters named in ``translate`` are message ids too, such as a phase's label).

    It travels in a short cookie signed with the service's secret, so that only messages
    this service wrote are ever shown (a page cannot be made to say something else), and
    is shown once: the page that shows it deletes the cookie."""

    def __init__(self, message: str, *, translate: tuple[str, ...] = (), **params: str | int) -> None:
        self.message, self.translate, self.params = message, translate, params

    def text(self, _: Callable[..., str]) -> str:
        return _(self.message, **{k: _(v) if k in self.translate else v for k, v in self.params.items()})

    def sealed(self, key: str) -> str:
        data = json.dumps([self.message, list(self.translate), self.params])
        payload = base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
        return f"{payload}.{_sign(key, payload)}"

    @classmethod
    def opened(cls, key: str, value: str | None) -> Flash | None:
        """The flash a cookie holds; ``None`` if there is none or it was not signed here."""
        if not value or "." not in value:
            return None
        payload, signature = value.rsplit(".", 1)
        if not secrets.compare_digest(signature, _sign(key, payload)):
            return None
        try:
            message, translate, params = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            return cls(str(message), translate=tuple(translate), **{str(k): v for k, v in dict(params).items()})
        except (ValueError, TypeError):
            return None


def _sign(key: str, payload: str) -> str:
    return hmac.new(key.encode(), b"flash\x00" + payload.encode(), hashlib.sha256).hexdigest()


def _set_flash_cookie(request: Request, response: Response, value: str, max_age: int) -> None:
    response.raw_headers.append((b"set-cookie", cookie_header(
        FLASH_COOKIE, value, secure=cookie_secure(request.url.scheme, request.app.state.settings), max_age=max_age)))


def pending_flash(request: Request) -> Flash | None:
    """The message a form that worked left for this page, if any (``render`` shows it); a
    page may read its parameters too, as the login page reads the e-mail of a password
    just set."""
    return Flash.opened(_secret_key(request), request.cookies.get(FLASH_COOKIE))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` in the request's language, with the message a form that
    worked left for it (``redirect(flash=...)``), shown once."""
    lang = request_language(request)
    _ = gettext_for(lang)
    flash = pending_flash(request)
    html = env.get_template(template).render(
        request=request,
        _=_,
        lang=lang,
        languages=LANGUAGES,
        colon="\u00a0: " if lang == "fr" else ": ",  # French puts a (non-breaking) space before it
        user=getattr(request.state, "user", None),
        csrf_token=csrf_token(request),
        path=request.url.path,
        query=request.url.query,
        flash=flash.text(_) if flash else None,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if FLASH_COOKIE in request.cookies:
        _set_flash_cookie(request, response, "", 0)  # shown once
    return response


def render_error(request: Request, status: int, detail: str, errors: list, headers=None):
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    if not hasattr(request.state, "user") and status not in (500, 503):
        request.state.user = _user_of_session(request)
    response = render(request, "error.html", status_code=status, status=status, detail=detail, errors=errors)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _user_of_session(request: Request) -> Any:
    """Who is logged in, for an error page reached before any dependency looked (an
    unknown address): the header still shows them. Never for a 500 or a 503 (the
    database may be why), and any failure here only means the header shows no one."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            return user_for_token(session, token, WEB)
    except Exception:  # the error page must still be shown
        log.exception("Could not tell who is logged in for an error page")
        return None


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


def redirect(url: str, flash: Flash | None = None, request: Request | None = None) -> RedirectResponse:
    """A 303 to ``url`` (after a form), with the ``flash`` message that page will show."""
    response = RedirectResponse(url, status_code=303)
    if flash is not None:
        if request is None:
            raise TypeError("a flash message needs the request (the secret and the scheme)")
        _set_flash_cookie(request, response, flash.sealed(_secret_key(request)), 300)
    return response


def parse_form(model: type[M], data: dict[str, Any]) -> M:
    """Validate form fields with the API's schema, so pages refuse what the API refuses."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise fields_error(field_errors(exc.errors(), drop_body=False)) from None


def error_message(request: Request, exc: DomainError) -> tuple[str, list[dict]]:
    """A refused form's message and field errors, translated, for showing beside the form;
    each error has the ``label`` the user knows its field by (``None`` if not a field)."""
    _ = gettext_for(request_language(request))
    errors = [{**_translated(e, _), "label": labels.field_label(e.get("loc") or [], _)}
              for e in exc.extra.get("errors", [])]
    return _(exc.detail, **exc.params), errors


def safe_next(target: str | None) -> str:
    """Only local paths: a login link must not send anyone to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
