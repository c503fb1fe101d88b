"""The form controls kept by their arguments (app/web/form_controls.py) draw what the macros of
templates/_macros.html draw, for every argument that changes the HTML, escaped as ever."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.web.form_controls import form_controls
from app.web.templating import make_environment

CALLS = [
    ("field", ("number", "N° de facture", {}, {}), {"required": True, "prefix": "invoice"}),
    ("field", ("number", "N° de facture", {"number": "F-1"}, {}), {"prefix": "invoice"}),
    ("field", ("number", "N° de facture", {"number": "F-1"},
               {"number": "Ce numéro existe déjà."}), {"prefix": "invoice"}),
    ("field", ("amount", "Montant", {"amount": Decimal("12.50")}, {}), {}),
    ("field", ("amount", "Montant", {"amount": Decimal("12.5")}, {}), {}),  # equal, not alike
    ("field", ("amount", "Montant", {"amount": -0.0}, {}), {}),
    ("field", ("amount", "Montant", {"amount": 0.0}, {}), {}),
    ("field", ("amount", "Montant", {"amount": 1}, {}), {}),
    ("field", ("amount", "Montant", {"amount": True}, {}), {}),
    ("field", ("date", "Date", {"date": date(2026, 11, 22)}, {}), {"type": "date"}),
    ("field", ("note", "Note", {"note": '<script>alert("x")</script>'}, {}), {}),
    ("field", ("note", "Note <b>gras</b>", {}, {}), {"hint": "Ex. <i>un</i> mot"}),
    ("select", ("kind", "Type", {"a": "Alpha", "b": "Bêta"}, {"kind": "b"}, {}), {}),
    ("select", ("kind", "Type", {"a": "Alpha", "b": "Bêta"}, {"kind": "a"}, {}), {}),
    ("select", ("kind", "Type", {"a": "Alpha", "b": "Bêta"}, {}, {"kind": "Choisissez."}), {}),
    ("textarea", ("notes", "Notes", {"notes": "l'un & l'autre"}, {}), {}),
    ("checkbox", ("merchant", "Commerçant", {"merchant": "1"}, {}), {}),
    ("checkbox", ("merchant", "Commerçant", {"merchant": "0"}, {}), {}),
    ("form_errors", ({"a": "x", "b": "y"},), {}),
    ("form_errors", ({},), {}),
]


def test_each_control_is_what_its_macro_draws() -> None:
    env = make_environment()
    macros = env.get_template("_macros.html").module
    controls = form_controls(env)
    drawn = set()
    for name, args, kwargs in CALLS:
        expected = getattr(macros, name)(*args, **kwargs)
        assert controls[name](*args, **kwargs) == expected, (name, args, kwargs)
        assert controls[name](*args, **kwargs) == expected  # kept, the same
        drawn.add(str(expected))
    assert len(drawn) == len(CALLS)  # every argument above changes the HTML
    script = controls["field"]("note", "Note", {"note": '<script>alert("x")</script>'}, {})
    assert "&lt;script&gt;" in script and "<script>" not in script


def test_the_same_arguments_draw_once_and_others_never_share_it() -> None:
    controls = form_controls(make_environment())
    field = controls["field"]
    first = field("number", "N° de facture", {}, {}, prefix="invoice")
    assert field("number", "N° de facture", {}, {}, prefix="invoice") is first
    assert field("number", "N° de facture", {}, {}, prefix="payment") is not first
    assert field("number", "N° de facture", {}, {}, prefix="invoice", required=True) != first
    # values that are no plain ones (a set, an object) are drawn each time, right
    for odd_value in ({"a"}, object()):
        odd = field("tags", "Étiquettes", {"tags": odd_value}, {})
        assert odd == field("tags", "Étiquettes", {"tags": odd_value}, {}) and odd is not field(
            "tags", "Étiquettes", {"tags": odd_value}, {})
    # a mapping and its pairs, 1 and True, are other keys
    select = controls["select"]
    assert select("k", "K", {"1": "Un"}, {"k": 1}, {}) != select("k", "K", {"1": "Un"},
                                                                 {"k": True}, {})
