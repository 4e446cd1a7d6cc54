"""Recording writes. Called inside the caller's transaction, so the entry and the
change it describes are committed together or not at all."""
from typing import Any

from sqlmodel import Session, SQLModel

from app.audit.tables import AuditEntry

_SECRET_FIELDS = {"password_hash"}


def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    """A row as JSON-able data, secrets left out."""
    if row is None:
        return None
    return row.model_dump(mode="json", exclude=_SECRET_FIELDS)


def record(session: Session, actor_id: int | None, action: str, entity: str, entity_id: Any,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    session.add(AuditEntry(actor_id=actor_id, action=action, entity=entity, entity_id=str(entity_id),
                           before=before, after=after))
