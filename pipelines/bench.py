"""`bench`: time ingest, every metric with every grouping, and 120-month series on a large authority.

A benchmark, not a test: it prints medians and peak memory for docs/PERFORMANCE.md.
"""

import json
import platform
import resource
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pipelines.ingest import ingest
from pipelines.metric_specs import AS_OF, METRICS, PERIOD, SNAPSHOT
from pipelines.metrics import connect, run_metric, series

SCALES = {"small": 1.0, "large": 5.0}
TARGETS = {"ingest_s": 30.0, "metric_ms": 200.0, "series_s": 1.5, "peak_mb": 1536.0}
WORKLOAD_TARGETS = {"clashes": ("ingest_s", 10.0), "caseloads": ("peak_mb", 600.0)}


def month_ends(last: date, count: int) -> list[date]:
    ends, day = [], last
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return sorted(ends)


def _median_seconds(fn, repeats: int) -> float:
    fn()  # warm: the first call pays for planning and caches
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _counts(con) -> dict:
    query = ("select (select count(distinct person_key) from stg_assignments), (select count(*) from stg_assignments), "
             "(select count(*) from stg_caseloads), (select count(*) from stg_posts), (select max(snapshot_date) from stg_caseloads)")
    staff, assignments, caseloads, posts, latest = con.execute(query).fetchall()[0]
    return {"staff": staff, "assignments": assignments, "caseload_rows": caseloads, "post_rows": posts,
            "latest_snapshot": latest}


def _a_service(con) -> str:
    return con.execute("select min(unit_id) from unit_rows where unit_level = 'service'").fetchall()[0][0]


def _metric_timings(con, as_of: date, period: tuple[date, date], snapshot: date) -> list[dict]:
    """Every metric with every grouping over the whole authority, then scoped to one service
    (the unit subtree check) with a tier filter, as an assistant director's view would be."""
    results = []
    service = _a_service(con)
    for name, spec in METRICS.items():
        when = {AS_OF: {"as_of": as_of}, SNAPSHOT: {"snapshot": snapshot},
                PERIOD: {"date_from": period[0], "date_to": period[1]}}[spec.reference]
        scoped = {"unit": service} | ({"tiers": ["practitioner", "senior_practitioner", "team_manager"]}
                                       if spec.scope_filters else {})
        for by, scope in [(by, {}) for by in spec.groupings] + [("unit", scoped)]:
            seconds = _median_seconds(lambda: run_metric(con, name, by=by, **when, **scope), repeats=5)  # noqa: B023
            results.append({"metric": name, "by": by, "scope": f"unit {service}" if scope else "all",
                            "median_ms": round(seconds * 1000, 1)})
    return results


def run_benchmark(scale: str, out: Path | None) -> dict:
    from pipelines.demo import write_demo

    with tempfile.TemporaryDirectory(prefix="wfs-bench-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        write_demo(root / "extracts", scale=SCALES[scale])
        generate_s = time.perf_counter() - started
        started = time.perf_counter()
        ingest(root / "extracts", root / "bench.duckdb", key_path=root / "bench.key")
        ingest_s = time.perf_counter() - started
        con = connect(root / "bench.duckdb")
        counts = _counts(con)
        snapshot = counts.pop("latest_snapshot")
        as_of = snapshot
        period = (as_of - timedelta(days=364), as_of)
        metrics = _metric_timings(con, as_of, period, snapshot)
        days = month_ends(as_of, 120)
        series_results = [
            {"metric": name, "months": len(days),
             "median_s": round(_median_seconds(lambda: series(con, name, days), repeats=3), 3)}  # noqa: B023
            for name, spec in METRICS.items() if spec.reference == AS_OF
        ]
        snapshots = [row[0] for row in con.execute(
            "select distinct snapshot_date from stg_caseloads order by 1 desc limit 120").fetchall()]
        series_results.append({"metric": "caseload", "months": len(snapshots), "median_s": round(
            _median_seconds(lambda: series(con, "caseload", snapshots), repeats=3), 3)})
        from pipelines.bench_forecast import forecast_timings

        forecast = forecast_timings(con, as_of)
        con.close()
    result = {
        "date": date.today().isoformat(), "machine": f"{platform.machine()}, {platform.system()}, "
        f"Python {platform.python_version()}, {_cpu_count()} cores", "scale": scale, **counts,
        "generate_s": round(generate_s, 2), "ingest_s": round(ingest_s, 2), "metrics": metrics,
        "series": series_results, "forecast": forecast, "peak_memory_mb": round(_peak_mb(), 1), "targets": TARGETS,
    }
    _print(result)
    if out:
        out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return result


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0))


def _print(result: dict) -> None:
    worst = max(result["metrics"], key=lambda m: m["median_ms"])
    print(f"Benchmark ({result['scale']}) on {result['machine']}, {result['date']}")
    print(f"  {result['staff']:,} staff, {result['assignments']:,} assignments, "
          f"{result['caseload_rows']:,} caseload rows, {result['post_rows']:,} post rows")
    print(f"  generate {result['generate_s']} s; ingest {result['ingest_s']} s (target <= {TARGETS['ingest_s']} s)")
    for row in result["metrics"]:
        flag = "" if row["median_ms"] <= TARGETS["metric_ms"] else "  <-- over target"
        print(f"  {row['metric']:<20} by {row['by']:<6} {row['scope']:<14} {row['median_ms']:>8.1f} ms{flag}")
    print(f"  slowest metric query: {worst['metric']} by {worst['by']} {worst['median_ms']} ms "
          f"(target <= {TARGETS['metric_ms']} ms warm)")
    for row in result["series"]:
        print(f"  {row['metric']:<20} {row['months']}-month series {row['median_s']:>6.3f} s "
              f"(target <= {TARGETS['series_s']} s)")
    from pipelines.bench_forecast import print_forecast

    print_forecast(result["forecast"])
    print(f"  peak memory {result['peak_memory_mb']} MB (target <= {TARGETS['peak_mb']:.0f} MB)")


def run_workloads(names: list[str], out: Path | None) -> list[dict]:
    """Load each messy or large workload (pipelines/bench_workloads.py) in a fresh process."""
    from pipelines.bench_workloads import run_workload

    results = []
    for name in names:
        result = run_workload(name)
        measure, target = WORKLOAD_TARGETS[name]
        flag = "" if result[measure] <= target else "  <-- over target"
        print(f"  {name:<10} {result['input_mb']:>6.1f} MB of extracts, {result['rows_read']:,} rows read, "
              f"{result['rows_loaded']:,} loaded, {result['problems']:,} held back: load {result['ingest_s']} s, "
              f"peak memory {result['peak_mb']} MB (target {measure} <= {target:g}){flag}")
        results.append(result)
    if out:
        out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return results
