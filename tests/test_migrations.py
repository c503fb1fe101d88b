"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from app import db


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": db.is_modelled})
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_migrating_twice_is_harmless(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    db.migrate(engine)
    engine.dispose()


def test_makemigration_writes_nothing_when_the_models_match(capsys) -> None:  # type: ignore[no-untyped-def]
    from app import cli

    assert cli.main(["makemigration", "-m", "nothing to do"]) == 0
    assert "Le schéma correspond déjà aux modèles." in capsys.readouterr().out


def test_pieces_of_a_claim_file_exported_before_0007_keep_its_numbers(tmp_path: Path) -> None:
    """0007_evidence_number: the debtor's latest exported claim file gives its pièces their
    kept numbers (LAW.md §5), so a delivery note found afterwards is numbered after them."""
    from datetime import date

    from alembic import command
    from alembic.config import Config
    from sqlmodel import Session

    from app.models import Debtor
    from app.services import claim_file, evidence
    from app.storage import FileStore
    from tests.documents.fillable import fillable_pdf
    from tests.factories import make_debtor, make_user

    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    db.migrate(engine)
    store = FileStore(tmp_path / "files")
    with Session(engine) as session:
        owner = make_user(session, "paul@martin.test", "Menuiserie Martin")
        debtor = make_debtor(session, owner)
        for kind, title in (("invoice", "Facture"), ("signed_quote", "Devis")):
            evidence.add_bytes(session, owner, store, debtor, fillable_pdf([title]),
                               f"{title}.pdf", 10**7, {"kind": kind, "title": title})
        job = claim_file.start(session, owner, debtor, {}, date(2026, 11, 30))
        job.status = "done"
        session.add(job)
        session.commit()
        numbering, debtor_id = job.options["numbering"], debtor.id
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006_debtor_revisions")  # as before 0007: no kept number
    db.migrate(engine)
    with Session(engine) as session:
        kept = [[e.number, e.id] for e in evidence.of_debtor(session, session.get(
            Debtor, debtor_id))]
    assert kept == numbering
    engine.dispose()


def test_an_excess_noted_before_0011_is_kept_aside_after_it(tmp_path: Path) -> None:
    """0011_payment_excess: a trop-perçu or an excess kept as an avoir, noted in the payment's
    reference before the column existed, is read back as the creditor's choice."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    engine = db.make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS_DIR))
    db.migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        for number, reference in enumerate(("VIR 12 (trop-perçu : 300,00 €)",
                                            "(excédent en avoir : 12,00 €)", "VIR 13"), 1):
            connection.execute(text(
                "INSERT INTO payment (id, creditor_id, debtor_id, date, amount, reference, kind, "
                "excess, created_at) VALUES (:id, 1, 1, '2026-11-20', 1, :ref, 'payment', '', "
                "'2026-11-20')"), {"id": number, "ref": reference})
    with engine.begin() as connection:  # the notes were written before the column
        config.attributes["connection"] = connection
        command.downgrade(config, "0010_debtor_stage_next")
        command.upgrade(config, "head")
        kept = connection.execute(text("SELECT excess FROM payment ORDER BY id")).scalars().all()
    assert kept == ["trop_percu", "avoir", ""]
    engine.dispose()
