"""Cities and people: the rules and transactions."""
from collections.abc import Collection, Mapping, Sequence
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from benchmark.text import folded

from app.audit.service import record, snapshot
from app.auth.permissions import can_deactivate, can_issue_link, require
from app.auth.security import hash_password
from app.auth.service import INVITE, issue_token, normalize_email, set_password, user_for_token
from app.auth.tables import AuthToken
from app.cycles.service import role_conflicts
from app.errors import Conflict, NotFound, field_error
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.people.names import name_key
from app.people.schemas import MIN_PASSWORD, CityCreate, CityUpdate, UserCreate, UserUpdate
from app.people.tables import City, User
from app.settings import Settings
from app.timeutil import utcnow
from app.versioning import bump_version


def list_cities(session: Session) -> list[City]:
    return list(session.exec(select(City).order_by(City.name)))


def get_city(session: Session, city_id: int) -> City:
    city = session.get(City, city_id)
    if city is None:
        raise NotFound(N_("No city %(id)s."), id=city_id)
    return city


CITY_NAME_TAKEN = N_("A city named %(name)s already exists.")


def _city_name_free(session: Session, name: str, except_id: int | None = None) -> None:
    """409 if another city has this name, ignoring case, accents and spacing (the message
    names the city that exists, as it is written)."""
    other = session.exec(select(City).where(City.name_key == name_key(name))).first()
    if other is not None and other.id != except_id:
        raise Conflict(CITY_NAME_TAKEN, name=other.name)


def _flush_city(session: Session, name: str) -> None:
    """Write the city; the database's unique key refuses a name that another request gave
    a city since ``_city_name_free`` looked (409, as that check would have said)."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(CITY_NAME_TAKEN, name=name) from None


def create_city(session: Session, actor_id: int, data: CityCreate) -> City:
    _city_name_free(session, data.name)
    city = City(name=data.name, country=data.country)
    session.add(city)
    _flush_city(session, data.name)
    record(session, actor_id, "create", "city", city.id, None, snapshot(city))
    session.flush()
    return city


def update_city(session: Session, actor_id: int, city_id: int, data: CityUpdate,
                expected_version: int | None) -> City:
    city = get_city(session, city_id)
    check_version(expected_version, city.version)
    before = snapshot(city)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        _city_name_free(session, changes["name"], city.id)
    for key, value in changes.items():
        setattr(city, key, value)
    bump_version(city)
    session.add(city)
    _flush_city(session, city.name)
    record(session, actor_id, "update", "city", city.id, before, snapshot(city))
    session.flush()
    return city


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.full_name)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No person %(id)s."), id=user_id)
    return user


def _check_city(session: Session, city_id: int | None, is_coordinator: bool) -> None:
    if city_id is None:
        if not is_coordinator:
            raise field_error(["city_id"], N_("A city is required for anyone but a coordinator."))
        return
    if session.get(City, city_id) is None:
        raise field_error(["city_id"], N_("No city %(id)s."), id=city_id)


def create_user(session: Session, settings: Settings, actor_id: int | None,
                data: UserCreate) -> tuple[User, str | None]:
    """The new account, and a one-time invitation token when no password was given."""
    email = normalize_email(data.email)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise Conflict(N_("An account with the e-mail %(email)s already exists."), email=email)
    _check_city(session, data.city_id, data.is_coordinator)
    user = User(email=email, full_name=data.full_name, city_id=data.city_id,
                is_coordinator=data.is_coordinator, language=data.language,
                password_hash=hash_password(data.password) if data.password else None)
    session.add(user)
    session.flush()
    record(session, actor_id, "create", "user", user.id, None, snapshot(user))
    session.flush()
    invite = None
    if data.password is None:
        invite = issue_token(session, user, INVITE, timedelta(days=settings.invite_days))
    return user, invite


def search_users(users: Sequence[User], cities: Mapping[int, City], query: str) -> list[User]:
    """The people whose name, e-mail or city holds every word of ``query``, ignoring case,
    accents and spacing ("velmar amina" finds Amina Benali of Velmar); all for no words."""
    words = folded(query).split()

    def text(user: User) -> str:
        city = cities.get(user.city_id) if user.city_id is not None else None
        return folded(f"{user.full_name} {user.email} {city.name if city else ''}")

    return [u for u in users if all(word in text(u) for word in words)]


def pending_links(session: Session, user_ids: Collection[int] | None = None) -> set[int]:
    """Who of ``user_ids`` (default: everyone) has a one-time link that still works."""
    query = select(AuthToken.user_id).where(AuthToken.kind == INVITE, col(AuthToken.expires_at) > utcnow())
    if user_ids is not None:
        query = query.where(col(AuthToken.user_id).in_(list(user_ids)))
    return set(session.exec(query))


def new_invitation(session: Session, settings: Settings, actor: User, user_id: int) -> str:
    """A fresh one-time link for an existing person (lost link, forgotten password); the
    previous one stops working. Not for oneself, nor for a deactivated account (409)."""
    user = get_user(session, user_id)
    require(can_issue_link(actor, user))
    session.execute(delete(AuthToken).where(col(AuthToken.user_id) == user.id, col(AuthToken.kind) == INVITE))
    record(session, actor.id, "invite", "user", user.id, None, None)
    return issue_token(session, user, INVITE, timedelta(days=settings.invite_days))


def update_user(session: Session, actor: User, user_id: int, data: UserUpdate,
                expected_version: int | None) -> User:
    """Name, city, language, and whether the account is active: deactivating someone ends
    their sessions and links, for good; nobody deactivates their own account (409)."""
    user = get_user(session, user_id)
    check_version(expected_version, user.version)
    before = snapshot(user)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("is_active") is False:
        require(can_deactivate(actor, user))
    if "city_id" in changes and changes["city_id"] != user.city_id:
        _check_city(session, changes["city_id"], user.is_coordinator)
        conflicts = role_conflicts(session, id_of(user), changes["city_id"])
        if conflicts:
            raise Conflict(N_("%(name)s cannot change city while in review cycle \"%(cycle)s\": "
                              "change the team first."),
                           name=user.full_name, cycle=conflicts[0])
    if changes.get("is_active") is False:
        # Ended, not suspended: reactivating the account must not revive them.
        session.execute(delete(AuthToken).where(col(AuthToken.user_id) == user.id))
    for key, value in changes.items():
        setattr(user, key, value)
    bump_version(user)
    session.add(user)
    record(session, actor.id, "update", "user", user.id, before, snapshot(user))
    session.flush()
    return user


def accept_invitation(session: Session, token: str, password: str, password_again: str) -> User:
    """Set the password of the invited person; the link works once."""
    user = user_for_token(session, token, INVITE)
    if user is None:
        raise NotFound(N_("This link is not valid any more: ask your coordinator for a new one."))
    if len(password) < MIN_PASSWORD:
        raise field_error(["password"], N_("Choose a password of at least %(n)s characters."), n=MIN_PASSWORD)
    if password != password_again:
        raise field_error(["password_again"], N_("The two passwords differ."))
    record(session, user.id, "set_password", "user", user.id, None, None)
    set_password(session, user, password)
    return user


def set_language(session: Session, user: User, lang: str) -> None:
    before = snapshot(user)
    user.language = lang
    session.add(user)
    record(session, user.id, "update", "user", user.id, before, snapshot(user))
    session.flush()


def ensure_coordinator(session: Session, email: str, password: str, full_name: str | None) -> tuple[User, bool]:
    """Create a coordinator, or reset that account's password; (user, created)."""
    email = normalize_email(email)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, full_name=full_name or email.split("@")[0], is_coordinator=True,
                    password_hash=hash_password(password))
        session.add(user)
        session.flush()
        record(session, None, "create", "user", user.id, None, snapshot(user))
        session.flush()
        return user, True
    before = snapshot(user)
    user.is_coordinator = True
    if full_name:
        user.full_name = full_name
    record(session, None, "reset_password", "user", user.id, before, snapshot(user))
    set_password(session, user, password)
    return user, False
