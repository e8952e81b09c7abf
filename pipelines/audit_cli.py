"""`python -m pipelines audit show|prune`: read the audit trail, and remove entries past their retention."""

import sys
from pathlib import Path

from pipelines.errors import UsageError

COLUMNS = ["time_utc", "user_email", "user_subject", "role", "scope", "event", "details"]


def _days(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}': give 1 day or more")
    return value


def register(commands, day) -> None:
    from pipelines.audit import EVENTS

    audit = commands.add_parser("audit", help="show the audit trail, or remove entries past their retention")
    actions = audit.add_subparsers(dest="audit_action", required=True, parser_class=type(audit))
    path_help = "the audit log (default: [audit] path in data/settings.toml, or WFS_AUDIT_LOG)"
    show = actions.add_parser("show", help="list audit entries, newest first")
    show.add_argument("--user", metavar="U", help="an e-mail address or subject id")
    show.add_argument("--from", dest="date_from", type=day, metavar="A", help="first day (UTC), included")
    show.add_argument("--to", dest="date_to", type=day, metavar="B", help="last day (UTC), included")
    show.add_argument("--event", choices=EVENTS, metavar="E", help=", ".join(EVENTS))
    show.add_argument("--format", default="text", choices=["text", "csv"])
    show.add_argument("--path", type=Path, metavar="FILE", help=path_help)
    prune = actions.add_parser("prune", help="remove entries older than the retention period")
    prune.add_argument("--older-than", type=_days, metavar="DAYS",
                       help="default: [audit] retention_days in data/settings.toml (400)")
    prune.add_argument("--path", type=Path, metavar="FILE", help=path_help)


def run(args) -> int:
    from pipelines import audit

    target = audit.log_path(args.path)
    if args.path is not None and not target.exists():
        raise UsageError(f"--path {args.path}: there is no audit log there.")
    if args.audit_action == "prune":
        days = args.older_than or audit.retention_days()
        removed = audit.prune(days, path=target)
        print(f"Removed {removed:,} audit {'entry' if removed == 1 else 'entries'} older than {days} days "
              f"from {target}.")
        return 0
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError(f"--from {args.date_from} is after --to {args.date_to}.")
    entries = audit.read(user=args.user, date_from=args.date_from, date_to=args.date_to, event=args.event,
                         path=target)
    rows = [{"time_utc": e.at_utc.strftime("%Y-%m-%d %H:%M:%S"), "user_email": e.user_email,
             "user_subject": e.user_subject, "role": e.role, "scope": e.scope, "event": e.event,
             "details": audit.details_words(e.details)} for e in entries]
    if args.format == "csv":
        from pipelines.safe_cells import write_csv_rows

        write_csv_rows(sys.stdout, COLUMNS, rows)
        return 0
    if not rows:
        print(f"No audit entries match in {target}.")
        return 0
    for row in rows:
        print(f"{row['time_utc']} UTC  {row['user_email']} ({row['role']}, {row['scope']})  {row['event']}  "
              f"{row['details']}")
    return 0
