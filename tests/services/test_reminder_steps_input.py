"""The one reader of a scenario's steps (settings page and API): French errors per field."""

import pytest

from app.errors import ValidationFailed
from app.law.reminder_scenario import DEFAULT_STEPS, ScenarioStep
from app.services.reminders.steps_input import as_rows, day_label, form_rows, read_steps


def errors_of(rows) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        read_steps(rows)
    return caught.value.errors


def test_the_default_scenario_reads_back_as_itself() -> None:
    assert read_steps(as_rows(DEFAULT_STEPS)) == list(DEFAULT_STEPS)


def test_offsets_as_text_with_a_sign_or_a_j_are_read() -> None:
    rows = [{"offset_days": "J-5", "channel": "email", "template": "prevenance"},
            {"offset_days": "+3", "channel": "email", "template": "relance_1"}]
    assert read_steps(rows) == [ScenarioStep(-5, "email", "prevenance"),
                                ScenarioStep(3, "email", "relance_1")]


@pytest.mark.parametrize(("offset", "message"), [
    ("-61", "Entre -60 et +365 jours de l'échéance."),
    ("366", "Entre -60 et +365 jours de l'échéance."),
    ("trois", "Nombre de jours attendu, par exemple -5 (avant l'échéance) ou 15."),
    ("", "Nombre de jours attendu, par exemple -5 (avant l'échéance) ou 15."),
    ("2.5", "Nombre de jours attendu, par exemple -5 (avant l'échéance) ou 15."),
])
def test_an_offset_out_of_range_or_not_a_number_is_refused(offset, message) -> None:
    errors = errors_of([{"offset_days": offset, "channel": "email", "template": "relance_1"}])
    assert errors == {"steps.0.offset_days": message}


def test_two_steps_on_the_same_day_are_refused_on_the_second() -> None:
    errors = errors_of([{"offset_days": 3, "channel": "email", "template": "relance_1"},
                        {"offset_days": "3", "channel": "letter", "template": "relance_2"}])
    assert errors == {"steps.1.offset_days": "Deux étapes au même jour (J+3) : une seule par jour."}


def test_steps_follow_time_and_never_step_down_a_level() -> None:
    errors = errors_of([{"offset_days": 15, "channel": "email", "template": "relance_2"},
                        {"offset_days": 3, "channel": "email", "template": "relance_3"},
                        {"offset_days": 30, "channel": "email", "template": "relance_1"}])
    assert errors["steps.1.offset_days"].startswith("Les étapes se suivent dans le temps")
    assert "J+15" in errors["steps.1.offset_days"]
    assert errors["steps.2.template"].startswith("« Relance 1 » ne peut pas suivre « Relance 3 »")


def test_unknown_channel_and_template_and_an_empty_list() -> None:
    errors = errors_of([{"offset_days": 3, "channel": "fax", "template": "relance_9"}])
    assert errors == {"steps.0.channel": "Canal invalide : e-mail ou courrier.",
                      "steps.0.template": "Modèle invalide : prévenance, relance 1, 2, 3 ou "
                                          "mise en demeure."}
    assert errors_of([])["steps"].startswith("Un scénario compte au moins une étape")
    assert errors_of(["J+3"]) == {"steps.0": "Étape invalide : {offset_days, channel, template} "
                                             "attendu."}


def test_form_rows_keep_the_order_and_drop_removed_and_blank_rows() -> None:
    data = {"steps.1.offset_days": "15", "steps.1.channel": "email", "steps.1.template": "relance_2",
            "steps.0.offset_days": "3", "steps.0.channel": "email", "steps.0.template": "relance_1",
            "steps.2.offset_days": "30", "steps.2.channel": "letter",
            "steps.2.template": "relance_3", "steps.2.remove": "1",
            "steps.3.offset_days": "", "steps.3.channel": "email", "steps.3.template": "relance_1",
            "name": "Standard", "steps.x.offset_days": "9"}
    assert [r["offset_days"] for r in form_rows(data)] == ["3", "15"]


def test_day_labels() -> None:
    assert [day_label(d) for d in (-5, 0, 3)] == ["J-5", "J", "J+3"]
