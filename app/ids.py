"""Record ids as they may arrive in paths and bodies: positive and within the database's
integer range (PostgreSQL's INTEGER is 32-bit), so that a huge number is a 422, not a crash;
and the id of a stored row, typed as the integer it is."""
from typing import Annotated, Protocol

from fastapi import Path
from pydantic import Field

MAX_ID = 2**31 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]


class _Row(Protocol):
    @property
    def id(self) -> int | None: ...


def id_of(row: _Row) -> int:
    """The id of a row read from the database or flushed to it. A table's ``id`` is typed
    ``int | None`` because it is ``None`` only on a new row before its first flush."""
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no id: it was never flushed")
    return row.id
