"""The ``inti-cities`` command: serve, create-coordinator, indicators check."""
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlmodel import Session

from benchmark.indicators import IndicatorSetError, load_indicator_set

from app.settings import get_settings

cli = typer.Typer(no_args_is_help=True, add_completion=False, help="INTI-CITIES peer review.")
indicators = typer.Typer(no_args_is_help=True, help="The indicator set (benchmark).")
cli.add_typer(indicators, name="indicators")


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
        load_indicator_set(settings.indicators_path)
    except IndicatorSetError as exc:
        _fail([str(p) for p in exc.problems] + ["The service did not start: mend the indicator set first."])
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


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
