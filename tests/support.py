"""Helpers shared by the tests (imported as ``support``; conftest modules are not importable)."""
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.security import hash_password
from app.auth.service import WEB, issue_token
from app.people.tables import City, User

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


def make_user(session: Session, email: str, name: str, city: City | None, coordinator: bool = False) -> User:
    user = User(email=email, full_name=name, city_id=city.id if city else None,
                is_coordinator=coordinator, password_hash=_PASSWORD_HASH)
    session.add(user)
    session.commit()
    return user


def browser_login(client: TestClient, session: Session, user: User) -> None:
    """Give the test client a web session for ``user`` (without the login form)."""
    client.cookies.set("inti_session", issue_token(session, user, WEB, timedelta(hours=1)))
    session.commit()


def csrf_of(client: TestClient, page: str = "/login") -> str:
    """Fetch a page and return the CSRF token of its forms (the cookie is kept)."""
    html = client.get(page).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def fill_report(session: Session, cycle, codes=None) -> None:
    """Complete entries of the initial report for ``codes`` (default: every indicator)."""
    from app.indicators.service import get_set
    from app.self_assessment.tables import SelfAssessmentEntry

    if codes is None:
        codes = [i.code for i in get_set(session, cycle.indicator_set_version).indicators]
    for code in codes:
        session.add(SelfAssessmentEntry(cycle_id=cycle.id, indicator_code=code, self_rating="at",
                                        description="Done.", evidence=[], responsible=[]))
    session.commit()


def submit_report(session: Session, cycle) -> None:
    """Mark a cycle's initial report as submitted (complete), as the host officer would."""
    from app.self_assessment.tables import SelfAssessment

    fill_report(session, cycle)
    session.add(SelfAssessment(cycle_id=cycle.id, status="submitted"))
    session.commit()


def api_routes(app) -> list:
    """Every route of the app with its full path, methods and endpoint. FastAPI keeps
    included routers as branches (``app.routes`` no longer lists their routes), so this
    walks them the way FastAPI's own OpenAPI generation does."""
    from fastapi.routing import APIRoute, iter_route_contexts

    return [r for r in iter_route_contexts(app.routes) if isinstance(r.original_route, APIRoute)]
