"""Keys made of what a template shows (app/web/value_keys.py), and the names a section reads
(app/web/kept_sections.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from jinja2 import DictLoader, Environment, meta
from markupsafe import Markup
from sqlmodel import Session

from app.services.context import Actor
from app.web.kept_sections import BY_VALUE, LEAVE_OUT, reads
from app.web.templating import templates
from app.web.value_keys import UNKEYABLE, key_of
from tests.factories import make_debtor


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal


def test_values_drawn_alike_have_one_key_and_the_others_another() -> None:
    assert key_of({"a": "1", "b": "2"}) == key_of({"a": "1", "b": "2"})
    assert key_of({"a": "1", "b": "2"}) != key_of({"b": "2", "a": "1"})  # another order
    assert key_of(Decimal("1.50")) != key_of(Decimal("1.5"))  # equal, drawn otherwise
    assert key_of(Markup("<b>x</b>")) != key_of("<b>x</b>")  # one is escaped
    assert key_of(1) != key_of(True) and key_of([("a", 1)]) != key_of({"a": 1})
    assert key_of([Line("F-1", Decimal("10.00"))]) == key_of([Line("F-1", Decimal("10.00"))])
    assert key_of(Line("F-1", Decimal("10.00"))) != key_of(Line("F-1", Decimal("10.01")))
    assert key_of(date(2026, 11, 22)) != key_of("2026-11-22")


def test_something_with_no_key_makes_the_whole_value_unkeyable() -> None:
    assert key_of(object()) is UNKEYABLE
    assert key_of({"rows": [1, 2, object()]}) is UNKEYABLE
    assert key_of((Line("F-1", Decimal(1)), lambda: 1)) is UNKEYABLE


def test_a_row_is_keyed_by_its_columns(session: Session, owner: Actor) -> None:
    debtor = make_debtor(session, owner, legal_name="Durand BTP")
    session.refresh(debtor)  # its revision, moved in the database by its creation
    before, shown = key_of(debtor), key_of(debtor, LEAVE_OUT)
    debtor.city = "Brest"
    assert key_of(debtor) != before
    session.refresh(debtor)
    assert key_of(debtor) == before
    debtor.revision += 1  # bookkeeping a section never shows
    assert key_of(debtor) != before
    assert key_of(debtor, LEAVE_OUT) == shown


def test_the_sections_kept_by_value_show_none_of_the_columns_left_out() -> None:
    left_out = "|".join(sorted(set().union(*LEAVE_OUT.values())))
    shown = re.compile(rf"\.({left_out})\b|\[[\"']({left_out})[\"']\]")
    for template in BY_VALUE.values():
        todo = [template]
        while todo:  # the template and those it includes
            name = todo.pop()
            source = templates.env.loader.get_source(templates.env, name)[0]
            assert not shown.search(source), (name, shown.search(source))
            todo += meta.find_referenced_templates(templates.env.parse(source))


def test_a_section_reads_its_names_and_those_of_what_it_includes() -> None:
    env = Environment(loader=DictLoader({
        "a.html": "{{ debtor.name }}{% include 'b.html' %}{{ field('x') }}",
        "b.html": "{% for row in rows %}{{ row }}{% endfor %}{% set shown = 1 %}{{ shown }}",
        "dynamic.html": "{% include name ~ '.html' %}"}))
    env.globals["field"] = lambda name: name
    assert reads(env, "a.html") == ("debtor", "rows")
    with pytest.raises(ValueError, match="made at render time"):
        reads(env, "dynamic.html")
