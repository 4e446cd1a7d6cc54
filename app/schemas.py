"""The base of every API input: unknown fields refused, and no NUL character in any text
(PostgreSQL cannot store one; nobody types one)."""
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Text may not contain the NUL character")
        return value
