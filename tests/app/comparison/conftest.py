"""Benchmarking: published cycles made through the services, as the network would."""
from dataclasses import dataclass

import pytest
from support import make_user, publish_report, rights_of, start_reporting

from app.cycles import service as cycle_service
from app.cycles.schemas import CycleCreate, MemberCreate
from app.cycles.tables import Cycle
from app.people import service as people_service
from app.people.schemas import CityCreate
from app.reports import recommendations
from app.reports.schemas import RecommendationWrite
from app.visit import judgements
from app.visit.judgements_schemas import JudgementWrite


@dataclass
class Network:
    velmar: Cycle     # published: everything "at" but GG-AMB-1 "below" and GG-AMB-2 "more_info" (one
    #                   recommendation on both)
    lumen: Cycle      # published: everything "below"
    draft: Cycle      # not published (its self-assessment)


def _judge(session, world, cycle, code, performance):
    judgements.write_judgement(session, rights_of(session, world.people["team_leader"], cycle), cycle, code,
                               JudgementWrite(performance=performance, rationale="As the team found."), None)
    session.commit()


@pytest.fixture
def network(session, world) -> Network:
    coordinator = world.people["coordinator"]
    start_reporting(session, world.cycle)
    _judge(session, world, world.cycle, "GG-AMB-1", "below")
    _judge(session, world, world.cycle, "GG-AMB-2", "more_info")
    recommendations.create_recommendation(
        session, rights_of(session, world.people["team_leader"], world.cycle), world.cycle,
        RecommendationWrite(indicator_codes=["GG-AMB-1", "GG-AMB-2"], text="Fund the strategy.", horizon="short"))
    session.commit()
    publish_report(session, world.cycle)
    lumen_city = people_service.create_city(session, coordinator.id, CityCreate(name="Lumen", country="Belgium"))
    session.commit()
    officer = make_user(session, "officer@lumen.example", "Lea Lumen", lumen_city)
    lumen = cycle_service.create_cycle(session, coordinator, CycleCreate(title="Lumen 2027", host_city_id=lumen_city.id))
    rights = rights_of(session, coordinator, lumen)
    for user, role in ((officer, "host_officer"), (world.people["peer"], "peer"),
                       (world.people["team_leader"], "team_leader")):
        cycle_service.add_member(session, rights, lumen, MemberCreate(user_id=user.id, role=role))
    session.commit()
    start_reporting(session, lumen, "below")
    publish_report(session, lumen)
    draft_city = people_service.create_city(session, coordinator.id, CityCreate(name="Hiddenburg", country="France"))
    draft = cycle_service.create_cycle(session, coordinator, CycleCreate(title="Hiddenburg 2027",
                                                                         host_city_id=draft_city.id))
    session.commit()
    return Network(world.cycle, lumen, draft)
