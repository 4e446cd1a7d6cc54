"""Login, logout, the one-time welcome link, and the language switch."""
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from app.auth.api import client_of
from app.auth.deps import SESSION_COOKIE, adopt_language, optional_page_user
from app.auth.service import INVITE, WEB, authenticate, issue_token, revoke_token, user_for_token
from app.cookies import cookie_header, cookie_secure
from app.db import SessionDep
from app.errors import request_language
from app.i18n import LANG_COOKIE, LANGUAGES, N_
from app.people import service as people
from app.settings import SettingsDep
from app.web import Flash, pending_flash, redirect, render, run_form, safe_next

router = APIRouter()


def _session_cookie(response: RedirectResponse, request: Request, value: str, max_age: int) -> None:
    response.raw_headers.append((b"set-cookie", cookie_header(
        SESSION_COOKIE, value, secure=cookie_secure(request.url.scheme, request.app.state.settings), max_age=max_age)))


#: The flash after a password is set on the welcome page. It carries the person's e-mail
#: and the welcome page's language, for the login page to fill in the one and speak the
#: other: in the flash's signed cookie rather than the address, so that the e-mail shows in
#: no address bar, history or access log, and no link made elsewhere can fill it in.
PASSWORD_SET = N_("Password set: log in with it.")


@router.get("/login")
def login_page(request: Request, session: SessionDep, next: str = "/"):
    if optional_page_user(request, session) is not None:
        return redirect(safe_next(next))
    email = ""
    flash = pending_flash(request)
    if flash is not None and flash.message == PASSWORD_SET:
        email = str(flash.params.get("email", ""))
        if flash.params.get("lang") in LANGUAGES and not getattr(request.state, "lang_explicit", False):
            request.state.lang = flash.params["lang"]
    return render(request, "auth/login.html", next=safe_next(next), email=email)


@router.post("/login")
def login(request: Request, session: SessionDep, settings: SettingsDep, email: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"):
    def log_in():
        user = authenticate(session, settings, email, password, client_of(request))
        hours = settings.session_hours
        token = issue_token(session, user, WEB, timedelta(hours=hours))
        response = redirect(safe_next(next))
        _session_cookie(response, request, token, hours * 3600)
        if user.language in LANGUAGES and LANG_COOKIE not in request.cookies:
            # The profile's language becomes this browser's too (a choice made here before
            # is kept), so that the pages that do not look the user up, such as an unknown
            # address's 404, speak it as well.
            _language_cookie(response, request, user.language)
        return response

    return run_form(request, session, log_in, lambda status, error, _errors: render(
        request, "auth/login.html", status_code=status, error=error, next=safe_next(next), email=email))


@router.post("/logout")
def logout(request: Request, session: SessionDep):
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        revoke_token(session, token)
    response = redirect("/login", Flash(N_("You are logged out.")), request)
    _session_cookie(response, request, "", 0)
    return response


def _invited(request: Request, session, token: str):
    """The person a one-time link is for (``None`` if it does not work), whose language the
    welcome page then speaks: the one the coordinator chose for them, unless this browser
    chose another with the language switch."""
    invited = user_for_token(session, token, INVITE)
    if invited is not None:
        adopt_language(request, invited)
    return invited


@router.get("/welcome/{token}")
def welcome_page(request: Request, session: SessionDep, token: str):
    invited = _invited(request, session, token)
    return render(request, "auth/welcome.html", invited=invited, token=token,
                  status_code=200 if invited else 404)


@router.post("/welcome/{token}")
def welcome(request: Request, session: SessionDep, token: str,
            password: Annotated[str, Form()] = "", password_again: Annotated[str, Form()] = ""):
    """The password chosen, on to the login page, which says so and has the e-mail filled in."""
    _invited(request, session, token)

    def accept():
        user = people.accept_invitation(session, token, password, password_again)
        return redirect("/login", Flash(PASSWORD_SET, email=user.email, lang=request_language(request)), request)

    return run_form(request, session, accept, lambda status, error, errors: render(
        request, "auth/welcome.html", invited=_invited(request, session, token), token=token,
        error=error, errors=errors, status_code=status))


@router.get("/language")
def switch_language(request: Request, session: SessionDep, lang: str, next: str = "/"):
    """Remember the choice (cookie, and the profile of a logged-in user). A link from another
    site only sets the cookie: the profile changes only on a click made on these pages."""
    response = redirect(safe_next(next))
    if lang in LANGUAGES:
        user = optional_page_user(request, session)
        same_site = request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
        if user is not None and user.language != lang and same_site:
            people.set_language(session, user, lang)
        _language_cookie(response, request, lang)
    return response


def _language_cookie(response: RedirectResponse, request: Request, lang: str) -> None:
    secure = cookie_secure(request.url.scheme, request.app.state.settings)
    response.raw_headers.append((b"set-cookie", cookie_header(
        LANG_COOKIE, lang, secure=secure, max_age=365 * 86400, http_only=False)))
