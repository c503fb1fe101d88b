"""SQLModel tables, one module per domain noun; importing this package registers them all."""

from app.models.accounts import ApiToken, Creditor, LoginAttempt, Membership, User, UserSession
from app.models.alerts import AlertCount, AlertEntry
from app.models.audit import AuditEvent, RateOverride
from app.models.debtors import Debtor, Invoice, Payment, Step
from app.models.documents import (
    ClaimFileJob,
    Court,
    CourtPlace,
    DocumentJob,
    GeneratedDocument,
)
from app.models.evidence import Evidence, EvidenceInvoice, EvidenceText, StepEvidence
from app.models.imports import ImportBatch, ImportMapping
from app.models.portfolio import AgingDay, MonthFigure, StageTotal
from app.models.reminders import (
    PaymentPromise,
    ReminderHold,
    ReminderMessage,
    ReminderScenario,
    ReminderScenarioStep,
)

__all__ = [
    "AgingDay",
    "AlertCount",
    "AlertEntry",
    "ApiToken",
    "AuditEvent",
    "ClaimFileJob",
    "Court",
    "CourtPlace",
    "Creditor",
    "Debtor",
    "DocumentJob",
    "Evidence",
    "EvidenceInvoice",
    "EvidenceText",
    "GeneratedDocument",
    "ImportBatch",
    "ImportMapping",
    "Invoice",
    "LoginAttempt",
    "Membership",
    "MonthFigure",
    "Payment",
    "PaymentPromise",
    "RateOverride",
    "ReminderHold",
    "ReminderMessage",
    "ReminderScenario",
    "ReminderScenarioStep",
    "StageTotal",
    "Step",
    "StepEvidence",
    "User",
    "UserSession",
]
