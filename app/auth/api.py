"""OAuth2 password flow for the API, and who I am."""
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from app.auth.deps import ApiUser
from app.auth.service import API, authenticate, issue_token
from app.db import SessionDep
from app.people.schemas import UserPublic
from app.settings import SettingsDep

router = APIRouter(tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/token", response_model=Token)
def login_for_token(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, request: Request,
                    settings: SettingsDep):
    user = authenticate(session, settings, form.username, form.password, client_of(request))
    lifetime = timedelta(hours=settings.api_token_hours)
    return Token(access_token=issue_token(session, user, API, lifetime), expires_in=int(lifetime.total_seconds()))


@router.get("/me", response_model=UserPublic)
def me(user: ApiUser):
    return UserPublic.model_validate(user, from_attributes=True)
