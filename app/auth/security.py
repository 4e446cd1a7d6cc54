"""Password hashing (argon2) and random tokens stored only as digests."""
import hashlib
import hmac
import secrets

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()  # argon2id
# Verified when the e-mail is unknown, so that a wrong e-mail costs the same time
# as a wrong password and the response time does not tell which was wrong.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(secret_key: str, cookie_value: str, session_token: str = "") -> str:
    """The form token that matches a browser's CSRF cookie and its session (double-submit,
    keyed): a token shown to one session is refused in another, even with the same CSRF
    cookie. ``session_token`` is the session cookie's value, empty when logged out."""
    message = f"{cookie_value}\x00{session_token}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()
