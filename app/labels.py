"""Human labels of the contract's values (message ids, translated where shown)."""
from collections.abc import Callable, Sequence
from datetime import date

from app.i18n import N_, date_text

PHASES = {
    "self_assessment": N_("Self-assessment"),
    "preparatory_review": N_("Preparatory review"),
    "visit": N_("Visit"),
    "reporting": N_("Reporting"),
    "published": N_("Published"),
}
ROLES = {
    "host_officer": N_("Host officer"),
    "peer": N_("Peer"),
    "team_leader": N_("Team leader"),
}
RATINGS = {
    "below": N_("below the benchmark"),
    "at": N_("at the benchmark"),
    "above": N_("above the benchmark"),
}
#: A peer's judgement of an indicator (``more_info`` is no point on the scale).
PERFORMANCES = {
    **RATINGS,
    "more_info": N_("more information needed"),
}
#: The same in a grid's cell, where a word does not fit: a sign, its label given beside it.
PERFORMANCE_SIGNS = {"below": "−", "at": "=", "above": "+", "more_info": "?"}
#: Each judgement's colour ("none": not judged), the same on the pages (``--r-*`` in
#: ``app/static/style.css``, which a test holds to these) and in the workbooks: white text
#: on each (contrast 4.5:1 at least) but "none", which takes the ink's colour. Never the
#: only sign: the word or the sign is always there too.
PERFORMANCE_COLOURS = {"below": "B4410C", "at": "1F6FA8", "above": "2E7D4F", "more_info": "6D4A9C", "none": "C3CAD2"}
INK = "1D2733"
#: A recommendation's horizon (seed 003) and priority, in the final report.
HORIZON_LABELS = {"short": N_("Short term (0–12 months)"), "medium": N_("Medium term (1–3 years)"),
                  "long": N_("Long term (3–5 years)")}
PRIORITY_LABELS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
#: The interface languages by code, as a sentence names them ("in French").
LANGUAGE_NAMES = {
    "fr": N_("French"),
    "en": N_("English"),
}
SET_STATUSES = {  # of an indicator set
    "draft": N_("draft"),
    "approved": N_("approved"),
    "retired": N_("retired"),
}
#: Form fields by name, as their labels call them: an error names the field so, never by its
#: internal name. A field missing here is not named (the message is shown beside it).
FIELDS = {
    "email": N_("E-mail"),
    "password": N_("Password"),
    "password_again": N_("Password again"),
    "full_name": N_("Full name"),
    "language": N_("Language"),
    "city_id": N_("City"),
    "name": N_("Name"),
    "country": N_("Country"),
    "title": N_("Title"),
    "host_city_id": N_("Host city"),
    "user_id": N_("Person"),
    "role": N_("Role"),
    "file": N_("File"),
    "self_rating": N_("Self-rating"),
    "description": N_("Description of policy and practice"),
    "evidence": N_("Evidence"),
    "responsible": N_("Responsible people"),
    "reason": N_("Reason"),
    "performance": N_("Performance"),
    "hypothesis": N_("Hypothesis"),
    "known": N_("What we know"),
    "unknown": N_("What we don't know"),
    "suspected": N_("What we suspect"),
    "questions": N_("Questions to ask"),
    "people_to_meet": N_("People to meet"),
    "phase": N_("Phase"),
    "days": N_("Days of the visit"),
    "day_start": N_("Start of the day"),
    "day_end": N_("End of the day"),
    "lunch_start": N_("Lunch break"),
    "lunch_minutes": N_("Length of the lunch break"),
    "travel_minutes": N_("Time to move between places"),
    "time_zone": N_("Time zone"),
    "interviewees": N_("People met"),
    "peers": N_("Reviewers"),
    "starts_at": N_("Start"),
    "minutes": N_("Length in minutes"),
    "location": N_("Place"),
    "indicator_codes": N_("Indicators"),
    "rationale": N_("Rationale"),
    "city": N_("City"),
    "theme": N_("Theme"),
    "title_fr": N_("Title in French"),
    "title_en": N_("Title in English"),
    "summary_fr": N_("Summary in French"),
    "summary_en": N_("Summary in English"),
    "figures_fr": N_("Figures in French"),
    "figures_en": N_("Figures in English"),
    "source": N_("Source"),
}


def field_label(loc: Sequence[str | int], _: Callable[..., str]) -> str | None:
    """How the user knows the field an error is about (``loc`` as in the API's errors):
    its label, with the line for a list typed one item per line; ``None`` if unknown."""
    if not loc or not isinstance(loc[0], str):
        return None
    name = loc[0]
    # A phase's deadline: the page's field ``deadline_<phase>``, the API's ``deadlines.<phase>``.
    phase = name.removeprefix("deadline_") if name.startswith("deadline_") else (
        loc[1] if name == "deadlines" and len(loc) > 1 else None)
    if phase in PHASES:
        return _(N_("Deadline: %(phase)s"), phase=_(PHASES[str(phase)]))
    if name not in FIELDS:
        return None
    label = _(FIELDS[name])
    if len(loc) > 1 and isinstance(loc[1], int):
        return _(N_("%(field)s, line %(line)s"), field=label, line=loc[1] + 1)
    return label


STATUS_PHRASES = [  # HTTP reasons used as problem titles
    N_("Bad Request"), N_("Unauthorized"), N_("Forbidden"), N_("Not Found"), N_("Method Not Allowed"),
    N_("Conflict"), N_("Precondition Failed"), N_("Precondition Required"), N_("Unprocessable Content"),
    N_("Unprocessable Entity"),
    N_("Too Many Requests"), N_("Content Too Large"), N_("Request Entity Too Large"), N_("Internal Server Error"),
    N_("Service Unavailable"),
]


def date_label(value: date, lang: str) -> str:
    return date_text(value, lang)
