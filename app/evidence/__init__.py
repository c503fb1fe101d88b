"""Content inspection of exhibits: type from magic bytes, PDF / image / e-mail / Factur-X checks.

No database, no web: functions take a path and a file name and return plain facts, or raise
`Refusal` (an `EvidenceRejected` with a French reason and a code).
"""

from app.evidence.inspection import Inspection, inspect_file
from app.evidence.refusals import Refusal

__all__ = ["Inspection", "Refusal", "inspect_file"]
