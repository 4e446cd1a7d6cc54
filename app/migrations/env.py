"""Alembic environment: the engine comes from the caller (app.db.upgrade) or INTI_DATABASE_URL."""
from alembic import context
from sqlmodel import SQLModel

import app.tables  # noqa: F401  (registers every table on the metadata)
from app.db import make_engine
from app.settings import get_settings

config = context.config
engine = config.attributes.get("engine") or make_engine(get_settings().database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
