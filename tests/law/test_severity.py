"""The severity vocabulary: what each alert asks of the user, the last safe day to start a step
the creditor must finish before a deadline, and counters that agree with the labels."""

from datetime import date, timedelta

import pytest

from app.law.alerts import Alert, AlertFacts, debtor_alerts
from app.law.calendar import holiday_calendar
from app.law.prescription import prescription
from app.law.severity import LEVEL_LABELS, counts, judge, judge_all

FRANCE = holiday_calendar(None, range(2025, 2029))
AS_OF = date(2026, 11, 22)


def alert(key: str, day: date, severity: str, action: str = "Faire.") -> Alert:
    return Alert(key, day, (day - AS_OF).days, severity, "titre", "conséquence", "art.",
                 action)  # type: ignore[arg-type]


def test_mise_en_demeure_expired_weeks_ago_says_you_may_act() -> None:
    # Sent 23/10/2026, received 26/10: 8 days from receipt → Tuesday 03/11/2026 (C. civ.
    # 1344, CPC 641-642); on 24/11/2026 it expired 21 days ago, as in the issue.
    as_of = date(2026, 11, 24)
    facts = AlertFacts(mise_en_demeure_sent=date(2026, 10, 23),
                       mise_en_demeure_received=date(2026, 10, 26), holidays=FRANCE)
    [med] = debtor_alerts(facts, as_of=as_of)
    judged = judge(med, as_of)
    assert (med.date, judged.level) == (date(2026, 11, 3), "can_act")
    assert judged.label == "Délai expiré : vous pouvez agir"
    assert "surveiller" not in judged.label.lower()


def test_mise_en_demeure_still_running_is_waited_out() -> None:
    # Sent 16/11/2026, 8 days → 24/11/2026, after AS_OF: the debtor may still pay.
    [med] = debtor_alerts(AlertFacts(mise_en_demeure_sent=date(2026, 11, 16), holidays=FRANCE),
                          as_of=AS_OF)
    assert judge(med, AS_OF).level == "wait"


def test_consumer_prescribed_in_60_days_must_file_now_and_serve_in_time() -> None:
    # Consumer, 2 years (C. conso. L218-2): deadline 21/01/2027 = AS_OF + 60 days.
    # Lead time 60 days (requête ~45 + service ~15) → last safe day 22/11/2026 = today.
    deadline = AS_OF + timedelta(days=60)
    result = prescription(debtor_kind="consumer", start=deadline.replace(year=2025), as_of=AS_OF)
    [due] = debtor_alerts(AlertFacts(prescription=result), as_of=AS_OF)
    judged = judge(due, AS_OF)
    assert judged.level == "act_now"
    assert judged.start_by == date(2026, 11, 22)
    assert "obtenue et signifiée avant le 21/01/2027" in judged.action
    assert "sans attendre" in judged.action


def test_prescription_in_150_days_names_the_last_safe_day_to_file() -> None:
    # Deadline AS_OF + 150 = 21/04/2027; minus 60 days → 20/02/2027 (90 days away: prepare).
    due = alert("prescription", AS_OF + timedelta(days=150), "warning")
    judged = judge(due, AS_OF)
    assert (judged.level, judged.start_by) == ("prepare", date(2027, 2, 20))
    assert judged.action.startswith("Déposer la requête en injonction de payer au plus tard "
                                    "le 20/02/2027")
    assert judged.remind_days == 67  # a week before the last safe day


def test_service_of_the_ordonnance_says_when_to_hand_it_to_the_commissaire() -> None:
    # Service deadline 31/12/2026; 15 days to serve → hand it over by 16/12/2026 (24 days).
    judged = judge(alert("injonction_service", date(2026, 12, 31), "urgent"), AS_OF)
    assert (judged.level, judged.start_by) == ("act_now", date(2026, 12, 16))
    assert "commissaire de justice au plus tard le 16/12/2026" in judged.action


def test_declaration_de_creance_gives_the_day_to_post_it() -> None:
    judged = judge(alert("declaration_creance", date(2027, 1, 15), "warning"), AS_OF)
    assert judged.start_by == date(2027, 1, 7)
    assert "au plus tard le 07/01/2027" in judged.action


@pytest.mark.parametrize(
    ("key", "day", "severity", "level"),
    [
        ("prescription", date(2026, 11, 1), "expired", "missed"),
        ("injonction_service", date(2026, 11, 1), "expired", "missed"),
        ("injonction_execution", date(2026, 11, 1), "info", "can_act"),
        ("echeance_impayee", date(2026, 11, 1), "warning", "can_act"),
        ("echeance_a_venir", date(2026, 12, 1), "info", "wait"),
        ("injonction_opposition", date(2026, 12, 1), "info", "wait"),
        ("injonction_opposition", date(2026, 12, 1), "urgent", "act_now"),  # opposition filed
        ("prescription", date(2029, 1, 1), "info", "info"),
    ],
)
def test_each_kind_of_deadline_gets_its_level(key, day, severity, level) -> None:
    assert judge(alert(key, day, severity), AS_OF).level == level


def test_most_pressing_first_and_counters_agree_with_labels() -> None:
    alerts = (alert("echeance_a_venir", date(2026, 12, 1), "info"),
              alert("mise_en_demeure", date(2026, 11, 2), "warning"),
              alert("prescription", date(2026, 1, 1), "expired"))
    judged = judge_all(alerts, AS_OF)
    assert [j.level for j in judged] == ["missed", "can_act", "wait"]
    tally = counts([j.level for j in judged])
    assert list(tally) == list(LEVEL_LABELS)
    assert (tally["missed"], tally["can_act"], tally["wait"], tally["act_now"]) == (1, 1, 1, 0)


def test_in_collective_proceedings_prescription_points_to_the_declaration() -> None:
    # No injonction de payer against a debtor in redressement (C. com. L622-21); the
    # déclaration de créance interrupts prescription (L622-25-1).
    due = alert("prescription", date(2031, 9, 3), "info", action="Déclarer la créance.")
    judged = judge(due, AS_OF, collective=True)
    assert (judged.start_by, judged.action, judged.level) == (None, "Déclarer la créance.", "info")
