"""Settings from the environment (``INTI_*``), in one object."""
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTI_", extra="ignore")

    database_url: str = "sqlite:///./inti-cities.db"
    #: Signs nothing persistent (tokens are random and stored hashed), but keys the
    #: CSRF tokens: set it, or every restart invalidates the open forms.
    secret_key: str = "change-me-in-production"
    indicators_path: Path = ROOT / "indicators.yaml"
    reviews_path: Path = ROOT / "reviews"
    reports_path: Path = ROOT / "reports"
    #: ``None``: the session cookie is Secure when the request came over HTTPS.
    cookie_secure: bool | None = None
    session_hours: int = 12
    api_token_hours: int = 12
    invite_days: int = 7
    #: Failed logins for one e-mail within ``login_window_minutes`` before it is locked out.
    login_max_failures: int = 5
    login_window_minutes: int = 15
    default_language: str = "en"
    #: The language the demo's initial report is loaded in (the file holds both).
    demo_language: str = "fr"


@lru_cache
def get_settings() -> Settings:
    return Settings()


def app_settings(request: Request) -> Settings:
    """The settings the app was created with (``create_app(settings=...)``): the only ones
    request handlers read, so that a test or a second app in one process gets its own."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
