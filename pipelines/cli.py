"""`python -m pipelines ...`: ingest extracts, compute metrics, write demo data, benchmark.

Bad input never shows a traceback: refused loads and bad requests print what to fix and exit 2.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from pipelines.contract import TIERS
from pipelines.errors import LoadRefused, UsageError
from pipelines.metric_specs import AS_OF, METRICS, PERIOD, SNAPSHOT
from pipelines.parsing import parse_date
from pipelines.writelock import WAIT_HELP, wait_seconds

DEFAULT_DB = Path("data/workforce.duckdb")


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors: same exit status, one plain line instead of a usage block
        print(f"Error: {message}. For the options: {self.prog} --help", file=sys.stderr)
        raise SystemExit(2)


def day(text: str):
    parsed = parse_date(text.strip())
    if parsed is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
    return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m pipelines", description="Workforce Stability data pipelines.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    ingest = commands.add_parser("ingest", help="validate a folder of HR extracts and load them")
    ingest.add_argument("source_dir", type=Path, metavar="SOURCE_DIR")
    ingest.add_argument("--db", type=Path, required=True, metavar="PATH")
    ingest.add_argument("--report", type=Path, metavar="FILE", help="write the full load report as JSON")
    ingest.add_argument("--mapping", type=Path, metavar="FILE", help="vendor column mapping (TOML)")
    ingest.add_argument("--key", type=Path, metavar="FILE", help="pseudonymisation key file")
    ingest.add_argument("--wait", type=wait_seconds, metavar="SECONDS", help=WAIT_HELP)

    metric = commands.add_parser("metric", help="compute one metric")
    metric.add_argument("name", metavar="NAME", help=", ".join(METRICS))
    metric.add_argument("--db", type=Path, required=True, metavar="PATH")
    when = metric.add_mutually_exclusive_group()
    when.add_argument("--as-of", type=day, metavar="D")
    when.add_argument("--snapshot", type=day, metavar="S")
    metric.add_argument("--from", dest="date_from", type=day, metavar="A")
    metric.add_argument("--to", dest="date_to", type=day, metavar="B")
    metric.add_argument("--by", default="none", choices=["none", "grade", "tier", "unit", "month", "type"])
    metric.add_argument("--unit", metavar="UNIT_ID")
    metric.add_argument("--tier", dest="tiers", nargs="+", action="extend", choices=TIERS, metavar="T")
    metric.add_argument("--social-work-only", action="store_true")
    metric.add_argument("--threshold", type=float, metavar="N")
    metric.add_argument("--format", default="json", choices=["json", "csv"])

    demo = commands.add_parser("demo", help="write the synthetic demo authority's extracts")
    demo.add_argument("--out", type=Path, required=True, metavar="DIR")
    demo.add_argument("--scale", type=float, default=1.0, metavar="N")
    demo.add_argument("--seed", type=int, default=2015, metavar="S")
    demo.add_argument("--db", type=Path, metavar="PATH", help="also load the demo into this database")
    demo.add_argument("--key", type=Path, metavar="FILE")
    demo.add_argument("--wait", type=wait_seconds, metavar="SECONDS", help=WAIT_HELP)

    from pipelines import export_cli

    export_cli.register(commands, day, Parser)
    from pipelines.benchmarks import cli as benchmarks_cli

    benchmarks_cli.register(commands)
    from pipelines import authority_cli

    authority_cli.register(commands)
    from pipelines import audit_cli

    audit_cli.register(commands, day)
    from pipelines import access_cli

    access_cli.register(commands)
    from pipelines import agency_cli

    agency_cli.register(commands, day)
    from pipelines.census import cli as census_cli

    census_cli.register(commands)
    from pipelines import forecast_cli

    forecast_cli.register(commands, day, Parser)

    bench = commands.add_parser("bench", help="time ingest and every metric on a large synthetic authority")
    bench.add_argument("--scale", default="large", choices=["small", "large"])
    bench.add_argument("--out", type=Path, metavar="FILE", help="also write the results as JSON")
    bench.add_argument("--workloads", nargs="*", choices=["clashes", "caseloads"], metavar="NAME",
                       help="instead, load only the messy and large workloads (clashes, caseloads; default both)")
    return parser


def _metric_request(args) -> dict:
    spec = METRICS.get(args.name)
    if spec is None:
        raise UsageError(f"Unknown metric '{args.name}'. Metrics: {', '.join(METRICS)}.")
    given = {"--as-of": args.as_of, "--snapshot": args.snapshot, "--from": args.date_from, "--to": args.date_to}
    wanted = {AS_OF: ["--as-of"], SNAPSHOT: ["--snapshot"], PERIOD: ["--from", "--to"]}[spec.reference]
    placeholders = {"--as-of": "D", "--snapshot": "S", "--from": "A", "--to": "B"}
    stray = [option for option, value in given.items() if value is not None and option not in wanted]
    missing = [option for option in wanted if given[option] is None]
    if stray or missing:
        needs = " ".join(f"{o} {placeholders[o]}" for o in wanted)
        raise UsageError(f"{args.name} is measured with {needs}" + (f", not {', '.join(stray)}." if stray else "."))
    if not spec.scope_filters and (args.tiers or args.social_work_only):
        raise UsageError(f"{args.name} takes no --tier or --social-work-only filter (METRICS.md section 7).")
    if args.threshold is not None and args.name != "caseload":
        raise UsageError("--threshold applies to the caseload metric only.")
    return {
        "as_of": args.as_of, "snapshot": args.snapshot, "date_from": args.date_from, "date_to": args.date_to,
        "by": args.by, "unit": args.unit, "tiers": args.tiers, "social_work_only": args.social_work_only,
        "threshold": 20.0 if args.threshold is None else args.threshold,
    }


def run_metric_command(args) -> int:
    from pipelines.metrics import connect, known_unit, run_metric

    request = _metric_request(args)
    con = connect(args.db)
    try:
        if args.unit is not None and not known_unit(con, args.unit):
            raise UsageError(f"Unit '{args.unit}' is not in the loaded org structure.")
        rows = run_metric(con, args.name, **request)
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        from pipelines.safe_cells import write_csv_rows

        write_csv_rows(sys.stdout, ["group", *METRICS[args.name].field_names], rows)
    return 0


def run_ingest_command(args) -> int:
    from pipelines.ingest import ingest
    from pipelines.report import LoadReport

    if args.report:
        check_output_file(args.report, "--report")
    try:
        report = ingest(args.source_dir, args.db, key_path=args.key, mapping_path=args.mapping,
                        wait_seconds=args.wait)
        code = 0
    except LoadRefused as refused:
        report = LoadReport(status="refused", source=str(args.source_dir), database=str(args.db),
                            problems=refused.problems)
        code = 2
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(report.to_json(), encoding="utf-8")
    print(report.summary(), file=sys.stderr if code else sys.stdout)
    return code


def run_demo_command(args) -> int:
    from pipelines.demo import write_demo

    if not args.scale > 0:
        raise UsageError(f"--scale must be a positive number (1 is a mid-sized authority), not {args.scale:g}.")
    blocking = next((p for p in [args.out, *args.out.parents] if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise UsageError(f"--out {args.out}: {blocking} is a file; give a folder for the demo's extract files.")
    summary = write_demo(args.out, scale=args.scale, seed=args.seed)
    print(f"Wrote the demo authority's extracts to {args.out}: " + ", ".join(f"{k} {v}" for k, v in summary.items()
                                                                              if not isinstance(v, (list, dict))))
    if args.db:
        args.source_dir, args.report, args.mapping = args.out, None, None
        code = run_ingest_command(args)
        if code == 0:
            from pipelines.authority import DEMO, set_identity

            set_identity(args.db, DEMO, demo=True, wait_seconds=args.wait)  # the demo database only
            write_demo_return(args.db, args.out.parent / "published_return.csv")
            write_demo_census(args.db, args.out.parent / "census")
        return code
    return 0


def write_demo_return(db: Path, out: Path) -> None:
    """The fictional authority's 'published' DfE return: true to its HR data but for one figure,
    misreported on purpose (agency workers left out of one year), for the reconciliation to catch."""
    from pipelines.authority import DEMO
    from pipelines.benchmarks.own_return import DEMO_MISREPORT, write_own_return
    from pipelines.metrics import connect

    who = DEMO
    con = connect(db)
    try:
        write_own_return(con, who, out, DEMO_MISREPORT)
    finally:
        con.close()
    print(f"Wrote the demo authority's published workforce return (with one planted discrepancy) to {out}.")


def write_demo_census(db: Path, out: Path) -> None:
    """The demo authority's census returns, one per year, derived from its HR history (docs/CENSUS.md);
    `make run` imports them, so the Benchmarks page shows the return, the HR data and DfE side by side."""
    from pipelines.authority import DEMO
    from pipelines.census.demo_returns import write_demo_returns
    from pipelines.metrics import connect

    con = connect(db)
    try:
        paths = write_demo_returns(con, DEMO.la_number, out)
    finally:
        con.close()
    print(f"Wrote the demo authority's census returns for {len(paths)} year(s) to {out}.")


def run_bench_command(args) -> int:
    from pipelines.bench import run_benchmark, run_workloads

    if args.out:
        check_output_file(args.out, "--out")
    if args.workloads is not None:
        run_workloads(args.workloads or ["clashes", "caseloads"], args.out)
        return 0
    run_benchmark(args.scale, args.out)
    return 0


def run_export_command(args) -> int:
    from pipelines import export_cli

    return export_cli.run(args)


def run_benchmarks_command(args) -> int:
    from pipelines.benchmarks import cli as benchmarks_cli

    return benchmarks_cli.run(args)


def run_authority_command(args) -> int:
    from pipelines import authority_cli

    return authority_cli.run(args)


def run_census_command(args) -> int:
    from pipelines.census import cli as census_cli

    return census_cli.run(args)


def run_audit_command(args) -> int:
    from pipelines import audit_cli

    return audit_cli.run(args)


def run_access_command(args) -> int:
    from pipelines import access_cli

    return access_cli.run(args)


def run_agency_command(args) -> int:
    from pipelines import agency_cli

    return agency_cli.run(args)


def run_forecast_command(args) -> int:
    from pipelines import forecast_cli

    return forecast_cli.run(args)


COMMANDS = {"ingest": run_ingest_command, "metric": run_metric_command, "demo": run_demo_command,
            "bench": run_bench_command, "export": run_export_command, "benchmarks": run_benchmarks_command,
            "authority": run_authority_command, "audit": run_audit_command,
            "access": run_access_command, "agency": run_agency_command, "census": run_census_command,
            "forecast": run_forecast_command}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (UsageError, LoadRefused) as problem:
        print(f"Error: {problem}", file=sys.stderr)
        return 2
    except OSError as problem:  # a file or folder the user named cannot be read or written
        where = f" {problem.filename}" if problem.filename else ""
        print(f"Error: cannot use{where}: {problem.strerror or problem}.", file=sys.stderr)
        return 2


def check_output_file(path: Path, option: str) -> None:
    """Refuse an output path that cannot be written, before any work is done for it."""
    if path.is_dir():
        raise UsageError(f"{option} {path} is a folder; give a file name.")
    folder = next((p for p in path.parents if p.exists()), Path("."))
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: {folder} is a file, not a folder.")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{option} {path}: this account may not write there.")
