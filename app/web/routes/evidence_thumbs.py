"""A pièce's thumbnail for the debtor page's list (services/evidence_thumbs.py)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.errors import NotFound
from app.services import evidence_thumbs as thumbs
from app.services.evidence_preview import PreviewUnavailable
from app.web.routes.evidence import EvidenceDep, StoreDep

router = APIRouter()


@router.get("/evidence/{evidence_id}/thumb.png", name="evidence_thumb")
async def evidence_thumb(evidence: EvidenceDep, store: StoreDep) -> Response:
    if evidence.media_type not in thumbs.THUMB_TYPES:
        raise NotFound("Vignette")
    try:
        png = await run_in_threadpool(thumbs.thumbnail, store.path_for(evidence.sha256),
                                      evidence.media_type)
    except PreviewUnavailable as exc:
        raise NotFound("Vignette") from exc
    # The file behind a pièce never changes (content-addressed): cache it a day.
    return Response(png, media_type="image/png",
                    headers={"Cache-Control": "private, max-age=86400",
                             "X-Content-Type-Options": "nosniff"})
