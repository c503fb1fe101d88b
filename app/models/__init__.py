"""SQLModel tables, one module per domain noun; importing this package registers them all."""

from app.models.accounts import ApiToken, Creditor, LoginAttempt, Membership, User, UserSession
from app.models.audit import AuditEvent, RateOverride
from app.models.debtors import Debtor, Invoice, Payment, Step
from app.models.documents import ClaimFileJob, Court, GeneratedDocument
from app.models.evidence import Evidence, EvidenceInvoice, StepEvidence

__all__ = [
    "ApiToken", "AuditEvent", "ClaimFileJob", "Court", "Creditor", "Debtor", "Evidence",
    "EvidenceInvoice", "GeneratedDocument", "Invoice", "LoginAttempt", "Membership", "Payment",
    "RateOverride", "Step", "StepEvidence", "User", "UserSession",
]
