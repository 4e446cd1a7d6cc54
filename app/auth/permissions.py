"""Who may do what: every access rule of the product, named for the question it answers.

Network-wide rules are functions of the user. Within a cycle, :class:`CycleRights`
(the user, the cycle, their role, the phase, the initial report's status) is built once
per request by the cycle dependency (``app/cycles/deps.py``); each of its methods answers
``True`` or a :class:`Refusal` saying why not, in a message id translated where it is shown.
Services ``require`` a right, so the refusal is said in one place; pages and templates
ask the same methods, so that no button is offered for what would be refused. The
authorization matrix test (tests/app/test_authorization_matrix.py) checks every endpoint
against every role.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from benchmark.scales import CycleRole, Phase, ReportStatus

from app.cycles.transitions import TRANSITIONS, Step
from app.errors import Conflict, DomainError, Forbidden
from app.i18n import N_
from app.people.tables import User


@dataclass(frozen=True)
class Refusal:
    """Why not: 403 when the role may not, 409 when the state of the cycle does not allow it."""

    status: Literal[403, 409]
    message: str  # a message id (N_), translated where it is shown

    def __bool__(self) -> bool:
        return False

    def error(self) -> DomainError:
        return (Forbidden if self.status == 403 else Conflict)(self.message)


Answer = Literal[True] | Refusal


def require(answer: Answer) -> None:
    """Raise the refusal, if it is one."""
    if answer is not True:
        raise answer.error()


def can_manage_network(user: User) -> bool:
    """Cities, people, cycles and their members: the coordinators' work."""
    return user.is_coordinator


def can_view_cycle(user: User, role: CycleRole | None) -> bool:
    """Coordinators see every cycle; anyone else only the cycles they are a member of.

    Everyone else gets 404: a cycle of another city is not even confirmed to exist.
    """
    return user.is_coordinator or role is not None


def can_view_user(user: User, other_id: int) -> bool:
    return user.is_coordinator or user.id == other_id


COORDINATOR_ONLY = Refusal(403, N_("Only a coordinator may do this."))
NOT_ONESELF = Refusal(409, N_("Not for your own account: ask another coordinator."))
DEACTIVATED = Refusal(409, N_("This account is deactivated: reactivate it first."))


def can_deactivate(actor: User, person: User) -> Answer:
    """A coordinator ends someone else's access; never their own (they would lock
    themselves out, perhaps the network's last coordinator)."""
    if not actor.is_coordinator:
        return COORDINATOR_ONLY
    return NOT_ONESELF if actor.id == person.id else True


def can_issue_link(actor: User, person: User) -> Answer:
    """A one-time link (it ends the previous one) is for someone else who is active: a
    coordinator is logged in already, and a deactivated person could not log in with it."""
    if not actor.is_coordinator:
        return COORDINATOR_ONLY
    if actor.id == person.id:
        return NOT_ONESELF
    return True if person.is_active else DEACTIVATED


def can_edit_practices(user: User) -> Answer:
    """Adding a practice to the good-practice library, or changing one: the network's
    coordinators. (Reading it is for everyone logged in: peers look for ideas, host cities too.)"""
    return True if user.is_coordinator else COORDINATOR_ONLY


def can_compare(user: User) -> Answer:
    """Comparing published cycles (benchmarking, the open data): everyone logged in. Only
    published results are compared, which everyone of each cycle may read already, and the
    network's members learn from each other's standing."""
    return True if user.is_active else DEACTIVATED


PUBLISHED = Refusal(409, N_("This cycle is published and can no longer change."))


@dataclass(frozen=True)
class CycleRights:
    """What ``user`` may do in one cycle, as things stand."""

    user: User
    cycle_id: int
    role: CycleRole | None
    phase: Phase
    report_status: ReportStatus
    #: The user's own preparatory review: ``None`` while they have not begun one.
    review_status: ReportStatus | None = None

    def seeing_review(self, review_status: ReportStatus) -> CycleRights:
        """The same rights once the user's own review's status has been read under its lock."""
        return replace(self, review_status=review_status)

    def seeing(self, report_status: ReportStatus) -> CycleRights:
        """The same rights once the report's status has been read again under its lock."""
        return replace(self, report_status=report_status)

    @property
    def is_coordinator(self) -> bool:
        return self.user.is_coordinator

    @property
    def report_submitted(self) -> bool:
        return self.report_status == ReportStatus.SUBMITTED

    # --- the cycle and its team ---------------------------------------------------------

    def edit_cycle(self) -> Answer:
        """Title, deadlines and team: coordinators, until the cycle is published."""
        if not self.is_coordinator:
            return COORDINATOR_ONLY
        if self.phase == Phase.PUBLISHED:
            return PUBLISHED
        return True

    def change_phase(self, target: Phase) -> Answer:
        """A step of the transition table (``app/cycles/transitions.py``): forward for a
        coordinator, or the team leader from the preparatory review on; back for a
        coordinator. The phases' exit conditions are checked there, on the cycle's data."""
        may_move = self.is_coordinator or (self.role == CycleRole.TEAM_LEADER
                                           and self.phase.order >= Phase.PREPARATORY_REVIEW.order)
        if not may_move:
            return Refusal(403, N_("Only a coordinator, or the team leader once the preparatory review has begun, "
                                   "may change the phase."))
        if self.phase == Phase.PUBLISHED:
            return PUBLISHED
        if target == self.phase:
            return Refusal(409, N_("The cycle is already in this phase."))
        step = TRANSITIONS.get((self.phase, target))
        if step is None:
            return Refusal(409, N_("A cycle moves one phase at a time, to the phase just after (or, for a "
                                   "coordinator, just before) the current one."))
        if step == Step.BACK and not self.is_coordinator:
            return Refusal(403, N_("Only a coordinator may return a cycle to an earlier phase."))
        return True

    def override_phase_condition(self) -> Answer:
        """Moving on although a phase's exit condition is not met, with a recorded reason."""
        return True if self.is_coordinator else Refusal(
            403, N_("Only a coordinator may move a cycle on before its condition is met."))

    # --- the initial report (self-assessment) ---------------------------------------------

    def read_self_assessment(self) -> Answer:
        """The officer and coordinators always; the peers and the team leader once submitted."""
        if self.is_coordinator or self.role == CycleRole.HOST_OFFICER:
            return True
        if self.report_submitted and self.role in (CycleRole.PEER, CycleRole.TEAM_LEADER):
            return True
        return Refusal(403, N_("The initial report can be read by the peers once the host city has submitted it."))

    def write_self_assessment(self) -> Answer:
        """Only the host city's officer, during the self-assessment, until it is submitted
        (also what uploading a document and submitting need)."""
        if self.role != CycleRole.HOST_OFFICER:
            return Refusal(403, N_("Only the host city's officer writes the initial report."))
        if self.phase != Phase.SELF_ASSESSMENT:
            return Refusal(409, N_("The cycle is past its self-assessment phase: the initial report can no "
                                   "longer change."))
        if self.report_submitted:
            return Refusal(409, N_("The initial report is submitted and read-only; a coordinator can reopen it."))
        return True

    def reopen_self_assessment(self) -> Answer:
        """A coordinator returns a submitted report to its officer, during the self-assessment."""
        if not self.is_coordinator:
            return Refusal(403, N_("Only a coordinator may reopen a submitted report."))
        if not self.report_submitted:
            return Refusal(409, N_("The initial report is not submitted."))
        if self.phase != Phase.SELF_ASSESSMENT:
            return Refusal(409, N_("The cycle is past its self-assessment phase: the initial report can no "
                                   "longer change."))
        return True

    # --- the preparatory review (each reviewer's own, then the team's) ---------------------

    @property
    def is_reviewer(self) -> bool:
        """The peers and the team leader each write a preparatory review."""
        return self.role in (CycleRole.PEER, CycleRole.TEAM_LEADER)

    @property
    def review_submitted(self) -> bool:
        return self.review_status == ReportStatus.SUBMITTED

    def read_own_review(self) -> Answer:
        return True if self.is_reviewer else Refusal(
            403, N_("Only the team's peers and its team leader write a preparatory review."))

    def open_own_review(self) -> Answer:
        """One's own review's pages: a reviewer's, from the preparatory review on (before it,
        there is nothing to review yet: the host's report may still change)."""
        answer = self.read_own_review()
        if answer is not True:
            return answer
        if self.phase.order < Phase.PREPARATORY_REVIEW.order:
            return Refusal(409, N_("The preparatory review has not begun yet: your review opens with it."))
        return True

    def write_review(self) -> Answer:
        """A reviewer's own review, during the preparatory review, until they submit it."""
        if not self.is_reviewer:
            return Refusal(403, N_("Only the team's peers and its team leader write a preparatory review."))
        if self.phase != Phase.PREPARATORY_REVIEW:
            return Refusal(409, N_("Preparatory reviews are written during the preparatory review phase only."))
        if self.review_submitted:
            return Refusal(409, N_("Your preparatory review is submitted and read-only; the team leader or a "
                                   "coordinator can reopen it."))
        return True

    def read_team_reviews(self) -> Answer:
        """The other reviewers' submitted reviews and the team's consolidation. Blind until
        submitted: a peer sees them once their own review is submitted, or once the cycle
        has moved on to the visit (the reviews are then pooled, submitted or not). The team
        leader, who leads the pooling, and coordinators always; the host city's officer
        only once the final report is published."""
        if self.is_coordinator or self.role == CycleRole.TEAM_LEADER:
            return True
        if self.role == CycleRole.PEER:
            if self.review_submitted or self.phase.order > Phase.PREPARATORY_REVIEW.order:
                return True
            if self.phase == Phase.SELF_ASSESSMENT:
                return Refusal(403, N_("The peers' reviews begin with the preparatory review, once the host city has "
                                       "submitted its initial report; you will see the others' once you have "
                                       "submitted your own."))
            return Refusal(403, N_("You will see the other peers' reviews once you have submitted your own."))
        if self.role == CycleRole.HOST_OFFICER and self.phase == Phase.PUBLISHED:
            return True
        return Refusal(403, N_("The peers' reviews are for the review team until the final report is published."))

    def follow_reviews(self) -> Answer:
        """How far each reviewer is: the team leader and coordinators."""
        return True if self.is_coordinator or self.role == CycleRole.TEAM_LEADER else Refusal(
            403, N_("Only the team leader and coordinators follow the reviewers' progress."))

    def reopen_review(self) -> Answer:
        """Return a submitted review to its reviewer, during the preparatory review."""
        if not (self.is_coordinator or self.role == CycleRole.TEAM_LEADER):
            return Refusal(403, N_("Only the team leader or a coordinator may reopen a peer's review."))
        if self.phase != Phase.PREPARATORY_REVIEW:
            return Refusal(409, N_("Preparatory reviews are written during the preparatory review phase only."))
        return True

    # --- the visit ----------------------------------------------------------------------

    @property
    def is_team(self) -> bool:
        """The review team: its peers and its team leader."""
        return self.is_reviewer

    def read_programme(self) -> Answer:
        """The visit programme: the team and coordinators as soon as it is drafted; the host
        city's officer from the visit on (the city arranges the meetings)."""
        if self.is_coordinator or self.is_team:
            return True
        if self.role == CycleRole.HOST_OFFICER and self.phase.order >= Phase.VISIT.order:
            return True
        return Refusal(403, N_("The visit programme is shared with the host city once the visit phase begins."))

    def edit_programme(self) -> Answer:
        """Generate and edit the programme: the team leader, from the preparatory review
        (once every review is in: checked on the data) through the visit."""
        if self.role != CycleRole.TEAM_LEADER:
            return Refusal(403, N_("Only the team leader builds the visit programme."))
        if self.phase not in (Phase.PREPARATORY_REVIEW, Phase.VISIT):
            return Refusal(409, N_("The visit programme is built during the preparatory review and the visit."))
        return True

    def read_visit_notes(self) -> Answer:
        """Interview notes, hypotheses' states and final judgements: the team and
        coordinators; the host city's officer only once the final report is published."""
        if self.is_coordinator or self.is_team:
            return True
        if self.role == CycleRole.HOST_OFFICER and self.phase == Phase.PUBLISHED:
            return True
        return Refusal(403, N_("The team's visit notes and judgements are for the review team until the final "
                               "report is published."))

    def write_notes(self, interview_peers: list[int]) -> Answer:
        """Notes of an interview: the peers who hold it and the team leader, during the visit."""
        if not (self.role == CycleRole.TEAM_LEADER or (self.is_team and self.user.id in interview_peers)):
            return Refusal(403, N_("Only the interview's peers and the team leader write its notes."))
        if self.phase != Phase.VISIT:
            return Refusal(409, N_("Interview notes are written during the visit."))
        return True

    def check_hypothesis(self, reviewer_id: int) -> Answer:
        """Mark a reviewer's hypothesis confirmed, refuted or open: that reviewer, or the
        team leader, during the visit."""
        if not (self.role == CycleRole.TEAM_LEADER or (self.is_team and self.user.id == reviewer_id)):
            return Refusal(403, N_("Only the hypothesis' author and the team leader settle a hypothesis."))
        if self.phase != Phase.VISIT:
            return Refusal(409, N_("Hypotheses are tested during the visit."))
        return True

    def judge(self) -> Answer:
        """The final judgement per indicator: the team leader, during the visit (and while
        writing the report, until it is published)."""
        if self.role != CycleRole.TEAM_LEADER:
            return Refusal(403, N_("Only the team leader sets the final judgements."))
        if self.phase not in (Phase.VISIT, Phase.REPORTING):
            return Refusal(409, N_("Final judgements are set during the visit and the reporting."))
        return True

    # --- the final report -----------------------------------------------------------------

    def read_report(self, sharing: str) -> Answer:
        """The draft: the team and coordinators, from the visit on; the host city's officer
        once the team leader shares it with them (``sharing`` "host"). A published report:
        everyone in the cycle."""
        if self.phase == Phase.PUBLISHED:
            return True
        if self.is_coordinator or self.is_team:
            if self.phase.order >= Phase.VISIT.order:
                return True
            return Refusal(409, N_("The final report is written from the visit on."))
        if self.role == CycleRole.HOST_OFFICER and sharing == "host":
            return True
        return Refusal(403, N_("The host city reads the final report once the team leader shares it, or once it is "
                               "published."))

    def write_report(self) -> Answer:
        """Recommendations and the report's texts: the team leader, during the visit and the
        reporting."""
        if self.role != CycleRole.TEAM_LEADER:
            return Refusal(403, N_("Only the team leader writes the final report."))
        if self.phase not in (Phase.VISIT, Phase.REPORTING):
            return Refusal(409, N_("The final report is written during the visit and the reporting."))
        return True

    def propose_recommendation(self) -> Answer:
        """A peer proposes a recommendation for the team leader to take in (the team leader's
        own are in at once)."""
        if not self.is_team:
            return Refusal(403, N_("Only the review team makes recommendations."))
        if self.phase not in (Phase.VISIT, Phase.REPORTING):
            return Refusal(409, N_("The final report is written during the visit and the reporting."))
        return True

    def sign_off_report(self, sharing: str) -> Answer:
        """A peer of the team approves (or comments on) the draft the team leader shared."""
        if self.role != CycleRole.PEER:
            return Refusal(403, N_("Only the team's peers sign off the final report."))
        if self.phase != Phase.REPORTING:
            return Refusal(409, N_("The final report is signed off during the reporting."))
        if sharing == "writing":
            return Refusal(409, N_("The team leader has not shared the draft with the team yet."))
        return True

    def reply_to_report(self, sharing: str) -> Answer:
        """The host city's officer replies to the shared draft, section by section."""
        if self.role != CycleRole.HOST_OFFICER:
            return Refusal(403, N_("Only the host city's officer replies to the final report."))
        if self.phase != Phase.REPORTING or sharing != "host":
            return Refusal(409, N_("The host city replies once the team leader shares the draft with it, until it "
                                   "is published."))
        return True

    def share_report(self) -> Answer:
        """Share the draft with the team, then with the host city; and publish it."""
        if self.role != CycleRole.TEAM_LEADER:
            return Refusal(403, N_("Only the team leader shares and publishes the final report."))
        if self.phase != Phase.REPORTING:
            return Refusal(409, N_("The final report is shared and published during the reporting."))
        return True

    def revise_report(self) -> Answer:
        """A coordinator reopens a published report for a new version, with a reason."""
        if not self.is_coordinator:
            return Refusal(403, N_("Only a coordinator may open a revision of a published report."))
        if TRANSITIONS.get((self.phase, Phase.REPORTING)) != Step.REVISE:  # the table's step out of published
            return Refusal(409, N_("Only a published report can be revised."))
        return True

    def read_published_report(self) -> Answer:
        """A published version: everyone in the cycle (the cycle dependency has answered 404
        to anyone else), also while a revision prepares the next one."""
        return True
