"""Every table, imported once so that the metadata (and Alembic) sees them all."""
from app.audit.tables import AuditEntry
from app.auth.tables import AuthToken, LoginAttempt
from app.comparison.tables import PublishedCycle, PublishedResult
from app.cycles.tables import Cycle, CycleMember, PhaseDeadline
from app.indicators.tables import IndicatorRow, IndicatorSetRow
from app.people.tables import City, User
from app.practices.tables import GoodPractice
from app.reports.tables import (
    FinalReport,
    Recommendation,
    ReportComment,
    ReportFile,
    ReportSection,
    ReportSignOff,
    ReportVersion,
)
from app.reviews.tables import PreparatoryReview, ReviewEntry
from app.secret_key import ServiceSecret
from app.self_assessment.tables import Document, SelfAssessment, SelfAssessmentEntry
from app.visit.tables import FinalJudgement, HypothesisCheck, Interview, InterviewNote, VisitProgramme

__all__ = [
    "AuditEntry", "AuthToken", "City", "Cycle", "CycleMember", "IndicatorRow",
    "IndicatorSetRow", "LoginAttempt", "PhaseDeadline", "User", "Document", "SelfAssessment",
    "SelfAssessmentEntry", "ServiceSecret", "PreparatoryReview", "ReviewEntry",
    "VisitProgramme", "Interview", "InterviewNote", "HypothesisCheck", "FinalJudgement",
    "GoodPractice", "PublishedCycle", "PublishedResult",
    "Recommendation", "ReportSection", "FinalReport", "ReportSignOff", "ReportComment", "ReportVersion", "ReportFile",
]
