"""The good-practice library: reading it (for the pages, the API and the final report),
loading the library file at start-up, and the coordinators' additions and edits.

The library file and the database: at start-up every practice of ``good_practices.yaml`` is
stored by its key (:func:`sync_library`). A practice new to the database is added; one whose
entry in the file is unchanged since it was last loaded is left as it is, a coordinator's
edits included; one whose entry in the file changed is refreshed from the file (the file
wins, and the audit log keeps what it replaced). A practice taken out of the file stays in
the database: recommendations may cite it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import String, cast, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from benchmark.practices import NETWORK_KEY_PREFIX, THEME_NAMES, PracticeDef, Theme, is_country
from benchmark.text import folded

from app.audit.service import record, snapshot
from app.auth.permissions import can_edit_practices, require
from app.errors import NotFound, fields_error
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.indicators.service import current_version, get_set
from app.people.tables import User
from app.practices.schemas import PracticeCreate, PracticeUpdate
from app.practices.tables import LIBRARY, NETWORK, GoodPractice
from app.timeutil import utcnow

THEME_ORDER = {theme.value: n for n, theme in enumerate(Theme)}
NOT_AN_INDICATOR = N_("%(code)s is not an indicator of the benchmark.")


# --- reading -----------------------------------------------------------------------------

def _city_then_title(p: GoodPractice, lang: str = "en") -> tuple:
    """Practices of a city by its name, then those of no city (a catalogue's actions)."""
    return (p.city == "", folded(p.city), folded(practice_title(p, lang)))


def list_practices(session: Session, lang: str = "en") -> list[GoodPractice]:
    """The whole library, by theme (Section C's order), then city, then title in ``lang``."""
    return sorted(session.exec(select(GoodPractice)),
                  key=lambda p: (THEME_ORDER.get(p.theme, len(THEME_ORDER)), *_city_then_title(p, lang)))


def get_practice(session: Session, practice_id: int) -> GoodPractice:
    practice = session.get(GoodPractice, practice_id)
    if practice is None:
        raise NotFound(N_("No good practice %(id)s."), id=practice_id)
    return practice


def get_practices(session: Session, ids: Iterable[int]) -> list[GoodPractice]:
    """The practices of ``ids`` that exist, in the order given (each once): one query."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = {p.id: p for p in session.exec(select(GoodPractice).where(col(GoodPractice.id).in_(wanted)))}
    return [found[i] for i in wanted if i in found]


def practices_for_indicators(session: Session, codes: Iterable[str]) -> dict[str, list[GoodPractice]]:
    """Each code of ``codes`` and the practices that speak to it, by city then title (those
    of no city last); a code no practice speaks to maps to ``[]``. One query."""
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    # The JSON list is read as text to narrow the rows in SQL on both databases; the exact
    # membership is checked below ('"GG-AMB-1"' could only match that code, but a code may
    # hold LIKE's wildcards).
    text = cast(GoodPractice.__table__.c.indicator_codes, String)
    query = select(GoodPractice).where(or_(*(text.like(f'%"{_like(code)}"%', escape="\\") for code in wanted)))
    rows = sorted(session.exec(query), key=_city_then_title)
    return {code: [p for p in rows if code in p.indicator_codes] for code in wanted}


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_practices(practices: Sequence[GoodPractice], *, theme: str | None = None, indicator: str | None = None,
                     pillar: str | None = None, query: str = "") -> list[GoodPractice]:
    """Those of ``theme``, speaking to ``indicator`` (a code) and to some indicator of
    ``pillar``, whose texts hold every word of ``query`` (ignoring case, accents, spacing)."""
    words = folded(query).split()
    return [p for p in practices
            if (not theme or p.theme == theme)
            and (not indicator or indicator in p.indicator_codes)
            and (not pillar or any(code.startswith(f"{pillar}-") for code in p.indicator_codes))
            and all(word in _searchable(p) for word in words)]


def _searchable(p: GoodPractice) -> str:
    return folded(" ".join((p.city, p.country or "", p.title_fr, p.title_en, p.summary_fr, p.summary_en,
                            p.figures_fr or "", p.figures_en or "", p.source, " ".join(p.indicator_codes))))


# --- what the pages and the report show, in one language ------------------------------------

def practice_title(p: GoodPractice, lang: str) -> str:
    return p.title_fr if lang == "fr" else p.title_en


def practice_summary(p: GoodPractice, lang: str) -> str:
    return p.summary_fr if lang == "fr" else p.summary_en


def practice_figures(p: GoodPractice, lang: str) -> str | None:
    return p.figures_fr if lang == "fr" else p.figures_en


def theme_name(theme: str, lang: str) -> str:
    try:
        return THEME_NAMES[Theme(theme)].get(lang)
    except ValueError:  # a theme of a later version, read by an older service
        return theme


# --- the library file ----------------------------------------------------------------------

@dataclass(frozen=True)
class SyncResult:
    added: int
    refreshed: int
    unchanged: int


def _from_file(row: GoodPractice, d: PracticeDef) -> None:
    row.city, row.country, row.theme = d.city, d.country, d.theme.value
    row.title_fr, row.title_en = d.title.fr, d.title.en
    row.summary_fr, row.summary_en = d.summary.fr, d.summary.en
    row.figures_fr, row.figures_en = (d.figures.fr, d.figures.en) if d.figures else (None, None)
    row.source, row.indicator_codes = d.source, list(d.indicators)
    row.library_digest = d.digest()
    row.updated_at, row.updated_by = utcnow(), None


def sync_library(session: Session, practices: Sequence[PracticeDef]) -> SyncResult:
    """Store the library file's practices by key (see the module's docstring); commits.
    Several service processes starting at once: the one that loses the race to insert a
    key finds it inserted when it tries again."""
    try:
        return _sync(session, practices)
    except IntegrityError:
        session.rollback()
        return _sync(session, practices)


def _sync(session: Session, practices: Sequence[PracticeDef]) -> SyncResult:
    stored = {p.key: p for p in session.exec(
        select(GoodPractice).where(col(GoodPractice.key).in_([d.key for d in practices])))}
    added = refreshed = 0
    for d in practices:
        row = stored.get(d.key)
        if row is not None and row.library_digest == d.digest():
            continue
        before = snapshot(row)
        if row is None:
            row = GoodPractice(key=d.key, origin=LIBRARY, theme=d.theme.value, title_fr="", title_en="",
                               summary_fr="", summary_en="", source="")
            added += 1
        else:
            refreshed += 1
        _from_file(row, d)
        session.add(row)
        session.flush()
        record(session, None, "load", "good_practice", row.id, before, snapshot(row))
    session.commit()
    return SyncResult(added, refreshed, len(practices) - added - refreshed)


# --- a coordinator's additions and edits ----------------------------------------------------

def _current_codes(session: Session) -> set[str]:
    version = current_version(session)
    return set(get_set(session, version).by_code()) if version else set()


def _check(session: Session, values: dict) -> None:
    """What the schema alone cannot say: the indicators are the benchmark's, the country is
    one, a city has its country (and none without), figures in both languages or none. Every
    problem at once, each naming its field."""
    errors: list[dict] = []

    def refuse(loc: list, msg: str, **params: object) -> None:
        errors.append({"loc": loc, "msg": msg, "params": params})

    known = _current_codes(session)
    for n, code in enumerate(values["indicator_codes"]):
        if code not in known:
            refuse(["indicator_codes", n], NOT_AN_INDICATOR, code=code)
        elif code in values["indicator_codes"][:n]:
            refuse(["indicator_codes", n], N_("%(code)s is given twice."), code=code)
    country = values["country"]
    if country is not None and not is_country(country):
        refuse(["country"], N_("%(code)s is no country code (ISO 3166-1, such as PT for Portugal)."), code=country)
    elif values["city"] and country is None:
        refuse(["country"], N_("Give the city's country."))
    elif not values["city"] and country is not None:
        refuse(["city"], N_("Give the city, or no country."))
    if (values["figures_fr"] is None) != (values["figures_en"] is None):
        missing = "figures_fr" if values["figures_fr"] is None else "figures_en"
        refuse([missing], N_("Give the figures in both languages, or in neither."))
    if errors:
        raise fields_error(errors)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _new_key(session: Session, title: str) -> str:
    """``network-`` and the English title as a slug, numbered if taken."""
    base = NETWORK_KEY_PREFIX + (_NOT_SLUG.sub("-", folded(title)).strip("-")[:60].strip("-") or "practice")
    taken = set(session.exec(select(GoodPractice.key).where(col(GoodPractice.key).startswith(base))))
    return base if base not in taken else next(f"{base}-{n}" for n in range(2, len(taken) + 3)
                                               if f"{base}-{n}" not in taken)


def create_practice(session: Session, actor: User, data: PracticeCreate) -> GoodPractice:
    require(can_edit_practices(actor))
    values = data.model_dump()
    _check(session, values)
    practice = GoodPractice(**values, key=_new_key(session, data.title_en), origin=NETWORK, updated_by=actor.id)
    session.add(practice)
    session.flush()
    record(session, actor.id, "create", "good_practice", practice.id, None, snapshot(practice))
    session.flush()
    return practice


def update_practice(session: Session, actor: User, practice_id: int, data: PracticeUpdate,
                    expected_version: int | None) -> GoodPractice:
    """The fields given change (``None`` for ``expected_version``: no check). A library
    practice stays the library's: start-up refreshes it from the file only once the file's
    entry for it changes."""
    require(can_edit_practices(actor))
    practice = get_practice(session, practice_id)
    check_version(expected_version, practice.version)
    changes = data.model_dump(exclude_unset=True)
    values = {**snapshot(practice), **changes}
    _check(session, values)
    before = snapshot(practice)
    for name, value in changes.items():
        setattr(practice, name, value)
    practice.updated_at, practice.updated_by = utcnow(), id_of(actor)
    session.add(practice)
    session.flush()  # conditional on the version read (app/versioning.py)
    record(session, actor.id, "update", "good_practice", practice.id, before, snapshot(practice))
    session.flush()
    return practice
