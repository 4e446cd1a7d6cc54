"""The one way in for who is calling: the API's bearer token, the pages' session cookie,
and the network-wide roles. Cycle dependencies live with the cycles (``app/cycles/deps.py``)."""
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.auth import permissions
from app.auth.service import API, WEB, user_for_token
from app.db import SessionDep
from app.errors import Unauthorized
from app.i18n import N_
from app.people.tables import User

SESSION_COOKIE = "inti_session"

_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


class LoginRequired(Unauthorized):
    """A page asked for while logged out: browsers are sent to the login page."""


def adopt_language(request: Request, user: User) -> None:
    """Speak ``user``'s language (their profile's), unless this browser chose one with the
    language switch."""
    if user.language and not getattr(request.state, "lang_explicit", False):
        request.state.lang = user.language


def api_user(request: Request, session: SessionDep, token: Annotated[str | None, Depends(_bearer)]) -> User:
    user = user_for_token(session, token, API)
    if user is None:
        raise Unauthorized(N_("Log in first: send a valid bearer token."),
                           headers={"WWW-Authenticate": "Bearer"})
    adopt_language(request, user)
    request.state.user = user
    return user


def optional_page_user(request: Request, session: SessionDep) -> User | None:
    user = user_for_token(session, request.cookies.get(SESSION_COOKIE), WEB)
    if user is not None:
        adopt_language(request, user)
    request.state.user = user
    return user


def page_user(user: Annotated[User | None, Depends(optional_page_user)]) -> User:
    if user is None:
        raise LoginRequired(N_("Please log in."))
    return user


def reader(request: Request, session: SessionDep, token: Annotated[str | None, Depends(_bearer)]) -> User:
    """For downloads linked from the pages as well as called by scripts: a bearer token,
    else the browser's session cookie. Only for GET routes (a cookie is no defence
    against cross-site requests)."""
    if token:
        return api_user(request, session, token)
    user = optional_page_user(request, session)
    if user is None:
        raise Unauthorized(N_("Log in first: send a valid bearer token."), headers={"WWW-Authenticate": "Bearer"})
    return user


ApiUser = Annotated[User, Depends(api_user)]
PageUser = Annotated[User, Depends(page_user)]


def _require_network_manager(user: User) -> User:
    if not permissions.can_manage_network(user):
        raise permissions.COORDINATOR_ONLY.error()
    return user


def api_coordinator(user: ApiUser) -> User:
    return _require_network_manager(user)


def page_coordinator(user: PageUser) -> User:
    return _require_network_manager(user)


ApiCoordinator = Annotated[User, Depends(api_coordinator)]
PageCoordinator = Annotated[User, Depends(page_coordinator)]
