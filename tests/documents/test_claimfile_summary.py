"""The claim file's summary: its prescription line (LAW.md §1)."""

from datetime import date

import pytest

from app.documents.render import document_env
from app.law.prescription import prescription


def summary_head(as_of: date) -> str:
    # 5 years from 15/03/2021: the last day to act is 15/03/2026 (C. com. L110-4)
    result = prescription(debtor_kind="professional", start=date(2021, 3, 15), as_of=as_of)
    template = document_env().get_template("documents/claimfile/summary.html")
    context = template.new_context(
        {"prescription": result, "facts": [], "checklist": [], "status_labels": {}, "alerts": []}
    )
    return "".join(template.blocks["body"](context)).split("</strong>")[0]


@pytest.mark.parametrize(
    ("as_of", "said"),
    [
        (date(2026, 3, 15), "agir au plus tard le 15 mars 2026"),
        # the deadline is the last day to act: acquired from the next day
        (date(2026, 3, 16), "acquise depuis le 16 mars 2026"),
        (date(2026, 4, 1), "acquise depuis le 16 mars 2026"),
    ],
)
def test_summary_says_prescription_is_acquired_the_day_after_the_last_day_to_act(as_of, said):
    assert said in summary_head(as_of)
