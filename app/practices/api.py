"""The good-practice library's JSON routes (growth of the contract): everyone logged in
reads it; coordinators add and edit practices. An edit must name the version it changes
(``If-Match``): 428 without it, 412 when it is stale."""
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from benchmark.practices import Theme

from app.auth.deps import ApiUser
from app.auth.permissions import can_edit_practices, require
from app.db import SessionDep
from app.etag import required_version, set_etag
from app.ids import PathId
from app.people.tables import User
from app.practices import service
from app.practices.schemas import PracticeCreate, PracticePublic, PracticeUpdate
from app.practices.tables import GoodPractice

router = APIRouter(tags=["practices"])
IfMatch = Annotated[str | None, Header()]
#: The longest search kept (a few words).
MAX_QUERY = 200


def _editor(user: ApiUser) -> User:
    """A coordinator, asked before the body is read: a refusal says 403 whatever was sent."""
    require(can_edit_practices(user))
    return user


ApiEditor = Annotated[User, Depends(_editor)]


def _public(practice: GoodPractice) -> PracticePublic:
    return PracticePublic.model_validate(practice, from_attributes=True)


@router.get("/practices", response_model=list[PracticePublic])
def list_practices(session: SessionDep, _user: ApiUser, theme: Theme | None = None,
                   indicator: Annotated[str | None, Query(max_length=20)] = None,
                   q: Annotated[str, Query(max_length=MAX_QUERY)] = ""):
    """The library by theme, city and title; ``theme``, ``indicator`` (a code) and ``q``
    (words in any of its texts, ignoring case and accents) narrow it."""
    practices = service.filter_practices(service.list_practices(session), theme=theme,
                                         indicator=indicator.strip().upper() if indicator else None, query=q)
    return [_public(p) for p in practices]


@router.get("/practices/{practice_id}", response_model=PracticePublic)
def get_practice(practice_id: PathId, session: SessionDep, _user: ApiUser, response: Response):
    practice = service.get_practice(session, practice_id)
    set_etag(response, practice.version)
    return _public(practice)


@router.post("/practices", status_code=201, response_model=PracticePublic)
def create_practice(data: PracticeCreate, session: SessionDep, actor: ApiEditor, response: Response):
    practice = service.create_practice(session, actor, data)
    set_etag(response, practice.version)
    return _public(practice)


@router.patch("/practices/{practice_id}", response_model=PracticePublic)
def update_practice(practice_id: PathId, data: PracticeUpdate, session: SessionDep, actor: ApiEditor,
                    response: Response, if_match: IfMatch = None):
    practice = service.update_practice(session, actor, practice_id, data, required_version(if_match))
    set_etag(response, practice.version)
    return _public(practice)
