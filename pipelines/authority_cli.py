"""`python -m pipelines authority set|show`: whose data a workforce database holds (pipelines/authority.py)."""

from pathlib import Path

from pipelines.errors import UsageError
from pipelines.writelock import WAIT_HELP, wait_seconds


def register(commands) -> None:
    authority = commands.add_parser("authority", help="set or show which authority a database's data belong to")
    actions = authority.add_subparsers(dest="authority_action", required=True, parser_class=type(authority))
    chosen = actions.add_parser("set", help="set the authority from DfE's published files, by its LA code")
    chosen.add_argument("--la-code", required=True, metavar="CODE",
                        help="the new LA code (e.g. E06000035) or the three-digit LA number (e.g. 887)")
    chosen.add_argument("--name", metavar="NAME", help="the name to print on papers (default: DfE's name)")
    chosen.add_argument("--db", type=Path, required=True, metavar="PATH")
    chosen.add_argument("--wait", type=wait_seconds, metavar="SECONDS", help=WAIT_HELP)
    shown = actions.add_parser("show", help="show the authority a database belongs to")
    shown.add_argument("--db", type=Path, required=True, metavar="PATH")


def run(args) -> int:
    from pipelines.authority import is_set, lookup, read_identity, set_command_words, set_identity
    from pipelines.database import open_workforce_db

    if args.authority_action == "show":
        con = open_workforce_db(args.db)
        try:
            who = read_identity(con)
        finally:
            con.close()
        if not is_set(who):
            print(f"The authority is not set for {args.db}. Set it with: {set_command_words(args.db)}")
            return 0
        print(f"{who.name}: LA code {who.la_code}, LA number {who.la_number}, region {who.region}.")
        return 0
    who = lookup(args.la_code)
    if args.name is not None:
        name = " ".join(args.name.split())
        if not name:
            raise UsageError("--name is empty; leave it out to use DfE's name for the authority.")
        who = type(who)(name, who.la_code, who.la_number, who.region)
    set_identity(args.db, who, wait_seconds=args.wait)
    print(f"{args.db} now belongs to {who.name} (LA code {who.la_code}, LA number {who.la_number}, region "
          f"{who.region}). Its statistical neighbours and published figures come from DfE's files.")
    return 0
