"""The coordinator's pages for cities and people."""
from fastapi import APIRouter, Request

from app.ids import PathId
from app.auth.deps import PageCoordinator, SessionDep
from app.errors import DomainError
from app.people import service
from app.people.schemas import CityCreate, CityUpdate, UserCreate, UserUpdate
from app.settings import get_settings
from app.web import error_message, parse_form, redirect, render

router = APIRouter()


def _cities_page(request, session, status_code=200, **context):
    return render(request, "cities.html", status_code=status_code, cities=service.list_cities(session), **context)


@router.get("/admin/cities")
def cities_page(request: Request, session: SessionDep, _actor: PageCoordinator):
    return _cities_page(request, session, form={})


@router.post("/admin/cities")
async def create_city(request: Request, session: SessionDep, actor: PageCoordinator):
    form = dict(await request.form())
    try:
        service.create_city(session, actor.id, parse_form(CityCreate, {k: form.get(k, "") for k in ("name", "country")}))
    except DomainError as exc:
        message, errors = error_message(request, exc)
        return _cities_page(request, session, exc.status, form=form, error=message, errors=errors)
    return redirect("/admin/cities")


@router.post("/admin/cities/{city_id}")
async def update_city(request: Request, session: SessionDep, actor: PageCoordinator, city_id: PathId):
    form = dict(await request.form())
    try:
        data = parse_form(CityUpdate, {k: form.get(k, "") for k in ("name", "country")})
        service.update_city(session, actor.id, city_id, data, form.get("version") or None)
    except DomainError as exc:
        message, errors = error_message(request, exc)
        session.rollback()
        return _cities_page(request, session, exc.status, form={}, error=message, errors=errors)
    return redirect("/admin/cities")


def _people_page(request, session, status_code=200, **context):
    return render(request, "people.html", status_code=status_code, people=service.list_users(session),
                  cities=service.list_cities(session), **context)


@router.get("/admin/people")
def people_page(request: Request, session: SessionDep, _actor: PageCoordinator):
    return _people_page(request, session, form={})


def _user_form(form: dict) -> dict:
    return {
        "email": form.get("email", ""),
        "full_name": form.get("full_name", ""),
        "city_id": form.get("city_id") or None,
        "is_coordinator": form.get("is_coordinator") == "on",
        "language": form.get("language") or None,
    }


@router.post("/admin/people")
async def create_person(request: Request, session: SessionDep, actor: PageCoordinator):
    """New accounts get a one-time link to set their own password, shown once here."""
    form = dict(await request.form())
    try:
        user, invite = service.create_user(session, get_settings(), actor.id, parse_form(UserCreate, _user_form(form)))
    except DomainError as exc:
        message, errors = error_message(request, exc)
        return _people_page(request, session, exc.status, form=form, error=message, errors=errors)
    return _people_page(request, session, 201, form={}, invited=user, invite_url=_absolute(request, invite))


@router.post("/admin/people/{user_id}/invite")
def reinvite(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId):
    try:
        invite = service.new_invitation(session, get_settings(), actor.id, user_id)
    except DomainError as exc:
        message, errors = error_message(request, exc)
        return _people_page(request, session, exc.status, form={}, error=message, errors=errors)
    return _people_page(request, session, form={}, invited=service.get_user(session, user_id),
                        invite_url=_absolute(request, invite))


@router.post("/admin/people/{user_id}")
async def update_person(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId):
    form = dict(await request.form())
    try:
        data = parse_form(UserUpdate, {"full_name": form.get("full_name", ""), "city_id": form.get("city_id") or None,
                                       "is_active": form.get("is_active") == "on"})
        service.update_user(session, actor.id, user_id, data, form.get("version") or None)
    except DomainError as exc:
        message, errors = error_message(request, exc)
        session.rollback()
        return _people_page(request, session, exc.status, form={}, error=message, errors=errors)
    return redirect("/admin/people")


def _absolute(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/welcome/{token}"
