"""Recording writes. Called inside the caller's transaction, so the entry and the
change it describes are committed together or not at all."""
from typing import Any, overload

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from app.audit.tables import AuditEntry
from app.timeutil import utcnow

_SECRET_FIELDS = {"password_hash"}


@overload
def snapshot(row: SQLModel) -> dict[str, Any]: ...
@overload
def snapshot(row: None) -> None: ...
@overload
def snapshot(row: SQLModel | None) -> dict[str, Any] | None: ...
def snapshot(row: SQLModel | None) -> dict[str, Any] | None:
    """A row as JSON-able data, secrets left out."""
    if row is None:
        return None
    return row.model_dump(mode="json", exclude=_SECRET_FIELDS)


def record(session: Session, actor_id: int | None, action: str, entity: str, entity_id: Any,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    session.add(AuditEntry(actor_id=actor_id, action=action, entity=entity, entity_id=str(entity_id),
                           before=before, after=after))


def record_many(session: Session, actor_id: int | None,
                action_rows: list[tuple[str, str, Any, dict | None, dict | None]]) -> None:
    """Several entries ``(action, entity, entity_id, before, after)`` in one statement."""
    if not action_rows:
        return
    now = utcnow()
    table = SQLModel.metadata.tables["audit_log"]  # AuditEntry's, as a Core table
    session.connection().execute(insert(table), [
        {"at": now, "actor_id": actor_id, "action": action, "entity": entity, "entity_id": str(entity_id),
         "before": before, "after": after}
        for action, entity, entity_id, before, after in action_rows
    ])
