"""What htmx asks for, and how to answer it."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_fragment_request(request: Request) -> bool:
    """htmx swaps a part, except for boosted navigation and history restores (full page)."""
    return (is_htmx(request) and request.headers.get("HX-Boosted") != "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def redirect(request: Request, url: str) -> Response:
    """303 for plain forms; HX-Redirect for htmx (a 303 would be followed and swapped)."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
