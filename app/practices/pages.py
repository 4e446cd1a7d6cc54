"""The good-practice library's pages: the library with its filters (a plain GET form, so it
works without JavaScript), one practice, and the coordinators' forms to add and edit one.

A form that worked leads to the practice's page, which says so; a refused one is shown again
with what was typed and each field's message beside it, in the user's language.
"""
import re
from typing import Any

from babel import Locale
from fastapi import APIRouter, Request

from benchmark.practices import COUNTRIES, THEME_NAMES, Theme

from app import labels
from app.auth.deps import PageUser
from app.auth.permissions import can_edit_practices, require
from app.db import SessionDep
from app.errors import request_language
from app.etag import expected_version
from app.i18n import N_, gettext_for
from app.ids import PathId
from app.indicators.service import current_version, get_set
from app.people.tables import User
from app.practices import service
from app.practices.schemas import PracticeCreate, PracticeUpdate
from app.practices.tables import GoodPractice
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()
#: The longest search kept (a few words).
MAX_QUERY = 200
FIELDS = ("city", "country", "theme", "title_fr", "title_en", "summary_fr", "summary_en", "figures_fr",
          "figures_en", "source", "indicator_codes")
_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def _indicators(session):
    """The current indicator set's indicators by code (what the chips link to)."""
    version = current_version(session)
    return get_set(session, version) if version else None


def _country_names(lang: str) -> dict[str, str]:
    names = Locale(lang).territories
    return {code: names.get(code, code) for code in COUNTRIES}


def _common(request: Request, session, user: User) -> dict[str, Any]:
    lang = request_language(request)
    return {"iset": _indicators(session), "countries": _country_names(lang),
            "themes": [(t.value, THEME_NAMES[t].get(lang)) for t in Theme],
            "theme_name": service.theme_name, "title_of": service.practice_title,
            "summary_of": service.practice_summary, "figures_of": service.practice_figures,
            "may_edit": can_edit_practices(user) is True}


def _choice(value: str | None, allowed) -> str:
    value = (value or "").strip()
    return value if value in allowed else ""


@router.get("/practices")
def library(request: Request, session: SessionDep, user: PageUser, theme: str = "", pillar: str = "",
            indicator: str = "", q: str = ""):
    """The whole library, or what the filters leave of it (an unknown value is no filter)."""
    context = _common(request, session, user)
    iset = context["iset"]
    codes = iset.by_code() if iset else {}
    chosen = {"theme": _choice(theme, {t.value for t in Theme}),
              "pillar": _choice(pillar, {p.code.value for p in iset.pillars} if iset else set()),
              "indicator": _choice(indicator.upper(), codes), "q": q.strip()[:MAX_QUERY]}
    everything = service.list_practices(session, request_language(request))
    shown = service.filter_practices(everything, theme=chosen["theme"], pillar=chosen["pillar"],
                                     indicator=chosen["indicator"], query=chosen["q"])
    return render(request, "practices/library.html", practices=shown, total=len(everything), chosen=chosen,
                  filtered=any(chosen.values()), **context)


@router.get("/practices/new")
def new_practice(request: Request, session: SessionDep, user: PageUser):
    require(can_edit_practices(user))
    return _form_page(request, session, user, None, {})


@router.post("/practices/new")
def create_practice(request: Request, session: SessionDep, user: PageUser, form: FormFields):
    require(can_edit_practices(user))

    def create():
        practice = service.create_practice(session, user, parse_form(PracticeCreate, _values(form)))
        return redirect(f"/practices/{practice.id}", Flash(N_("Good practice added: %(title)s."),
                                                           title=_title_for(request, practice)), request)

    return run_form(request, session, create, lambda status, error, errors: _form_page(
        request, session, user, None, form, status, error, errors))


@router.get("/practices/{practice_id}")
def practice_page(request: Request, session: SessionDep, user: PageUser, practice_id: PathId):
    practice = service.get_practice(session, practice_id)
    return render(request, "practices/practice.html", practice=practice, **_common(request, session, user))


@router.get("/practices/{practice_id}/edit")
def edit_practice(request: Request, session: SessionDep, user: PageUser, practice_id: PathId):
    require(can_edit_practices(user))
    practice = service.get_practice(session, practice_id)
    return _form_page(request, session, user, practice, _as_form(practice))


@router.post("/practices/{practice_id}/edit")
def update_practice(request: Request, session: SessionDep, user: PageUser, practice_id: PathId, form: FormFields):
    require(can_edit_practices(user))

    def update():
        data = parse_form(PracticeUpdate, _values(form))
        practice = service.update_practice(session, user, practice_id, data,
                                           expected_version(str(form.get("version") or "") or None))
        return redirect(f"/practices/{practice.id}", Flash(N_("Good practice saved: %(title)s."),
                                                           title=_title_for(request, practice)), request)

    def refused(status, error, errors):
        return _form_page(request, session, user, service.get_practice(session, practice_id), form, status, error,
                          errors)

    return run_form(request, session, update, refused)


def _title_for(request: Request, practice: GoodPractice) -> str:
    return service.practice_title(practice, request_language(request))


def _values(form: dict) -> dict[str, Any]:
    """The form's fields as the API's schema takes them: empty optional fields left empty
    (no country, no figures), the indicator codes typed in one field, separated by spaces or
    commas."""
    values: dict[str, Any] = {name: str(form.get(name, "")) for name in FIELDS}
    for name in ("country", "figures_fr", "figures_en"):
        values[name] = values[name].strip() or None
    values["indicator_codes"] = [c for c in _CODE_SEPARATORS.split(values["indicator_codes"]) if c]
    return values


def _as_form(practice: GoodPractice) -> dict[str, str]:
    return {"city": practice.city, "country": practice.country or "", "theme": practice.theme,
            "title_fr": practice.title_fr, "title_en": practice.title_en,
            "summary_fr": practice.summary_fr, "summary_en": practice.summary_en,
            "figures_fr": practice.figures_fr or "", "figures_en": practice.figures_en or "",
            "source": practice.source, "indicator_codes": " ".join(practice.indicator_codes),
            "version": str(practice.version)}


def _form_page(request: Request, session, user: User, practice: GoodPractice | None, form: dict,
               status_code: int = 200, error: str | None = None, errors: list | None = None):
    """The form to add (``practice`` None) or edit a practice. An error about one of the
    codes typed in the indicators' field is shown beside that field."""
    _ = gettext_for(request_language(request))
    beside = [{**e, "loc": e["loc"][:1], "label": labels.field_label(e["loc"][:1], _)} if e.get("loc") else e
              for e in errors or []]
    return render(request, "practices/form.html", status_code=status_code, practice=practice, form=form,
                  error=error, errors=beside, **_common(request, session, user))
