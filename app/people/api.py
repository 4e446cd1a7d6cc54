"""Cities and people: the contract's JSON routes."""
from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.auth import permissions
from app.auth.deps import ApiCoordinator, ApiUser
from app.db import SessionDep
from app.errors import NotFound
from app.etag import expected_version, set_etag
from app.i18n import N_
from app.ids import PathId, id_of
from app.people import service
from app.people.schemas import CityCreate, CityPublic, CityUpdate, UserCreate, UserCreated, UserPublic, UserUpdate
from app.settings import SettingsDep

router = APIRouter(tags=["people"])
IfMatch = Annotated[str | None, Header()]


def _city(city) -> CityPublic:
    return CityPublic.model_validate(city, from_attributes=True)


def _user(user) -> UserPublic:
    return UserPublic.model_validate(user, from_attributes=True)


@router.get("/cities", response_model=list[CityPublic])
def list_cities(session: SessionDep, _user: ApiUser):
    return [_city(c) for c in service.list_cities(session)]


@router.post("/cities", status_code=201, response_model=CityPublic)
def create_city(data: CityCreate, session: SessionDep, actor: ApiCoordinator, response: Response):
    city = service.create_city(session, id_of(actor), data)
    set_etag(response, city.version)
    return _city(city)


@router.get("/cities/{city_id}", response_model=CityPublic)
def get_city(city_id: PathId, session: SessionDep, _user: ApiUser, response: Response):
    city = service.get_city(session, city_id)
    set_etag(response, city.version)
    return _city(city)


@router.patch("/cities/{city_id}", response_model=CityPublic)
def update_city(city_id: PathId, data: CityUpdate, session: SessionDep, actor: ApiCoordinator, response: Response,
                if_match: IfMatch = None):
    city = service.update_city(session, id_of(actor), city_id, data, expected_version(if_match))
    set_etag(response, city.version)
    return _city(city)


@router.get("/users", response_model=list[UserPublic])
def list_users(session: SessionDep, _actor: ApiCoordinator):
    return [_user(u) for u in service.list_users(session)]


@router.post("/users", status_code=201, response_model=UserCreated)
def create_user(data: UserCreate, session: SessionDep, actor: ApiCoordinator, response: Response,
                settings: SettingsDep):
    user, invite = service.create_user(session, settings, actor.id, data)
    set_etag(response, user.version)
    return UserCreated(**_user(user).model_dump(), invite_url=f"/welcome/{invite}" if invite else None)


@router.get("/users/{user_id}", response_model=UserPublic)
def get_user(user_id: PathId, session: SessionDep, caller: ApiUser, response: Response):
    if not permissions.can_view_user(caller, user_id):
        raise NotFound(N_("No person %(id)s."), id=user_id)
    user = service.get_user(session, user_id)
    set_etag(response, user.version)
    return _user(user)


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(user_id: PathId, data: UserUpdate, session: SessionDep, actor: ApiCoordinator, response: Response,
                if_match: IfMatch = None):
    user = service.update_user(session, actor, user_id, data, expected_version(if_match))
    set_etag(response, user.version)
    return _user(user)
