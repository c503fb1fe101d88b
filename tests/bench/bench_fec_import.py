"""Benchmark: import a 200,000-line FEC, against a plain `csv` read of the same file.

Each measurement runs in a fresh interpreter so that its peak RSS is its own:
  plain  — `csv.reader` over the file, counting rows (the floor);
  parse  — the FEC reader and lettrage (app.imports): customer open items, nothing written;
  import — upload, dry run then apply through the service into a fresh database (SQLite, or
           CONTENTIEUX_DATABASE_URL's: an empty PostgreSQL database it may fill).
Prints lines per second and peak RSS, and the reader's and the full import's speed as ratios
to the plain read, by the clock and in CPU time (steadier on a shared machine).

    /work/venv/bin/python tests/bench/bench_fec_import.py [--lines 200000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.imports.builders import Fec  # noqa: E402

PLAIN = """
import csv, resource, sys, time
start, cpu = time.perf_counter(), time.process_time()
with open(sys.argv[1], encoding="utf-8", newline="") as handle:
    rows = sum(1 for _ in csv.reader(handle, delimiter="\\t"))
print(rows, time.perf_counter() - start, time.process_time() - cpu,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
PARSE = """
import resource, sys, time
from app.imports import fec
from app.imports.lettrage import Ledger
from app.imports.report import ImportReport
start, cpu = time.perf_counter(), time.process_time()
path = __import__("pathlib").Path(sys.argv[1])
fmt = fec.sniff(path)
report = ImportReport(kind="fec")
ledger = Ledger().add_all(fec.customer_lines(path, fmt, report))
open_invoices = sum(sum(not i.settled for i in c.invoices) for c in ledger.customers())
print(report.lines_read, time.perf_counter() - start, time.process_time() - cpu,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, open_invoices)
"""
# The user is made in a process of its own: its password hash (argon2, 64 MB) would otherwise
# be the import process's peak RSS.
SETUP = """
import sys
from pathlib import Path
from sqlmodel import Session
from app import db
from app.config import Settings
from tests.factories import make_user
settings = Settings(data_dir=Path(sys.argv[1]))
settings.ensure_dirs()
engine = db.make_engine(settings.db_url)
db.create_all(engine)
with Session(engine) as session:
    actor = make_user(session, "bench@lefevre.test", "Menuiserie Lefèvre")
print(actor.user_id, actor.creditor_id)
"""
IMPORT = """
import resource, sys, time
from pathlib import Path
from sqlmodel import Session
from app import db
from app.config import Settings
from app.services import imports
from app.services.context import Actor
path, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
actor = Actor(user_id=int(sys.argv[3]), creditor_id=int(sys.argv[4]), role="owner")
settings = Settings(data_dir=data_dir)
settings.max_upload_mb = 500
engine = db.make_engine(settings.db_url)
with Session(engine, expire_on_commit=False) as session:
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as handle:
        batch = imports.upload(session, actor, settings, handle, path.name, "fec")
    checked = time.perf_counter()
    imports.check(session, actor, settings, batch)
    check_s = time.perf_counter() - checked
    report = imports.apply(session, actor, settings, batch)
    elapsed, cpu_s = time.perf_counter() - start, time.process_time() - cpu
print(report.lines_read, elapsed, cpu_s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
      report.invoices.created, report.payments.created, check_s, baseline)
"""


def generate(path: Path, lines: int, customers: int = 2000, seed: int = 7) -> None:
    """Sales (3 lines) and receipts (2 lines); 70 % of invoices lettered, some partly."""
    rng = random.Random(seed)
    fec = Fec()
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(fec.text().splitlines()[0] + "\r\n")
        written, number = 0, 0
        while written < lines:
            number += 1
            customer = rng.randrange(customers)
            aux, name = f"C{customer:05d}", f"Client {customer:05d} SARL"
            ttc = Decimal(rng.randrange(10_000, 2_000_000)) / 100
            day = f"2026{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            letter = f"L{number}" if rng.random() < 0.7 else ""
            fec.rows = []
            fec.sale(day, aux, name, f"F-{number:07d}", str(ttc), letter=letter)
            if letter:
                paid = ttc if rng.random() < 0.8 else (ttc / 2).quantize(Decimal("0.01"))
                fec.receipt(day, aux, name, f"VIR-{number:07d}", str(paid), letter=letter)
            for row in fec.rows:
                handle.write("\t".join(row) + "\r\n")
            written += len(fec.rows)


def run(code: str, *args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, cwd=ROOT, check=True)
    return result.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "812345678FEC20261231.txt"
        generate(path, args.lines)
        size_mb = path.stat().st_size / 1e6
        rows, plain_s, plain_cpu, plain_rss = (float(x) for x in run(PLAIN, str(path)))
        lines, parse_s, parse_cpu, parse_rss, open_invoices = (
            float(x) for x in run(PARSE, str(path)))
        data = str(Path(folder) / "data")
        user_id, creditor_id = run(SETUP, data)
        out = [float(x) for x in run(IMPORT, str(path), data, user_id, creditor_id)]
        _, import_s, import_cpu, import_rss, created, payments, check_s, baseline = out
    print(f"FEC: {int(rows):,} lines, {size_mb:.1f} MB; {int(open_invoices):,} open invoices")
    print(json.dumps({
        "plain_csv": {"lines_per_s": round(rows / plain_s), "cpu_s": round(plain_cpu, 3),
                      "peak_rss_mb": round(plain_rss / 1024, 1)},
        "parse": {"lines_per_s": round(lines / parse_s), "cpu_s": round(parse_cpu, 3),
                  "peak_rss_mb": round(parse_rss / 1024, 1)},
        "import": {"lines_per_s": round(lines / import_s), "cpu_s": round(import_cpu, 3),
                   "peak_rss_mb": round(import_rss / 1024, 1),
                   "rss_before_import_mb": round(baseline / 1024, 1),
                   "dry_run_s": round(check_s, 2), "total_s": round(import_s, 2),
                   "invoices_created": int(created), "payments_created": int(payments)},
    }, indent=2))
    # Wall-clock ratios are what a user waits; CPU-time ratios hold on a busy machine.
    print(f"reader: {plain_s / parse_s:.3f}× the speed of a plain csv read "
          f"({plain_cpu / parse_cpu:.3f}× in CPU time), peak RSS {parse_rss / 1024:.0f} MB")
    print(f"full import (upload + dry run + apply): {plain_s / import_s:.3f}× the speed "
          f"({plain_cpu / import_cpu:.3f}× in CPU time), {lines / import_s:,.0f} lines/s, "
          f"peak RSS {import_rss / 1024:.0f} MB "
          f"(+{(import_rss - baseline) / 1024:.0f} MB over the app's own baseline)")


if __name__ == "__main__":
    main()
