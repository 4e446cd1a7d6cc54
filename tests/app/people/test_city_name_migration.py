"""Migration 0006 gives existing cities their name key, and refuses, changing nothing, a
database where two cities' names differ only by case, accents or spacing."""
import uuid

import pytest
from alembic import command
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from app.cli import cli
from app.db import MigrationRefused, alembic_config, make_engine
from app.settings import get_settings


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of its own (the shared test databases are migrated already)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"inti_migration_{uuid.uuid4().hex[:8]}"
    admin = make_engine(f"{server}/postgres")
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{server}/{name}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def at_0005_with_cities(url, *names):
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "0005")
    with engine.begin() as conn:
        for name in names:
            conn.execute(text("INSERT INTO city (name, country, version, created_at) "
                              "VALUES (:name, 'X', 1, CURRENT_TIMESTAMP)"), {"name": name})
    return engine


def revision_and_columns(engine):
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return revision, {c["name"] for c in inspect(engine).get_columns("city")}


def test_existing_cities_get_their_key_and_the_key_is_unique(database_url):
    engine = at_0005_with_cities(database_url, "Genève", "  Nova  Gorica ", "Lunaria")
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT name, name_key FROM city")).all())
    assert keys == {"Genève": "geneve", "  Nova  Gorica ": "nova gorica", "Lunaria": "lunaria"}
    with pytest.raises(Exception, match="(?i)unique"), engine.begin() as conn:
        conn.execute(text("INSERT INTO city (name, name_key, country, version, created_at) "
                          "VALUES ('GENEVE', 'geneve', 'X', 1, CURRENT_TIMESTAMP)"))
    engine.dispose()


def test_colliding_names_stop_the_upgrade_naming_them_and_change_nothing(database_url):
    engine = at_0005_with_cities(database_url, "Genève", "Lunaria", "geneve ", "LUNARIA", "Velmar")
    with pytest.raises(MigrationRefused) as refused:
        command.upgrade(alembic_config(engine), "head")
    assert refused.value.lines[1:3] == ['  "Genève" (id 1), "geneve " (id 3)', '  "Lunaria" (id 2), "LUNARIA" (id 4)']
    assert "Rename one city of each group" in refused.value.lines[-1]
    assert revision_and_columns(engine) == ("0005", {"id", "name", "country", "version", "created_at"})
    with engine.begin() as conn:  # the coordinator renames them; the upgrade then runs
        conn.execute(text("UPDATE city SET name = 'Genève-Lac' WHERE id = 3"))
        conn.execute(text("UPDATE city SET name = 'Lunaria Nuova' WHERE id = 4"))
    command.upgrade(alembic_config(engine), "head")
    assert "name_key" in revision_and_columns(engine)[1]
    engine.dispose()


def test_the_command_line_says_why_and_exits_1(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    at_0005_with_cities(url, "Genève", "GENEVE").dispose()
    monkeypatch.setenv("INTI_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        r = CliRunner().invoke(cli, ["create-coordinator", "boss@network.example", "--password", "long-enough-pw"])
    finally:
        get_settings.cache_clear()
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "Cities whose names differ only by case, accents or spacing (they must differ now):",
        '  "Genève" (id 1), "GENEVE" (id 2)',
        "Rename one city of each group with the previous version of the service (the Cities page, "
        "or PATCH /api/v1/cities/{id}), then start again.",
        "The database was not upgraded: nothing else was done.",
    ]
