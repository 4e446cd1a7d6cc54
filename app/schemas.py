"""The base of every API input: unknown fields refused, and no control character in any
text (PostgreSQL cannot store NUL, spreadsheets refuse the others; nobody types them).

Refused in every text, one-line or not (tab, line feed and carriage return stay allowed;
one-line fields refuse line breaks with ``app.errors.ONE_LINE_PATTERN``):

- the C0 controls and DEL, and the C1 controls U+0080–U+009F (invisible, and a few
  terminals act on them);
- the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069.
  They are invisible and make text display in another order than it is stored
  ("Trojan source", CVE-2021-42574): a name, a link title or a description could show
  one thing to a reviewer and hold another. Descriptions refuse them too: they are
  read side by side with other cities' texts and exported to workbooks, where the same
  spoofing works. Right-to-left text needs none of them (Arabic or Hebrew letters carry
  their own direction); the plain marks U+200E, U+200F and U+061C, which reorder
  nothing around them, stay allowed.
"""
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BIDI_CONTROL = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def check_text(value: Any) -> Any:
    if isinstance(value, str):
        if CONTROL.search(value):
            raise PydanticCustomError("control_characters", "Text may not contain control characters")
        if BIDI_CONTROL.search(value):
            raise PydanticCustomError("direction_characters",
                                      "Text may not contain bidirectional override or isolate characters")
    return value


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        return check_text(value)
