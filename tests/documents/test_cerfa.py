"""Official Cerfa filling: mapping checked against the PDF's fields, fill, re-read, annexes."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.documents.cerfa import (
    FORM_KEYS,
    CerfaError,
    append_pdf,
    cerfa_values,
    check_mapping,
    fill,
    form_fields,
    load_form,
    read_values,
)
from app.documents.requete import render_bordereau_and_decompte
from tests.documents.fillable import fillable_pdf
from tests.documents.test_requete import requete


def official_like(key: str, drop: str = "", extra: str = "") -> bytes:
    form = load_form(key)
    texts = [n for k, n in form.mapping.items() if k not in form.checkboxes and n != drop]
    boxes = [n for k, n in form.mapping.items() if k in form.checkboxes]
    return fillable_pdf(texts + ([extra] if extra else []), boxes)


@pytest.mark.parametrize("key", FORM_KEYS)
def test_every_required_datum_of_the_spec_is_mapped(key):
    form = load_form(key)
    assert form.required <= form.mapping.keys()
    assert len(set(form.mapping.values())) == len(form.mapping)


def test_a_filled_form_reads_back_the_values_of_the_requete(session, owner):
    form = load_form("cerfa_12946")
    req = requete(session, owner)
    values = cerfa_values(req)
    filled = fill(form, official_like("cerfa_12946"), values)
    back = read_values(form, filled)
    assert back["creditor.name"] == "Menuiserie Lefèvre"
    assert back["debtor.address"] == "27 avenue de la Gare, 49000 ANGERS"
    assert back["claim.principal"] == "4 255,23 €"
    assert back["claim.total"] == "4 558,43 €"
    assert back["court.name"] == "Tribunal de commerce d'Angers"
    assert back["request.refer_if_opposed"] == "/Oui"  # the box's own "on" state
    for key, value in values.items():
        if key not in form.checkboxes:
            assert back[key] == value, key


def test_a_form_of_another_version_is_refused_naming_the_fields(session, owner):
    form = load_form("cerfa_12946")
    other = official_like("cerfa_12946", drop="tc_claim_total", extra="Champ_Nouveau_1")
    with pytest.raises(CerfaError) as refused:
        check_mapping(form, form_fields(other))
    message = str(refused.value)
    assert "12946*02" in message
    assert "absents du PDF : tc_claim_total" in message
    assert "champs du PDF non remplis : Champ_Nouveau_1" in message


def test_a_pdf_without_fields_is_not_a_fillable_cerfa():
    plain = fillable_pdf([])
    with pytest.raises(CerfaError, match="aucun champ"):
        check_mapping(load_form("cerfa_12948"), form_fields(plain))


def test_the_filled_form_is_followed_by_the_bordereau_and_the_decompte(session, owner):
    form = load_form("cerfa_12946")
    req = requete(session, owner)
    filled = fill(form, official_like("cerfa_12946"), cerfa_values(req))
    annexes = render_bordereau_and_decompte(req)
    combined = PdfReader(io.BytesIO(append_pdf(filled, annexes.data)))
    assert len(combined.pages) == 1 + annexes.pages
    texts = [page.extract_text() for page in combined.pages[1:]]
    assert "Bordereau des pièces communiquées" in texts[0]
    assert "Décompte des sommes dues" in texts[-1]
    assert (combined.get_fields() or {})["tc_creditor_name"]["/V"] == "Menuiserie Lefèvre"


def test_a_consumers_legal_interest_says_from_which_day(session, owner):
    # Seen on a Cerfa 12948: "depuis la mise en demeure, au 30/11/2026", with no date.
    from dataclasses import replace
    from datetime import date
    from decimal import Decimal

    from app.law.interest import InvoiceInput, compute_decompte
    from app.law.rates import load_default_rates

    notice = date(2026, 9, 1)
    consumer = compute_decompte(
        as_of=date(2026, 11, 30), debtor_kind="consumer", rates=load_default_rates(),
        invoices=[InvoiceInput("FP-1", Decimal("1500.00"), date(2025, 1, 10),
                               date(2025, 2, 9))], formal_notice_date=notice)
    req = replace(requete(session, owner), decompte=consumer, notice_date=notice)
    basis = cerfa_values(req)["claim.interest_basis"]
    # the rate too, "à vérifier" as in the letter (LAW.md §6, §11): 2,75 % in 2026 S2
    assert basis == ("Intérêts au taux légal de 2,75 % (à vérifier), C. civ. 1231-6, depuis la "
                     "mise en demeure du 01/09/2026 (à compter du 02/09/2026), au 30/11/2026 "
                     "(décompte joint)")


def test_the_penalties_row_gives_its_rates(session, owner):
    # Seen on a Cerfa 12946: "Pénalités de retard, C. com. L441-10 II, …" with no rate. Durand
    # BTP's décompte of 30/09/2025 runs over two semesters
    req = requete(session, owner)
    values = cerfa_values(req)
    rates = {f"{p.rate}".replace(".", ",") for inv in req.decompte.invoices for p in inv.periods}
    basis = values["claim.interest_basis"]
    assert basis.startswith("Pénalités de retard de ") and "L441-10 II" in basis, basis
    assert all(f"{rate} %" in basis for rate in rates), (rates, basis)
    assert len(rates) == 2  # 13,15 % then 12,15 % (2025 S1, S2): "de 13,15 % et 12,15 %"


def test_a_creditor_in_its_own_name_signs_the_requete_itself(session, owner):
    """An EI with no representative: the Cerfa's and the requête's signature were blank."""
    from dataclasses import replace

    from app.documents.requete import render_requete
    from tests.documents.conftest import pages_text

    req = requete(session, owner)
    person = replace(req.creditor, name="Claire Lefèvre", is_company=False, representative="",
                     representative_title="")
    req = replace(req, creditor=person, signatory="")
    assert cerfa_values(req)["signature.name"] == "Claire Lefèvre"
    text = " ".join(" ".join(pages_text(render_requete(req).data)).split())
    assert re.search(r"Fait à Angers, le [^A-Z]+ Claire Lefèvre", text), text  # not "Pour …"
