"""`python -m pipelines benchmarks import|download|reconcile`: DfE's published figures beside ours."""

import sys
from pathlib import Path

from pipelines.database import check_workforce_db
from pipelines.errors import UsageError
from pipelines.safe_cells import csv_text
from pipelines.writelock import WAIT_HELP, wait_seconds


def register(subparsers) -> None:
    benchmarks = subparsers.add_parser(
        "benchmarks", help="import DfE's published workforce statistics to compare against (docs/BENCHMARKS.md)")
    actions = benchmarks.add_subparsers(dest="benchmarks_action", required=True, parser_class=type(benchmarks))

    imports = actions.add_parser("import", help="import DfE CSV files you have downloaded")
    imports.add_argument("files", type=Path, nargs="+", metavar="FILE",
                         help="the indicators CSV, the statistical neighbour groupings CSV and/or the "
                              "children-looked-after social-worker count CSV (or EES ZIP downloads)")
    imports.add_argument("--db", type=Path, required=True, metavar="PATH")
    imports.add_argument("--allow-older", action="store_true",
                         help="replace a newer release already imported with an older one")

    download = actions.add_parser("download", help="fetch the files from DfE (addresses in data/settings.toml) "
                                                   "and import them")
    download.add_argument("--db", type=Path, required=True, metavar="PATH")
    download.add_argument("--out", type=Path, metavar="DIR", help="where to keep the files (default: a "
                                                                  "'dfe-downloads' folder beside the database)")
    download.add_argument("--allow-older", action="store_true")

    own = actions.add_parser("own-return", help="write the authority's workforce return as its HR data give it "
                                                "(DfE's indicators format), e.g. to check a return before it is sent")
    own.add_argument("--db", type=Path, required=True, metavar="PATH")
    own.add_argument("--out", type=Path, required=True, metavar="FILE")
    own.add_argument("--source", choices=["census", "hr"],
                     help="work the return out from the loaded census returns or from the HR extracts "
                          "(default: census returns when any are loaded, else HR extracts; docs/CENSUS.md)")

    check = actions.add_parser("reconcile", help="compare the authority's published figures with its HR data")
    check.add_argument("--db", type=Path, required=True, metavar="PATH")
    check.add_argument("--format", default="text", choices=["text", "csv"])
    for writer in (imports, download):  # the commands that write the database take its writer lock
        writer.add_argument("--wait", type=wait_seconds, metavar="SECONDS", help=WAIT_HELP)


def _import(files: list[Path], args) -> int:
    from pipelines.benchmarks.importer import import_files

    report = import_files(files, args.db, allow_older=args.allow_older, wait_seconds=args.wait)
    print(report.summary())
    return 0


def _download(args) -> int:
    from pipelines.benchmarks import benchmark_settings
    from pipelines.benchmarks.download import download

    if not args.db.exists():
        raise UsageError(f"{args.db}: no workforce database there. Load the HR extracts first: "
                         f"python -m pipelines ingest FOLDER --db {args.db}")
    settings = benchmark_settings()
    # Not 'dfe': beside data/workforce.duckdb that is data/dfe, the copies shipped with the product.
    out = args.out or args.db.parent / "dfe-downloads"
    files = download(settings.urls, out, settings.timeout_seconds)
    print("Downloaded: " + ", ".join(str(f) for f in files))
    return _import(files, args)


def _reconcile(args) -> int:
    import duckdb

    from pipelines.benchmarks import benchmark_settings
    from pipelines.benchmarks.comparable import figures_for_database
    from pipelines.benchmarks.reconcile import COMMON_REASON, as_table, reconcile
    from pipelines.metrics import connect
    from pipelines.settings import load_settings
    from pipelines.views import run_view

    con = connect(args.db)
    try:
        who = _identity_or_refuse(con, args.db)
        try:
            published = run_view(con, "benchmark_series", {"la_code": who.la_code, "la_number": who.la_number,
                                                           "region": who.region})
        except duckdb.CatalogException:
            raise UsageError(f"No DfE figures in {args.db} yet: python -m pipelines benchmarks import FILE "
                             f"--db {args.db}") from None
        ours = figures_for_database(con, threshold=load_settings().caseload_threshold)
    finally:
        con.close()
    comparisons = reconcile(ours, published[published["role"] == "authority"], benchmark_settings())
    table = as_table(comparisons)
    if args.format == "csv":
        sys.stdout.write(csv_text(table))
        return 0
    flagged = [c for c in comparisons if c.flagged]
    print(f"{len(comparisons)} comparisons of {who.name}'s published DfE figures with its HR data; "
          f"{len(flagged)} differ by more than the tolerance.")
    for item in flagged:
        print(f"\n- {item.sentence(who.name)}")
        for reason in item.reasons:
            print(f"    * {reason}")
    if flagged:
        print(f"\nFor every measure, also check: {COMMON_REASON}")
    return 0


def run(args) -> int:
    if args.benchmarks_action == "import":
        return _import(args.files, args)
    if args.benchmarks_action == "download":
        if args.db.exists():
            check_workforce_db(args.db)  # before fetching anything: a wrong --db is said at once
        return _download(args)
    if args.benchmarks_action == "own-return":
        from pipelines.cli import check_output_file

        check_output_file(args.out, "--out")
        return _own_return(args)
    return _reconcile(args)


def _own_return(args) -> int:
    from pipelines.census.own_return import write_census_return
    from pipelines.database import has_hr_data, open_workforce_db

    con = open_workforce_db(args.db)
    try:
        census = _census_years(con)
        source = args.source or ("census" if census else "hr")
        if source == "census":
            if not census:
                raise UsageError(f"No census returns in {args.db} yet: python -m pipelines census import FILE.xml "
                                 f"--db {args.db}" + (" (or use --source hr)" if has_hr_data(con) else ""))
            who = _identity_or_refuse(con, args.db)
            years = write_census_return(con, who, args.out)
            print(f"Wrote {who.name}'s return as its census returns give it ({years} year(s)) to {args.out}.")
            return 0
    finally:
        con.close()
    return _own_return_from_hr(args)


def _census_years(con) -> int:
    from pipelines.census.figures import has_census

    return has_census(con) and con.execute("select count(*) from census_returns").fetchall()[0][0]


def _own_return_from_hr(args) -> int:
    from pipelines.benchmarks.own_return import write_own_return
    from pipelines.metrics import connect

    con = connect(args.db)
    try:
        who = _identity_or_refuse(con, args.db)
        write_own_return(con, who, args.out)
    finally:
        con.close()
    print(f"Wrote {who.name}'s return as its HR data give it to {args.out}.")
    return 0


def _identity_or_refuse(con, db: Path):
    """The database's authority; nothing is ever compared with another council's figures, so refuse until set."""
    from pipelines.authority import read_identity, set_command_words

    who = read_identity(con)
    if not who.complete:
        raise UsageError(f"The authority is not set for {db}, so there is nothing to compare with: "
                         f"{set_command_words(db)} (with your own LA code).")
    return who
