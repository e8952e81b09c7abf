"""`python -m pipelines export pack|chart ...`: the same Word packs and chart images as the dashboard."""

import sys
from pathlib import Path

from pipelines.errors import UsageError

FORMATS = {".png": "png", ".svg": "svg", ".csv": "csv", ".xlsx": "xlsx"}


def register(commands, day, parser_class) -> None:
    export = commands.add_parser("export", help="Word scrutiny packs and chart images for committee papers")
    kinds = export.add_subparsers(dest="export_kind", required=True, parser_class=parser_class)
    for name, helptext in (("pack", "a Word scrutiny pack (.docx)"), ("chart", "one chart as PNG, SVG, CSV or XLSX")):
        sub = kinds.add_parser(name, help=helptext)
        if name == "chart":
            sub.add_argument("chart_name", metavar="NAME", nargs="?", help="the chart (omit to list them)")
        sub.add_argument("--db", type=Path, required=True, metavar="PATH")
        sub.add_argument("--unit", metavar="UNIT_ID")
        sub.add_argument("--from", dest="date_from", type=day, metavar="A")
        sub.add_argument("--to", dest="date_to", type=day, metavar="B")
        sub.add_argument("--tier", dest="tiers", nargs="+", action="extend", metavar="T")
        sub.add_argument("--social-work-only", action="store_true")
        sub.add_argument("--mode", choices=["publication", "internal"], default="publication")
        if name == "pack":
            sub.add_argument("--sections", nargs="+", metavar="SECTION")
        sub.add_argument("--out", type=Path, required=name == "pack", metavar="FILE")


def _filters(src, args):
    from reporting.filters import Filters, default_as_at, months_spanned

    as_at = args.date_to or default_as_at(src)
    start = args.date_from
    if start and start > as_at:
        raise UsageError(f"The period starts ({start}) after it ends ({as_at}).")
    months = 12 if start is None else months_spanned(start, as_at)
    return Filters(unit=args.unit, as_at=as_at, months=months, tiers=tuple(args.tiers or ()),
                   social_work_only=args.social_work_only, start=start)


def _prepare(args):
    from pipelines.contract import TIERS
    from pipelines.metrics import known_unit
    from reporting.source import DataSource

    unknown = sorted(set(args.tiers or ()) - set(TIERS))
    if unknown:
        raise UsageError(f"Unknown tier(s) {', '.join(unknown)}. Tiers: {', '.join(TIERS)}.")
    src = DataSource(args.db)
    src.connection()  # NotAWorkforceDatabase, in words, for a missing path, a folder or anyone else's file
    if args.unit and not known_unit(src.connection(), args.unit):
        raise UsageError(f"Unit '{args.unit}' is not in the loaded org structure.")
    return src, _filters(src, args)


def _census_only(args):
    """A DataSource when the database holds census returns but no HR extracts, else None."""
    from reporting.census import has_hr, has_returns
    from reporting.source import DataSource

    src = DataSource(args.db)
    src.connection()  # NotAWorkforceDatabase, in words, for a missing path, a folder or anyone else's file
    if has_returns(src) and not has_hr(src):
        return src
    src.close()
    return None


def _census_export(src, args) -> int:
    """Census returns only: the pack has the census section, and the charts are the census charts."""
    if args.export_kind != "pack":
        return _census_chart(src, args)
    if args.sections and set(args.sections) != {"census"} or args.unit or args.tiers or args.social_work_only:
        raise UsageError(f"{args.db} holds census returns only, so the pack has one section, 'census', for the "
                         "whole authority: leave out --sections, --unit, --tier and --social-work-only.")
    from reporting.census_pack import census_pack

    pack = census_pack(src, args.mode)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pack.content)
    print(f"Wrote the scrutiny pack of the census returns ({args.mode} mode) to {args.out}.")
    return 0


def _census_chart(src, args) -> int:
    from reporting.census_pack import census_chart_file, census_charts

    if args.unit or args.tiers or args.social_work_only:
        raise UsageError(f"{args.db} holds census returns only, for the whole authority: leave out --unit, --tier "
                         "and --social-work-only.")
    if not args.chart_name:
        print("Census charts (name, title):")
        for name, spec in sorted(census_charts(src, args.mode).items()):
            print(f"  {name}  {spec.title}")
        return 0
    return _write_chart(args, Path(f"{args.chart_name}.png"),
                        lambda fmt: census_chart_file(src, args.chart_name, fmt, args.mode))


def _write_chart(args, default_out: Path, make) -> int:
    """Write one chart to --out (its suffix picks the format), made by make(fmt)."""
    out = args.out or default_out
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise UsageError(f"--out must end in {', '.join(FORMATS)}.")
    content = make(fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    print(f"Wrote {args.chart_name} ({args.mode} mode) to {out}.")
    return 0


def run(args) -> int:
    """The one place the command line reaches the export code (reporting/), which never imports Streamlit."""
    census = _census_only(args)
    if census is not None:
        return _census_export(census, args)
    src, current = _prepare(args)
    if args.export_kind == "pack":
        from reporting.pack_builder import make_pack

        keys = tuple(args.sections) if args.sections else None
        pack = make_pack(src, current, keys, args.mode)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(pack.content)
        if pack.charts_left_out:
            print(f"Note: {pack.charts_left_out} chart(s) were left out of the pack and their tables kept, because "
                  f"chart images could not be made here: {pack.why_left_out} The pack's data statement says so.",
                  file=sys.stderr)
        print(f"Wrote the scrutiny pack ({args.mode} mode) to {args.out}.")
        return 0
    from reporting.pack_builder import chart_file

    if not args.chart_name:
        from reporting.catalog import chart_listing

        listing = chart_listing(src, current)
        width = max(map(len, listing), default=0)
        print(f"Charts for {current.as_at:%d %b %Y} (name, title, and the dashboard page that shows it):")
        for name, (spec, page) in sorted(listing.items()):
            print(f"  {name:<{width}}  {spec.title} (page: {page})")
        return 0
    return _write_chart(args, Path(f"{args.chart_name}-{current.as_at:%Y-%m-%d}.png"),
                        lambda fmt: chart_file(src, current, args.chart_name, fmt, args.mode))
