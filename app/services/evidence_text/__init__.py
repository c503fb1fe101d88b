"""What a pièce says: its text read (PDF text layer, e-mail, Factur-X, OCR of scans and
photos) in a background job, kept beside the file, and the suggestions read from it.

- `store_text` keeps a text and the suggestions it gives (anyone holding a text calls it);
- `reading` decides how a stored file is read, and OCRs it when it has no text;
- `job` runs the reading on the queue (task `evidence.read`, app/jobs.py) and `launch`
  queues it after an upload; `fail_unqueued` fails a pièce no job will read (the orphan
  sweep).
"""

from app.services.evidence_text.job import (
    READ_TASK,
    fail_unqueued,
    launch,
    mark_pending,
    pending_ids,
    relaunch,
    run,
)
from app.services.evidence_text.store import store_text

__all__ = ["READ_TASK", "fail_unqueued", "launch", "mark_pending", "pending_ids", "relaunch", "run",
           "store_text"]
