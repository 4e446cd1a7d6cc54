"""Who may do what: every access rule of the product, named for the question it answers.

API routes and pages both ask these functions (through the dependencies in
``app/auth/deps.py``); templates only hide what these already refuse. The
authorization matrix test (tests/app/test_authorization_matrix.py) checks every
endpoint against every role.
"""
from benchmark.scales import CycleRole, Phase

from app.people.tables import User


def can_manage_network(user: User) -> bool:
    """Cities, people, cycles and their members: the coordinators' work."""
    return user.is_coordinator


def can_view_cycle(user: User, role: CycleRole | None) -> bool:
    """Coordinators see every cycle; anyone else only the cycles they are a member of.

    Everyone else gets 404: a cycle of another city is not even confirmed to exist.
    """
    return user.is_coordinator or role is not None


def can_change_phase(user: User, role: CycleRole | None, current: Phase) -> bool:
    """Coordinators always; the team leader once the review has left self-assessment."""
    if user.is_coordinator:
        return True
    return role == CycleRole.TEAM_LEADER and current.index >= Phase.PREPARATORY_REVIEW.index


def can_move_phase_back(user: User) -> bool:
    """Only a coordinator may return a cycle to its previous phase."""
    return user.is_coordinator


def can_view_user(user: User, other_id: int) -> bool:
    return user.is_coordinator or user.id == other_id


def can_write_self_assessment(user: User, role: CycleRole | None) -> bool:
    """Only the host city's officer writes the initial report."""
    return role == CycleRole.HOST_OFFICER


def can_read_self_assessment(user: User, role: CycleRole | None, submitted: bool) -> bool:
    """The officer and coordinators always; the peers once it is submitted."""
    if user.is_coordinator or role == CycleRole.HOST_OFFICER:
        return True
    return submitted and role in (CycleRole.PEER, CycleRole.TEAM_LEADER)


def can_reopen_self_assessment(user: User) -> bool:
    return user.is_coordinator
