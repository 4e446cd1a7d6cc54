"""Record ids as they may arrive in paths and bodies: positive and within the database's
integer range (PostgreSQL's INTEGER is 32-bit), so that a huge number is a 422, not a crash."""
from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**31 - 1
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
