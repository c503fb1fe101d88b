"""The stage of a file and its next action (app/law/stages.py), from dated steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.law.alerts import Alert
from app.law.facts import collective_proceedings
from app.law.severity import judge
from app.law.stages import StepFact, next_action, stage

D = date(2026, 11, 22)


def step(kind: str, day: int, level: int | None = None, end: date | None = None) -> StepFact:
    return StepFact(kind, date(2026, 10, day), level, end)


@pytest.mark.parametrize(("steps", "proceedings", "expected"), [
    ([], "", "amiable"),
    ([step("reminder", 1, 1)], "", "relance_1"),
    ([step("reminder", 1, 1), step("reminder", 9, 3), step("reminder", 12, 2)], "", "relance_3"),
    ([step("reminder", 1, 1), step("mise_en_demeure", 5)], "", "mise_en_demeure"),
    ([step("mise_en_demeure", 5), step("requete_filed", 20)], "", "requete"),
    ([step("requete_filed", 2), step("ordonnance", 20)], "", "ordonnance"),
    ([step("ordonnance", 2), step("signification", 9)], "", "signification"),
    ([step("signification", 9), step("formule_executoire", 20)], "", "execution"),
    ([step("signification", 9), step("enforcement", 21)], "", "execution"),
    # A rejected requête (CPC 1409) leaves the file at its mise en demeure.
    ([step("mise_en_demeure", 1), step("requete_filed", 5), step("rejection", 20)], "",
     "mise_en_demeure"),
    ([step("petites_creances", 3)], "", "requete"),
    # An open dispute holds the procedure; closed (by a step or an end date) it does not.
    ([step("mise_en_demeure", 1), step("dispute", 5)], "", "litige"),
    ([step("mise_en_demeure", 1), step("dispute", 5), step("dispute_closed", 9)], "",
     "mise_en_demeure"),
    ([step("dispute", 5, end=date(2026, 10, 30))], "", "amiable"),
    # C. com. L622-21: a collective proceeding outranks everything.
    ([step("ordonnance", 2), step("dispute", 5)], "redressement", "procedure_collective"),
    ([step("claim_declaration", 2)], "", "procedure_collective"),
])
def test_stage(steps: list[StepFact], proceedings: str, expected: str) -> None:
    assert stage(steps, proceedings_kind=proceedings) == expected


def alert(key: str, severity: str, day: date) -> Alert:
    return Alert(key, day, (day - D).days, severity, "t", "c", "a", "x")  # type: ignore[arg-type]


def test_a_pressing_deadline_comes_first() -> None:
    alerts = [alert("prescription", "info", date(2029, 1, 1)),
              alert("injonction_service", "urgent", date(2026, 12, 1))]
    action = next_action("ordonnance", alerts, overdue=True, as_of=D)
    # by the last safe day to have it served: 15 days before (app/law/severity.py)
    assert action and (action.label, action.date) == (
        "Faire signifier l'ordonnance (échéance le 01/12/2026)", date(2026, 11, 16))


def test_the_amiable_track_sends_the_next_letter_today() -> None:
    alerts = [alert("prescription", "info", date(2031, 1, 1))]
    action = next_action("relance_2", alerts, overdue=True, as_of=D)
    assert action and (action.key, action.label, action.date) == (
        "relance_2", "Envoyer la relance n° 3", D)
    action = next_action("relance_3", alerts, overdue=True, as_of=D)
    assert action and action.label == "Envoyer la mise en demeure"


def test_nothing_overdue_watches_the_nearest_deadline() -> None:
    alerts = [alert("prescription", "info", date(2031, 1, 1))]
    action = next_action("amiable", alerts, overdue=False, as_of=D)
    assert action and (action.label, action.date) == (
        "Agir avant la prescription (échéance le 01/01/2031)", date(2030, 11, 2))
    assert next_action("amiable", [], overdue=False, as_of=D) is None


def test_an_expired_mise_en_demeure_says_to_file_the_requete() -> None:
    alerts = [alert("mise_en_demeure", "warning", date(2026, 11, 2))]
    action = next_action("mise_en_demeure", alerts, overdue=True, as_of=D)
    assert action and action.label == "Déposer la requête en injonction de payer"


def test_a_near_prescription_dates_the_action_by_its_last_safe_day_as_the_page_does() -> None:
    # Seen: the list said "Agir avant la prescription 30/01/2027" while the debtor page said
    # the last safe day to start was today (60 days before: only the service interrupts).
    alerts = [alert("prescription", "warning", D + timedelta(days=60))]
    action = next_action("mise_en_demeure", alerts, overdue=False, as_of=D)
    judged = judge(alerts[0], D)
    assert action and action.date == judged.start_by == D


OPENED = date(2026, 6, 1)


@pytest.mark.parametrize(("form", "steps", "expected"), [
    # nothing recorded: none
    (("", None, None), [], ("", None, None, False, False)),
    # the form alone (C. com. L622-28 reads its judgment date)
    (("liquidation", date(2026, 5, 4), date(2026, 5, 20)), [],
     ("liquidation", date(2026, 5, 4), date(2026, 5, 20), False, True)),
    # the step alone: its date, kind not said (review 39)
    (("", None, None), [StepFact("collective_proceedings", OPENED)],
     ("", OPENED, None, False, True)),
    # two openings recorded (a conversion): the first stops interest
    (("", None, None), [StepFact("collective_proceedings", date(2026, 9, 1)),
                        StepFact("collective_proceedings", OPENED)],
     ("", OPENED, None, False, True)),
    # the form wins when it names the proceedings
    (("redressement", date(2026, 5, 4), None), [StepFact("collective_proceedings", OPENED)],
     ("redressement", date(2026, 5, 4), None, False, True)),
    # a form without its judgment date takes the step's
    (("redressement", None, None), [StepFact("collective_proceedings", OPENED)],
     ("redressement", OPENED, None, False, True)),
    # the form's dates without a kind are not read (the form requires the kind first)
    (("", date(2026, 5, 4), date(2026, 5, 20)), [], ("", None, None, False, False)),
    # a déclaration de créance alone: opened, date unknown (L622-24)
    (("", None, None), [StepFact("claim_declaration", date(2026, 7, 1))],
     ("", None, None, True, True)),
])
def test_one_reading_of_collective_proceedings(form: tuple[str, date | None, date | None],
                                               steps: list[StepFact],
                                               expected: tuple[object, ...]) -> None:
    found = collective_proceedings(*form, steps)
    assert (found.kind, found.opened_on, found.bodacc_published_on, found.claim_declared,
            found.in_progress) == expected
    assert (stage(steps, proceedings_kind=form[0]) == "procedure_collective") == expected[-1]
