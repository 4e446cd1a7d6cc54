"""The visit programme as iCalendar (RFC 5545): every interview an event, in UTC (the
calendar shows it in its reader's zone), with who is met, who holds it and the
indicators it is about; stable UIDs, so that importing it again updates the events."""
from icalendar import Calendar, Event

from app.cycles.tables import Cycle
from app.i18n import gettext_for
from app.timeutil import utcnow
from app.visit.programme import ProgrammeView, label_of


def programme_ics(view: ProgrammeView, cycle: Cycle, peer: int | None, lang: str) -> bytes:
    """The whole programme, or ``peer``'s own interviews."""
    _ = gettext_for(lang)
    calendar = Calendar()
    calendar.add("prodid", "-//INTI-CITIES peer review//visit programme//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = cycle.title if peer is None else f"{cycle.title} — {view.reviewers[peer].full_name}" \
        if peer in view.reviewers else cycle.title
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for interview in view.interviews:
        if peer is not None and peer not in interview.peers:
            continue
        event = Event()
        event.add("uid", f"interview-{interview.id}-cycle-{cycle.id}@inti-cities")
        event.add("dtstamp", stamp)
        event.add("dtstart", interview.starts_at)
        event.add("dtend", interview.ends_at)
        kind = _("Workshop") if interview.kind == "workshop" else _("Interview")
        event.add("summary", f"{kind}: {label_of(interview)}")
        lines = [", ".join(" — ".join(x for x in (p.get("name"), p.get("role"), p.get("organisation")) if x)
                           for p in interview.interviewees),
                 _("Reviewers: %(names)s", names=", ".join(
                     view.reviewers[p].full_name for p in interview.peers if p in view.reviewers))]
        if interview.interpreter:
            lines.append(_("With an interpreter"))
        if interview.indicator_codes:
            lines.append(_("Indicators: %(codes)s", codes=", ".join(interview.indicator_codes)))
        event.add("description", "\n".join(lines))
        if interview.location:
            event.add("location", interview.location)
        event.add("sequence", interview.version)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
