"""Census page view model: what the authority's DfE census returns tell, by return year and by role
(OrgRole), as tables and chart specs with small-number rules. No Streamlit; every query goes through
the DataSource. Census returns cover the whole authority, so no unit filter applies (docs/CENSUS.md)."""

import duckdb
import pandas as pd

from pipelines.census import ABSENCE_REASONS, LEAVER_DESTINATIONS, LEAVING_REASONS, ORG_ROLES, START_ORIGINS, TO_AGENCY
from pipelines.census.figures import census_figures, round_half_up
from reporting.chart_spec import ChartSpec
from reporting.charts import bar_chart, line_chart
from reporting.source import DataSource, derived_frame
from reporting.suppression import SuppressionRules

ALL_ROLES = ""
NOT_GIVEN = "Not given"
ROLE_LABELS = {**ORG_ROLES, "unknown": "Role not given"}
# What only HR extracts give, said on every page that needs them (census returns have no teams or posts).
HR_ONLY = {
    "leadership": "interim and acting leadership by post, and how long each post has been covered",
    "turnover": "turnover and stability by team and grade, month by month, and who left from which post",
    "vacancies": "vacancies by post and team, and how long each vacancy has been open",
    "structure": "restructures: units opened, closed, merged or moved",
    "teams": "the drill-down to each team and its caseloads",
    "overview": "month-by-month figures for any part of the service",
}
SOURCE_WORDS = "Source: the authority's DfE children's social work workforce census returns"


@derived_frame("census_figures")
def _figures(con, by_role: bool) -> pd.DataFrame:
    return census_figures(con, by_role=by_role)


def years(src: DataSource) -> list[int]:
    loaded = src.view("census_returns_loaded")
    return [int(y) for y in loaded["year"]] if len(loaded) else []


def role_label(role: str) -> str:
    return "All roles" if role == ALL_ROLES else ROLE_LABELS.get(role, role)


def role_choices(src: DataSource) -> list[str]:
    by_role = src.derived("census_figures", True)
    present = set(by_role["org_role"]) if len(by_role) else set()
    return [ALL_ROLES, *[r for r in [*ORG_ROLES, "unknown"] if r in present]]


def _role(role: str) -> str | None:
    return role or None


def shown(value, unit: str) -> str:
    """A figure for a card: '—' where it is undefined (say, a turnover with nobody in post)."""
    return "—" if value is None or pd.isna(value) else f"{value:g}{unit}"


def _one(value):
    return None if value is None or pd.isna(value) else round_half_up(value)


def figures_table(src: DataSource, role: str = ALL_ROLES) -> pd.DataFrame:
    """One row per return year: headcounts and FTE, turnover, agency and vacancy rates, caseload, absence."""
    frame = src.derived("census_figures", bool(role))
    if role:
        frame = frame[frame["org_role"] == role]
    rows = []
    for r in frame.to_dict("records"):
        rows.append({
            "Year to 30 Sep": int(r["year"]), "In post (headcount)": int(r["inpost_headcount"]),
            "In post (FTE)": _one(r["inpost_fte"]), "Starters": int(r["starters_headcount"]),
            "Leavers": int(r["leavers_headcount"]), "Leavers (FTE)": _one(r["leavers_fte"]),
            "Turnover (FTE, %)": _one(r["turnover_rate_fte"]),
            "Turnover (headcount, %)": _one(r["turnover_rate_headcount"]),
            "Agency workers": int(r["agency_headcount"]), "Agency rate (FTE, %)": _one(r["agency_rate_fte"]),
            "Agency rate (headcount, %)": _one(r["agency_rate_headcount"]),
            "Vacancy rate (FTE, %)": _one(r["vacancy_rate_fte"]),
            "Vacancies covered by agency (FTE, %)": _one(r["vacancy_agency_cover_rate_fte"]),
            "Case holders": int(r["case_holders_headcount"]), "Caseload (cases per FTE)": _one(r["caseload_fte"]),
            "Absence rate (%)": _one(r["absence_rate_fte"]),
        })
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))


FIGURE_COLUMNS = ("Year to 30 Sep", "In post (headcount)", "In post (FTE)", "Starters", "Leavers", "Leavers (FTE)",
                  "Turnover (FTE, %)", "Turnover (headcount, %)", "Agency workers", "Agency rate (FTE, %)",
                  "Agency rate (headcount, %)", "Vacancy rate (FTE, %)", "Vacancies covered by agency (FTE, %)",
                  "Case holders", "Caseload (cases per FTE)", "Absence rate (%)")
FIGURE_RULES = SuppressionRules(
    counts=("In post (headcount)", "Starters", "Leavers", "Agency workers", "Case holders"),
    rates={"Turnover (FTE, %)": "In post (headcount)", "Turnover (headcount, %)": "In post (headcount)",
           "Caseload (cases per FTE)": "Case holders", "Absence rate (%)": "In post (headcount)"},
    numerators={"Turnover (FTE, %)": "Leavers", "Turnover (headcount, %)": "Leavers",
                "Agency rate (FTE, %)": "Agency workers", "Agency rate (headcount, %)": "Agency workers"},
    companions={"In post (FTE)": "In post (headcount)", "Leavers (FTE)": "Leavers"},
)


def figures_spec(src: DataSource, role: str = ALL_ROLES) -> ChartSpec:
    table = figures_table(src, role)
    rates = table.melt(id_vars=["Year to 30 Sep"], value_vars=["Turnover (FTE, %)", "Agency rate (FTE, %)",
                                                              "Vacancy rate (FTE, %)"],
                       var_name="Measure", value_name="Per cent")

    def draw(shown: pd.DataFrame):
        long = shown.melt(id_vars=["Year to 30 Sep"], value_vars=list(rates["Measure"].unique()),
                          var_name="Measure", value_name="Per cent")
        long["Per cent"] = pd.to_numeric(long["Per cent"], errors="coerce")
        return line_chart(long, "Year to 30 Sep", "Per cent", "Measure",
                          f"Turnover, agency and vacancy rates by census year, {role_label(role).lower()}", "%")

    return ChartSpec(name=f"census-figures{'-role-' + role if role else ''}",
                     title=f"Census return figures by year, {role_label(role).lower()}", table=table, draw=draw,
                     rules=FIGURE_RULES)


def _labelled(frame: pd.DataFrame, column: str, labels: dict[str, str]) -> pd.Series:
    return frame[column].map(lambda c: labels.get(c, NOT_GIVEN) if isinstance(c, str) else NOT_GIVEN)


def starters_by_origin(src: DataSource, year: int, role: str = ALL_ROLES) -> pd.DataFrame:
    rows = src.view("census_starters_by_origin", role=_role(role))
    rows = rows[rows["year"] == year] if len(rows) else rows
    table = pd.DataFrame({"Where they came from": _labelled(rows, "start_origin", START_ORIGINS) if len(rows) else [],
                          "Starters": rows["starters"].astype(int) if len(rows) else []})
    return table.groupby("Where they came from", as_index=False, sort=False)["Starters"].sum()


def leavers_by(src: DataSource, year: int, what: str, role: str = ALL_ROLES) -> pd.DataFrame:
    """what: 'reason' (ReasonLeave) or 'destination' (LeaverDestination)."""
    column, labels, heading = (("reason_leave", LEAVING_REASONS, "Reason for leaving") if what == "reason" else
                               ("leaver_destination", LEAVER_DESTINATIONS, "Where they went"))
    rows = src.view("census_leavers", role=_role(role))
    rows = rows[rows["year"] == year] if len(rows) else rows
    if rows.empty:
        return pd.DataFrame(columns=[heading, "Leavers"])
    table = pd.DataFrame({heading: _labelled(rows, column, labels), "Leavers": rows["leavers"].astype(int)})
    return table.groupby(heading, as_index=False, sort=False)["Leavers"].sum()


def leavers_to_agency(src: DataSource, year: int, role: str = ALL_ROLES) -> int:
    rows = src.view("census_leavers", role=_role(role))
    if rows.empty:
        return 0
    return int(rows[(rows["year"] == year) & (rows["leaver_destination"] == TO_AGENCY)]["leavers"].sum())


def caseload_spread(src: DataSource, year: int, role: str = ALL_ROLES) -> pd.DataFrame:
    rows = src.view("census_caseload_bands", role=_role(role))
    rows = rows[rows["year"] == year] if len(rows) else rows
    return pd.DataFrame({"Cases held on 30 September": rows["band"] if len(rows) else [],
                         "Case holders": rows["case_holders"].astype(int) if len(rows) else []})


def length_of_service(src: DataSource, year: int, role: str = ALL_ROLES) -> pd.DataFrame:
    rows = src.view("census_length_of_service", role=_role(role))
    rows = rows[rows["year"] == year] if len(rows) else rows
    return pd.DataFrame({"Time in the role on 30 September": rows["band"] if len(rows) else [],
                         "Workers in post": rows["workers"].astype(int) if len(rows) else []})


def absence(src: DataSource, year: int, role: str = ALL_ROLES) -> pd.DataFrame:
    """Workers in post absent on 30 September, by the reason the return gives (none: at work)."""
    rows = src.view("census_absence", role=_role(role))
    rows = rows[rows["year"] == year] if len(rows) else rows
    labels = {**ABSENCE_REASONS, "none": "Not absent on 30 September", "not given": NOT_GIVEN}
    return pd.DataFrame({"Absence on 30 September": [labels.get(r, r) for r in rows["reason"]] if len(rows) else [],
                         "Workers in post": rows["workers"].astype(int) if len(rows) else [],
                         "Working days lost in the year": rows["working_days_lost"].map(round_half_up)
                         if len(rows) else []})


def absence_spec(table: pd.DataFrame, year: int) -> ChartSpec:
    spec = count_spec(f"census-absence-{year}", f"Workers in post by absence on 30 September {year}", table,
                      "Workers in post")
    # the days lost by a group measure the same people as its count, so they are hidden with it
    return ChartSpec(spec.name, spec.title, spec.table, spec.draw, rules=SuppressionRules(
        counts=("Workers in post",), companions={"Working days lost in the year": "Workers in post"},
        column_totals=("Workers in post",)))


def retention(src: DataSource, role: str = ALL_ROLES) -> pd.DataFrame:
    """Year on year: of the non-agency workers in post a year earlier (same pseudonymised SWE number),
    how many are in post again, how many work as agency workers for the authority, the rest gone."""
    rows = src.view("census_retention", role=_role(role))
    table = pd.DataFrame([{
        "Year to 30 Sep": int(r["year"]),
        "In post a year earlier": int(r["in_post_year_before"]),
        "Still in post": int(r["still_in_post"]),
        "Now agency workers here": int(r["now_agency"]),
        "Retained (%)": round_half_up(r["still_in_post"] / r["in_post_year_before"] * 100)
        if r["in_post_year_before"] else None,
    } for r in rows.to_dict("records")], columns=["Year to 30 Sep", "In post a year earlier", "Still in post",
                                                  "Now agency workers here", "Retained (%)"])
    return table


RETENTION_RULES = SuppressionRules(counts=("In post a year earlier", "Still in post", "Now agency workers here"),
                                   rates={"Retained (%)": "In post a year earlier"},
                                   numerators={"Retained (%)": "Still in post"},
                                   parts=(("Still in post", "In post a year earlier"),))


def count_spec(name: str, title: str, table: pd.DataFrame, count: str) -> ChartSpec:
    label = table.columns[0]

    def draw(shown: pd.DataFrame):
        values = shown.copy()
        values[count] = pd.to_numeric(values[count], errors="coerce")
        return bar_chart(values, label, count, title, count, text_format="{:.0f}", horizontal=True)

    return ChartSpec(name=name, title=title, table=table, draw=draw,
                     rules=SuppressionRules(counts=(count,), column_totals=(count,)))


def retention_spec(src: DataSource, role: str = ALL_ROLES) -> ChartSpec:
    table = retention(src, role)

    def draw(shown: pd.DataFrame):
        values = shown.copy()
        values["Retained (%)"] = pd.to_numeric(values["Retained (%)"], errors="coerce")
        return bar_chart(values, "Year to 30 Sep", "Retained (%)",
                         f"Workers still in post a year later, {role_label(role).lower()}", "%")

    return ChartSpec(name=f"census-retention{'-role-' + role if role else ''}",
                     title=f"Year-on-year retention from the census returns, {role_label(role).lower()}",
                     table=table, draw=draw, rules=RETENTION_RULES)


def quarantine(src: DataSource, year: int | None = None) -> pd.DataFrame:
    rows = src.view("census_quarantine", year=year)
    return pd.DataFrame({"Year": rows["year"], "File": rows["file_name"], "Worker record": rows["worker_position"],
                         "Line": rows["line_number"], "Field": rows["field"], "Reason": rows["reason"]}) \
        if len(rows) else pd.DataFrame(columns=["Year", "File", "Worker record", "Line", "Field", "Reason"])


def returns_loaded(src: DataSource) -> pd.DataFrame:
    rows = src.view("census_returns_loaded")
    return pd.DataFrame({"Year to 30 Sep": rows["year"], "File": rows["file_name"],
                         "Imported": rows["imported_at"], "Worker records read": rows["workers_read"],
                         "Loaded": rows["workers_loaded"], "Held back": rows["workers_quarantined"]}) \
        if len(rows) else pd.DataFrame(columns=["Year to 30 Sep", "File", "Imported", "Worker records read",
                                                "Loaded", "Held back"])


def hr_only_words(page: str) -> str:
    return (f"This database holds census returns only. Only HR extracts give {HR_ONLY[page]}: load them with "
            "python -m pipelines ingest FOLDER --db PATH (docs/PREPARING_EXTRACTS.md). What the census returns "
            "tell is on the Census page.")


# Three-way reconciliation (Benchmarks page) -------------------------------------------------------------------

def has_returns(src: DataSource) -> bool:
    try:
        return bool(years(src))
    except duckdb.CatalogException:  # a database with no census import has no census tables
        return False


def has_hr(src: DataSource) -> bool:
    return bool(src.derived("has_hr_data")["has_hr"].iloc[0])


@derived_frame("has_hr_data", who="everyone")
def _has_hr(con) -> pd.DataFrame:
    from pipelines.database import has_hr_data

    return pd.DataFrame({"has_hr": [has_hr_data(con)]})


def reconciliation(src: DataSource, who, as_at=None) -> pd.DataFrame:
    """Per year and measure: census return, HR data (where loaded) and DfE's published figure, with flags.
    Empty when no census return is loaded; published cells are empty before DfE's figures are imported."""
    from pipelines.benchmarks import benchmark_settings
    from pipelines.census.reconcile import as_table, three_way
    from reporting import benchmarks as bvm
    from reporting.filters import default_as_at

    census = src.derived("census_figures", False)
    if census.empty:
        return as_table([])
    try:
        series = bvm.published(src, who) if who.complete else pd.DataFrame()
    except duckdb.CatalogException:  # no DfE figures imported: the published column stays empty
        series = pd.DataFrame()
    published = series[series["role"] == "authority"] if len(series) else \
        pd.DataFrame(columns=["time_period", "indicator", "value"])
    hr = bvm.ours(src, as_at or default_as_at(src)) if has_hr(src) else None
    return as_table(three_way(census, hr, published, benchmark_settings()))


AUTHORITY_ONLY = ("Vacancy rate (FTE, %)", "Vacancies covered by agency (FTE, %)")


def roles_table(src: DataSource, year: int) -> pd.DataFrame:
    """One row per OrgRole for one census year, the same figures as figures_table."""
    by_role = src.derived("census_figures", True)
    rows = []
    for role in [r for r in [*ORG_ROLES, "unknown"] if r in set(by_role["org_role"])]:
        table = figures_table(src, role)
        picked = table[table["Year to 30 Sep"] == year]
        if len(picked):
            rows.append({"Role": role_label(role), **picked.iloc[0].drop("Year to 30 Sep").to_dict()})
    # vacancies are returned for the whole authority only: no vacancy rate by role
    return pd.DataFrame(rows, columns=["Role", *[c for c in FIGURE_COLUMNS[1:] if c not in AUTHORITY_ONLY]])


ROLE_RULES = SuppressionRules(counts=FIGURE_RULES.counts, rates=FIGURE_RULES.rates,
                              numerators=FIGURE_RULES.numerators, companions=FIGURE_RULES.companions,
                              column_totals=FIGURE_RULES.counts)


def roles_spec(src: DataSource, year: int) -> ChartSpec:
    table = roles_table(src, year)

    def draw(shown: pd.DataFrame):
        values = shown.copy()
        values["In post (headcount)"] = pd.to_numeric(values["In post (headcount)"], errors="coerce")
        return bar_chart(values, "Role", "In post (headcount)", f"Workers in post by role, 30 September {year}",
                         "People", text_format="{:.0f}", horizontal=True)

    return ChartSpec(name=f"census-roles-{year}", title=f"Census return figures by role, year to 30 September {year}",
                     table=table, draw=draw, rules=ROLE_RULES)
