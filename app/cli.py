"""`contentieux serve | demo | createuser | …`: the command line, with no prompts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from app import db, ops, quiet
from app.config import get_settings
from app.demo_credentials import DEMO_EMAIL, DEMO_PASSWORD
from app.errors import ValidationFailed

__all__ = ["DEMO_EMAIL", "DEMO_PASSWORD", "main"]


def _engine():  # type: ignore[no-untyped-def]
    settings = get_settings()
    settings.ensure_dirs()
    engine = db.make_engine(settings.db_url)
    db.migrate(engine)
    return engine


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app
    from app.web.event_loop import event_loop

    engine = _engine()
    if args.demo:
        _seed_demo(engine)
    settings = get_settings().model_copy(update={"demo": bool(args.demo)})
    print(f"Contentieux : http://{args.host}:{args.port}/  (données : {settings.data_dir})")
    app = create_app(settings, engine=engine, migrate=False)
    # X-Forwarded-* believed only from CONTENTIEUX_TRUSTED_PROXIES (default: from nobody).
    uvicorn.run(app, host=args.host, port=args.port, log_level="info",
                loop=event_loop(settings.db_url),
                proxy_headers=bool(settings.trusted_proxies),
                forwarded_allow_ips=settings.trusted_proxies or None)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Run the queue's jobs (PostgreSQL): claim files, imports, nightly alerts."""
    from app.queue import run_worker
    from app.storage import FileStore

    settings = get_settings()
    if settings.jobs_mode != "queue":
        print("Pas de file d'attente à traiter : avec la base SQLite intégrée (ou "
              "CONTENTIEUX_JOBS=inline), « contentieux serve » exécute lui-même les tâches. "
              "Un worker sert avec PostgreSQL (CONTENTIEUX_DATABASE_URL=postgresql+psycopg://…).",
              file=sys.stderr)
        return 2
    engine = _engine()
    from app.ops.inventory import referenced_files

    FileStore(settings.files_dir).sweep_abandoned(lambda: set(referenced_files(engine)))
    print(f"Contentieux : worker {'(une passe)' if args.once else 'démarré'} "
          f"(données : {settings.data_dir})", flush=True)
    run_worker(engine, settings, concurrency=args.concurrency, once=args.once)
    return 0


def _seed_demo(engine) -> None:  # type: ignore[no-untyped-def]
    from app.services import demo

    with db.session_scope(engine) as session:
        created = demo.seed(session, email=DEMO_EMAIL, password=DEMO_PASSWORD,
                            today=get_settings().today)
    if created:
        _read_demo_pieces(engine)
    state = "créé" if created else "déjà présent"
    print(f"Compte de démonstration ({state}) : {DEMO_EMAIL} / {DEMO_PASSWORD}")


def _read_demo_pieces(engine) -> None:  # type: ignore[no-untyped-def]
    """The demo's pièces are read as uploaded ones are: by the queue's workers, or by the
    server that starts inline (it reads what is left pending)."""
    from sqlmodel import Session, select

    from app.models import Evidence
    from app.queue import make_queue
    from app.services import evidence_text

    settings = get_settings()
    with Session(engine) as session:
        unread = list(session.exec(select(Evidence).where(Evidence.text_status == "none")))
        if settings.jobs_mode == "queue":
            queue = make_queue(engine, settings)
            try:
                evidence_text.launch(session, queue, unread)
            finally:
                queue.close()
        else:
            evidence_text.mark_pending(session, unread)


def cmd_demo(args: argparse.Namespace) -> int:
    _seed_demo(_engine())
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    from app.services import accounts

    with db.session_scope(_engine()) as session:
        try:
            accounts.create_user(session, email=args.email, password=args.password,
                                 creditor_name=args.creditor, role=args.role,
                                 is_admin=args.admin)
        except ValidationFailed as exc:
            print(exc.message, file=sys.stderr)
            return 2
    print(f"Utilisateur {args.email} rattaché à « {args.creditor} » ({args.role}).")
    return 0


def cmd_setpassword(args: argparse.Namespace) -> int:
    """An administrator's reset: the new password, and every session and token ends."""
    from app.errors import NotFound
    from app.services import credentials

    with db.session_scope(_engine()) as session:
        try:
            credentials.set_password(session, args.email, args.password)
        except (ValidationFailed, NotFound) as exc:
            print(exc.message, file=sys.stderr)
            return 2
    print(f"Mot de passe de {args.email.strip().lower()} changé ; ses sessions et jetons "
          "d'API sont fermés.")
    return 0


STATUS_FR = {"sent": "envoyé", "outbox": "boîte d'envoi", "skipped": "écarté",
             "failed": "échec", "draft": "projet", "retry": "nouvel essai prévu",
             "doubt": "incertain", "intent": "en cours", "cancelled": "annulé"}


def cmd_reminders_run(args: argparse.Namespace) -> int:
    """The day's reminders of one creditor (--creditor), or of every creditor whose
    "envoi automatique" is on; --dry-run only lists them."""
    from datetime import date

    from sqlmodel import Session

    from app.law.reminder_scenario import CHANNELS, TEMPLATES
    from app.services.reminders import run as reminders

    settings = get_settings()
    actual = settings.today or date.today()  # noqa: DTZ011 (local day)
    try:
        today = date.fromisoformat(args.today) if args.today else actual
    except ValueError:
        print(f"Date invalide : {args.today} (attendu AAAA-MM-JJ).", file=sys.stderr)
        return 2
    if today != actual and not args.dry_run:  # sent now: proved on the day it left
        print(f"Une autre date que celle du jour ({actual.strftime('%d/%m/%Y')}) n'est "
              "possible qu'avec --dry-run : une relance part et se prouve à la date de son "
              "envoi.", file=sys.stderr)
        return 2
    engine = _engine()
    with Session(engine) as session:
        creditors = [args.creditor] if args.creditor else reminders.auto_creditors(session)
    failed = False
    for creditor_id in creditors:
        try:
            outcomes = reminders.run(engine, settings, creditor_id, today, dry_run=args.dry_run)
        except ValueError as exc:
            print(str(exc).capitalize() + ".", file=sys.stderr)
            return 2
        print(f"Créancier {creditor_id} — relances du {today.strftime('%d/%m/%Y')}"
              f"{' (simulation : rien n’est envoyé)' if args.dry_run else ''} : "
              f"{len(outcomes)} action(s)")
        for o in outcomes:
            step = f"{TEMPLATES[o.step][0]} ({CHANNELS[o.channel]})" if o.step else "—"
            print(f"  débiteur {o.debtor_id} {o.debtor} | {step} | {', '.join(o.invoices)} | "
                  f"{STATUS_FR.get(o.status, o.status)}{' : ' + o.reason if o.reason else ''}")
            failed = failed or o.status == "failed"
    return 1 if failed else 0


def add_reminder_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    reminders = sub.add_parser("reminders", help="relances automatiques")
    actions = reminders.add_subparsers(dest="action", required=True)
    run = actions.add_parser("run", help="envoyer les relances du jour")
    run.add_argument("--today", help="date du jour (AAAA-MM-JJ), aujourd'hui par défaut")
    run.add_argument("--dry-run", action="store_true", help="lister sans rien envoyer")
    run.add_argument("--creditor", type=int, help="identifiant du créancier ; par défaut, "
                     "ceux dont l'envoi automatique est activé")
    run.set_defaults(func=cmd_reminders_run)


def cmd_makemigration(args: argparse.Namespace) -> int:
    """Write the Alembic revision that brings the last one to the current models."""
    from app.migrations_tool import make_revision

    path = make_revision(args.message)
    print(f"Révision écrite : {path}" if path else "Le schéma correspond déjà aux modèles.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contentieux", description="Contentieux")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="démarrer le serveur web")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="créer les données de démonstration")
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="exécuter les tâches de fond (PostgreSQL)")
    worker.add_argument("--concurrency", type=int, default=1, choices=range(1, 17),
                        metavar="N", help="tâches menées de front (1 par défaut)")
    worker.add_argument("--once", action="store_true",
                        help="traiter les tâches en attente puis s'arrêter")
    worker.set_defaults(func=cmd_worker)
    demo = sub.add_parser("demo", help="créer les données de démonstration")
    demo.set_defaults(func=cmd_demo)
    user = sub.add_parser("createuser", help="créer un utilisateur (et son créancier)")
    user.add_argument("--email", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--creditor", required=True, help="raison sociale du créancier")
    user.add_argument("--role", default="owner", choices=["owner", "member", "readonly"])
    user.add_argument("--admin", action="store_true", help="administrateur (taux, formulaires)")
    user.set_defaults(func=cmd_createuser)
    reset = sub.add_parser("setpassword", help="changer le mot de passe d'un utilisateur")
    reset.add_argument("--email", required=True)
    reset.add_argument("--password", required=True)
    reset.set_defaults(func=cmd_setpassword)
    migration = sub.add_parser("makemigration", help="écrire la migration Alembic des modèles")
    migration.add_argument("-m", "--message", required=True)
    migration.set_defaults(func=cmd_makemigration)
    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Later modules (backup, restore, check) register their sub-commands here.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [  # type: ignore[type-arg]
    ops.register,
    add_reminder_commands,
]


def main(argv: Sequence[str] | None = None) -> int:
    quiet.silence_libraries()
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
