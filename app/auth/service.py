"""Logging in, throttling, tokens and sessions: the rules, with no Request in sight."""
from datetime import timedelta

from sqlalchemy import bindparam, delete, func
from sqlmodel import Session, col, select

from app.auth.security import digest, hash_password, new_token, verify_password
from app.auth.tables import AuthToken, LoginAttempt
from app.errors import TooManyRequests, Unauthorized
from app.i18n import N_
from app.ids import id_of
from app.people.tables import User
from app.settings import Settings
from app.timeutil import as_utc, utcnow

API, WEB, INVITE = "api", "web", "invite"
BAD_CREDENTIALS = N_("Wrong e-mail or password.")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _recent_failures(session: Session, email: str, settings: Settings):
    """Failures since the last success, within the window: (count, oldest)."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    last_success = session.exec(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.email == email, col(LoginAttempt.succeeded))
    ).one()
    if last_success is not None and as_utc(last_success) > since:
        since = as_utc(last_success)
    count, oldest = session.exec(
        select(func.count(), func.min(LoginAttempt.at)).where(
            LoginAttempt.email == email, ~col(LoginAttempt.succeeded), LoginAttempt.at > since
        )
    ).one()
    return count, oldest


def authenticate(session: Session, settings: Settings, email: str, password: str, client: str) -> User:
    """The user with these credentials; 401 without saying which was wrong; 429 when locked out.

    Attempts are counted in the database, per e-mail, so every service process sees the
    same count. Each attempt is recorded (as a failure) *before* it is counted and the
    password checked, so that concurrent guesses see each other: at most
    ``login_max_failures`` passwords are ever checked in a window. While locked out even
    the right password is refused, and refused attempts are not kept (they would prolong
    the lock-out forever while someone keeps trying).
    """
    email = normalize_email(email)
    if "\x00" in email or "\x00" in password or len(email) > 320:  # no account can match
        raise Unauthorized(BAD_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
    attempt = LoginAttempt(email=email, client=client[:64], succeeded=False)
    session.add(attempt)
    session.commit()
    failures, oldest = _recent_failures(session, email, settings)
    if failures > settings.login_max_failures:
        session.delete(attempt)
        session.commit()
        retry = as_utc(oldest) + timedelta(minutes=settings.login_window_minutes) - utcnow()
        minutes = max(1, int(retry.total_seconds() // 60) + 1)
        raise TooManyRequests(
            N_("Too many failed logins for this account: try again in %(minutes)s minutes."),
            minutes=minutes, headers={"Retry-After": str(minutes * 60)},
        )
    user = session.exec(select(User).where(User.email == email)).first()
    # Verified even for an unknown e-mail, so that the response time does not tell which was wrong.
    verified = verify_password(password, user.password_hash if user else None)
    if user is None or not (verified and user.is_active):
        raise Unauthorized(BAD_CREDENTIALS, headers={"WWW-Authenticate": "Bearer"})
    attempt.succeeded = True
    session.add(attempt)
    session.execute(delete(AuthToken).where(col(AuthToken.expires_at) < utcnow()))
    session.commit()
    return user


def issue_token(session: Session, user: User, kind: str, lifetime: timedelta) -> str:
    """A new random token for ``user``; only its digest is kept."""
    raw = new_token()
    session.add(AuthToken(token_hash=digest(raw), user_id=id_of(user), kind=kind, expires_at=utcnow() + lifetime))
    session.flush()
    return raw


# Built once: this runs on every authenticated request.
_TOKEN_QUERY = (
    select(User, AuthToken.expires_at)
    .join(AuthToken, col(AuthToken.user_id) == User.id)
    .where(AuthToken.token_hash == bindparam("token_hash"), AuthToken.kind == bindparam("kind"))
)


def user_for_token(session: Session, raw: str | None, kind: str) -> User | None:
    """The active user a valid, unexpired token of ``kind`` belongs to, in one query."""
    if not raw:
        return None
    row = session.exec(_TOKEN_QUERY, params={"token_hash": digest(raw), "kind": kind}).first()
    if row is None:
        return None
    user, expires_at = row
    if as_utc(expires_at) <= utcnow() or not user.is_active:
        return None
    return user


def revoke_token(session: Session, raw: str) -> None:
    session.execute(delete(AuthToken).where(col(AuthToken.token_hash) == digest(raw)))
    session.flush()


def set_password(session: Session, user: User, password: str) -> None:
    """New password; every session and token of the user ends with it."""
    user.password_hash = hash_password(password)
    session.add(user)
    session.execute(delete(AuthToken).where(col(AuthToken.user_id) == user.id))
    session.flush()
