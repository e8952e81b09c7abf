"""The access rules file (pipelines/access_rules.py) and their enforcement in the one door every query goes
through (reporting.source.DataSource), on the fixture authority (tests/fixture_db.py):

    CS  Children's Services
    ├── S-A Safeguarding ── T-A Team A            (T-B Team B was here until 31 Aug 2024)
    └── S-B Children in Care ── T-B Team B (North) ── P-B1 Pod B1   (from 1 Sep 2024)
"""

from datetime import date
from pathlib import Path

import pytest

from pipelines.access_rules import ADMIN, MANAGER, NO_ACCESS, OPEN_ACCESS, VIEWER, Access, load_rules
from pipelines.cli import main
from pipelines.errors import UsageError
from reporting import agency, benchmarks
from reporting.access import VIEW_ACCESS, OutOfScope
from reporting.source import DERIVED_WHO, DataSource

ROOT = Path(__file__).resolve().parent.parent
AS_AT = date(2024, 12, 31)
SAFEGUARDING_MANAGER = Access(MANAGER, ("S-A",), False, "Safeguarding manager")
CARE_MANAGER = Access(MANAGER, ("S-B",), True, "Children in Care manager")
WHOLE_VIEWER = Access(VIEWER, None, False, "scrutiny")


def write_rules(tmp_path, text: str) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    return path


RULES = """
ask = "HR analytics (hr@example.gov.uk)"

[[rule]]
name = "Safeguarding AD"
access = "manager"
units = ["S-A"]
internal_exports = true
emails = ["AD.Safeguarding@Example.gov.uk"]

[[rule]]
name = "HR analytics"
access = "admin"
roles = ["WFS.Admin"]

[[rule]]
name = "Scrutiny"
access = "viewer"
units = "all"
groups = ["g-scrutiny"]
"""


# --- reading the rules -----------------------------------------------------------------------------------
def test_a_rule_matches_on_email_whatever_its_case(tmp_path):
    rules = load_rules(write_rules(tmp_path, RULES))
    access = rules.for_user({"email": "ad.safeguarding@example.GOV.uk", "sub": "1"})
    assert access == Access(MANAGER, ("S-A",), True, "Safeguarding AD")


def test_a_rule_matches_on_a_roles_or_groups_claim_and_entras_preferred_username_stands_for_email(tmp_path):
    rules = load_rules(write_rules(tmp_path, RULES))
    assert rules.for_user({"roles": ["Other", "WFS.Admin"]}).role == ADMIN
    assert rules.for_user({"groups": "g-scrutiny"}).role == VIEWER  # a single group sent as text
    assert rules.for_user({"preferred_username": "ad.safeguarding@example.gov.uk"}).role == MANAGER


def test_the_first_matching_rule_wins_so_the_narrowest_goes_first(tmp_path):
    rules = load_rules(write_rules(tmp_path, RULES))
    both = {"email": "ad.safeguarding@example.gov.uk", "roles": ["WFS.Admin"]}
    assert rules.for_user(both).rule == "Safeguarding AD"  # rule 1 matches before rule 2


def test_a_user_no_rule_names_gets_no_access_and_is_told_who_to_ask(tmp_path):
    rules = load_rules(write_rules(tmp_path, RULES))
    assert rules.for_user({"email": "someone.else@example.gov.uk", "groups": ["g-other"]}) is None
    assert rules.ask == "HR analytics (hr@example.gov.uk)"


def test_no_rules_file_means_nobody_has_access(tmp_path):
    rules = load_rules(tmp_path / "absent.toml")
    assert rules.rules == () and rules.for_user({"email": "a@b.c", "roles": ["WFS.Admin"]}) is None


@pytest.mark.parametrize("text, words", [
    ('[[rule]]\naccess = "boss"\nemails = ["a@b.c"]\n', "`access` must be one of admin, manager, viewer"),
    ('[[rule]]\naccess = "manager"\nemails = ["a@b.c"]\n', "a manager needs `units`"),
    ('[[rule]]\naccess = "viewer"\nunits = "all"\n', "says nobody it applies to"),
    ('[[rule]]\naccess = "viewer"\nunits = "all"\nroles = ["R"]\ninternal_exports = true\n',
     "a viewer only ever sees publication figures"),
    ('[[rule]]\naccess = "admin"\nunits = ["S-A"]\nroles = ["R"]\n', "an admin sees every unit"),
    ('[[rule]]\naccess = "manager"\nunits = ["S-A"]\nemail = ["a@b.c"]\n', "unknown key(s) email"),
    ('[[rule]]\naccess = "manager"\nunits = ["S-A"]\nroles = ["R"]\ninternal_exports = "yes"\n',
     "`internal_exports` must be true or false"),
    ('rules = 1\n', "unknown setting(s): rules"),
    ('[[rule]\n', "not readable TOML"),
])
def test_a_wrong_rules_file_is_refused_in_words(tmp_path, text, words):
    with pytest.raises(UsageError, match=None) as refused:
        load_rules(write_rules(tmp_path, text))
    assert words in str(refused.value)


def test_only_admins_and_managers_whose_rule_says_so_may_export_for_internal_use():
    assert OPEN_ACCESS.allowed_mode("internal") == "internal"
    assert CARE_MANAGER.allowed_mode("internal") == "internal"
    assert SAFEGUARDING_MANAGER.allowed_mode("internal") == "publication"
    assert WHOLE_VIEWER.allowed_mode("internal") == "publication" and WHOLE_VIEWER.publication_only


def test_the_shipped_rules_file_reads_and_names_only_services_of_the_demo_authority():
    from pipelines.demo_story import SERVICES

    rules = load_rules(ROOT / "data" / "access.toml")
    assert {rule.access.role for rule in rules.rules} == {ADMIN, MANAGER, VIEWER}
    assert rules.unit_ids() <= {f"CS-{code}" for code, *_ in SERVICES}


# --- every query has an access rule --------------------------------------------------------------------------
def test_every_named_query_says_who_may_ask_it():
    views = {path.stem for path in (ROOT / "sql" / "views").glob("*.sql")}
    assert views == set(VIEW_ACCESS), "add each new sql/views file to VIEW_ACCESS in reporting/access.py"


# Every derived frame and who may ask it: a new frame fails this test until it is added here, deliberately.
DERIVED_FRAMES = {
    "authority_identity": "everyone",
    "dfe_comparable_figures": "whole_service",
    "agency_compliance": "unit", "agency_cost": "unit", "agency_quarterly": "unit",
    "census_figures": "whole_service", "has_hr_data": "everyone",
    "forecast_summary": "unit", "forecast_backtest": "unit",
}


def test_every_derived_frame_says_who_may_ask_it():
    import importlib
    import pkgutil

    import reporting

    for module in pkgutil.iter_modules(reporting.__path__):  # importing a module registers its frames
        importlib.import_module(f"reporting.{module.name}")
    assert DERIVED_WHO == DERIVED_FRAMES


# --- the data source refuses what is outside the user's units ------------------------------------------------
def test_a_manager_gets_figures_for_their_unit_and_the_units_below_it(fixture_db):
    src = DataSource(fixture_db, access=SAFEGUARDING_MANAGER)
    for unit in ("S-A", "T-A"):
        frame = src.metric("vacancy_rate", (unit, (), False), as_of=AS_AT)
        assert len(frame) == 1
    assert src.allowed_units(AS_AT) == {"S-A", "T-A"}  # Team B left for S-B on 1 Sep 2024
    assert src.allowed_units(date(2024, 6, 30)) == {"S-A", "T-A", "T-B", "P-B1"}  # as the structure stood then


@pytest.mark.parametrize("unit", ["S-B", "T-B", "CS", "NOT-A-UNIT"])
def test_a_manager_is_refused_any_unit_outside_theirs_without_being_told_whether_it_exists(fixture_db, unit):
    src = DataSource(fixture_db, access=SAFEGUARDING_MANAGER)
    with pytest.raises(OutOfScope) as refused:
        src.metric("vacancy_rate", (unit, (), False), as_of=AS_AT)
    assert unit not in str(refused.value)
    with pytest.raises(OutOfScope):
        src.view("open_vacancies", day=AS_AT, unit=unit, tiers=None, social_work_only=False)


def test_a_manager_is_refused_whole_service_figures_and_authority_wide_benchmark_figures(fixture_db):
    src = DataSource(fixture_db, access=SAFEGUARDING_MANAGER)
    with pytest.raises(OutOfScope, match="whole service"):
        src.metric_series("vacancy_rate", (None, (), False), [date(2024, 11, 30), AS_AT])
    with pytest.raises(OutOfScope):
        src.derived("dfe_comparable_figures", (2024,), 20.0)
    assert benchmarks.ours(src, AS_AT).empty  # the Benchmarks page then shows DfE's public figures only
    director = Access(MANAGER, None, False, "director of children's services")  # units = "all"
    assert len(DataSource(fixture_db, access=director).derived("dfe_comparable_figures", (2024,), 20.0))


def test_the_structure_a_manager_sees_is_cut_to_their_units(fixture_db):
    src = DataSource(fixture_db, access=CARE_MANAGER)
    assert set(src.view("org_tree", day=AS_AT)["unit_id"]) == {"S-B", "T-B", "P-B1"}
    # Names: units ever below S-B (Team B and its pod came in on 1 Sep 2024); never Safeguarding or Team A.
    assert set(src.view("unit_names", day=AS_AT)["unit_id"]) == {"S-B", "T-B", "P-B1"}
    everyone = DataSource(fixture_db)
    assert set(everyone.view("org_tree", day=AS_AT)["unit_id"]) == {"CS", "S-A", "S-B", "T-A", "T-B", "P-B1"}


def test_cached_answers_for_one_users_structure_never_serve_another(fixture_db):
    from reporting.source import MemoryCache

    shared = MemoryCache()
    care = DataSource(fixture_db, shared, access=CARE_MANAGER)
    safeguarding = DataSource(fixture_db, shared, access=SAFEGUARDING_MANAGER)
    assert set(care.view("org_tree", day=AS_AT)["unit_id"]) == {"S-B", "T-B", "P-B1"}
    assert set(safeguarding.view("org_tree", day=AS_AT)["unit_id"]) == {"S-A", "T-A"}


def test_held_back_rows_load_history_and_warnings_are_for_admins_only(fixture_db):
    for name, params in (("quarantine", {"kind": None}), ("load_history", {}), ("load_files", {}),
                         ("data_quality_warnings", {"kind": None}), ("dropped_columns", {})):
        with pytest.raises(OutOfScope, match="HR analytics team"):
            DataSource(fixture_db, access=WHOLE_VIEWER).view(name, **params)
        DataSource(fixture_db, access=OPEN_ACCESS).view(name, **params)  # admins (and open mode) see them


def test_a_user_with_no_access_sees_no_unit_at_all(fixture_db):
    src = DataSource(fixture_db, access=NO_ACCESS)
    assert src.view("org_tree", day=AS_AT).empty
    with pytest.raises(OutOfScope):
        src.metric("vacancy_rate", (None, (), False), as_of=AS_AT)


def test_scope_follows_unit_ids_through_a_move_and_a_unit_gone_by_the_as_at_date_gives_nothing(fixture_db):
    # Team B moved from S-A to S-B on 1 Sep 2024: its manager keeps Team B and its pod, wherever it sits.
    src = DataSource(fixture_db, access=Access(MANAGER, ("T-B",), False, "team B"))
    assert src.allowed_units(AS_AT) == {"T-B", "P-B1"} == src.allowed_units(date(2024, 6, 30))
    gone = DataSource(fixture_db, access=Access(MANAGER, ("T-GONE",), False, "closed team"))
    assert gone.allowed_units(AS_AT) == frozenset()
    with pytest.raises(OutOfScope):
        gone.metric("vacancy_rate", ("T-GONE", (), False), as_of=AS_AT)


# --- the command line --------------------------------------------------------------------------------------
def test_access_check_lists_the_rules_in_order_and_names_unit_ids_the_database_lacks(tmp_path, fixture_db, capsys):
    rules = write_rules(tmp_path, RULES.replace('units = ["S-A"]', 'units = ["S-A", "S-Z"]'))
    assert main(["access", "check", "--rules", str(rules), "--db", str(fixture_db)]) == 1
    out = capsys.readouterr().out
    assert out.index("1. Safeguarding AD") < out.index("2. HR analytics") < out.index("3. Scrutiny")
    assert "1 unit id(s) in the rules are not in" in out and "S-Z" in out


def test_access_who_says_which_rule_a_user_gets(tmp_path, capsys):
    rules = write_rules(tmp_path, RULES)
    assert main(["access", "who", "--groups", "g-scrutiny", "--rules", str(rules)]) == 0
    assert "rule 'Scrutiny': viewer (publication figures only); all units; publication downloads only" in \
        capsys.readouterr().out
    assert main(["access", "who", "--email", "x@y.z", "--rules", str(rules)]) == 0
    assert "no rule matches; this user would be told to ask HR analytics" in capsys.readouterr().out


def test_a_broken_rules_file_stops_the_command_with_exit_status_2(tmp_path, capsys):
    assert main(["access", "check", "--rules", str(write_rules(tmp_path, "[[rule]\n"))]) == 2
    assert "not readable TOML" in capsys.readouterr().err


def test_unit_frames_such_as_agency_compliance_are_checked_like_any_unit_question(fixture_db):
    assert agency.compliance_on  # importing reporting.agency registers its frames
    src = DataSource(fixture_db, access=SAFEGUARDING_MANAGER)
    src.derived("agency_compliance", AS_AT, "T-A")  # inside S-A: answered
    for unit in ("S-B", None):
        with pytest.raises(OutOfScope):
            src.derived("agency_compliance", AS_AT, unit)
        with pytest.raises(OutOfScope):
            src.derived("agency_cost", date(2024, 1, 1), AS_AT, unit, "none")


def test_a_viewer_gets_figures_only_while_publication_output_is_built(fixture_db):
    from reporting.source import publishing

    src = DataSource(fixture_db, access=WHOLE_VIEWER)
    with pytest.raises(OutOfScope, match="as they would be published"):  # e.g. a page script run directly
        src.metric("vacancy_rate", (None, (), False), as_of=AS_AT)
    with pytest.raises(OutOfScope, match="as they would be published"):
        src.view("open_vacancies", day=AS_AT, unit=None, tiers=None, social_work_only=False)
    assert len(src.view("org_tree", day=AS_AT))  # the structure and dates (for the sidebar) are not figures
    with publishing():  # the published view of a page, or a publication pack
        assert len(src.metric("vacancy_rate", (None, (), False), as_of=AS_AT)) == 1
