"""The requête's own wording and layout, as printed (papers review)."""

from __future__ import annotations

from app.documents.requete import render_requete
from tests.documents.conftest import pages_text
from tests.documents.test_requete import requete


def test_the_heading_of_the_facts_takes_its_accent(session, owner):
    # Seen: "A l'honneur de vous exposer"; French capitals keep their accents.
    text = " ".join(pages_text(render_requete(requete(session, owner), reminders=2).data))
    assert "À l'honneur de vous exposer" in text
    assert "A l'honneur" not in text
