"""Models of the protocols app."""
from .agreements import Agreement, AgreementAnnex, AgreementParty, AgreementReminder
from .assessment import (
    ActionPoint,
    AssessmentAnswer,
    AssessmentResponse,
    AssessmentRound,
    Checklist,
    ChecklistItem,
)
from .common import in_language
from .protocols import Protocol, ProtocolStep, ProtocolVersion

__all__ = [
    "ActionPoint", "Agreement", "AgreementAnnex", "AgreementParty", "AgreementReminder", "AssessmentAnswer", "AssessmentResponse",
    "AssessmentRound", "Checklist", "ChecklistItem", "Protocol", "ProtocolStep", "ProtocolVersion", "in_language",
]
