"""The base of every API input: unknown fields refused, and no control character in any
text (PostgreSQL cannot store NUL, spreadsheets refuse the others; nobody types them)."""
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(value: Any) -> Any:
    if isinstance(value, str) and CONTROL.search(value):
        raise PydanticCustomError("control_characters", "Text may not contain control characters")
    return value


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return check_text(value)
