"""The engine, the request's session (one transaction per request), and the migrations."""
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from alembic import command
from alembic.config import Config
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Methods that may write: their SQLite transaction takes the write lock as it begins.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Seconds a SQLite statement waits for another writer's lock before "database is locked".
SQLITE_BUSY_SECONDS = 30
#: Seconds to wait for a PostgreSQL server to accept a new connection.
CONNECT_TIMEOUT_SECONDS = 5


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn, _record):
            cur = conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A request's transaction begins explicitly (get_session says how): its reads
            # see one snapshot, and a writer takes the write lock as it begins, because a
            # transaction that began as a reader cannot take it once another writer has
            # committed (SQLite answers "database is locked" at once, whatever the
            # timeout); writers thus wait for each other in turn. Other sessions (the
            # command line, start-up, tests) keep the driver's own mode: BEGIN before the
            # first write.
            mode = conn.get_execution_options().get("sqlite_begin")
            dbapi = conn.connection.dbapi_connection
            if mode is None:
                dbapi.isolation_level = ""
                return
            dbapi.isolation_level = None
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    # A server restart leaves the pool's connections dead: each is tested as it is checked
    # out (pre-ping) and replaced, so the first requests after a restart succeed. An
    # unreachable server is given up on after a few seconds (not the system's minutes of
    # TCP retries), and the request answers 503 (app/errors.py). SQLite needs neither:
    # its connections are files opened in this process, which no restart closes.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema up to date; the only way tables are ever made."""
    command.upgrade(alembic_config(engine), "head")


def get_session(request: Request) -> Iterator[Session]:
    """The request's session: one transaction, committed when the handler has returned
    (before the response is sent, so a failed commit is an error answer, never a lost
    write reported as saved) and rolled back on any exception. Services only flush."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        session.connection(execution_options={
            "sqlite_begin": "IMMEDIATE" if request.method in UNSAFE_METHODS else "DEFERRED"})
        try:
            yield session
            session.commit()
        except BaseException:
            # Detached first, so that the error page can still show who is logged in
            # (a rollback would expire every loaded object). A commit that failed is
            # rolled back here too: the connection must not go back to the pool with
            # its writes pending.
            session.expunge_all()
            session.rollback()
            raise


#: ``scope="function"``: the exit code above runs when the handler returns, before the
#: response goes out (the default runs it after, too late to report a failed commit).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
