"""Benchmark: full-text search of the pièces, SQLite FTS5 or PostgreSQL's French tsvector.

Fills a fresh database (`create_all`, which builds the index and its triggers) with N pièces
of ~250 words each, spread over 200 debtors of one creditor plus as many of another creditor,
written row by row through the triggers; then times the searches the app runs (the box
across files and within one file). Prints the insert rate and the median and worst time of
each query, with the number of hits.

    /work/venv/bin/python tests/bench/bench_search.py [--pieces 20000] [--db-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

from app import db, services  # noqa: E402, F401
from app.services import search  # noqa: E402
from app.services.context import Actor  # noqa: E402

WORDS = ["facture", "livraison", "chantier", "menuiserie", "fenêtre", "porte", "escalier",
         "devis", "accord", "signé", "relance", "paiement", "échéance", "retard", "pénalité",
         "montant", "règlement", "virement", "chèque", "commande", "client", "fournisseur",
         "réception", "réserve", "travaux", "pose", "dépose", "bois", "chêne", "aluminium",
         "vitrage", "garantie", "contrat", "conditions", "générales", "vente"]
QUERIES = {"common word": "facture", "two words": "chantier échéance",
           "invoice number": "F-2026-0778", "rare phrase": "BL-2026-1234",
           "prefix": "menuiser", "within one file": "facture"}


def fill(engine, pieces: int) -> float:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    with Session(engine) as session:
        from tests.factories import make_debtor, make_user  # noqa: PLC0415

        actors = [make_user(session, f"u{c}@bench.test", f"Créancier {c}") for c in (1, 2)]
        for n in range(400):
            make_debtor(session, actors[n % 2], legal_name=f"Débiteur {n}", siren="")
    start = time.perf_counter()
    with engine.begin() as c:
        for n in range(pieces):
            debtor = n % 400 + 1
            body = " ".join(rng.choice(WORDS) for _ in range(250))
            body += f" Facture F-2026-{n % 1000:04d} bon de livraison BL-2026-{n}"
            c.execute(text("INSERT INTO evidence (id, creditor_id, debtor_id, sha256, size, "
                           "media_type, pages, original_name, kind, title, position, note, meta, "
                           "created_at, withdrawn_reason, text_status, text_source, ocr_sha256, "
                           "use_ocr_copy, suggested_kind, suggested_invoices, suggested_amounts) "
                           "VALUES (:i, :c, :d, :s, 1, 'application/pdf', 1, :o, 'other', '', :i,"
                           " '', '{}', CURRENT_TIMESTAMP, '', 'done', 'ocr', '', false, '', '[]',"
                           " '[]')"),
                      {"i": n + 1, "c": 2 - debtor % 2, "d": debtor, "s": f"{n:064d}",
                       "o": f"scan-{n}.pdf"})
            c.execute(text("INSERT INTO evidencetext (evidence_id, creditor_id, debtor_id, text, "
                           "pages, updated_at) VALUES (:i, :c, :d, :t, 1, CURRENT_TIMESTAMP)"),
                      {"i": n + 1, "c": 2 - debtor % 2, "d": debtor, "t": body})
    return pieces / (time.perf_counter() - start)


def timed(session: Session, query: str, debtor_id: int | None) -> tuple[float, int]:
    actor = Actor(user_id=None, creditor_id=1, role="owner")  # type: ignore[arg-type]
    start = time.perf_counter()
    hits = search.search(session, actor, search.checked(query), debtor_id)
    return (time.perf_counter() - start) * 1000, len(hits)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pieces", type=int, default=20_000)
    parser.add_argument("--db-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.db_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        engine = db.make_engine(url)
        if not url.startswith("sqlite"):
            with engine.begin() as c:
                c.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
        SQLModel.metadata.create_all(engine)
        rate = fill(engine, args.pieces)
        print(f"{engine.dialect.name}: {args.pieces} pièces written at {rate:.0f}/s "
              "(index kept by triggers)")
        with Session(engine) as session:
            for label, query in QUERIES.items():
                debtor = 1 if label == "within one file" else None
                runs = [timed(session, query, debtor) for _ in range(7)]
                times = [t for t, _ in runs]
                print(f"  {label:16} {query!r:22} median {statistics.median(times):7.1f} ms, "
                      f"worst {max(times):7.1f} ms, {runs[0][1]} hits")
        engine.dispose()


if __name__ == "__main__":
    main()
