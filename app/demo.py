"""The demo review cycle from ``reviews/demo/cycle.yaml``, loaded once, in one transaction."""
from datetime import date
from pathlib import Path

import yaml
from sqlmodel import Session, select

from benchmark.scales import CycleRole, Phase

from app.audit.service import record
from app.auth.security import hash_password
from app.cycles.tables import Cycle, CycleMember, PhaseDeadline
from app.ids import id_of
from app.indicators.service import current_version
from app.people.tables import City, User
from app.self_assessment.schemas import EntryWrite
from app.self_assessment.tables import SelfAssessmentEntry


def load_demo(session: Session, path: Path, language: str = "fr") -> bool:
    """Load the demo if its cycle is not there yet; True if loaded. Existing cities and
    people (same name, same e-mail) are reused, never changed.

    The initial report beside it (``self_assessment.yaml``) is written in French and
    English; the entries are loaded in ``language`` (the host officer's, French, unless
    ``INTI_DEMO_LANGUAGE`` says otherwise), complete but not yet submitted."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec = data["cycle"]
    if session.exec(select(Cycle).where(Cycle.title == spec["title"])).first() is not None:
        return False
    password_hash = hash_password(data["password"])
    cities = {}
    for c in data["cities"]:
        city = session.exec(select(City).where(City.name == c["name"])).first()
        if city is None:
            city = City(name=c["name"], country=c["country"])
            session.add(city)
            session.flush()
        cities[c["key"]] = city
    people = {}
    for p in data["people"]:
        user = session.exec(select(User).where(User.email == p["email"])).first()
        if user is None:
            user = User(email=p["email"], full_name=p["full_name"], is_coordinator=p.get("coordinator", False),
                        city_id=cities[p["city"]].id if "city" in p else None, language=p.get("language"),
                        password_hash=password_hash)
            session.add(user)
            session.flush()
        people[p["email"]] = user
    version = current_version(session)
    if version is None:
        raise RuntimeError("No approved indicator set is loaded: load the benchmark before the demo.")
    cycle = Cycle(title=spec["title"], host_city_id=id_of(cities[spec["host"]]), indicator_set_version=version,
                  phase=Phase.SELF_ASSESSMENT.value)
    session.add(cycle)
    session.flush()
    cycle_id = id_of(cycle)
    for phase, due in spec.get("deadlines", {}).items():
        session.add(PhaseDeadline(cycle_id=cycle_id, phase=Phase(phase).value, due_on=date.fromisoformat(str(due))))
    for m in spec["members"]:
        session.add(CycleMember(cycle_id=cycle_id, user_id=id_of(people[m["email"]]), role=CycleRole(m["role"]).value))
    report = path.parent / "self_assessment.yaml"
    if report.exists():
        _load_report(session, cycle, yaml.safe_load(report.read_text(encoding="utf-8")), language)
    record(session, None, "load_demo", "cycle", cycle.id, None, {"title": cycle.title, "source": str(path)})
    session.commit()
    return True


def _load_report(session: Session, cycle: Cycle, data: dict, lang: str) -> None:
    officer = session.exec(select(CycleMember.user_id).where(
        CycleMember.cycle_id == cycle.id, CycleMember.role == CycleRole.HOST_OFFICER.value)).first()
    for item in data["entries"]:
        entry = EntryWrite(
            self_rating=item.get("self_rating"),
            description=item["description"][lang].strip(),
            evidence=[{"title": e["title"][lang], "url": e["url"]} for e in item.get("evidence", [])],
            responsible=[{"name": r["name"], "role": r["role"][lang], "department": r["department"][lang]}
                         for r in item.get("responsible", [])],
        )
        session.add(SelfAssessmentEntry(
            cycle_id=id_of(cycle), indicator_code=item["code"], updated_by=officer,
            self_rating=entry.self_rating.value if entry.self_rating else None, description=entry.description,
            evidence=[e.model_dump() for e in entry.evidence], responsible=[r.model_dump() for r in entry.responsible]))
