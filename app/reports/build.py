"""Build a draft report's content (:class:`~app.reports.content.ReportContent`) from the
cycle's tables, in a fixed number of queries whatever the cycle's size. No rights asked:
the callers have."""
from sqlmodel import Session, col, select

from app.cycles.tables import Cycle
from app.ids import id_of
from app.indicators.service import get_set
from app.people.tables import City, User
from app.reports.content import (
    IndicatorResult,
    Meeting,
    Named,
    Person,
    Practice,
    RecommendationItem,
    ReportContent,
    TeamMember,
)
from app.reports.schemas import RecommendationStatus
from app.reports.tables import Recommendation, ReportSection
from app.reviews.service import reviewers_of
from app.self_assessment.tables import SelfAssessmentEntry
from app.visit.judgements import judgement_entries
from app.visit.programme import load_programme


def recommendations_of(session: Session, cycle: Cycle, *, accepted_only: bool = False,
                       rec_id: int | None = None) -> list[Recommendation]:
    """The cycle's recommendations in the order they were made (one query): only those in the
    report (``accepted_only``), only ``rec_id`` if given."""
    query = select(Recommendation).where(Recommendation.cycle_id == cycle.id)
    if accepted_only:
        query = query.where(Recommendation.status == RecommendationStatus.ACCEPTED.value)
    if rec_id is not None:
        query = query.where(Recommendation.id == rec_id)
    return list(session.exec(query.order_by(col(Recommendation.id))).all())


def sections_of(session: Session, cycle: Cycle) -> dict[str, ReportSection]:
    return {s.key: s for s in session.exec(select(ReportSection).where(ReportSection.cycle_id == cycle.id))}


def self_ratings(session: Session, cycle: Cycle) -> dict[str, str | None]:
    """The host city's self-rating by indicator code, from two columns of its initial
    report's entries (one query): the report shows no more of them, and reading the whole
    entries (descriptions, evidence, people) took a tenth of a draft's building."""
    return dict(session.execute(
        select(col(SelfAssessmentEntry.indicator_code), col(SelfAssessmentEntry.self_rating))
        .where(col(SelfAssessmentEntry.cycle_id) == cycle.id)).all())


def practices_by_id(session: Session, ids: set[int]) -> dict[int, Practice]:
    """The good practices ``ids`` name, as the report keeps them (both languages)."""
    if not ids:
        return {}
    from app.practices.service import get_practices

    return {id_of(p): Practice(id=id_of(p), city=p.city, country=p.country or "", theme=p.theme,
                               title={"fr": p.title_fr, "en": p.title_en},
                               summary={"fr": p.summary_fr, "en": p.summary_en},
                               figures={"fr": p.figures_fr or "", "en": p.figures_en or ""}, source=p.source)
            for p in get_practices(session, sorted(ids))}


def build_content(session: Session, cycle: Cycle) -> ReportContent:
    """The report as the cycle's data says it now: the accepted recommendations only (a
    peer's proposal is the team leader's to take in)."""
    iset = get_set(session, cycle.indicator_set_version)
    city = session.get(City, cycle.host_city_id)
    ratings = self_ratings(session, cycle)
    judged = {e.code: e for e in judgement_entries(session, cycle)}
    indicators = []
    for indicator in iset.indicators:
        judgement = judged[indicator.code]
        indicators.append(IndicatorResult(
            code=indicator.code, pillar=indicator.pillar.value, dimension=indicator.dimension.value,
            text={"fr": indicator.text.fr, "en": indicator.text.en},
            self_rating=ratings.get(indicator.code), performance=judgement.performance,
            rationale=judgement.rationale, majority=judgement.majority,
            departs_from_majority=judgement.departs_from_majority))
    recommendations = recommendations_of(session, cycle, accepted_only=True)
    practice_ids = {i for r in recommendations for i in r.practice_ids}
    reviewers = reviewers_of(session, cycle)
    programme = load_programme(session, cycle, reviewers)
    names = {id_of(u): u.full_name for u in programme.reviewers.values()}
    gone = {p for i in programme.interviews for p in i.peers} - set(names)  # peers who left the team since
    if gone:
        names |= {id_of(u): u.full_name for u in session.exec(select(User).where(col(User.id).in_(gone)))}
    cities = {id_of(c): c.name for c in session.exec(select(City).where(
        col(City.id).in_({u.city_id for u in programme.reviewers.values() if u.city_id})))}
    team = [TeamMember(user.full_name, role.value, cities.get(user.city_id or 0, ""))
            for user, role in reviewers]
    local = programme.local
    meetings = [Meeting(starts_at=local(i.starts_at).isoformat(), ends_at=local(i.ends_at).isoformat(),
                        kind=i.kind, title=i.title,
                        interviewees=[Person(str(p.get("name") or ""), str(p.get("role") or ""),
                                             str(p.get("organisation") or "")) for p in i.interviewees],
                        peers=[names.get(p, "") for p in i.peers],
                        location=i.location)
                for i in programme.interviews]
    return ReportContent(
        cycle_id=id_of(cycle), title=cycle.title, city=city.name if city else "", country=city.country if city else "",
        indicator_set_version=cycle.indicator_set_version, team=team,
        visit_days=[d.isoformat() for d in programme.days()],
        pillars=[Named(p.code.value, {"fr": p.name.fr, "en": p.name.en}, {"fr": p.definition.fr, "en": p.definition.en})
                 for p in iset.pillars],
        dimensions=[Named(d.code.value, {"fr": d.name.fr, "en": d.name.en}) for d in iset.dimensions],
        indicators=indicators, sections={k: s.text for k, s in sections_of(session, cycle).items() if s.text.strip()},
        recommendations=[RecommendationItem(
            id=id_of(r), number=n, text=r.text, indicator_codes=list(r.indicator_codes), horizon=r.horizon,
            priority=r.priority, owner=r.owner, follow_up_on=r.follow_up_on.isoformat() if r.follow_up_on else None,
            practice_ids=list(r.practice_ids)) for n, r in enumerate(recommendations, start=1)],
        practices=practices_by_id(session, practice_ids), meetings=meetings)

