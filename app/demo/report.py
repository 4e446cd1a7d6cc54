"""A demo cycle's reporting, made through the services by those the file names: the team
leader writes the sections and her recommendations, peers propose theirs (taken in or
left for her), she shares the draft with the team, then with the host city; the peers
comment and the host officer replies, section by section; the peers who did sign off the
draft as it stands; a cycle left ``published`` is then published by the team leader
(``app.reports.publication.publish``: version 1, frozen; its files are rendered once the
service starts, ``app/reports/files.py``).
"""
from collections.abc import Callable, Mapping

from sqlmodel import Session, col, select

from benchmark.scales import CycleRole, Phase

from app.auth.permissions import CycleRights
from app.cycles.tables import Cycle
from app.demo.report_files import SHARING, DemoReport
from app.ids import id_of
from app.people.tables import User
from app.practices.tables import GoodPractice
from app.reports import recommendations, sections, sharing
from app.reports.publication import publish
from app.reports.schemas import RecommendationWrite

#: What a request of a user in the cycle would find they may do.
RightsOf = Callable[[User], CycleRights]


def practices_by_key(session: Session) -> dict[str, list[str]]:
    """The library's practices: key -> the indicators each speaks to (what the file is checked against)."""
    return {key: list(codes) for key, codes in session.exec(select(GoodPractice.key, GoodPractice.indicator_codes))}


def load_final_report(session: Session, report: DemoReport, cycle: Cycle, team: Mapping[CycleRole, User],
                      person: Callable[[str], User], rights_of: RightsOf, lang: str, phase: Phase) -> None:
    """Everything of ``report`` written by its people, in the order they would have; then
    published when the cycle is left ``published``. ``team``: the cycle's team leader and
    host officer; ``person``: a member by e-mail."""
    leader, officer = team[CycleRole.TEAM_LEADER], team[CycleRole.HOST_OFFICER]
    for key, text in report.sections.items():
        sections.write_section(session, rights_of(leader), cycle, key, text[lang], None)
    practice_ids = dict(session.exec(select(GoodPractice.key, GoodPractice.id).where(
        col(GoodPractice.key).in_({k for r in report.recommendations for k in r.practices}))).all())
    for item in report.recommendations:
        author = person(item.proposed_by) if item.proposed_by else leader
        made = recommendations.create_recommendation(session, rights_of(author), cycle, RecommendationWrite(
            indicator_codes=item.codes, text=item.text[lang], horizon=item.horizon, priority=item.priority,
            owner=item.owner[lang], follow_up_on=item.follow_up,
            practice_ids=[practice_ids[k] for k in item.practices]))
        if item.proposed_by and item.accepted:
            recommendations.accept_recommendation(session, rights_of(leader), cycle, id_of(made), None)
    shared = SHARING.index(report.shared)
    if shared >= SHARING.index(sharing.TEAM):
        sharing.share(session, rights_of(leader), cycle, sharing.TEAM)
    for comment in report.comments:
        sharing.add_comment(session, rights_of(person(comment.author or "")), cycle, comment.section,
                            comment.text[lang])
    if shared >= SHARING.index(sharing.HOST):
        sharing.share(session, rights_of(leader), cycle, sharing.HOST)
    for reply in report.replies:
        sharing.add_comment(session, rights_of(officer), cycle, reply.section, reply.text[lang])
    for email in report.sign_offs:
        sharing.sign_off(session, rights_of(person(email)), cycle)
    if phase == Phase.PUBLISHED:
        publish(session, rights_of(leader), cycle)

