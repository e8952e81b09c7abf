"""`python -m pipelines forecast ...`: the workforce forecast (docs/FORECAST.md) as JSON or CSV, one row per
month with the median and 80% band of every figure; `--backtest` prints the accuracy table instead."""

import json
import sys
from pathlib import Path

import numpy as np

from pipelines.contract import TIERS
from pipelines.errors import UsageError
from pipelines.forecast_model import DEFAULT_PATHS, DEFAULT_SEED


def register(commands, day, parser_class) -> None:
    forecast = commands.add_parser("forecast", help="project staff in post, vacancies and cover 6 to 24 months ahead")
    forecast.add_argument("--db", type=Path, required=True, metavar="PATH")
    forecast.add_argument("--as-of", type=day, required=True, metavar="D")
    forecast.add_argument("--months", type=int, metavar="N", help="months ahead, 6 to 24")
    forecast.add_argument("--unit", metavar="UNIT_ID")
    forecast.add_argument("--tier", dest="tiers", nargs="+", action="extend", choices=TIERS, metavar="T")
    forecast.add_argument("--social-work-only", action="store_true")
    forecast.add_argument("--paths", type=int, default=DEFAULT_PATHS, metavar="P",
                          help=f"simulated paths (default {DEFAULT_PATHS})")
    forecast.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                          help=f"random seed (default {DEFAULT_SEED}): the same seed gives the same forecast")
    forecast.add_argument("--what-if", type=Path, metavar="FILE.toml", help="a what-if scenario (docs/FORECAST.md)")
    forecast.add_argument("--format", default="json", choices=["json", "csv"])
    forecast.add_argument("--backtest", action="store_true",
                          help="print how far forecasts made 12 and 24 months before --as-of were off")


def forecast_rows(forecast, scenario: str) -> list[dict]:
    """The summary as plain rows: month as YYYY-MM-DD, numbers to 3 decimals, None where there is no value."""
    rows = []
    for record in forecast.summary().to_dict("records"):
        row = {"scenario": scenario, "month": record.pop("month").isoformat()}
        row.update({k: None if v is None or np.isnan(v) else round(float(v), 3) for k, v in record.items()})
        rows.append(row)
    return rows


def _print(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, indent=2))
    else:
        from pipelines.safe_cells import write_csv_rows

        write_csv_rows(sys.stdout, list(rows[0]) if rows else [], rows)


def _check(args) -> None:
    from pipelines.forecast_model import check_run

    if args.backtest:
        if args.what_if or args.months is not None:
            raise UsageError("--backtest measures the baseline forecast at 12 and 24 months; leave out --what-if "
                             "and --months.")
    elif args.months is None:
        raise UsageError("forecast needs --months N (6 to 24), or --backtest.")
    check_run(args.months or 12, args.paths)


def run(args) -> int:
    from pipelines.forecast_inputs import ConnectionQueries, gather_inputs
    from pipelines.forecast_model import simulate
    from pipelines.forecast_whatif import read_what_if
    from pipelines.metrics import connect, known_unit

    _check(args)
    what_if = read_what_if(args.what_if) if args.what_if else None
    con = connect(args.db)
    try:
        if args.unit is not None and not known_unit(con, args.unit):
            raise UsageError(f"Unit '{args.unit}' is not in the loaded org structure.")
        queries = ConnectionQueries(con)
        scope = (args.unit, tuple(sorted(set(args.tiers or ()))), bool(args.social_work_only))
        if args.backtest:
            from pipelines.forecast_backtest import backtest

            table = backtest(queries, scope, args.as_of, paths=args.paths, seed=args.seed)
            rows = [{k: _plain(v) for k, v in row.items()} for row in table.to_dict("records")]
            _print(rows, args.format)
            return 0
        inputs = gather_inputs(queries, scope, args.as_of)
        rows = forecast_rows(simulate(inputs, args.months, paths=args.paths, seed=args.seed), "baseline")
        if what_if is not None:
            rows += forecast_rows(simulate(inputs, args.months, what_if, paths=args.paths, seed=args.seed), "what_if")
    finally:
        con.close()
    _print(rows, args.format)
    return 0


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else round(float(value), 3)
    if isinstance(value, np.integer):
        return int(value)
    return value
