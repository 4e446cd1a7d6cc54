"""The files of the published versions: rendered once, after the publication, and stored.

Publishing freezes the content in the request's transaction, which stays short (on SQLite
it holds the database's write lock: rendering the eight files there took 20 seconds and
stopped every other writer meanwhile). The files are then rendered outside any
transaction, one at a time, each stored in its own short transaction as soon as it is
made, so that the page can show how many are ready:

- after the publication's commit, by a background task of the request that published;
- at start-up, for any version still missing some (a worker stopped while rendering), in
  a background thread that stops between two files when the service stops;
- on demand, when someone asks for a file not made yet (the page, the API, the command
  line): it is rendered then and stored like the others.

Whoever stores a file first wins (an insert that ignores a conflict); the others read the
stored file and serve it, so that every answer for a published file is the same bytes. A
published file is never rendered again once stored. Several workers starting together each
finish the unfinished versions, checking before each file whether another stored it
meanwhile: at worst two of them render the same file at the same moment, and one is kept.
"""
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import insert_or_ignore, writing_session
from app.i18n import LANGUAGES
from app.reports.content import ReportContent
from app.reports.formats import FORMATS
from app.reports.tables import ReportFile, ReportVersion
from app.timeutil import utcnow

log = logging.getLogger(__name__)
#: Every published version has one file per format and language.
ALL_FILES = [(fmt, lang) for fmt in FORMATS for lang in LANGUAGES]
TOTAL = len(ALL_FILES)


@dataclass(frozen=True)
class FileProgress:
    version: int
    ready: int
    total: int = TOTAL

    @property
    def complete(self) -> bool:
        return self.ready >= self.total


def render(content: ReportContent, fmt: str, lang: str, progress: Callable[[str, str], None] | None = None) -> bytes:
    if progress:
        progress(fmt, lang)
    return FORMATS[fmt].render(content, lang)


def progress_of(session: Session, cycle_id: int) -> dict[int, FileProgress]:
    """How many files of each published version of a cycle are ready, by version number (one query)."""
    rows = session.exec(
        select(ReportVersion.number, func.count(col(ReportFile.version_id)))
        .join(ReportFile, col(ReportFile.version_id) == ReportVersion.id, isouter=True)
        .where(ReportVersion.cycle_id == cycle_id).group_by(col(ReportVersion.number))).all()
    return {number: FileProgress(number, ready) for number, ready in rows}


def stored_files(session: Session, version_id: int) -> list[ReportFile]:
    """The version's stored files, in the order of ``ALL_FILES``."""
    found = {(f.format, f.lang): f for f in session.exec(select(ReportFile).where(ReportFile.version_id == version_id))}
    return [found[key] for key in ALL_FILES if key in found]


def _store(engine: Engine, version_id: int, fmt: str, lang: str, data: bytes) -> ReportFile:
    """Store a rendered file unless another was stored first; answer the stored one."""
    with writing_session(engine) as session:
        insert_or_ignore(session, ReportFile, version_id=version_id, format=fmt, lang=lang, data=data,
                         sha256=hashlib.sha256(data).hexdigest(), size=len(data), created_at=utcnow())
    with Session(engine, expire_on_commit=False) as session:
        stored = session.get(ReportFile, (version_id, fmt, lang))
        assert stored is not None  # inserted above, or by whoever came first; never deleted
        return stored


def file_of(session: Session, version: ReportVersion, fmt: str, lang: str) -> ReportFile:
    """A published version's file as stored, rendered and stored now if it is not yet."""
    stored = session.get(ReportFile, (version.id, fmt, lang))
    if stored is not None:
        return stored
    data = render(ReportContent.from_json(dict(version.content)), fmt, lang)
    return _store(session.get_bind(), version.id, fmt, lang, data)  # type: ignore[arg-type]


def render_version(engine: Engine, version_id: int, progress: Callable[[str, str], None] | None = None,
                   stop: threading.Event | None = None) -> int:
    """Render and store the version's missing files, one at a time (between two of them,
    ``stop`` ends the work); answer how many were stored."""
    with Session(engine) as session:
        version = session.get(ReportVersion, version_id)
        if version is None:
            return 0
        content = ReportContent.from_json(dict(version.content))
        have = {(f.format, f.lang) for f in stored_files(session, version_id)}
    made = 0
    for fmt, lang in ALL_FILES:
        if (fmt, lang) in have or _is_stored(engine, version_id, fmt, lang):  # by another worker meanwhile
            continue
        if stop is not None and stop.is_set():
            break
        _store(engine, version_id, fmt, lang, render(content, fmt, lang, progress))
        made += 1
    return made


def _is_stored(engine: Engine, version_id: int, fmt: str, lang: str) -> bool:
    with Session(engine) as session:
        return session.exec(select(ReportFile.size).where(
            ReportFile.version_id == version_id, ReportFile.format == fmt, ReportFile.lang == lang)).first() is not None


def unfinished_versions(engine: Engine) -> list[int]:
    """The published versions that miss some of their files (one query)."""
    with Session(engine) as session:
        rows = session.exec(
            select(ReportVersion.id).join(ReportFile, col(ReportFile.version_id) == ReportVersion.id, isouter=True)
            .group_by(col(ReportVersion.id)).having(func.count(col(ReportFile.version_id)) < TOTAL)
            .order_by(col(ReportVersion.id))).all()
    return [version_id for version_id in rows if version_id is not None]


def render_unfinished(engine: Engine, stop: threading.Event | None = None) -> int:
    """Finish every version that misses files; a version that fails is logged and left for
    the next start or a download (it does not stop the others)."""
    made = 0
    for version_id in unfinished_versions(engine):
        if stop is not None and stop.is_set():
            break
        try:
            made += render_version(engine, version_id, stop=stop)
        except Exception:
            log.exception("the files of report version id %s could not be rendered", version_id)
    if made:
        log.info("rendered %s file(s) of published reports left unfinished", made)
    return made


class Finisher:
    """The start-up thread that finishes the versions left with missing files; ``close``
    stops it between two files and waits for it."""

    def __init__(self, engine: Engine) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=render_unfinished, args=(engine, self._stop),
                                        name="report-files", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the work to end (tests, a command that needs the files)."""
        self._thread.join(timeout)

    def close(self, timeout: float = 60) -> None:
        self._stop.set()
        self._thread.join(timeout)
