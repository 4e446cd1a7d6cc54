"""The programme's API shapes, made from its rows (times shown in the programme's zone)."""
from datetime import date
from zoneinfo import ZoneInfo

from app.i18n import gettext_for
from app.visit.programme import UNSCHEDULED_REASONS, ProgrammeView, minutes_of
from app.visit.schemas import (
    IntervieweePublic,
    InterviewPublic,
    ProgrammePublic,
    UnscheduledPublic,
)
from app.visit.tables import Interview


def interview_public(row: Interview, zone: ZoneInfo) -> InterviewPublic:
    people = [IntervieweePublic(name=p.get("name", ""), role=p.get("role", ""),
                                organisation=p.get("organisation", "")) for p in row.interviewees]
    return InterviewPublic(
        id=row.id or 0, kind=row.kind, title=row.title, interviewee=people[0], interviewees=people,
        peers=list(row.peers), starts_at=row.starts_at.astimezone(zone), ends_at=row.ends_at.astimezone(zone),
        minutes=minutes_of(row), interpreter=row.interpreter, indicator_codes=list(row.indicator_codes),
        location=row.location, origin=row.origin, version=row.version)


def programme_public(view: ProgrammeView, lang: str) -> ProgrammePublic:
    _ = gettext_for(lang)
    frame = view.frame
    return ProgrammePublic(
        days=[date.fromisoformat(d) for d in frame.days] if frame else [],
        day_start=frame.day_start if frame else "09:00", day_end=frame.day_end if frame else "17:30",
        lunch_start=frame.lunch_start if frame else "12:30", lunch_minutes=frame.lunch_minutes if frame else 60,
        travel_minutes=frame.travel_minutes if frame else 0, time_zone=view.zone.key,
        generated_at=frame.generated_at if frame else None, version=frame.version if frame else 0,
        interviews=[interview_public(i, view.zone) for i in view.interviews],
        unscheduled=[UnscheduledPublic(**u, reason_text=_(UNSCHEDULED_REASONS.get(u["reason"], u["reason"])))
                     for u in (frame.unscheduled if frame else [])])
