"""The debtors list filtered on a stage takes its number of debtors from the stage totals kept
at every change (app/services/dashboard/maintain.py), not from counting them at each render:
after any change, it equals a count of the debtors themselves, settled ones included."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, func, update
from sqlmodel import Session, select

from app import db
from app.law.stages import STAGE_RANK, STAGES
from app.models import Creditor, Debtor, StageTotal
from app.services import alerts, debtors, payments
from app.services.context import Actor
from app.services.dashboard.build import ensure_built
from tests.dashboard.portfolio import AS_OF, build
from tests.factories import make_debtor, make_invoice, make_payment, make_step, make_user


def listed(session: Session, actor: Actor) -> dict[str, int]:
    """Each stage's number of debtors as the list filtered on it says."""
    return {stage: debtors.search(session, actor, filters=debtors.Filters(stage=stage, as_of=AS_OF),
                                  today=AS_OF).total for stage in STAGES}


def counted(session: Session, actor: Actor) -> dict[str, int]:
    """Each stage's debtors counted one by one."""
    found = dict(session.exec(select(Debtor.stage, func.count()).where(
        Debtor.creditor_id == actor.creditor_id).group_by(Debtor.stage)).all())
    return {stage: found.get(stage, 0) for stage in STAGES}


def test_the_number_at_each_stage_follows_every_change(
        session: Session, owner: Actor, outsider: Actor) -> None:
    ids = build(session, owner)
    settled = make_debtor(session, owner, legal_name="Hôtel du Port", siren="")
    make_invoice(session, owner, settled, number="H-1", issue_date="2026-06-01",
                 due_date="2026-07-01")
    make_payment(session, owner, settled, date="2026-07-15", amount="1200.00")
    other = make_debtor(session, outsider, legal_name="Client de Roux", siren="")
    make_invoice(session, outsider, other, number="R-1", issue_date="2026-06-01",
                 due_date="2026-07-01")
    alerts.refresh_stale(session, AS_OF)
    assert listed(session, owner) == counted(session, owner)
    assert listed(session, owner)["amiable"] == 3  # Bernard, Moreau and the settled hotel
    # A mise en demeure moves Bernard; a first reminder, Moreau; a new debtor comes; a payment
    # settles Durand.
    make_step(session, owner, session.get(Debtor, ids["C"]), kind="mise_en_demeure",  # type: ignore[arg-type]
              date="2026-11-20", channel="lrar")
    make_step(session, owner, session.get(Debtor, ids["E"]), kind="reminder", level="1",  # type: ignore[arg-type]
              date="2026-11-21")
    make_debtor(session, owner, legal_name="Garage Lemoine", siren="")
    payment = make_payment(session, owner, session.get(Debtor, ids["A"]), date="2026-11-10",  # type: ignore[arg-type]
                           amount="3000.00")
    alerts.refresh_stale(session, AS_OF)
    after = listed(session, owner)
    assert after == counted(session, owner) != {stage: 0 for stage in STAGES}
    assert after["amiable"] == 2 and after["mise_en_demeure"] == 2 and after["relance_1"] == 1
    payments.delete(session, owner, payment)
    alerts.refresh_stale(session, AS_OF)
    assert listed(session, owner) == counted(session, owner)
    assert listed(session, outsider) == counted(session, outsider)


def test_the_list_at_one_stage_does_not_count_the_debtors(
        session: Session, owner: Actor, engine) -> None:  # type: ignore[no-untyped-def]
    build(session, owner)
    alerts.refresh_stale(session, AS_OF)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        total = listed(session, owner)["amiable"]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert total == 2
    assert any("stagetotal.all_debtors" in s for s in statements), statements
    assert not any(s.startswith("SELECT count(*)") and "FROM debtor" in s
                   for s in statements), statements


def test_before_its_totals_are_built_a_creditor_s_debtors_are_counted(
        session: Session, owner: Actor) -> None:
    """A creditor from before the kept totals (0003) gets them at its first dashboard: until
    then the list counts its debtors."""
    build(session, owner)
    alerts.refresh_stale(session, AS_OF)
    expected = counted(session, owner)
    connection = session.connection()
    connection.execute(StageTotal.__table__.delete())  # type: ignore[attr-defined]
    connection.execute(update(Creditor.__table__).values(portfolio_built=False))  # type: ignore[attr-defined]
    session.commit()
    session.expire_all()
    assert listed(session, owner) == expected
    creditor = session.get(Creditor, owner.creditor_id)
    ensure_built(session, creditor)  # type: ignore[arg-type]
    assert listed(session, owner) == expected


def test_the_upgrade_counts_the_debtors_at_each_stage(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    with Session(engine, expire_on_commit=False) as session:
        owner = make_user(session, "paul@martin.test", "Menuiserie Martin")
        build(session, owner)
        settled = make_debtor(session, owner, legal_name="Hôtel du Port", siren="")
        make_invoice(session, owner, settled, number="H-1", issue_date="2026-06-01",
                     due_date="2026-07-01")
        make_payment(session, owner, settled, date="2026-07-15", amount="1200.00")
        alerts.refresh_stale(session, AS_OF)
        before = counted(session, owner)
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008_alert_counts")  # as before: no count of all debtors
    db.migrate(engine)
    with Session(engine) as session:
        assert listed(session, owner) == before
        assert sum(before.values()) == 6 and before["amiable"] == 3
        kept = {row.stage: row.all_debtors for row in session.exec(select(StageTotal))}
        assert {stage: n for stage, n in kept.items() if n} == \
            {stage: n for stage, n in before.items() if n}
    assert set(STAGE_RANK) == set(STAGES)
    engine.dispose()
