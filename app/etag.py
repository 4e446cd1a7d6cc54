"""Versions as ETags, and If-Match against lost updates.

Routes turn the ``If-Match`` header into the version the client expects
(:func:`expected_version`); services compare it with the version they read
(:func:`check_version`), and the write itself is conditional on that version
(``app/versioning.py``, or the explicit conditional UPDATEs of the report entries).
"""
from fastapi import Response

from app.errors import STALE_RECORD, PreconditionFailed, PreconditionRequired
from app.i18n import N_

#: An If-Match that can match no version (not a number): it fails as any other stale one.
NO_VERSION = -1


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header names: ``None`` for no header or ``*`` (no
    check), :data:`NO_VERSION` for a tag that is no version of ours."""
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isascii() and tag.isdigit() and len(tag) < 10 else NO_VERSION


def required_version(if_match: str | None) -> int | None:
    """As :func:`expected_version`, for a write that must say which version it changes:
    without ``If-Match`` it is refused (428), so that no client overwrites by accident."""
    if if_match is None:
        raise PreconditionRequired(N_("Send the If-Match header with the version you read (its ETag)."))
    return expected_version(if_match)


def check_version(expected: int | None, version: int) -> None:
    """Refuse (412) a write that expected another version than the one read; ``None``: no check."""
    if expected is not None and expected != version:
        raise PreconditionFailed(STALE_RECORD)


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)
