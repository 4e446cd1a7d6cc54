"""The engine, the request's session (one transaction per request), and the migrations."""
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, select

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Methods that may write: their SQLite transaction takes the write lock as it begins.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Seconds a SQLite statement waits for another writer's lock before "database is locked".
SQLITE_BUSY_SECONDS = 30
#: Seconds to wait for a PostgreSQL server to accept a new connection.
CONNECT_TIMEOUT_SECONDS = 5


class MigrationRefused(Exception):
    """A migration that cannot run on this database's data as it is: ``lines`` say why and
    what to do (nothing was changed). The command line prints them and stops."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class WriterTimeout(Exception):
    """A writing request waited longer than ``SQLITE_BUSY_SECONDS`` for its turn (answered 503)."""


class WriterQueue:
    """This process's writers to one SQLite database, served one at a time in order of arrival.

    SQLite has one write lock per database. Writers that find it taken are left to its
    busy handler, which polls: it sleeps 1, 2, 5... up to 100 ms between tries, so a
    writer that has waited long sleeps longest, and the last to arrive is often the
    first served. With 40 saves a second on one worker that gave saves waiting two
    seconds while the lock was free most of the time. Here a writer that finds the queue
    busy waits on its own event, and the one finishing hands its turn to the longest
    waiting. Writers of other processes (a second worker, the command line) still meet
    at the database's lock and its busy timeout.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._busy = False
        self._waiting: deque[threading.Event] = deque()

    @contextmanager
    def turn(self, timeout: float) -> Iterator[None]:
        with self._mutex:
            mine = None
            if self._busy:
                mine = threading.Event()
                self._waiting.append(mine)
            else:
                self._busy = True
        if mine is not None and not mine.wait(timeout):
            with self._mutex:
                handed_over = mine.is_set()  # the turn came as the wait ran out
                if not handed_over:
                    self._waiting.remove(mine)
            if not handed_over:
                raise WriterTimeout(f"no turn to write within {timeout} s")
        try:
            yield
        finally:
            with self._mutex:
                if self._waiting:
                    self._waiting.popleft().set()  # the turn passes on; the queue stays busy
                else:
                    self._busy = False


#: The writers' queue of each SQLite engine of this process.
_WRITERS: WeakKeyDictionary[Engine, WriterQueue] = WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS})
        _WRITERS[engine] = WriterQueue()

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


@contextmanager
def writing_session(engine: Engine) -> Iterator[Session]:
    """A short writing transaction outside any request (work done in the background): on
    SQLite it waits for its turn among this process's writers and takes the write lock as
    it begins, like a writing request; committed on success, rolled back on any exception."""
    writers = _WRITERS.get(engine)
    with (writers.turn(SQLITE_BUSY_SECONDS) if writers else nullcontext()), \
            Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def insert_or_ignore(session: Session, model: Any, **values: Any) -> None:
    """Insert a row unless one with the same key exists: of two transactions doing so at
    once, one inserts and the other finds it (no error, no lost row), on both databases."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(getattr(model, "__table__", model)).values(**values).on_conflict_do_nothing())


def get_session(request: Request) -> Iterator[Session]:
    """The request's session: one transaction, committed when the handler has returned
    (before the response is sent, so a failed commit is an error answer, never a lost
    write reported as saved) and rolled back on any exception. Services only flush.
    On SQLite a writing request first waits for its turn among this process's writers."""
    engine = request.app.state.engine
    writes = request.method in UNSAFE_METHODS
    writers = _WRITERS.get(engine) if writes else None
    with (writers.turn(SQLITE_BUSY_SECONDS) if writers else nullcontext()), \
            Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE" if writes else "DEFERRED"})
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


def lock_status_row(session: Session, model: type[SQLModel], exclusive: bool, **keys: object) -> str:
    """Lock the header row of a piece of work that has a status (the initial report, a
    peer's review) and answer its status: the row is created as a draft if missing, then
    read ``FOR SHARE`` by the writes of its entries (which may then run side by side, each
    entry's own write being conditional) or ``FOR UPDATE`` by what changes the status
    (submit, reopen), until commit. A submit and an entry write thus never interleave.
    SQLite has no row locks: there a writing request holds the database's write lock from
    its first statement (see :class:`WriterQueue`)."""
    table = model.__table__  # type: ignore[attr-defined]
    insert_or_ignore(session, table, status="draft", **keys)
    query = select(table.c.status).where(*(table.c[k] == v for k, v in keys.items()))
    status: str = session.execute(query.with_for_update(read=not exclusive)).scalar_one()
    return status


def as_dict(rows: Any) -> dict:
    """The (key, value) rows of a two-column query as a dict (a Result is no mapping: ``dict()``
    of it fails)."""
    return {key: value for key, value in rows}  # noqa: C416
