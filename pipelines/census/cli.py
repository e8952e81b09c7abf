"""`python -m pipelines census import`: load the DfE workforce census returns an authority already has
(docs/CENSUS.md)."""

from pathlib import Path

from pipelines.writelock import WAIT_HELP, wait_seconds


def register(subparsers) -> None:
    census = subparsers.add_parser(
        "census", help="load the authority's DfE children's social work workforce census returns (docs/CENSUS.md)")
    actions = census.add_subparsers(dest="census_action", required=True, parser_class=type(census))
    imports = actions.add_parser("import", help="import census return XML files (one per year)")
    imports.add_argument("files", type=Path, nargs="+", metavar="FILE", help="census return XML files")
    imports.add_argument("--db", type=Path, required=True, metavar="PATH")
    imports.add_argument("--key", type=Path, metavar="FILE", help="pseudonymisation key file")
    imports.add_argument("--wait", type=wait_seconds, metavar="SECONDS", help=WAIT_HELP)


def run(args) -> int:
    from pipelines.census.importer import import_returns

    report = import_returns(args.files, args.db, key_path=args.key, wait_seconds=args.wait)
    print(report.summary())
    return 0
