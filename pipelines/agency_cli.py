"""`python -m pipelines agency compliance|cost`: DfE's agency rules per engagement, and the cost of cover."""

import json
import sys
from pathlib import Path

from pipelines.errors import UsageError


def register(commands, day) -> None:
    from pipelines.agency import COST_BY

    agency = commands.add_parser("agency", help="agency engagements: the statutory rules and the cost of cover")
    actions = agency.add_subparsers(dest="agency_action", required=True, parser_class=type(agency))
    rules = actions.add_parser("compliance", help="each rule's result for every engagement active on a day")
    rules.add_argument("--db", type=Path, required=True, metavar="PATH")
    rules.add_argument("--as-of", type=day, required=True, metavar="D")
    rules.add_argument("--unit", metavar="UNIT_ID")
    rules.add_argument("--format", default="json", choices=["json", "csv"])
    cost = actions.add_parser("cost", help="what agency cover cost against the same hours from our own staff")
    cost.add_argument("--db", type=Path, required=True, metavar="PATH")
    cost.add_argument("--from", dest="date_from", type=day, required=True, metavar="A")
    cost.add_argument("--to", dest="date_to", type=day, required=True, metavar="B")
    cost.add_argument("--by", default="none", choices=list(COST_BY))
    cost.add_argument("--unit", metavar="UNIT_ID")
    cost.add_argument("--format", default="json", choices=["json", "csv"])
    quarterly = actions.add_parser("quarterly", help="agency use and cost by job type for one quarter (CSV)")
    quarterly.add_argument("--db", type=Path, required=True, metavar="PATH")
    quarterly.add_argument("--quarter-end", type=day, required=True, metavar="D",
                           help="the quarter's last day: 31 March, 30 June, 30 September or 31 December")
    quarterly.add_argument("--unit", metavar="UNIT_ID")
    quarterly.add_argument("--format", default="csv", choices=["json", "csv"])


def _write(rows: list[dict], columns: list[str], form: str) -> None:
    if form == "json":
        print(json.dumps(rows, indent=2, default=str))
        return
    from pipelines.safe_cells import write_csv_rows

    write_csv_rows(sys.stdout, columns, rows)


def run(args) -> int:
    from pipelines import agency
    from pipelines.agency_settings import agency_settings
    from pipelines.authority import read_identity
    from pipelines.metrics import connect, known_unit

    settings = agency_settings()
    con = connect(args.db)
    try:
        if args.unit is not None and not known_unit(con, args.unit):
            raise UsageError(f"Unit '{args.unit}' is not in the loaded org structure.")
        if not agency.has_engagements_table(con):
            raise UsageError(f"{args.db} was loaded before agency engagements were part of the data contract: "
                             "load the extracts again (python -m pipelines ingest FOLDER --db PATH).")
        if args.agency_action == "compliance":
            frame = agency.compliance(con, args.as_of, args.unit, settings, read_identity(con).region)
            rows = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
                    for r in frame.to_dict("records")]
            _write(rows, agency.COMPLIANCE_COLUMNS, args.format)
            return 0
        if args.agency_action == "quarterly":
            if (args.quarter_end.month, args.quarter_end.day) not in ((3, 31), (6, 30), (9, 30), (12, 31)):
                raise UsageError(f"--quarter-end {args.quarter_end} is not the last day of a quarter (31 March, "
                                 "30 June, 30 September or 31 December).")
            rows = agency.quarterly_summary(con, args.quarter_end, args.unit, settings, read_identity(con).region)
            _write(rows, agency.QUARTERLY_COLUMNS, args.format)
            return 0
        if args.date_to < args.date_from:
            raise UsageError(f"--to {args.date_to} is before --from {args.date_from}.")
        segments = agency.cost_segments(con, args.date_from, args.date_to, args.unit, settings)
    finally:
        con.close()
    _write(agency.summarise_cost(segments, args.by), agency.COST_COLUMNS, args.format)
    return 0
