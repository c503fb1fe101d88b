"""Operations commands: `contentieux backup | restore | check` (registered into app.cli).

Exit codes: 0 done and all is well; 1 problems found (check, or a backup that archived
corrupted files); 2 refused with a French message (nothing was changed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.ops.inventory import OpsError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="sauvegarder la base et les fichiers (à chaud)")
    backup.add_argument("file", type=Path, help="archive à écrire (.tar.gz ou .tar)")
    backup.set_defaults(func=_refusals_to_messages(cmd_backup))
    restore = sub.add_parser("restore", help="restaurer une sauvegarde dans un dossier vide")
    restore.add_argument("file", type=Path, help="archive écrite par « contentieux backup »")
    restore.set_defaults(func=_refusals_to_messages(cmd_restore))
    check = sub.add_parser("check", help="vérifier les fichiers stockés contre leur empreinte")
    check.set_defaults(func=_refusals_to_messages(cmd_check))


def _refusals_to_messages(command):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        try:
            return int(command(args))
        except OpsError as exc:
            print(exc.message, file=sys.stderr)
            return 2
    return run


def _engine():  # type: ignore[no-untyped-def]
    from app import db
    from app.config import get_settings

    settings = get_settings()
    settings.ensure_dirs()
    engine = db.make_engine(settings.db_url)
    db.migrate(engine)
    return settings, engine


def cmd_backup(args: argparse.Namespace) -> int:
    from app.ops.backup import write_backup

    settings, engine = _engine()
    try:
        summary = write_backup(engine, settings.files_dir, args.file,
                               forms_dir=settings.data_dir / "forms")
    finally:
        engine.dispose()
    megabytes = f"{summary.bytes / 1_000_000:.1f}".replace(".", ",")
    print(f"Sauvegarde écrite : {summary.path}")
    print(f"Base {summary.database} ({_counts(summary.counts)}), {summary.files} fichiers "
          f"({megabytes} Mo).")
    for name in summary.corrupted:
        print(f"Attention, fichier corrompu sauvegardé tel quel : {name}", file=sys.stderr)
    if summary.corrupted:
        print("Lancez « contentieux check » pour le détail.", file=sys.stderr)
        return 1
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.config import get_settings
    from app.ops.restore import restore_backup

    settings = get_settings()
    summary = restore_backup(args.file, settings)
    print(f"Sauvegarde restaurée dans {settings.data_dir} : base {summary.database} "
          f"({_counts(summary.counts)}), {summary.files} fichiers.")
    print("Le schéma sera mis à jour au prochain « contentieux serve ».")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from app.ops.check import check_store

    settings, engine = _engine()
    try:
        report = check_store(engine, settings.files_dir)
    finally:
        engine.dispose()
    for line in report.lines():
        print(line)
    return 1 if report.problems else 0


def _counts(counts: dict[str, int]) -> str:
    labels = {"debtor": "débiteurs", "evidence": "pièces", "generateddocument": "documents"}
    return ", ".join(f"{counts.get(key, 0)} {label}" for key, label in labels.items())
