"""Factur-X / ZUGFeRD: the CII XML embedded in a PDF, read into plain values.

The XML comes from the PDF's embedded files (pypdf), is parsed with lxml (no network, no
entities) and the factur-x library names the flavour. Amounts are decimal strings, dates ISO.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from facturx import get_flavor
from lxml import etree
from pypdf import PdfReader

from app.parsing import LAST_DAY, MAX_AMOUNT, OLDEST_DAY

XML_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "zugferd.xml")
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
TX = "rsm:SupplyChainTradeTransaction"
AGREEMENT = f"{TX}/ram:ApplicableHeaderTradeAgreement"
SETTLEMENT = f"{TX}/ram:ApplicableHeaderTradeSettlement"
TOTALS = f"{SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
_FR_VAT = re.compile(r"FR[0-9A-Z]{2}(\d{9})")


def facturx_of(reader: PdfReader) -> dict[str, Any] | None:
    """The invoice data of a Factur-X PDF, or None when it carries no CII XML."""
    try:
        attachments = reader.attachments
    except Exception:  # noqa: BLE001 (a damaged name tree means: no usable attachment)
        return None
    for name, contents in attachments.items():
        if name.lower() not in XML_NAMES or not contents:
            continue
        data = read_cii(contents[0])
        if data is not None:
            data["xml_name"] = name
            return data
    return None


def read_cii(xml: bytes) -> dict[str, Any] | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
        flavor = get_flavor(root)
    except Exception:  # noqa: BLE001 (not an XML we understand: not a Factur-X invoice)
        return None
    if etree.QName(root).localname != "CrossIndustryInvoice":
        return None
    currency = _text(root, f"{SETTLEMENT}/ram:InvoiceCurrencyCode")
    return {
        "flavor": flavor,
        "number": _text(root, "rsm:ExchangedDocument/ram:ID"),
        "type_code": _text(root, "rsm:ExchangedDocument/ram:TypeCode"),
        "issue_date": _date(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"),
        "due_date": _date(root, f"{SETTLEMENT}/ram:SpecifiedTradePaymentTerms/"
                                "ram:DueDateDateTime/udt:DateTimeString"),
        "currency": currency or "EUR",
        "total_ht": _amount(root, f"{TOTALS}/ram:TaxBasisTotalAmount"),
        "total_tva": _amount(root, f"{TOTALS}/ram:TaxTotalAmount", currency),
        "total_ttc": _amount(root, f"{TOTALS}/ram:GrandTotalAmount"),
        "due_payable": _amount(root, f"{TOTALS}/ram:DuePayableAmount"),
        "seller": _party(root, f"{AGREEMENT}/ram:SellerTradeParty"),
        "buyer": _party(root, f"{AGREEMENT}/ram:BuyerTradeParty"),
    }


def _text(root: Any, path: str) -> str:
    found = root.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _date(root: Any, path: str) -> str | None:
    raw = _text(root, path)
    if not re.fullmatch(r"\d{8}", raw):
        return None
    try:
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None
    # a day a pièce may have (year 1 was shown "01/01/1" and the pièce could not be edited)
    return day.isoformat() if OLDEST_DAY <= day <= LAST_DAY else None


def _amount(root: Any, path: str, currency: str = "") -> str | None:
    candidates = root.findall(path, NS)
    if currency:  # TaxTotalAmount may appear once per currency
        preferred = [c for c in candidates if c.get("currencyID") in (None, currency)]
        candidates = preferred or candidates
    for element in candidates:
        try:
            value = Decimal((element.text or "").strip())
            # NaN passed quantize: every page showing it then failed (a 500 for good)
            if value.is_finite() and abs(value) <= MAX_AMOUNT:
                return str(value.quantize(Decimal("0.01")))
        except InvalidOperation:
            continue
    return None


def _party(root: Any, path: str) -> dict[str, str]:
    party = root.find(path, NS)
    if party is None:
        return {"name": "", "siren": ""}
    siren = ""
    for legal in party.findall("ram:SpecifiedLegalOrganization/ram:ID", NS):
        digits = re.sub(r"\D", "", legal.text or "")
        if legal.get("schemeID") in ("0002", None) and len(digits) in (9, 14):
            siren = digits[:9]
            break
    if not siren:
        for tax in party.findall("ram:SpecifiedTaxRegistration/ram:ID", NS):
            match = _FR_VAT.fullmatch((tax.text or "").replace(" ", "").upper())
            if match:
                siren = match.group(1)
                break
    return {"name": _text(party, "ram:Name"), "siren": siren}
