"""The service's secret key when ``INTI_SECRET_KEY`` is not set: generated once, kept in
the database, so that every worker and every restart uses the same one.

There is no built-in default key: a default would be public (it is in the source), and
anyone knowing it could mint valid CSRF tokens.
"""
import logging
import secrets
from datetime import datetime

from sqlalchemy import Column, DateTime
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel

from app.settings import Settings
from app.timeutil import utcnow

#: uvicorn's own log (``inti-cities serve`` runs under uvicorn), beside its start-up lines.
log = logging.getLogger("uvicorn.error")

#: The row of :class:`ServiceSecret` holding the key of the CSRF tokens.
SECRET_KEY = "secret_key"


class ServiceSecret(SQLModel, table=True):
    """A secret the service made for itself, by name; written once, never changed."""

    __tablename__ = "service_secret"

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


def stored_secret_key(engine: Engine) -> tuple[str, bool]:
    """The key kept in the database, made now if there is none yet: (key, made now).

    Workers starting together may both try to make it: the primary key lets one insert
    win, and the others read the winner's.
    """
    with Session(engine) as session:
        row = session.get(ServiceSecret, SECRET_KEY)
        if row is not None:
            return row.value, False
        key = secrets.token_urlsafe(48)
        session.add(ServiceSecret(name=SECRET_KEY, value=key))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return session.get_one(ServiceSecret, SECRET_KEY).value, False  # the winner's
        return key, True


def with_secret_key(settings: Settings, engine: Engine) -> Settings:
    """``settings`` with a secret key: its own (``INTI_SECRET_KEY``), else the stored one.
    Says in the log, once at start-up, which it is when it comes from the database."""
    if settings.secret_key:
        return settings
    key, made = stored_secret_key(engine)
    if made:
        log.warning("INTI_SECRET_KEY is not set: generated a random secret key and stored it in the database "
                    "(table service_secret); every worker and restart will use it.")
    else:
        log.info("INTI_SECRET_KEY is not set: using the secret key stored in the database (table service_secret).")
    return settings.model_copy(update={"secret_key": key})
