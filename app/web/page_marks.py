"""Marks rendered in place of a user's own values in a page kept for the whole team.

A kept page (app/web/page_cache.py) is rendered once per creditor revision and served to every
member: the session's CSRF token and the user's address are rendered as these marks, random
per process so that no stored text can spell them, and replaced at send time by the values of
the user who asked, escaped as the templates escape them.
"""

from __future__ import annotations

import secrets

from markupsafe import escape

CSRF_MARK = f"csrf-{secrets.token_hex(16)}"
EMAIL_MARK = f"email-{secrets.token_hex(16)}"
KEPT_STATE = "kept_render"  # request.state flag: render with the marks


def personal(body: bytes, csrf_token: str, email: str) -> bytes:
    """`body` with the marks replaced by one user's own values."""
    return (body.replace(CSRF_MARK.encode(), str(escape(csrf_token)).encode())
            .replace(EMAIL_MARK.encode(), str(escape(email)).encode()))
