"""What each user may ask the data source (reporting/source.py), given their Access (pipelines/access_rules.py).
DataSource checks every question against these tables before any cache is consulted."""

from pipelines.access_rules import (  # noqa: F401  (re-exported: the dashboard and tests take them from here)
    ADMIN,
    MANAGER,
    NO_ACCESS,
    OPEN_ACCESS,
    ROLE_WORDS,
    VIEWER,
    Access,
    AccessRules,
    load_rules,
    rules_path,
    user_email,
)


class OutOfScope(Exception):
    """A question about part of the service outside the user's units, or a page their role may not see.
    The message is in words and safe to show: it never names the unit asked for."""


# Who may ask each named query in sql/views/ (tests/test_access_rules.py fails on a view left out):
#   ("unit", day_param): rows for one unit's subtree, given by the `unit` parameter: the unit must be inside
#                        the user's units on that day (a whole-service question needs whole-service access);
#   "tree":              the structure on `day`, cut to the user's units and what is below them;
#   "names":             unit names, cut to units that were ever below the user's units;
#   "everyone":          dates, the load's totals and the authority's own key dates, the same for every user;
#   "whole_service":     authority-wide figures (e.g. census returns): only with whole-service access;
#   "public":            DfE's published statistics (Open Government Licence), shown to all;
#   "admin":             held-back rows, warnings, dropped columns and load history: admins only.
VIEW_ACCESS: dict[str, object] = {
    "busiest_change_days": ("unit", "date_to"),
    "agency_engagements_on_day": ("unit", "day"),
    "agency_cost_segments": ("unit", "date_to"),
    "forecast_actuals": ("unit", "days"),
    "forecast_leaving_history": ("unit", "days"),
    "forecast_people": ("unit", "day"),  # one row per person in post (no person key); never shown
    "forecast_posts": ("unit", "day"),
    "forecast_vacancy_history": ("unit", "day"),
    "filled_vacancies": ("unit", "date_to"),
    "last_change_day": ("unit", "date_to"),
    "leadership_timeline": ("unit", "date_to"),
    "leaving_reasons": ("unit", "date_to"),
    "open_vacancies": ("unit", "day"),
    "structural_events_by_month": ("unit", "date_to"),
    "teams_in_scope": ("unit", "day"),
    "org_tree": "tree",
    "unit_names": "names",
    "units_ever_below": "admin",  # used inside DataSource to cut unit_names; never asked by a page
    "data_coverage": "everyone",
    "snapshot_dates": "everyone",
    "latest_snapshot": "everyone",
    "key_dates": "everyone",
    "load_latest": "everyone",
    "load_kind_counts": "everyone",
    "data_quality_warning_counts": "everyone",
    "benchmark_cla_social_workers": "public",
    "benchmark_neighbour_list": "public",
    "benchmark_releases": "public",
    "benchmark_series": "public",
    "benchmark_tables": "public",
    "benchmark_year_values": "public",
    "census_year_figures": "whole_service",
    "census_starters_by_origin": "whole_service",
    "census_leavers": "whole_service",
    "census_caseload_bands": "whole_service",
    "census_length_of_service": "whole_service",
    "census_absence": "whole_service",
    "census_retention": "whole_service",
    "census_returns_loaded": "everyone",  # which years are loaded (no figures): read on every page
    "census_quarantine": "admin",
    "data_quality_warnings": "admin",
    "dropped_columns": "admin",
    "load_files": "admin",
    "load_history": "admin",
    "quarantine": "admin",
}

# Derived frames (reporting.source.derived_frame) declare one of: "everyone", "public", "admin", or
# "whole_service" (authority-wide HR figures: only for users whose access covers the whole service), or
# "unit" (one unit's subtree, the unit and its day given as arguments: checked like a view's `unit`).
DERIVED_ACCESS = ("everyone", "public", "admin", "whole_service", "unit")

OUTSIDE_UNITS = ("That part of the service is outside your access, so no figures are shown for it. Choose one of "
                 "your units in the sidebar, or ask whoever looks after access to Workforce Stability.")
WHOLE_SERVICE_ONLY = ("Figures for the whole service are only shown to users whose access covers the whole "
                      "service. Choose one of your units in the sidebar.")
ADMIN_ONLY = "This is only open to the HR analytics team (admins)."
PUBLISHED_ONLY = ("Your access shows figures as they would be published (small numbers hidden), so this view is not "
                  "open to you. The same figures are on the dashboard's pages and in the Word pack.")
