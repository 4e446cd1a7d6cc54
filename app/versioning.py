"""Rows with a version: every ORM UPDATE of one is conditional.

The mixin makes ``version`` SQLAlchemy's version counter: an UPDATE says
``WHERE id = … AND version = <the version read>`` and sets the next one, so of two
requests that read the same version only the first to write succeeds; the other's
UPDATE matches no row and raises ``StaleDataError``, answered 412 (``app/errors.py``).
An ``If-Match`` header is checked against the version read (``app/etag.py``); this
closes the gap between that read and the write, on SQLite and PostgreSQL alike.
"""
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Table
from sqlalchemy.orm import declared_attr


class Versioned:
    if TYPE_CHECKING:  # mixed into table models only, which SQLModel gives a __table__ it does not declare
        __table__: ClassVar[Table]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 (a declared attribute gets the class)
        return {"version_id_col": cls.__table__.c.version}


def bump_version(row: Any) -> None:
    """Make the next flush write ``row`` (and so check and advance its version) even when
    none of its own columns changed: a cycle's deadlines or team are a change of the cycle."""
    from sqlalchemy.orm.attributes import flag_modified

    column = next(c.key for c in row.__table__.columns if not c.primary_key and c.key != "version")
    flag_modified(row, column)


def write_conditionally(session: Any, model: Any, created: list[dict[str, Any]], updated: list[dict[str, Any]],
                        stale_message: str) -> None:
    """Write many rows of ``model``'s table in the caller's transaction, in one statement per
    kind of write however many there are: ``created`` rows inserted, ``updated`` rows (each
    with ``b_id`` and ``b_version``, the id and version as read, beside the new values)
    updated only where their version is still the one read, and advanced. 412 with
    ``stale_message`` (a message id) if any of them changed or was created meanwhile (the
    caller's transaction is then rolled back at the request's edge: nothing is written)."""
    from sqlalchemy import bindparam, insert, update
    from sqlalchemy.exc import IntegrityError

    from app.errors import PreconditionFailed

    table = model.__table__
    connection = session.connection()
    if updated:
        done = connection.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
            .values(version=bindparam("b_version") + 1,
                    **{k: bindparam(k) for k in updated[0] if not k.startswith("b_")}),
            updated,
        )
        if done.rowcount != len(updated):
            raise PreconditionFailed(stale_message)
    if created:
        try:
            connection.execute(insert(table), created)
        except IntegrityError:  # someone created one of them in the meantime
            raise PreconditionFailed(stale_message) from None
