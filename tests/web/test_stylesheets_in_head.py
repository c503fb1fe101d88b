"""Stylesheets are linked in the page's head, never in its body.

A `<link rel="stylesheet">` in the body makes the browser hold the painting of everything after
it until that file has loaded: a section of the debtor page showed empty for a moment (a
browser test caught it, 1 run in 20). A section swapped in by htmx finds its style already
loaded by the page's head.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import Session

from app.services.context import Actor
from tests.conftest import Browser
from tests.factories import make_debtor, make_invoice

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LINK = re.compile(r"<link[^>]*rel=\"?stylesheet", re.IGNORECASE)
# Where a link belongs: base.html's head, or a page's `styles` block (which base.html puts there).
STYLES_BLOCK = re.compile(r"{%-?\s*block styles\s*-?%}.*?{%-?\s*endblock\s*-?%}", re.DOTALL)
HEAD = re.compile(r"<head>.*?</head>", re.DOTALL | re.IGNORECASE)


def outside_the_head(source: str) -> list[str]:
    rest = HEAD.sub("", STYLES_BLOCK.sub("", source))
    return LINK.findall(rest)


def test_no_template_links_a_stylesheet_outside_the_head() -> None:
    offenders = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
                       if outside_the_head(path.read_text(encoding="utf-8")))
    assert offenders == []


def links_after_the_head(html: str) -> list[str]:
    body = html.split("</head>", 1)[1]
    return LINK.findall(body)


@pytest.fixture
def debtor_id(session: Session, owner: Actor) -> int:
    debtor = make_debtor(session, owner)
    make_invoice(session, owner, debtor)
    assert debtor.id is not None
    return debtor.id


@pytest.mark.parametrize("path", ["/debtors/{id}", "/debtors", "/dashboard", "/alerts",
                                  "/reminders", "/settings/relances", "/recherche?q=facture"])
def test_pages_link_their_stylesheets_in_the_head(owner_client: Browser, debtor_id: int,
                                                   path: str) -> None:
    response = owner_client.get(path.format(id=debtor_id))
    assert response.status_code == 200
    assert links_after_the_head(response.text) == []
    head = response.text.split("</head>", 1)[0]
    assert "/static/css/app.css" in head and "/static/css/search.css" in head


def test_the_debtor_page_head_brings_its_sections_styles(owner_client: Browser,
                                                         debtor_id: int) -> None:
    head = owner_client.get(f"/debtors/{debtor_id}").text.split("</head>", 1)[0]
    for sheet in ("evidence.css", "claim_file.css", "reminders.css"):
        assert f"/static/css/{sheet}" in head
