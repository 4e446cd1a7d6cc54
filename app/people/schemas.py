"""The API's shapes for cities and people; the tables are never returned as such."""
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=320,
                                         pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
MIN_PASSWORD = 10
Password = Annotated[str, StringConstraints(min_length=MIN_PASSWORD, max_length=200)]
Language = Annotated[str, StringConstraints(pattern=r"^(fr|en)$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CityCreate(_In):
    name: Name
    country: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class CityUpdate(_In):
    name: Name | None = None
    country: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None


class CityPublic(BaseModel):
    id: int
    name: str
    country: str
    version: int


class UserCreate(_In):
    email: Email
    full_name: Name
    #: Without a password the answer carries a one-time link for the person to set one.
    password: Password | None = None
    city_id: int | None = Field(description="The person's city; only a coordinator may have none.")
    is_coordinator: bool = False
    language: Language | None = None


class UserUpdate(_In):
    full_name: Name | None = None
    city_id: int | None = None
    is_active: bool | None = None
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
