"""Conflicts of interest of a peer joining a cycle's team: warnings a coordinator confirms.

A peer or team leader from the host city is refused outright (``service.add_member``).
Two other ties are warnings: the peer is added only once a coordinator has seen them and
confirmed (``confirm_conflicts``), and the member keeps the kinds confirmed.

- ``same_country``: the peer's city is in the host city's country (countries compared as
  city names are: ignoring case, accents and spacing, so "France" and "france " are one).
- ``reviewed_by_host``: the host city has already reviewed the peer's city — in another
  cycle hosted by the peer's city (whatever its phase), a peer or team leader works for
  this cycle's host city. With this peer the two cities would review each other, a return
  of favours the method warns against. One warning per such cycle, naming its reviewers.
  A host officer works for the host city while her cycle is open (a team rule), so the
  host city's officer reviewing the peer's city is such a tie. People are taken with the
  city they work for now: the product keeps no history of a person's cities.

The other direction — the peer's city has already reviewed the host city (someone of the
peer's city on the team of another cycle hosted by this host city) — is no conflict: the
same city looks again at the host, nobody returns a favour. A peer without a city has
neither tie.
"""
from dataclasses import dataclass

from sqlmodel import Session, col, select

from benchmark.scales import CycleRole
from benchmark.text import folded

from app.cycles.schemas import ConflictKind
from app.cycles.tables import Cycle, CycleMember
from app.errors import Conflict
from app.i18n import N_, Phrase
from app.people.tables import City, User

#: The badge of each kind on the team list (coordinators only).
KIND_LABELS = {
    ConflictKind.SAME_COUNTRY.value: N_("Same country"),
    ConflictKind.REVIEWED_BY_HOST.value: N_("City reviewed by the host"),
}
SAME_COUNTRY = N_("%(name)s works for %(city)s, a city of the same country as the host city (%(country)s).")
REVIEWED_BY_HOST = N_("%(host)s has already reviewed %(city)s in the cycle \"%(cycle)s\" (%(reviewers)s): "
                      "with %(name)s, the two cities would review each other.")
TO_CONFIRM = N_("%(name)s has conflicts of interest with the host city (listed in \"conflicts\"): to add "
                "them all the same, send the request again with \"confirm_conflicts\": true.")


@dataclass(frozen=True)
class MemberConflict:
    kind: ConflictKind
    #: What the coordinator reads, translated where it is shown.
    message: Phrase

    def public(self) -> dict:
        """As the API's 409 lists it (the message translated by the error handler)."""
        return {"kind": self.kind.value, "message": self.message}

    def recorded(self) -> dict:
        """As the audit log keeps it: the message in the source language."""
        return {"kind": self.kind.value, "message": self.message.msgid % dict(self.message.params)}


class ConflictsToConfirm(Conflict):
    """409: the peer has conflicts of interest a coordinator has not confirmed; nothing added."""

    def __init__(self, person: User, conflicts: list[MemberConflict]):
        super().__init__(TO_CONFIRM, name=person.full_name, extra={"conflicts": [c.public() for c in conflicts]})
        self.person = person
        self.conflicts = conflicts


def member_conflicts(session: Session, cycle: Cycle, person: User) -> list[MemberConflict]:
    """The conflicts of interest ``person`` would have as a peer of ``cycle`` (module
    docstring), same country first; at most three queries whatever the number of cycles."""
    if person.city_id is None or person.city_id == cycle.host_city_id:
        return []
    city, host = session.get_one(City, person.city_id), session.get_one(City, cycle.host_city_id)
    found = []
    if folded(city.country) == folded(host.country):
        found.append(MemberConflict(ConflictKind.SAME_COUNTRY, Phrase(
            SAME_COUNTRY, {"name": person.full_name, "city": city.name, "country": host.country})))
    reviewers: dict[int | None, tuple[str, list[str]]] = {}  # cycle id -> title, reviewers of the host city
    for other_id, title, reviewer in session.exec(
        select(Cycle.id, Cycle.title, User.full_name)
        .join(CycleMember, col(CycleMember.cycle_id) == Cycle.id)
        .join(User, col(User.id) == CycleMember.user_id)
        .where(Cycle.host_city_id == city.id, Cycle.id != cycle.id, User.city_id == host.id,
               col(CycleMember.role).in_([CycleRole.PEER.value, CycleRole.TEAM_LEADER.value]))
        .order_by(col(Cycle.created_at), col(Cycle.id), col(User.full_name))
    ):
        reviewers.setdefault(other_id, (title, []))[1].append(reviewer)
    for title, names in reviewers.values():
        found.append(MemberConflict(ConflictKind.REVIEWED_BY_HOST, Phrase(REVIEWED_BY_HOST, {
            "host": host.name, "city": city.name, "cycle": title, "reviewers": ", ".join(names),
            "name": person.full_name})))
    return found
