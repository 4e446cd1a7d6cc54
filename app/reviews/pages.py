"""A reviewer's own preparatory review on its pages: the host's initial report beside the
reviewer's four fields for each indicator, saved as you type; the check before submitting;
the whole review, read-only, once submitted.

Blind: these pages show nothing of the other reviewers, not even how many there are or how
far they are (the team's pages, for those who may see them, do).
"""
import re
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from benchmark.indicators import DimensionDef, Indicator, PillarDef
from benchmark.scales import CycleRole, Performance, Phase

from app import labels
from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle
from app.cycles.panels import register_next_steps, register_panel
from app.db import SessionDep
from app.errors import InvalidInput, NotFound, request_language
from app.etag import expected_version
from app.i18n import N_, gettext_for
from app.ids import id_of
from app.indicators.service import get_set
from app.reviews import service
from app.reviews.schemas import ReviewEntryPublic, ReviewEntryWrite
from app.self_assessment import service as report_service
from app.self_assessment.pages import is_document, link_host
from app.self_assessment.schemas import EntryPublic
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()

#: A person to meet on the card's form: one row of fields per person, numbered (rows come
#: and go on the page; the numbers need not follow each other).
PERSON_FIELD = re.compile(r"^people-(\d+)-(name|role|organisation|interpreter)$")
PERSON_TEXTS = ("name", "role", "organisation")
HYPOTHESIS = ("known", "unknown", "suspected")


def _url(access: CycleAccess, tail: str = "") -> str:
    return f"/cycles/{access.cycle.id}/review{tail}"


# --- the card's form: an entry as form fields, and back ---------------------------------------

def form_values(entry: ReviewEntryPublic) -> dict[str, str]:
    """An entry as its card's form fields hold it (``people-N-…`` for the N-th person)."""
    values = {"performance": entry.performance.value if entry.performance else "",
              "known": entry.hypothesis.known, "unknown": entry.hypothesis.unknown,
              "suspected": entry.hypothesis.suspected, "questions": "\n".join(entry.questions)}
    for n, person in enumerate(entry.people_to_meet):
        values.update({f"people-{n}-name": person.name, f"people-{n}-role": person.role,
                       f"people-{n}-organisation": person.organisation,
                       f"people-{n}-interpreter": "on" if person.interpreter else ""})
    return values


@dataclass
class PersonRow:
    number: int
    name: str = ""
    role: str = ""
    organisation: str = ""
    interpreter: bool = False


def person_rows(values: dict[str, str]) -> list[PersonRow]:
    """The people's rows of a card's form values, in their order, then an empty one to type
    the next person in."""
    rows: dict[int, PersonRow] = {}
    for key, value in values.items():
        match = PERSON_FIELD.match(key)
        if match:
            row = rows.setdefault(int(match[1]), PersonRow(int(match[1])))
            if match[2] == "interpreter":
                row.interpreter = bool(value)
            else:
                setattr(row, match[2], value)
    ordered = [rows[n] for n in sorted(rows)]
    return [*ordered, PersonRow(max(rows, default=-1) + 1)]


def _lines(text: str) -> list[str]:
    """Lines typed in a field, blank ones left out (split on line feeds only: any other line
    break left in a line is refused by the line's own check)."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def _people(form: dict) -> tuple[list[dict], list[int]]:
    """The people typed in a card's rows (a row left empty is no person), and each one's row number."""
    people, numbers = [], []
    for row in person_rows({k: str(v) for k, v in form.items()}):
        texts = {k: getattr(row, k).strip() for k in PERSON_TEXTS}
        if any(texts.values()):
            people.append({**texts, "interpreter": row.interpreter})
            numbers.append(row.number)
    return people, numbers


def entry_from_form(form: dict, removed: str | None = None, added: dict | None = None) -> ReviewEntryWrite:
    """The card's fields as an entry, without the person of row ``removed`` and with the
    person ``added`` (unless someone of that name is there already). Each refused field's
    error says which field of the card it is (``field``), so that the page shows it there."""
    kept = {k: v for k, v in form.items() if not (removed is not None and k.startswith(f"people-{removed}-"))}
    people, numbers = _people(kept)
    if added and not any(p["name"].casefold() == added["name"].casefold() for p in people):
        people.append(added)
    data = {"performance": form.get("performance") or None,
            "hypothesis": {k: (form.get(k) or "").replace("\r\n", "\n") for k in HYPOTHESIS},
            "questions": _lines(form.get("questions") or ""), "people_to_meet": people}
    try:
        return parse_form(ReviewEntryWrite, data)
    except InvalidInput as exc:
        for error in exc.extra.get("errors", []):
            loc = error["loc"]
            if loc[:1] == ["hypothesis"] and len(loc) > 1:
                error["loc"] = loc[1:]
                error["field"] = loc[1]
            elif loc[:1] == ["people_to_meet"] and len(loc) > 2 and isinstance(loc[1], int) \
                    and loc[1] < len(numbers):
                error["field"] = f"people-{numbers[loc[1]]}-{loc[2]}"
            elif loc and loc[0] in ("performance", "questions"):
                error["field"] = loc[0]
        raise


def person_text(person: dict, _) -> str:
    """A person to meet on one line: name, role, organisation, and whether an interpreter is needed."""
    text = ", ".join(str(person.get(k)) for k in PERSON_TEXTS if person.get(k))
    return text + (f" ({_(N_('interpreter needed'))})" if person.get("interpreter") else "")


def _differences(form: dict, saved: ReviewEntryPublic, _) -> list[dict[str, str]]:
    """The card's fields whose text sent differs from what is saved, each with what is saved."""
    out = []

    def label(name: str) -> str:  # (a name apart: a literal inside _() would be extracted as a text)
        return str(_(labels.FIELDS[name]))

    mine = form.get("performance") or ""
    theirs = saved.performance.value if saved.performance else ""
    if mine != theirs:
        out.append({"label": label("performance"),
                    "text": _(labels.PERFORMANCES[theirs]) if theirs else _(N_("not yet judged"))})
    for name in HYPOTHESIS:
        value = getattr(saved.hypothesis, name)
        if (form.get(name) or "").replace("\r\n", "\n").strip() != value:
            out.append({"label": label(name), "text": value})
    if _lines(form.get("questions") or "") != saved.questions:
        out.append({"label": label("questions"), "text": "\n".join(saved.questions)})
    saved_people = [p.model_dump() for p in saved.people_to_meet]
    if _people(form)[0] != saved_people:
        out.append({"label": label("people_to_meet"),
                    "text": "\n".join(person_text(p, _) for p in saved_people)})
    return out


# --- the page ----------------------------------------------------------------------------------

@dataclass
class Card:
    """One indicator: the host's entry beside the reviewer's, as the card's form holds it."""

    indicator: Indicator
    host: EntryPublic
    entry: ReviewEntryPublic
    values: dict[str, str]

    @property
    def judged(self) -> bool:
        return self.entry.performance is not None

    @property
    def people(self) -> list[PersonRow]:
        return person_rows(self.values)


@dataclass
class Section:
    """A pillar with its dimensions' cards and how many of them are judged."""

    pillar: PillarDef
    done: int
    total: int
    dimensions: list[tuple[DimensionDef, list[Card]]]


def sections(review: service.Review, report: report_service.Report, typed: dict | None = None,
             typed_code: str | None = None) -> list[Section]:
    """The review's cards by pillar and dimension; the card ``typed_code`` holds ``typed``
    (what was sent in a save that was refused) rather than what is saved."""
    out = []
    for pillar in review.iset.pillars:
        dims, done, total = [], 0, 0
        for dim in review.iset.dimensions:
            cards = []
            for ind in review.iset.indicators:
                if ind.pillar != pillar.code or ind.dimension != dim.code:
                    continue
                entry = service.entry_public(ind.code, review.entries.get(ind.code))
                values = {k: str(v) for k, v in typed.items()} if typed is not None and ind.code == typed_code \
                    else form_values(entry)
                cards.append(Card(ind, report_service.entry_public(ind.code, report.entries.get(ind.code)), entry,
                                  values))
            done += sum(1 for c in cards if c.judged)
            total += len(cards)
            dims.append((dim, cards))
        out.append(Section(pillar, done, total, dims))
    return out


def _page(request: Request, session, access: CycleAccess, status_code: int = 200, typed: dict | None = None,
          error_code: str | None = None, **context):
    """The reviewer's page: editing while they may write their review; otherwise (submitted,
    or the phase over) the whole review, read-only."""
    require(access.rights.open_own_review())
    review = service.own_review(session, access.rights, access.cycle)
    report = report_service.readable_report(session, access.rights, access.cycle)
    if error_code not in review.iset.by_code():  # no such card: the refusal is shown at the top
        error_code = None
    rights = access.rights.seeing_review(review.status)
    editing = rights.write_review() is True
    template = "reviews/review.html" if editing else "reviews/review_read.html"
    return render(request, template, status_code=status_code, cycle=access.cycle, review=review,
                  sections=sections(review, report, typed, error_code), missing=review.missing(),
                  performances=[p.value for p in Performance], rights=rights, editing=editing,
                  deadline=service.review_deadline(session, access.cycle),
                  phase_open=access.rights.phase == Phase.PREPARATORY_REVIEW,
                  is_document=is_document, link_host=link_host, error_code=error_code, **context)


@router.get("/cycles/{cycle_id}/review")
def review_page(request: Request, session: SessionDep, access: PageCycle, show: str = ""):
    """``?show=unjudged``: only the indicators without a performance yet."""
    return _page(request, session, access, only_unjudged=show == "unjudged")


def _host_person(session, access: CycleAccess, code: str, index: str) -> dict:
    """The host's responsible person ``index`` of indicator ``code``, as a person to meet."""
    responsible = report_service.saved_entry(session, access.cycle, code).entry.responsible
    if not index.isdigit() or int(index) >= len(responsible):
        raise NotFound(N_("No responsible person %(n)s for %(code)s in the initial report."), n=index, code=code)
    person = responsible[int(index)]
    return {"name": person.name, "role": person.role, "organisation": person.department, "interpreter": False}


@router.post("/cycles/{cycle_id}/review/entries/{code}")
def save_entry(request: Request, session: SessionDep, access: PageCycle, code: str, form: FormFields):
    """Save one indicator of one's review. The page's script calls it as you type (autosave,
    JSON answer); without script the card's buttons post it (Save; add one of the host's
    responsible people; remove a person) and come back to the card."""
    as_json = "application/json" in request.headers.get("accept", "")
    removed = form.get("remove_person")
    add = form.get("add_person")
    # Who may not write gets the error page (or problem), whatever they sent, never the page.
    require(access.rights.write_review())

    def save():
        added = _host_person(session, access, code, str(add)) if add is not None else None
        data = entry_from_form(form, str(removed) if removed is not None else None, added)
        entry = service.write_entry(session, access.rights, access.cycle, code, data,
                                    expected_version(form.get("version") or None))
        if not as_json:
            if added:
                flash = Flash(N_("%(name)s added to the people to meet of %(code)s."), name=added["name"], code=code)
            else:
                flash = Flash(N_("%(code)s saved."), code=code)
            return redirect(_url(access, f"#{code}"), flash, request)
        done = service.judged_codes(session, access.cycle, id_of(access.user))
        indicators = get_set(session, access.cycle.indicator_set_version).indicators
        pillars: dict[str, list[int]] = {}
        for ind in indicators:
            counts = pillars.setdefault(ind.pillar.value, [0, 0])
            counts[0] += ind.code in done
            counts[1] += 1
        return JSONResponse({"version": entry.version, "complete": code in done, "completed": len(done),
                             "total": len(indicators), "pillars": pillars})

    def refused(status, error, errors):
        if as_json:
            body: dict = {"detail": error, "errors": errors}
            if status == 412:  # out of date: show what is saved now, and when, beside the user's text
                body.update(_saved_now(request, session, access, code, form))
            return JSONResponse(body, status_code=status)
        # the card shows what was typed, but after a 412 what is saved now (the message says why)
        typed = None if status == 412 else {k: v for k, v in form.items() if k not in ("csrf_token",)}
        return _page(request, session, access, status, typed=typed, error=error, errors=errors, error_code=code)

    return run_form(request, session, save, refused)


def _saved_now(request: Request, session, access: CycleAccess, code: str, form: dict) -> dict:
    saved = service.saved_entry(session, access.cycle, id_of(access.user), code)
    _ = gettext_for(request_language(request))
    # Only the reviewer writes their review: it changed in another tab, or by a workbook.
    # The page's script puts the time in, in the browser's time zone (``saved_at``).
    detail = _(N_("You saved this indicator at %(time)s in another tab or window, or by importing a workbook; what "
                  "is saved now is shown below. Your text here is kept: choose which to keep."), time="{time}")
    return {"detail": detail, "saved_at": saved.updated_at.isoformat() if saved.updated_at else None,
            "current": {"version": saved.entry.version, **form_values(saved.entry)},
            "differences": _differences(form, saved.entry, _)}


# --- submitting ----------------------------------------------------------------------------------

def _submit_page(request: Request, session, access: CycleAccess, status_code: int = 200, error: str | None = None):
    require(access.rights.open_own_review())
    review = service.own_review(session, access.rights, access.cycle)
    rights = access.rights.seeing_review(review.status)
    return render(request, "reviews/review_submit.html", status_code=status_code, cycle=access.cycle,
                  review=review, writable=rights.write_review() is True,
                  missing=[review.iset.by_code()[c] for c in review.missing()], error=error)


@router.get("/cycles/{cycle_id}/review/submit")
def submit_page(request: Request, session: SessionDep, access: PageCycle):
    """What is still missing, each linked to its card; the button once nothing is."""
    return _submit_page(request, session, access)


@router.post("/cycles/{cycle_id}/review/submit")
def submit(request: Request, session: SessionDep, access: PageCycle):
    # Someone who may not submit gets the error page, never the list of what is missing.
    require(access.rights.write_review())

    def do_submit():
        service.submit(session, access.rights, access.cycle)
        return redirect(_url(access), Flash(N_(
            "Preparatory review submitted. You can now read the other reviewers' submitted reviews.")), request)

    return run_form(request, session, do_submit, lambda status, error, _errors: _submit_page(
        request, session, access, status, error))


# --- on the cycle page and on My cycles ----------------------------------------------------------

def _cycle_panel(session, access: CycleAccess) -> dict | None:
    """One's own review on the cycle page, for a reviewer, from the preparatory review on:
    its state, its progress, the phase's deadline and the way in (nothing of the others')."""
    if access.rights.open_own_review() is not True:
        return None
    review = service.load_reviews(session, access.cycle, [(access.user, access.role)])[0]
    rights = access.rights.seeing_review(review.status)
    return {"review": review, "judged": review.judged, "total": len(review.iset.indicators),
            "writable": rights.write_review() is True, "deadline": service.review_deadline(session, access.cycle)}


register_panel(Phase.PREPARATORY_REVIEW.order, "reviews/cycle_panel.html", _cycle_panel)


def _next_steps(session, user, views, _) -> dict[int, list[tuple[str, str]]]:
    """On My cycles, a reviewer's review while they may still write it: "Continue my review —
    12 of 73", then "Check and submit my review"."""
    mine = [v.cycle for v in views if v.my_role in (CycleRole.PEER, CycleRole.TEAM_LEADER)
            and v.cycle.phase == Phase.PREPARATORY_REVIEW]
    out = {}
    for cycle, (judged, total, status) in service.own_progress(session, user, mine).items():
        if status == service.SUBMITTED:
            continue
        if judged == total:
            out[cycle] = [(_(N_("Check and submit my review")), f"/cycles/{cycle}/review/submit")]
        else:
            out[cycle] = [(_(N_("Continue my review — %(judged)s of %(total)s"), judged=judged, total=total),
                           f"/cycles/{cycle}/review")]
    return out


register_next_steps(_next_steps)
