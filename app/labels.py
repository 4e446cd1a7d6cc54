"""Human labels of the contract's values (message ids, translated where shown)."""
from datetime import date

from babel.dates import format_date

from app.i18n import N_

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
SET_STATUSES = {  # of an indicator set
    "draft": N_("draft"),
    "approved": N_("approved"),
    "retired": N_("retired"),
}
STATUS_PHRASES = [  # HTTP reasons used as problem titles
    N_("Bad Request"), N_("Unauthorized"), N_("Forbidden"), N_("Not Found"), N_("Method Not Allowed"),
    N_("Conflict"), N_("Precondition Failed"), N_("Precondition Required"), N_("Unprocessable Content"),
    N_("Unprocessable Entity"),
    N_("Too Many Requests"), N_("Content Too Large"), N_("Request Entity Too Large"), N_("Internal Server Error"),
    N_("Service Unavailable"),
]


def date_label(value: date, lang: str) -> str:
    return format_date(value, format="long", locale=lang)
