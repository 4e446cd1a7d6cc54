"""The team's recommendations to the host city: made by the team leader (in the report at
once) or proposed by a peer (in it once the team leader accepts it), each tied to
indicators, with a horizon, a priority, an owner in the municipality, a follow-up date and
the good practices it points to. Together they are the report's action plan.

Who may read is :meth:`CycleRights.read_report`; who may write
:meth:`CycleRights.write_report` (the team leader) and
:meth:`CycleRights.propose_recommendation` (a peer, their own proposals while proposed).
Every change is conditional on the version read (412 for the loser of a race).
"""
from collections.abc import Sequence

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from benchmark.scales import CycleRole

from app.audit.service import record, snapshot
from app.auth.permissions import Answer, CycleRights, Refusal, require
from app.cycles.tables import Cycle
from app.errors import NotFound, PreconditionFailed, field_error, fields_error
from app.etag import check_version
from app.i18n import N_
from app.ids import id_of
from app.reports.build import recommendations_of
from app.reports.schemas import RecommendationPatch, RecommendationPublic, RecommendationStatus, RecommendationWrite
from app.reports.sharing import readable
from app.reports.tables import Recommendation
from app.timeutil import utcnow
from app.visit.notes import check_codes

STALE_RECOMMENDATION = N_("This recommendation was changed meanwhile (in another tab, or by the team leader): "
                          "reload it and make your change again.")
NO_PRACTICE = N_("There is no good practice %(id)s in the library.")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def public(r: Recommendation) -> RecommendationPublic:
    return RecommendationPublic.model_validate(r, from_attributes=True)


def list_recommendations(session: Session, rights: CycleRights, cycle: Cycle,
                         rec_id: int | None = None) -> list[Recommendation]:
    """The team sees the proposals too; the host city only what is in the report."""
    readable(session, rights, cycle)
    return recommendations_of(session, cycle, accepted_only=not (rights.is_team or rights.is_coordinator),
                              rec_id=rec_id)


def get_recommendation(session: Session, rights: CycleRights, cycle: Cycle, rec_id: int) -> Recommendation:
    found = list_recommendations(session, rights, cycle, rec_id)
    if not found:
        raise NotFound(N_("No recommendation %(id)s in this cycle."), id=rec_id)
    return found[0]


def writable_recommendation(session: Session, rights: CycleRights, cycle: Cycle, rec_id: int) -> Recommendation:
    """The recommendation, once the caller may change it (who may write none is refused
    before learning whether it exists)."""
    if rights.write_report() is not True:
        require(rights.propose_recommendation())
    rec = get_recommendation(session, rights, cycle, rec_id)
    require(may_edit(rights, rec))
    return rec


def _check_practices(session: Session, ids: Sequence[int]) -> list[int]:
    from app.practices.service import get_practices

    known = {id_of(p) for p in get_practices(session, ids)}
    errors = [{"loc": ["practice_ids", n], "msg": NO_PRACTICE, "params": {"id": i}}
              for n, i in enumerate(ids) if i not in known]
    if errors:
        raise fields_error(errors)
    return list(dict.fromkeys(ids))


def _check_date(data: RecommendationWrite | RecommendationPatch) -> None:
    if data.follow_up_on and not FIRST_YEAR <= data.follow_up_on.year <= LAST_YEAR:
        raise field_error(["follow_up_on"], N_("Give a date between the years %(first)s and %(last)s."),
                          first=FIRST_YEAR, last=LAST_YEAR)


def may_edit(rights: CycleRights, rec: Recommendation) -> Answer:
    """The team leader, any; a peer, their own proposal while it is proposed."""
    answer = rights.write_report()
    if answer is True or rights.role != CycleRole.PEER:
        return answer
    proposed = rights.propose_recommendation()
    if proposed is not True:
        return proposed
    if rec.proposed_by == rights.user.id and rec.status == RecommendationStatus.PROPOSED.value:
        return True
    return Refusal(403, N_("A peer changes only their own proposals, until the team leader takes them in."))


def create_recommendation(session: Session, rights: CycleRights, cycle: Cycle,
                          data: RecommendationWrite) -> Recommendation:
    """The team leader's recommendation is in the report at once; a peer's is proposed."""
    leader = rights.write_report() is True
    if not leader:
        require(rights.propose_recommendation())
    codes = check_codes(session, cycle, data.indicator_codes)
    practices = _check_practices(session, data.practice_ids) if data.practice_ids else []
    _check_date(data)
    now = utcnow()
    rec = Recommendation(cycle_id=id_of(cycle), text=data.text, indicator_codes=codes, horizon=data.horizon.value,
                         priority=data.priority.value, owner=data.owner, follow_up_on=data.follow_up_on,
                         practice_ids=practices, proposed_by=id_of(rights.user), created_at=now, updated_at=now,
                         status=(RecommendationStatus.ACCEPTED if leader else RecommendationStatus.PROPOSED).value)
    session.add(rec)
    session.flush()
    record(session, rights.user.id, "create", "recommendation", f"{cycle.id}/{rec.id}", None, snapshot(rec))
    return rec


def _write(session: Session, rights: CycleRights, rec: Recommendation, action: str, before: dict) -> Recommendation:
    rec.updated_at = utcnow()
    session.add(rec)
    try:
        session.flush()  # conditional on the version read (app/versioning.py)
    except StaleDataError:
        raise PreconditionFailed(STALE_RECOMMENDATION) from None
    record(session, rights.user.id, action, "recommendation", f"{rec.cycle_id}/{rec.id}", before, snapshot(rec))
    return rec


def update_recommendation(session: Session, rights: CycleRights, cycle: Cycle, rec_id: int,
                          data: RecommendationPatch, expected_version: int | None) -> Recommendation:
    rec = writable_recommendation(session, rights, cycle, rec_id)
    check_version(expected_version, rec.version)
    before = snapshot(rec)
    _check_date(data)
    if data.indicator_codes is not None:
        rec.indicator_codes = check_codes(session, cycle, data.indicator_codes)
    if data.practice_ids is not None:
        rec.practice_ids = _check_practices(session, data.practice_ids) if data.practice_ids else []
    for name in ("text", "owner"):
        value = getattr(data, name)
        if value is not None:
            setattr(rec, name, value)
    for name in ("horizon", "priority"):
        value = getattr(data, name)
        if value is not None:
            setattr(rec, name, value.value)
    if "follow_up_on" in data.model_fields_set:
        rec.follow_up_on = data.follow_up_on
    return _write(session, rights, rec, "update", before)


def add_practice(session: Session, rights: CycleRights, cycle: Cycle, rec_id: int, practice_id: int,
                 expected_version: int | None) -> Recommendation:
    """Attach a good practice to a recommendation (the one click of the report's page)."""
    rec = writable_recommendation(session, rights, cycle, rec_id)
    check_version(expected_version, rec.version)
    before = snapshot(rec)
    rec.practice_ids = _check_practices(session, [*rec.practice_ids, practice_id])
    return _write(session, rights, rec, "update", before)


def accept_recommendation(session: Session, rights: CycleRights, cycle: Cycle, rec_id: int,
                          expected_version: int | None) -> Recommendation:
    """The team leader takes a peer's proposal into the report."""
    require(rights.write_report())
    rec = get_recommendation(session, rights, cycle, rec_id)
    check_version(expected_version, rec.version)
    before = snapshot(rec)
    rec.status = RecommendationStatus.ACCEPTED.value
    return _write(session, rights, rec, "accept", before)


def delete_recommendation(session: Session, rights: CycleRights, cycle: Cycle, rec_id: int,
                          expected_version: int | None) -> None:
    rec = writable_recommendation(session, rights, cycle, rec_id)
    check_version(expected_version, rec.version)
    before = snapshot(rec)
    session.delete(rec)
    try:
        session.flush()
    except StaleDataError:
        raise PreconditionFailed(STALE_RECOMMENDATION) from None
    record(session, rights.user.id, "delete", "recommendation", f"{cycle.id}/{rec_id}", before, None)
