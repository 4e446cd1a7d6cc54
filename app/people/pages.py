"""The coordinator's pages for cities and people."""
from fastapi import APIRouter, Request

from app.auth.deps import PageCoordinator
from app.db import SessionDep
from app.etag import expected_version
from app.ids import PathId, id_of
from app.people import service
from app.people.schemas import CityCreate, CityUpdate, UserCreate, UserUpdate
from app.settings import SettingsDep
from app.web import FormFields, parse_form, redirect, render, run_form

router = APIRouter()


def _cities_page(request, session, status_code=200, **context):
    return render(request, "people/cities.html", status_code=status_code, cities=service.list_cities(session),
                  **context)


@router.get("/admin/cities")
def cities_page(request: Request, session: SessionDep, _actor: PageCoordinator):
    return _cities_page(request, session, form={})


@router.post("/admin/cities")
def create_city(request: Request, session: SessionDep, actor: PageCoordinator, form: FormFields):
    def create():
        data = parse_form(CityCreate, {k: form.get(k, "") for k in ("name", "country")})
        service.create_city(session, id_of(actor), data)
        return redirect("/admin/cities")

    return run_form(request, session, create, lambda status, error, errors: _cities_page(
        request, session, status, form=form, error=error, errors=errors))


@router.post("/admin/cities/{city_id}")
def update_city(request: Request, session: SessionDep, actor: PageCoordinator, city_id: PathId, form: FormFields):
    def update():
        data = parse_form(CityUpdate, {k: form.get(k, "") for k in ("name", "country")})
        service.update_city(session, id_of(actor), city_id, data, expected_version(form.get("version") or None))
        return redirect("/admin/cities")

    return run_form(request, session, update, lambda status, error, errors: _cities_page(
        request, session, status, form={}, error=error, errors=errors))


def _people_page(request, session, status_code=200, **context):
    return render(request, "people/people.html", status_code=status_code, people=service.list_users(session),
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


def _show_refusal(request, session, form=None):
    return lambda status, error, errors: _people_page(request, session, status, form=form or {}, error=error,
                                                      errors=errors)


@router.post("/admin/people")
def create_person(request: Request, session: SessionDep, actor: PageCoordinator, form: FormFields,
                  settings: SettingsDep):
    """New accounts get a one-time link to set their own password, shown once here."""
    def create():
        user, invite = service.create_user(session, settings, actor.id, parse_form(UserCreate, _user_form(form)))
        assert invite is not None  # the form has no password field: the person always gets a link
        return _people_page(request, session, 201, form={}, invited=user, invite_url=_absolute(request, invite))

    return run_form(request, session, create, _show_refusal(request, session, form))


@router.post("/admin/people/{user_id}/invite")
def reinvite(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId,
             settings: SettingsDep):
    def invite():
        link = service.new_invitation(session, settings, id_of(actor), user_id)
        return _people_page(request, session, form={}, invited=service.get_user(session, user_id),
                            invite_url=_absolute(request, link))

    return run_form(request, session, invite, _show_refusal(request, session))


@router.post("/admin/people/{user_id}")
def update_person(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId, form: FormFields):
    def update():
        data = parse_form(UserUpdate, {"full_name": form.get("full_name", ""), "city_id": form.get("city_id") or None,
                                       "is_active": form.get("is_active") == "on"})
        service.update_user(session, id_of(actor), user_id, data, expected_version(form.get("version") or None))
        return redirect("/admin/people")

    return run_form(request, session, update, _show_refusal(request, session))


def _absolute(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + f"/welcome/{token}"
