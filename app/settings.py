"""Settings from the environment (``INTI_*``), in one object."""
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
#: The built-in default of earlier versions, published in their README: never a key.
KNOWN_DEFAULTS = frozenset({"change-me-in-production"})
SECRET_MIN_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTI_", extra="ignore")

    database_url: str = "sqlite:///./inti-cities.db"
    #: Signs nothing persistent (tokens are random and stored hashed), but keys the
    #: CSRF tokens. ``None``: the app uses the random key it generated at its first start
    #: and keeps in the database (``app/secret_key.py``), shared by every worker.
    secret_key: str | None = None
    indicators_path: Path = ROOT / "indicators.yaml"
    #: The good-practice library, loaded at start-up after the indicator set it cites.
    practices_path: Path = ROOT / "good_practices.yaml"
    reviews_path: Path = ROOT / "reviews"
    #: ``None``: the session cookie is Secure when the request came over HTTPS.
    cookie_secure: bool | None = None
    #: Origins (``https://host[:port]``) whose forms are accepted besides the request's own
    #: host: for a proxy that does not pass the browser's ``Host`` header on. JSON list.
    trusted_origins: list[str] = []
    session_hours: int = 12
    api_token_hours: int = 12
    invite_days: int = 7
    #: Failed logins for one e-mail within ``login_window_minutes`` before it is locked out.
    login_max_failures: int = 5
    login_window_minutes: int = 15
    default_language: str = "en"
    #: The language the demo's texts (initial reports, reviews, cycle titles) are loaded in: fr or en
    #: (its files hold both).
    demo_language: str = "fr"

    @field_validator("secret_key")
    @classmethod
    def _no_weak_secret(cls, value: str | None) -> str | None:
        """Unset (or empty) means "use the stored one"; a value that is set must be worth it."""
        if not value:
            return None
        if value in KNOWN_DEFAULTS or len(value) < SECRET_MIN_LENGTH:
            raise ValueError(f"INTI_SECRET_KEY must be a random value of at least {SECRET_MIN_LENGTH} characters "
                             "(or leave it unset: a random key is then generated and kept in the database)")
        return value


    @field_validator("trusted_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
                raise ValueError(f"INTI_TRUSTED_ORIGINS: {origin!r} is not an origin such as https://example.org")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()


def app_settings(request: Request) -> Settings:
    """The settings the app was created with (``create_app(settings=...)``): the only ones
    request handlers read, so that a test or a second app in one process gets its own."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]
