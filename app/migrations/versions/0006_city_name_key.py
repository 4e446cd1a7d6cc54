"""city.name_key: city names unique ignoring case, accents and spacing

Revision ID: 0006
Revises: 0005

Existing cities get their key computed here. If two existing cities' names differ only by
case, accents or spacing ("Genève" and "geneve"), this migration refuses before changing
anything, naming them: a coordinator renames one (or a person moves to the other and it is
removed) with the previous version of the service, then the upgrade runs again. Merging
them here would mean choosing which city's people and cycles to move, which is not a
migration's decision; renaming one silently would hide the duplicate.

SQLite adds a NOT NULL column only with a default: the column is added with the default
``''`` on both databases and filled; PostgreSQL then drops the default. SQLite keeps it,
since removing it means rebuilding the ``city`` table, which the foreign keys of people and
cycles forbid while they point at it. The service always writes the key (``app/people/tables.py``).
"""
import unicodedata

import sqlalchemy as sa
import sqlmodel
from alembic import op

from app.db import MigrationRefused

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KEY_LENGTH = 400


def _key(name: str) -> str:
    # app.people.names.name_key as it was when this migration was written (frozen here,
    # so that a later change there cannot change what this migration does).
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", name).casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())[:KEY_LENGTH]


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM city ORDER BY id")).all()
    by_key: dict[str, list[tuple[int, str]]] = {}
    for city_id, name in rows:
        by_key.setdefault(_key(name), []).append((city_id, name))
    clashes = [same for same in by_key.values() if len(same) > 1]
    if clashes:
        raise MigrationRefused(
            ["Cities whose names differ only by case, accents or spacing (they must differ now):"]
            + ["  " + ", ".join(f'"{name}" (id {city_id})' for city_id, name in same) for same in clashes]
            + ["Rename one city of each group with the previous version of the service (the Cities page, "
               "or PATCH /api/v1/cities/{id}), then start again."])
    op.add_column("city", sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=KEY_LENGTH),
                                    nullable=False, server_default=""))
    for city_id, name in rows:
        conn.execute(sa.text("UPDATE city SET name_key = :key WHERE id = :id"), {"key": _key(name), "id": city_id})
    op.create_index("uq_city_name_key", "city", ["name_key"], unique=True)
    if conn.dialect.name != "sqlite":
        op.alter_column("city", "name_key", server_default=None)


def downgrade() -> None:
    op.drop_index("uq_city_name_key", table_name="city")
    op.drop_column("city", "name_key")
