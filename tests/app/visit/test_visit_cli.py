"""The visit from the command line: the programme generated and exported as a named person,
with that person's rights; the phase moved as the API would (its conditions included)."""
from icalendar import Calendar
from sqlmodel import col, select
from support import reviews_naming_people
from typer.testing import CliRunner

from app.audit.tables import AuditEntry
from app.cli import cli
from app.visit.tables import Interview

runner = CliRunner()


def test_the_team_leader_generates_and_exports_the_programme(session, world, database, tmp_path):
    reviews_naming_people(session, world)
    cycle = str(world.cycle.id)
    r = runner.invoke(cli, ["visit", "programme", cycle, "--day", "2027-06-01", "--travel", "15"])
    assert r.exit_code == 0, r.output
    assert "3 interviews, times in Europe/Paris:" in r.output
    assert "2027-06-01 09:00–10:00" in r.output and "Youssef Benali" in r.output
    assert len(session.exec(select(Interview)).all()) == 3
    audited = session.exec(select(AuditEntry).order_by(col(AuditEntry.id)).where(AuditEntry.entity == "visit_programme")).one()
    assert audited.actor_id == world.people["team_leader"].id  # the team leader acted, as the audit says

    r = runner.invoke(cli, ["visit", "calendar", cycle, "--peer", world.people["peer"].email, "-o", str(tmp_path)])
    assert r.exit_code == 0, r.output
    events = Calendar.from_ical((tmp_path / r.output.strip().rsplit("/", 1)[1]).read_bytes()).walk("VEVENT")
    assert len(events) == 3


def test_the_command_line_keeps_the_rules(session, world, database):
    reviews_naming_people(session, world, submit=False)
    cycle = str(world.cycle.id)
    r = runner.invoke(cli, ["visit", "programme", cycle, "--day", "2027-06-01"])
    assert r.exit_code == 1 and "every reviewer must have submitted their review first" in r.output
    r = runner.invoke(cli, ["visit", "programme", cycle, "--day", "2027-06-01", "--as", world.people["peer"].email])
    assert r.exit_code == 1 and "Only the team leader builds the visit programme." in r.output
    r = runner.invoke(cli, ["visit", "programme", cycle, "--day", "2027-06-01", "--start", "9h"])
    assert r.exit_code == 1 and "day_start" in r.output
    # moving on before every review is in: refused, saying why; nothing written
    r = runner.invoke(cli, ["cycle", "phase", cycle, "visit"])
    assert r.exit_code == 1 and "Not every reviewer has submitted" in r.output
    r = runner.invoke(cli, ["cycle", "phase", cycle, "visit", "--as", world.people["coordinator"].email,
                            "--override-reason", "The second peer fell ill."])
    assert r.exit_code == 0 and "now in its visit phase" in r.output
    assert session.exec(select(Interview)).all() == []
