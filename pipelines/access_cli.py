"""`python -m pipelines access check|who`: check the access rules file against a database, and say which rule a
given user would get. For the IT team setting sign-in up, before anyone signs in."""

from pathlib import Path

from pipelines.errors import UsageError


def register(commands) -> None:
    access = commands.add_parser("access", help="check the access rules (data/access.toml) used when sign-in is on")
    actions = access.add_subparsers(dest="access_action", required=True, parser_class=type(access))
    rules_help = "the access rules file (default: data/access.toml, or WFS_ACCESS)"
    check = actions.add_parser("check", help="read the rules, list them, and name unit ids the database lacks")
    check.add_argument("--rules", type=Path, metavar="FILE", help=rules_help)
    check.add_argument("--db", type=Path, metavar="PATH", help="also check unit ids against this database")
    who = actions.add_parser("who", help="which rule a user with these claims would get")
    who.add_argument("--email", metavar="E", default="")
    who.add_argument("--groups", nargs="*", default=[], metavar="G")
    who.add_argument("--roles", nargs="*", default=[], metavar="R")
    who.add_argument("--rules", type=Path, metavar="FILE", help=rules_help)


def _describe(access) -> str:
    from pipelines.access_rules import ROLE_WORDS

    exports = "internal and publication downloads" if access.may_export_internal else "publication downloads only"
    return f"{ROLE_WORDS[access.role]}; {access.scope_words}; {exports}"


def run(args) -> int:
    from pipelines.access_rules import load_rules, rules_path

    path = rules_path(args.rules)
    if args.rules is not None and not path.exists():
        raise UsageError(f"--rules {args.rules}: there is no file there.")
    rules = load_rules(path)
    if args.access_action == "who":
        claims = {"email": args.email, "groups": args.groups, "roles": args.roles}
        access = rules.for_user(claims)
        print(f"{rules.source}: " + (f"rule '{access.rule}': {_describe(access)}." if access else
                                      f"no rule matches; this user would be told to ask {rules.ask}."))
        return 0
    if not rules.rules:
        print(f"{rules.source}: no rules, so every signed-in user would be told to ask {rules.ask}.")
        return 0
    print(f"{rules.source}: {len(rules.rules)} rule(s), tried in this order (the first that matches a user wins):")
    for number, rule in enumerate(rules.rules, 1):
        print(f"  {number}. {rule.access.rule}: {_describe(rule.access)}")
    if args.db is not None:
        missing = sorted(rules.unit_ids() - _unit_ids(args.db))
        if missing:
            print(f"Warning: {len(missing)} unit id(s) in the rules are not in {args.db}'s structure: "
                  f"{', '.join(missing)}. Users given only those units see no figures.")
            return 1
        print(f"Every unit id in the rules is in {args.db}'s structure.")
    return 0


def _unit_ids(db: Path) -> set[str]:
    from pipelines.database import open_workforce_db

    con = open_workforce_db(db)
    try:
        return {row[0] for row in con.execute("select distinct unit_id from unit_rows").fetchall()}
    finally:
        con.close()
