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
