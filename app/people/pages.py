"""The coordinator's pages for cities and people.

Every form that worked says so: a flash message on the page it leads back to, or, for a
new one-time link (shown once, so never carried in a cookie), a notice on the page it
answers with. The People page's search (``?q=``) is a plain GET form, so it works without
JavaScript; the forms of a filtered list send ``q`` back, so that the list stays filtered.
"""
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from app.auth.deps import PageCoordinator
from app.auth.permissions import can_deactivate, can_issue_link
from app.db import SessionDep
from app.etag import expected_version
from app.i18n import N_
from app.ids import PathId, id_of
from app.labels import LANGUAGE_NAMES
from app.people import service
from app.people.schemas import CityCreate, CityUpdate, UserCreate, UserUpdate
from app.people.tables import User
from app.settings import SettingsDep
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()
#: The longest search kept (a name, an e-mail and a city fit in it many times over).
MAX_QUERY = 200


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
        city = service.create_city(session, id_of(actor), data)
        return redirect("/admin/cities", Flash(N_("City %(name)s added."), name=city.name), request)

    return run_form(request, session, create, lambda status, error, errors: _cities_page(
        request, session, status, form=form, error=error, errors=errors))


@router.post("/admin/cities/{city_id}")
def update_city(request: Request, session: SessionDep, actor: PageCoordinator, city_id: PathId, form: FormFields):
    def update():
        data = parse_form(CityUpdate, {k: form.get(k, "") for k in ("name", "country")})
        city = service.update_city(session, id_of(actor), city_id, data, expected_version(form.get("version") or None))
        return redirect("/admin/cities", Flash(N_("City %(name)s saved."), name=city.name), request)

    return run_form(request, session, update, lambda status, error, errors: _cities_page(
        request, session, status, form={}, error=error, errors=errors))


def _query(value: object) -> str:
    return str(value or "").strip()[:MAX_QUERY]


def _people_url(q: str) -> str:
    return "/admin/people" + (f"?{urlencode({'q': q})}" if q else "")


def _people_page(request, session, actor: User, status_code=200, q="", **context):
    everyone = service.list_users(session)
    cities = service.list_cities(session)
    people = service.search_users(everyone, {c.id: c for c in cities if c.id is not None}, q)
    return render(request, "people/people.html", status_code=status_code, people=people, total=len(everyone),
                  cities=cities, q=q, pending=service.pending_links(session),
                  may_deactivate={p.id for p in people if can_deactivate(actor, p) is True},
                  may_link={p.id for p in people if can_issue_link(actor, p) is True},
                  language_names=LANGUAGE_NAMES, **context)


@router.get("/admin/people")
def people_page(request: Request, session: SessionDep, actor: PageCoordinator, q: str = ""):
    return _people_page(request, session, actor, q=_query(q), form={})


def _user_form(form: dict) -> dict:
    return {
        "email": form.get("email", ""),
        "full_name": form.get("full_name", ""),
        "city_id": form.get("city_id") or None,
        "is_coordinator": form.get("is_coordinator") == "on",
        "language": form.get("language") or None,
    }


def _show_refusal(request, session, actor, form=None):
    return lambda status, error, errors: _people_page(
        request, session, actor, status, q=_query((form or {}).get("q")), form=form if form and "email" in form else {},
        error=error, errors=errors)


def _with_link(request, session, actor, status_code, user: User, token: str, q: str, replaced: bool):
    """The People page with the new one-time link, shown this once (never stored: only its
    digest is), and the language the person will read their welcome page in."""
    return _people_page(request, session, actor, status_code, q=q, form={}, invited=user,
                        invite_url=str(request.base_url).rstrip("/") + f"/welcome/{token}", replaced=replaced)


@router.post("/admin/people")
def create_person(request: Request, session: SessionDep, actor: PageCoordinator, form: FormFields,
                  settings: SettingsDep):
    """New accounts get a one-time link to set their own password, shown once here."""
    def create():
        user, invite = service.create_user(session, settings, actor.id, parse_form(UserCreate, _user_form(form)))
        assert invite is not None  # the form has no password field: the person always gets a link
        return _with_link(request, session, actor, 201, user, invite, "", replaced=False)

    return run_form(request, session, create, _show_refusal(request, session, actor, form))


@router.post("/admin/people/{user_id}/invite")
def reinvite(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId,
             settings: SettingsDep, form: FormFields):
    def invite():
        replaced = user_id in service.pending_links(session, [user_id])
        link = service.new_invitation(session, settings, actor, user_id)
        return _with_link(request, session, actor, 200, service.get_user(session, user_id), link,
                          _query(form.get("q")), replaced)

    return run_form(request, session, invite, _show_refusal(request, session, actor, form))


@router.post("/admin/people/{user_id}")
def update_person(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId, form: FormFields):
    """Name, city and language (whether the account is active has its own confirmed forms)."""
    def update():
        data = parse_form(UserUpdate, {"full_name": form.get("full_name", ""), "city_id": form.get("city_id") or None,
                                       "language": form.get("language") or None})
        user = service.update_user(session, actor, user_id, data, expected_version(form.get("version") or None))
        return redirect(_people_url(_query(form.get("q"))), Flash(N_("%(name)s saved."), name=user.full_name), request)

    return run_form(request, session, update, _show_refusal(request, session, actor, form))


def _set_active(request, session, actor: User, user_id: int, form: dict, active: bool):
    def change():
        user = service.update_user(session, actor, user_id, UserUpdate(is_active=active),
                                   expected_version(form.get("version") or None))
        done = (N_("%(name)s can log in again.") if active
                else N_("%(name)s is deactivated: their sessions and links have ended."))
        return redirect(_people_url(_query(form.get("q"))), Flash(done, name=user.full_name), request)

    return run_form(request, session, change, _show_refusal(request, session, actor, form))


@router.post("/admin/people/{user_id}/deactivate")
def deactivate_person(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId,
                      form: FormFields):
    return _set_active(request, session, actor, user_id, form, active=False)


@router.post("/admin/people/{user_id}/reactivate")
def reactivate_person(request: Request, session: SessionDep, actor: PageCoordinator, user_id: PathId,
                      form: FormFields):
    return _set_active(request, session, actor, user_id, form, active=True)
