"""create_app(): routers, error handlers, middleware, and the checks at start-up."""
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from benchmark.indicators import load_indicator_set
from benchmark.practices import load_practices

from app import errors
from app.auth import api as auth_api
from app.auth import pages as auth_pages
from app.comparison import api as comparison_api
from app.comparison import pages as comparison_pages
from app.cycles import api as cycles_api
from app.cycles import pages as cycles_pages
from app.db import make_engine
from app.indicators import api as indicators_api
from app.indicators import pages as indicators_pages
from app.indicators.service import store_indicator_set
from app.middleware import RequestContextMiddleware
from app.people import api as people_api
from app.people import pages as people_pages
from app.practices import api as practices_api
from app.practices import pages as practices_pages
from app.practices.service import sync_library
from app.reports import api as reports_api
from app.reports import pages as reports_pages
from app.reports import recommendations_pages
from app.reports.files import Finisher
from app.reviews import api as reviews_api
from app.reviews import pages as reviews_pages
from app.reviews import team_pages as review_team_pages
from app.reviews import workbook_pages as review_workbook_pages
from app.secret_key import with_secret_key
from app.self_assessment import api as self_assessment_api
from app.self_assessment import pages as self_assessment_pages
from app.settings import Settings, get_settings
from app.visit import api as visit_api
from app.visit import hypotheses_pages as visit_hypotheses_pages
from app.visit import judgements_api as visit_judgements_api
from app.visit import judgements_pages as visit_judgements_pages
from app.visit import notes_api as visit_notes_api
from app.visit import notes_pages as visit_notes_pages
from app.visit import pages as visit_pages
from app.web import APP_DIR, check_csrf


def load_benchmark(engine, settings: Settings) -> None:
    """Validate indicators.yaml and store its version if new, then the good-practice library
    (stored by key: ``app/practices/service.py``). Raises IndicatorSetError or
    PracticeLibraryError (every problem with its line) or IndicatorSetConflict; the CLI
    reports each."""
    iset = load_indicator_set(settings.indicators_path)
    practices = load_practices(settings.practices_path, {i.code for i in iset.indicators})
    with Session(engine) as session:
        store_indicator_set(session, iset)
        sync_library(session, practices)


def create_app(settings: Settings | None = None, engine=None) -> FastAPI:
    """The service. The schema must be migrated first (``inti-cities serve`` does it)."""
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        load_benchmark(engine, settings)
        app.state.settings = with_secret_key(app.state.settings, engine)
        # The published reports' files a stopped worker left unmade (app/reports/files.py).
        app.state.report_files = Finisher(engine)
        yield
        app.state.report_files.close()

    # No /docs nor /redoc: FastAPI serves them from a CDN, and nothing here may load from one.
    app = FastAPI(title="INTI-CITIES peer review", version="1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Peer review of cities' governance of migrant integration.")
    app.state.engine = engine
    app.state.settings = settings
    errors.install(app)
    app.add_middleware(RequestContextMiddleware)

    api = APIRouter(prefix="/api/v1")
    for module in (auth_api, indicators_api, people_api, cycles_api, self_assessment_api, reviews_api,
                   visit_api, visit_notes_api, visit_judgements_api, practices_api, reports_api, comparison_api):
        api.include_router(module.router)
    app.include_router(api)

    pages = APIRouter(dependencies=[Depends(check_csrf)], include_in_schema=False)
    for module in (auth_pages, cycles_pages, people_pages, indicators_pages, self_assessment_pages,
                   review_team_pages, review_workbook_pages, reviews_pages, visit_pages,
                   visit_notes_pages, visit_hypotheses_pages, visit_judgements_pages, practices_pages,
                   reports_pages, recommendations_pages, comparison_pages):
        pages.include_router(module.router)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=APP_DIR / "static"), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:  # what browsers ask for when a page names none (an API answer, a download)
        return FileResponse(APP_DIR / "static" / "favicon.svg", media_type="image/svg+xml")

    return app
