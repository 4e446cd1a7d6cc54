"""Versions as ETags, and If-Match against lost updates."""
from fastapi import Response

from app.errors import PreconditionFailed
from app.i18n import N_


def etag(version: int) -> str:
    return f'"{version}"'


STALE = N_("Someone else changed this record meanwhile (now version %(version)s): reload it and make your change again.")


def check_if_match(if_match: str | None, version: int) -> None:
    """Refuse (412) a write whose If-Match names another version; no header, no check."""
    if if_match is None or if_match.strip() == "*":
        return
    wanted = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
    if str(version) not in wanted:
        raise PreconditionFailed(STALE, version=version)


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)
