"""The demo authority's census returns, one per year, derived from its loaded HR history, so that the
three-way reconciliation (return, HR data, DfE) has something to show in the demo.

Each return is what the HR data say on 30 September: social-work posts only, the workers in post
(permanent and fixed-term) and agency workers (agency and interim) on that day, and the year's leavers.
The personal items DfE collects are filled with fake values (the demo authority is fictional), and the
SWE number is a fake made from the worker's pseudonym, so the same worker has the same number every year."""

import hashlib
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from pipelines.benchmarks.comparable import comparable_figures, reporting_years, year_span
from pipelines.views import run_view

ORG_ROLE = {"director": "1", "assistant_director": "1", "head_of_service": "2", "team_manager": "3",
            "senior_practitioner": "4", "practitioner": "5", "support": "6"}
REASON = {"resignation": "1", "voluntary_redundancy": "2", "compulsory_redundancy": "3", "dismissal": "4",
          "retirement": "5", "death": "6", "end_of_contract": "8", "other": "8", "unknown": "9"}
DESTINATIONS = ("1", "1", "1", "3", "3", "4", "5", "6", "8")  # a quarter of resigners go to agency work
ORIGINS = ("1", "1", "2", "2", "2", "4", "5", "6", "9")
ETHNICITIES = ("WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "BCRB", "CHNE", "REFU")

WORKERS_SQL = """
with people as (
    select person_key, is_agency, sum(fte) as fte, min(start_date) as started,
        arg_max(tier, fte) as tier
    from assignment_spans
    where $day between span_from and span_to and social_work_post and (is_agency or is_substantive)
    group by person_key, is_agency
),
cases as (
    select person_key, open_cases from stg_caseloads where snapshot_date = $snapshot
)
select p.person_key, p.is_agency, least(p.fte, 1.0) as fte, p.started, p.tier, c.open_cases
from people as p
left join cases as c using (person_key)
order by p.is_agency, p.person_key
"""
LEAVERS_SQL = """
select l.person_key, l.leave_day, least(l.leaver_fte, 1.0) as fte, l.tier, l.leaving_reason,
    (select min(start_date) from assignment_spans as s where s.person_key = l.person_key
        and s.start_date <= l.leave_day) as started
from leaving_events as l
where l.social_work_post and l.leave_day between $start and $end
order by l.person_key, l.leave_day
"""


def _pick(options: tuple, *key) -> str:
    digest = hashlib.sha256("/".join(map(str, key)).encode()).digest()
    return options[digest[0] % len(options)]


def _number(person_key: str) -> int:
    return int(hashlib.sha256(person_key.encode()).hexdigest()[:12], 16)


def _fake_personal(person_key: str) -> dict:
    """Made-up values where DfE collects personal items (never stored by the import)."""
    n = _number(person_key)
    return {"SWENo": f"SW{n % 10**10:010d}", "PersonBirthDate": date(1960 + n % 40, 1 + n % 12, 1 + n % 28).isoformat(),
            "GenderCurrent": ("1", "2", "2")[n % 3], "Ethnicity": ETHNICITIES[n % len(ETHNICITIES)],
            "QualInst": "University of Northbridge (demo)"}


def _worker_xml(cells: dict) -> str:
    return "  <CSWWWorker>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in cells.items() if v not in (None, "")) \
        + "</CSWWWorker>"


def _in_post(row, year: int) -> str:
    start, _ = year_span(year)
    cases = int(row["open_cases"] or 0)
    role = ORG_ROLE.get(row["tier"], "6")
    role = "6" if role == "5" and not cases else role
    fake = _fake_personal(row["person_key"])
    started = row["started"]
    return _worker_xml({
        "AgencyWorker": "1" if row["is_agency"] else "0", "SWENo": fake["SWENo"], "FTE": f"{row['fte']:.6f}",
        "PersonBirthDate": fake["PersonBirthDate"], "GenderCurrent": fake["GenderCurrent"],
        "Ethnicity": fake["Ethnicity"], "QualInst": fake["QualInst"], "OrgRole": role,
        "RoleStartDate": started.isoformat() if not row["is_agency"] else "",
        "StartOrigin": _pick(ORIGINS, row["person_key"]) if not row["is_agency"] and started >= start else "",
        "FTE30": f"{row['fte']:.6f}", "Cases30": str(cases) if cases else "",
        "WorkingDaysLost": "" if row["is_agency"] else f"{_number(row['person_key'] + str(year)) % 1500 / 100:.2f}",
    })


def _leaver(row) -> str:
    fake = _fake_personal(row["person_key"])
    reason = REASON.get(row["leaving_reason"] or "unknown", "9")
    return _worker_xml({
        "AgencyWorker": "0", "SWENo": fake["SWENo"], "FTE": f"{row['fte']:.6f}",
        "PersonBirthDate": fake["PersonBirthDate"], "GenderCurrent": fake["GenderCurrent"],
        "Ethnicity": fake["Ethnicity"], "QualInst": fake["QualInst"], "OrgRole": ORG_ROLE.get(row["tier"], "6"),
        "RoleStartDate": row["started"].isoformat() if row["started"] else "", "RoleEndDate": row["leave_day"].isoformat(),
        "LeaverDestination": _pick(DESTINATIONS, row["person_key"], row["leave_day"]) if reason == "1" else "7",
        "ReasonLeave": reason,
    })


def _query(con, sql: str, params: dict) -> list[dict]:
    """Rows as dicts, dates as datetime.date (pandas would make them Timestamps)."""
    cursor = con.cursor()
    try:
        result = cursor.execute(sql, params)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        cursor.close()


def return_xml(con, year: int, la_number: str, vacancies: float, cover: float) -> str:
    start, end = year_span(year)
    snapshots = run_view(con, "snapshot_dates", {"date_from": start, "date_to": end})
    snapshot = max(snapshots["snapshot_date"]) if len(snapshots) else None
    workers = _query(con, WORKERS_SQL, {"day": end, "snapshot": snapshot})
    leavers = _query(con, LEAVERS_SQL, {"start": start, "end": end})
    # A leaver who is back in post on 30 September appears once, in post; one who left twice, once (last).
    in_post = {row["person_key"] for row in workers}
    last_leave = {row["person_key"]: row for row in leavers if row["person_key"] not in in_post}
    body = [_in_post(r, year) for r in workers] + [_leaver(r) for r in last_leave.values()]
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>\n<Header><CollectionDetails><Collection>CSWW"
            f"</Collection><Year>{year}</Year><ReferenceDate>{end.isoformat()}</ReferenceDate></CollectionDetails>"
            f"<Source><SourceLevel>L</SourceLevel><LEA>{la_number}</LEA><SoftwareCode>Workforce Stability demo"
            f"</SoftwareCode></Source></Header>\n<LALevelVacancies><NumberOfVacancies>{vacancies:.2f}"
            f"</NumberOfVacancies><NoAgencyFTE>{cover:.2f}</NoAgencyFTE><NoAgencyHeadcount>{round(cover)}"
            "</NoAgencyHeadcount></LALevelVacancies>\n" + "\n".join(body) + "\n</Message>\n")


def write_demo_returns(con, la_number: str, out_dir: Path) -> list[Path]:
    """One return per full reporting year of the loaded HR data (con: the demo database), in out_dir."""
    coverage = run_view(con, "data_coverage").iloc[0]
    years = [y for y in reporting_years(coverage["coverage_start"], coverage["data_end"])
             if year_span(y)[0] >= coverage["coverage_start"]]
    figures = comparable_figures(con, years).set_index("time_period")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for year in years:
        vacant = float(figures.loc[year, "vacant_fte"] or 0)
        covered = float(figures.loc[year, "covered_vacant_fte"] or 0)
        path = out_dir / f"csww_{year}.xml"
        path.write_text(return_xml(con, year, la_number, vacant, covered), encoding="utf-8")
        paths.append(path)
    return paths
