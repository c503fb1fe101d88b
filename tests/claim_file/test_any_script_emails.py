"""Hypothesis: e-mails in any script (Latin, Greek, Cyrillic, Hebrew, Arabic, CJK, Hangul, emoji,
and a script no installed font has) are accepted at upload with their pages rendered, or refused
with the characters no font has named (outside tests/documents, whose guard fails on the very
WeasyPrint warning this refusal is built from)."""

from __future__ import annotations

import re
import unicodedata
from email.message import EmailMessage
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents.claimfile.trial import DoesNotFit, trial
from tests.documents.claimfile.test_any_script_property import letters, texts


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(subject=texts, body=st.text(letters, max_size=400))
def test_any_email_is_accepted_or_refused_with_its_characters(tmp_path: Path, subject, body):
    message = EmailMessage()
    message["From"] = "a@example.test"
    message["To"] = "b@example.test"
    message["Subject"] = "".join(c for c in subject if unicodedata.category(c)[0] not in "CZ"
                                 or c == " ") or "Objet"  # a header is one line
    message.set_content(body)
    path = tmp_path / "m.eml"
    path.write_bytes(bytes(message))
    try:
        fit = trial(path, "message/rfc822", "m.eml")
    except DoesNotFit as refusal:
        assert "aucune police installée" in refusal.reason
        assert re.search(r"U\+1?[0-9A-F]{4}", refusal.reason)
        return
    assert fit.pages >= 1
