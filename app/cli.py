"""The ``inti-cities`` command: serve, create-coordinator, indicators check, practices check|list."""
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlmodel import Session

from benchmark.indicators import IndicatorSetError, load_indicator_set
from benchmark.practices import PracticeLibraryError, load_practices

from app.settings import get_settings

cli = typer.Typer(no_args_is_help=True, add_completion=False, help="INTI-CITIES peer review.")
indicators = typer.Typer(no_args_is_help=True, help="The indicator set (benchmark).")
cli.add_typer(indicators, name="indicators")
practices_cli = typer.Typer(no_args_is_help=True, help="The good-practice library.")
cli.add_typer(practices_cli, name="practices")
cycle_cli = typer.Typer(no_args_is_help=True, help="A review cycle's phase, as one of its people.")
cli.add_typer(cycle_cli, name="cycle")
visit_cli = typer.Typer(no_args_is_help=True, help="The visit programme, as the team leader (or another member).")
cli.add_typer(visit_cli, name="visit")


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(1)


def _upgrade(engine) -> None:
    """Bring the schema up to date; a migration that refuses the data says why and stops."""
    from app.db import MigrationRefused, upgrade

    try:
        upgrade(engine)
    except MigrationRefused as exc:
        _fail([*exc.lines, "The database was not upgraded: nothing else was done."])


def _prepare(demo: bool):
    """Migrate, load the benchmark, and the demo if asked; every failure as plain lines."""
    from app.db import make_engine
    from app.demo import DemoDataError, load_demo
    from app.demo.files import LANGUAGES as DEMO_LANGUAGES
    from app.indicators.service import IndicatorSetConflict
    from app.main import load_benchmark

    settings = get_settings()
    try:
        iset = load_indicator_set(settings.indicators_path)
    except IndicatorSetError as exc:
        _fail([str(p) for p in exc.problems] + ["The service did not start: mend the indicator set first."])
    try:
        load_practices(settings.practices_path, {i.code for i in iset.indicators})
    except PracticeLibraryError as exc:
        _fail([str(p) for p in exc.problems] + ["The service did not start: mend the good-practice library first."])
    engine = make_engine(settings.database_url)
    _upgrade(engine)
    try:
        load_benchmark(engine, settings)
    except IndicatorSetConflict as exc:
        _fail([f"{settings.indicators_path}: {exc}"])
    if demo:
        if settings.demo_language not in DEMO_LANGUAGES:
            _fail([f"INTI_DEMO_LANGUAGE is '{settings.demo_language}': the demo is written in "
                   f"{' and '.join(DEMO_LANGUAGES)}.", "The service did not start."])
        with Session(engine) as session:
            try:
                loaded = load_demo(session, settings.reviews_path / "demo" / "cycle.yaml", settings.demo_language)
            except DemoDataError as exc:
                _fail([str(p) for p in exc.problems] + ["The service did not start: mend the demo's files first "
                                                        "(nothing of the demo was written)."])
            for title in loaded:
                typer.echo(f"Demo review cycle loaded: {title} (accounts in the README).")
    engine.dispose()


@cli.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          demo: Annotated[bool, typer.Option(help="Load the demo review cycle if it is not there yet.")] = False,
          workers: Annotated[int, typer.Option(help="Service processes (they share the database).")] = 1):
    """Bring the schema up to date, then serve the pages and the API."""
    import uvicorn

    _prepare(demo)
    typer.echo(f"Serving on http://{host}:{port}/")
    uvicorn.run("app.main:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, log_level="info")


@cli.command("create-coordinator")
def create_coordinator(email: str, password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
                       name: Annotated[str | None, typer.Option()] = None):
    """Create a coordinator account, or reset that account's password."""
    from app.db import make_engine
    from app.people.schemas import MIN_PASSWORD
    from app.people.service import ensure_coordinator

    if len(password) < MIN_PASSWORD:
        _fail([f"The password must have at least {MIN_PASSWORD} characters."])
    engine = make_engine(get_settings().database_url)
    _upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        user, created = ensure_coordinator(session, email, password, name)
        session.commit()
    typer.echo(f"{'Created' if created else 'Password reset for'} coordinator {user.email} (id {user.id}).")


@indicators.command("check")
def indicators_check(path: Annotated[Path, typer.Argument()] = Path("indicators.yaml")):
    """Validate an indicator-set YAML; print each problem with its line; exit 1 if any."""
    try:
        iset = load_indicator_set(path)
    except IndicatorSetError as exc:
        _fail([str(p) for p in exc.problems])
    typer.echo(f"{path}: indicator set {iset.version} ({iset.status.value}), {len(iset.indicators)} indicators: OK")


def _indicator_codes(path: Path) -> set[str]:
    try:
        return {i.code for i in load_indicator_set(path).indicators}
    except IndicatorSetError as exc:
        _fail([str(p) for p in exc.problems] + ["The practices were not checked: mend the indicator set first."])


IndicatorsOption = Annotated[Path | None, typer.Option(
    "--indicators", help="The indicator set the practices cite (default: the service's, INTI_INDICATORS_PATH).")]


@practices_cli.command("check")
def practices_check(path: Annotated[Path | None, typer.Argument(
                        help="Default: the service's library (INTI_PRACTICES_PATH, good_practices.yaml).")] = None,
                    indicators_path: IndicatorsOption = None):
    """Validate a good-practice library YAML against the indicator set; print each problem
    with its line; exit 1 if any."""
    settings = get_settings()
    path = path or settings.practices_path
    try:
        practices = load_practices(path, _indicator_codes(indicators_path or settings.indicators_path))
    except PracticeLibraryError as exc:
        _fail([str(p) for p in exc.problems])
    cities = {p.city for p in practices if p.city}
    typer.echo(f"{path}: {len(practices)} practices ({len(cities)} cities, "
               f"{sum(1 for p in practices if not p.city)} with no city): OK")


@practices_cli.command("list")
def practices_list(lang: Annotated[str, typer.Option(help="fr or en.")] = "en"):
    """The library as the service holds it (the file's practices once the service has
    started, and those coordinators added): id, city, theme, title, indicators."""
    from app.db import make_engine
    from app.practices.service import list_practices, practice_title, theme_name

    if lang not in ("fr", "en"):
        _fail([f"--lang is '{lang}': fr or en."])
    engine = make_engine(get_settings().database_url)
    _upgrade(engine)
    with Session(engine) as session:
        practices = list_practices(session, lang)
    for p in practices:
        where = f"{p.city} ({p.country})" if p.city else "—"
        typer.echo(f"{p.id}\t{where}\t{theme_name(p.theme, lang)}\t{practice_title(p, lang)}\t"
                   f"{' '.join(p.indicator_codes)}")
    typer.echo(f"{len(practices)} practices.")
    engine.dispose()


AsWho = Annotated[str | None, typer.Option("--as", help="Who acts, by e-mail (default: the cycle's team leader).")]


# --- acting in a cycle as one of its people ----------------------------------------------------
# The command line acts as a named person (``--as``), with that person's rights in the cycle,
# and the audit log records them: it is the pages' and the API's rules, from a terminal.

def _acting(session: Session, cycle_id: int, email: str | None):
    """(cycle access, user) for ``email`` (default: the cycle's team leader); exits 1 with why."""
    from sqlmodel import select

    from app.auth.service import normalize_email
    from app.cycles.deps import load_cycle_access
    from app.cycles.tables import CycleMember
    from app.errors import DomainError
    from app.people.tables import User

    if email is None:
        user = session.exec(select(User).join(CycleMember, CycleMember.user_id == User.id).where(  # type: ignore[arg-type]
            CycleMember.cycle_id == cycle_id, CycleMember.role == "team_leader")).first()
        if user is None:
            _fail([f"Cycle {cycle_id} has no team leader (or does not exist): say who acts with --as EMAIL."])
    else:
        user = session.exec(select(User).where(User.email == normalize_email(email))).first()
        if user is None:
            _fail([f"No account {email}."])
    try:
        return load_cycle_access(session, user, cycle_id, "exclusive"), user
    except DomainError as exc:
        _fail([_english(exc)])


def _english(exc) -> str:
    from app.i18n import gettext_for

    return str(gettext_for("en")(exc.detail, **exc.params))


def _run(action) -> None:
    """Run ``action(session)`` in one transaction: committed when it returns, rolled back
    (and the refusal printed, exit 1) when the rules refuse it."""
    from app.db import make_engine
    from app.errors import DomainError

    engine = make_engine(get_settings().database_url)
    _upgrade(engine)
    try:
        with Session(engine, expire_on_commit=False) as session:
            try:
                action(session)
                session.commit()
            except DomainError as exc:
                session.rollback()
                lines = [_english(exc)]
                from app.i18n import gettext_for

                _ = gettext_for("en")
                lines += [f"  {'.'.join(str(x) for x in e.get('loc', []))}: {_(e['msg'], **e.get('params', {}))}"
                          for e in exc.extra.get("errors", []) if "msg" in e]
                lines += [f"  missing: {', '.join(exc.extra['missing'])}"] if exc.extra.get("missing") else []
                _fail(lines)
    finally:
        engine.dispose()


@cycle_cli.command("phase")
def cycle_phase(cycle_id: int, phase: str,
                as_email: AsWho = None,
                override_reason: Annotated[str | None, typer.Option(help="A coordinator moving on although the "
                                                                         "phase's condition is not met.")] = None):
    """Move the cycle to PHASE (one step), as the API's POST /cycles/{id}/phase would."""
    from benchmark.scales import Phase

    from app.cycles import service as cycles

    if phase not in {p.value for p in Phase}:
        _fail([f"Unknown phase '{phase}': one of {', '.join(p.value for p in Phase)}."])

    def move(session: Session) -> None:
        access, user = _acting(session, cycle_id, as_email)
        cycles.change_phase(session, access.rights, access.cycle, Phase(phase), override_reason=override_reason)
        typer.echo(f"Cycle {cycle_id} is now in its {phase.replace('_', ' ')} phase (moved by {user.email}).")

    _run(move)


@visit_cli.command("programme")
def visit_programme(cycle_id: int,
                    day: Annotated[list[str], typer.Option(help="A day of the visit, YYYY-MM-DD (repeat it).")],
                    start: str = "09:00", end: str = "17:30",
                    lunch: Annotated[str, typer.Option(help="Start of the lunch break, or 'none'.")] = "12:30",
                    lunch_minutes: int = 60,
                    travel: Annotated[int, typer.Option(help="Minutes to move between places.")] = 0,
                    as_email: AsWho = None):
    """Generate the visit programme from the consolidated people to meet, and print it."""
    from pydantic import ValidationError

    from app.visit import programme
    from app.visit.schemas import ProgrammeGenerate

    try:
        data = ProgrammeGenerate(days=day, day_start=start, day_end=end,
                                 lunch_start=None if lunch == "none" else lunch, lunch_minutes=lunch_minutes,
                                 travel_minutes=travel)
    except ValidationError as exc:
        _fail([f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()])

    def generate(session: Session) -> None:
        access, _user = _acting(session, cycle_id, as_email)
        view = programme.generate(session, access.rights, access.cycle, data)
        typer.echo(f"{len(view.interviews)} interviews, times in {view.zone.key}:")
        for i in view.interviews:
            start_at, end_at = view.local(i.starts_at), view.local(i.ends_at)
            peers = ", ".join(view.reviewers[p].full_name for p in i.peers if p in view.reviewers)
            typer.echo(f"  {start_at:%Y-%m-%d %H:%M}–{end_at:%H:%M}  {programme.label_of(i)}  ({peers})")
        for u in view.frame.unscheduled if view.frame else []:
            typer.echo(f"  not fitted: {u['name']} — {programme.UNSCHEDULED_REASONS[u['reason']]}")

    _run(generate)


@visit_cli.command("calendar")
def visit_calendar(cycle_id: int,
                   peer: Annotated[str | None, typer.Option(help="Only this reviewer's interviews (e-mail).")] = None,
                   output: Annotated[Path, typer.Option("-o", help="Folder to write into.")] = Path("reports"),
                   as_email: AsWho = None):
    """Write the programme (or one reviewer's interviews) as an iCalendar file; print its path."""
    from app.auth.service import normalize_email
    from app.visit import calendar, programme

    def write(session: Session) -> None:
        access, _user = _acting(session, cycle_id, as_email)
        view = programme.programme(session, access.rights, access.cycle)
        peer_id = None
        if peer is not None:
            peer_id = next((i for i, u in view.reviewers.items() if u.email == normalize_email(peer)), None)
            if peer_id is None:
                _fail([f"{peer} is not a reviewer of cycle {cycle_id}."])
        output.mkdir(parents=True, exist_ok=True)
        path = output / f"visit-programme-cycle-{cycle_id}{f'-peer-{peer_id}' if peer_id else ''}.ics"
        path.write_bytes(calendar.programme_ics(view, access.cycle, peer_id, "en"))
        typer.echo(str(path))

    _run(write)


@cli.command("report")
def report(cycle_id: int,
           format: Annotated[list[str], typer.Option(  # noqa: A002 (the option's name)
               "--format", help="html, pdf, docx or xlsx (repeat it); default: all four.")] = [],  # noqa: B006
           lang: Annotated[list[str], typer.Option(help="fr or en (repeat it); default: both.")] = [],  # noqa: B006
           version: Annotated[int | None, typer.Option(help="A published version (default: the latest once "
                                                            "published, else the draft as it stands).")] = None,
           output: Annotated[Path, typer.Option("-o", help="Folder to write into.")] = Path("reports"),
           as_email: AsWho = None):
    """Write the final report's files, as the pages and the API serve them (a published
    version as stored, byte for byte; a draft rendered now); print each file's path."""
    import time

    from app.reports import publication
    from app.reports.formats import FORMATS

    formats, langs = format or list(FORMATS), lang or ["fr", "en"]
    unknown = [f for f in formats if f not in FORMATS] + [x for x in langs if x not in ("fr", "en")]
    if unknown:
        _fail([f"Unknown format or language: {', '.join(unknown)} (formats: {', '.join(FORMATS)}; languages: fr, en)."])

    def write(session: Session) -> None:
        access, _user = _acting(session, cycle_id, as_email)
        output.mkdir(parents=True, exist_ok=True)
        total, done = len(formats) * len(langs), 0
        for fmt in formats:
            for code in langs:
                started = time.perf_counter()
                typer.echo(f"[{done + 1}/{total}] {fmt} ({code})…", err=True)
                found = publication.download(session, access.rights, access.cycle, fmt, code, version)
                path = output / found.filename
                path.write_bytes(found.data)
                done += 1
                typer.echo(f"      {len(found.data) / 1024:.0f} KB in {time.perf_counter() - started:.1f} s", err=True)
                typer.echo(str(path))

    _run(write)


@cli.command("open-data")
def open_data_command(
        format: Annotated[list[str], typer.Option(  # noqa: A002 (the option's name)
            "--format", help="csv or xlsx (repeat it); default: both.")] = [],  # noqa: B006
        anonymised: Annotated[bool, typer.Option(help="Cities replaced by codes, cycle ids left out.")] = False,
        lang: Annotated[str, typer.Option(help="The language of the workbook's column sheet: fr or en.")] = "en",
        output: Annotated[Path, typer.Option("-o", help="Folder to write into.")] = Path("reports"),
        as_email: Annotated[str | None, typer.Option("--as", help="Who asks, by e-mail (default: a coordinator).")]
        = None):
    """Write the network's open dataset (published cycles only, one row per cycle ×
    indicator; columns in the README and the workbook's first sheet); print each path."""
    from sqlmodel import select

    from app.auth.service import normalize_email
    from app.comparison import open_data
    from app.people.tables import User

    formats = format or ["csv", "xlsx"]
    if any(f not in ("csv", "xlsx") for f in formats) or lang not in ("fr", "en"):
        _fail([f"Unknown format or language: {', '.join(formats)} {lang} (formats: csv, xlsx; languages: fr, en)."])

    def write(session: Session) -> None:
        query = select(User).where(User.email == normalize_email(as_email)) if as_email else \
            select(User).where(User.is_coordinator, User.is_active).order_by(User.id)  # type: ignore[arg-type]
        user = session.exec(query).first()
        if user is None:
            _fail([f"No account {as_email}." if as_email else "No active coordinator: say who asks with --as EMAIL."])
        output.mkdir(parents=True, exist_ok=True)
        stem = "inti-cities-open-data" + ("-anonymised" if anonymised else "")
        for fmt in formats:
            data = open_data.to_csv(session, user, anonymised) if fmt == "csv" else \
                open_data.to_xlsx(session, user, anonymised, lang)
            path = output / f"{stem}.{fmt}"
            path.write_bytes(data)
            typer.echo(str(path))

    _run(write)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
