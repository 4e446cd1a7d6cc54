"""Benchmarking on its pages (everyone logged in): the published cycles compared as a cities
× pillar-dimension heat map with the network's median and filters; one review against the
network's median and spread; the judgements per indicator. Each page says the caveat."""
from fastapi import APIRouter, Request

from app.auth.deps import PageUser
from app.comparison import service
from app.db import SessionDep
from app.ids import PathId
from app.indicators.service import get_set
from app.web import render

router = APIRouter()
#: Cycles per page of the heat map (the network's median is over all of them).
PAGE_SIZE = 50
#: The heat map's five shades: a score in [0, .2) is shade 0, …, [.8, 1] shade 4.
SHADES = 5


def shade(value: float | None) -> str:
    """The CSS class of a score's shade (``none``: nothing judged on the scale there)."""
    return "none" if value is None else f"q{min(int(value * SHADES), SHADES - 1)}"


@router.get("/compare")
def compare_page(request: Request, session: SessionDep, user: PageUser, version: str = "", country: str = "",
                 year: str = "", page: str = "1"):
    """The comparison, ``PAGE_SIZE`` cycles a page; an unknown filter value is no filter (the
    choices offered are the published cycles' own), a page past the last is the last."""
    choices = service.filter_choices(session)
    filters = service.Filters(
        version if version in choices["versions"] else None,
        next((c for c in choices["countries"] if c.casefold() == country.casefold()), None),
        int(year) if year.isdigit() and int(year) in choices["years"] else None)
    found = service.compare(session, user, None, filters)
    iset = get_set(session, found.indicator_set_version) if found.indicator_set_version else None
    pages = max(1, -(-len(found.cycles) // PAGE_SIZE))
    number = min(max(int(page), 1), pages) if page.isascii() and page.isdigit() and len(page) < 7 else 1
    shown = found.cycles[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
    query = {k: v for k, v in (("version", filters.indicator_set_version), ("country", filters.country),
                               ("year", filters.year)) if v}
    return render(request, "comparison/compare.html", found=found, shown=shown, page=number, pages=pages,
                  filter_query=query, iset=iset, choices=choices, chosen=filters,
                  filtered=filters != service.Filters(), shade=shade, caveat=service.CAVEAT)


@router.get("/compare/cycles/{cycle_id}")
def profile_page(request: Request, session: SessionDep, user: PageUser, cycle_id: PathId):
    """One published review against the network's median and spread, cell by cell (the
    published cycles of its indicator set); 404 for a cycle that is not published."""
    found = service.profile(session, user, cycle_id)
    iset = get_set(session, found.comparison.indicator_set_version or "")
    return render(request, "comparison/profile.html", found=found, iset=iset, caveat=service.CAVEAT, shade=shade)


@router.get("/compare/indicators")
def distribution_page(request: Request, session: SessionDep, user: PageUser, version: str = ""):
    """Per indicator, how the published reviews judged it: a stacked bar each."""
    choices = service.filter_choices(session)
    chosen = version if version in choices["versions"] else None
    used, spreads = service.distribution(session, user, chosen)
    iset = get_set(session, used) if used else None
    published = sum(1 for r in service.published_cycles(session, service.Filters(used))) if used else 0
    return render(request, "comparison/indicators.html", spreads=spreads, iset=iset, version=used,
                  choices=choices, published=published, caveat=service.CAVEAT, judgements=service.JUDGEMENTS)
