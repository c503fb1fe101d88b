"""Rate tables: the packaged CSV files, parsing, look-ups and administrators' overrides."""

import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.law.rates import (
    EcbRate,
    LegalRate,
    load_default_rates,
    merge_rates,
    parse_ecb_rates,
    parse_legal_rates,
    semester_label,
    semester_of,
)

RATES = load_default_rates()
LAW_MD = Path(__file__).resolve().parents[3] / "shared" / "LAW.md"
DATA = Path(__file__).resolve().parents[2] / "app" / "law" / "data"


def test_default_tables_cover_2015_to_2026_by_semester():
    assert [row.semester for row in RATES.legal][:2] == ["2015-S1", "2015-S2"]
    assert len(RATES.legal) == len(RATES.ecb) == 24
    assert RATES.legal[-1].semester == RATES.ecb[-1].semester == "2026-S2"


def test_only_2026_s2_is_marked_to_verify():
    assert [r.semester for r in RATES.legal if not r.verified] == ["2026-S2"]
    assert [r.semester for r in RATES.ecb if not r.verified] == ["2026-S2"]


@pytest.mark.skipif(not LAW_MD.exists() and not os.environ.get("CI"),
                    reason="../shared/LAW.md is beside the checkout only (always under CI)")
def test_csv_files_are_exactly_the_tables_of_law_md():
    blocks = re.findall(r"```csv\n(.*?)```", LAW_MD.read_text(encoding="utf-8"), re.S)
    assert (DATA / "legal_rates.csv").read_text(encoding="utf-8") == blocks[0]
    assert (DATA / "ecb_rates.csv").read_text(encoding="utf-8") == blocks[1]


@pytest.mark.parametrize(
    ("day", "autres_cas", "default_penalty"),
    [
        (date(2025, 6, 30), "3.71", "13.15"),  # last day of the first half-year
        (date(2025, 7, 1), "2.76", "12.15"),  # 1 July: the new anchor
        (date(2024, 1, 1), "5.07", "14.50"),
        (date(2022, 12, 31), "0.77", "10.00"),  # the hike of 27/07/2022 waits for 1 Jan 2023
    ],
)
def test_rates_change_only_on_1_january_and_1_july(day, autres_cas, default_penalty):
    assert RATES.legal_for(day).autres_cas == Decimal(autres_cas)
    assert RATES.ecb_for(day).default_penalty == Decimal(default_penalty)


def test_a_semester_missing_from_the_table_has_no_row():
    assert RATES.legal_for(date(2027, 1, 1)) is None
    assert RATES.ecb_for(date(2014, 12, 31)) is None


def test_an_administrator_correction_replaces_the_row_of_its_semester():
    corrected = LegalRate(
        "2026-S2",
        date(2026, 7, 1),
        date(2026, 12, 31),
        Decimal("6.84"),
        Decimal("2.75"),
        "V",
        "arrêté du 20/06/2026",
    )
    added = EcbRate("2027-S1", date(2027, 1, 1), Decimal("2.00"), Decimal("12.00"), "V", "")
    merged = merge_rates(RATES, legal_overrides=[corrected], ecb_overrides=[added])
    assert merged.legal_for(date(2026, 8, 1)) == corrected
    assert merged.legal_for(date(2026, 8, 1)).verified
    assert len(merged.legal) == 24 and len(merged.ecb) == 25
    assert merged.ecb[-1] == added
    assert RATES.legal_for(date(2026, 8, 1)).status == "?"  # the base is untouched


HEADER = "semester,anchor_date,ecb_mro_pct,default_penalty_pct,status,note\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "2025-S1,2025-01-01,3.15,13.00,V,\n", "+ 10 points"),
        (HEADER + "2025-S1,2025-07-01,3.15,13.15,V,\n", "ancrage"),
        (HEADER + "2025-S3,2025-07-01,3.15,13.15,V,\n", "semestre invalide"),
        (HEADER + "2025-S1,2025-01-01,abc,13.15,V,\n", "n'est pas un nombre"),
        (HEADER + "2025-S1,01/01/2025,3.15,13.15,V,\n", "AAAA-MM-JJ"),
        (HEADER + "2025-S1,2025-01-01,3.15,13.15,V,\n" * 2, "en double"),
        ("semester,anchor_date\n2025-S1,2025-01-01\n", "colonnes manquantes"),
    ],
)
def test_a_malformed_ecb_table_is_refused_with_its_line(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_ecb_rates(text)


def test_a_legal_row_must_cover_exactly_its_semester():
    text = (
        "semester,start,end,particuliers_pct,autres_cas_pct,status,source\n"
        "2025-S1,2025-01-01,2025-06-29,7.21,3.71,V,x\n"
    )
    with pytest.raises(ValueError, match="ligne 2"):
        parse_legal_rates(text)


def test_semester_names_and_labels():
    assert semester_of(date(2025, 6, 30)) == "2025-S1"
    assert semester_of(date(2025, 7, 1)) == "2025-S2"
    assert semester_label("2025-S1") == "1er semestre 2025"
    assert semester_label("2026-S2") == "2e semestre 2026"
