"""The fixed vocabularies of the method, in their order.

Values are the public contract's (api-contract.md, "Values"); the order of a
scale matters for agreement and comparison, so it is the order of declaration.
"""
from enum import StrEnum


class Pillar(StrEnum):
    GG = "GG"  # general governance
    IE = "IE"  # individual empowerment of immigrants
    AC = "AC"  # administrative cooperation
    WP = "WP"  # working partnerships


class Dimension(StrEnum):
    AMB = "AMB"
    LEA = "LEA"
    RES = "RES"
    IMP = "IMP"
    EVA = "EVA"


class SelfRating(StrEnum):
    """The host city's own rating; ``None`` stands for "not yet rated"."""

    BELOW = "below"
    AT = "at"
    ABOVE = "above"


class Performance(StrEnum):
    """A peer's judgement; ``more_info`` is no point on the ordinal scale."""

    BELOW = "below"
    AT = "at"
    ABOVE = "above"
    MORE_INFO = "more_info"


class CycleRole(StrEnum):
    HOST_OFFICER = "host_officer"
    PEER = "peer"
    TEAM_LEADER = "team_leader"


class Phase(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    PREPARATORY_REVIEW = "preparatory_review"
    VISIT = "visit"
    REPORTING = "reporting"
    PUBLISHED = "published"

    @property
    def order(self) -> int:
        """The phase's position in the cycle, from 0 (``index`` would shadow ``str.index``)."""
        return list(Phase).index(self)


class ReportStatus(StrEnum):
    """Where a written piece of the cycle stands: being written, or handed in."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class Horizon(StrEnum):
    SHORT = "short"  # 0-12 months
    MEDIUM = "medium"  # 1-3 years
    LONG = "long"  # 3-5 years


class SetStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"

