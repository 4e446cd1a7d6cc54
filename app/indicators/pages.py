"""The benchmark browser: pillars x dimensions, drilled down to the indicators."""
from fastapi import APIRouter, Request

from benchmark.scales import Dimension, Pillar

from app.auth.deps import PageUser
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import N_
from app.indicators.service import current_version, get_set, list_sets
from app.web import render

router = APIRouter()


def _current_set(session):
    version = current_version(session)
    if version is None:
        raise NotFound(N_("No approved indicator set is loaded."))
    return get_set(session, version)


@router.get("/benchmark")
def benchmark_grid(request: Request, session: SessionDep, _user: PageUser):
    iset = _current_set(session)
    return render(request, "indicators/benchmark.html", iset=iset, counts=iset.counts(), sets=list_sets(session))


@router.get("/benchmark/{pillar}/{dimension}")
def benchmark_cell(request: Request, session: SessionDep, _user: PageUser, pillar: Pillar, dimension: Dimension):
    iset = _current_set(session)
    return render(
        request, "indicators/benchmark_cell.html", iset=iset,
        pillar=next(p for p in iset.pillars if p.code == pillar),
        dimension=next(d for d in iset.dimensions if d.code == dimension),
        indicators=[i for i in iset.indicators if i.pillar == pillar and i.dimension == dimension],
    )
