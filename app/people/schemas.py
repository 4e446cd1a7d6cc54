"""The API's shapes for cities and people; the tables are never returned as such."""
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from app.errors import ONE_LINE_PATTERN
from app.ids import BodyId
from app.omittable import Omittable
from app.people.names import tidy
from app.schemas import Input

#: One line: a name is shown and edited in one-line fields, which would drop a line break.
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200,
                                        pattern=ONE_LINE_PATTERN)]
#: A city's name is stored tidied: "  Nova   Gorica " is "Nova Gorica".
CityName = Annotated[Name, AfterValidator(tidy)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=320,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
MIN_PASSWORD = 10
Password = Annotated[str, StringConstraints(min_length=MIN_PASSWORD, max_length=200)]
Language = Annotated[str, StringConstraints(pattern=r"^(fr|en)$")]


class CityCreate(Input):
    name: CityName
    country: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


# In updates, a field left out keeps its value; ``null`` is refused where the field
# cannot be empty (the default None is not validated, an explicit null is).
class CityUpdate(Input):
    name: Omittable[CityName] = None
    country: Omittable[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]] = None


class CityPublic(BaseModel):
    id: int
    name: str
    country: str
    version: int


class UserCreate(Input):
    email: Email
    full_name: Name
    #: Without a password the answer carries a one-time link for the person to set one.
    password: Password | None = None
    city_id: BodyId | None = Field(description="The person's city; only a coordinator may have none.")
    is_coordinator: bool = False
    language: Language | None = None


class UserUpdate(Input):
    full_name: Omittable[Name] = None
    city_id: BodyId | None = None
    is_active: Omittable[bool] = None
    language: Language | None = None


class UserPublic(BaseModel):
    id: int
    email: str
    full_name: str
    city_id: int | None
    is_coordinator: bool
    is_active: bool
    language: str | None
    version: int


class UserCreated(UserPublic):
    #: Path of the one-time page where the person sets a password (when none was given).
    invite_url: str | None = None
