"""Cookies as this service sets them: ``Path=/``, ``SameSite``, ``HttpOnly`` unless told, ``Secure``
over HTTPS (or as ``INTI_COOKIE_SECURE`` says)."""
from app.settings import Settings


def cookie_header(name: str, value: str, *, secure: bool, max_age: int | None = None,
                  http_only: bool = True, same_site: str = "Lax") -> bytes:
    parts = [f"{name}={value}", "Path=/", f"SameSite={same_site}"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def cookie_secure(scheme: str, settings: Settings) -> bool:
    """Whether cookies get ``Secure``: ``INTI_COOKIE_SECURE``, else over HTTPS only.
    ``settings``: the app's (``app.state.settings``)."""
    setting = settings.cookie_secure
    return scheme == "https" if setting is None else setting
