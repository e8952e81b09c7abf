"""DfE's published files ship with the product (data/dfe/): unchanged, with their licence and
attribution, and with the import instruction and download addresses the product gives users."""

import re
from pathlib import Path

import pytest

from pipelines.benchmarks import (
    ATTRIBUTION,
    LICENCE_NAME,
    LICENCE_URL,
    SHIPPED_DIR,
    SHIPPED_FILES,
    benchmark_settings,
    import_command,
    shipped_files,
)
from pipelines.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "data" / "dfe"  # the project's reference copy; absent on users' machines
README = ROOT / "data" / "dfe" / "README.md"
EES = "https://explore-education-statistics.service.gov.uk"
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def test_the_three_dfe_files_ship_in_the_projects_data_folder():
    assert SHIPPED_DIR == ROOT / "data" / "dfe"
    assert sorted(p.name for p in SHIPPED_DIR.glob("*.csv")) == sorted(SHIPPED_FILES)
    assert [p.name for p in shipped_files()] == list(SHIPPED_FILES)
    assert all(p.is_file() and p.stat().st_size > 0 for p in shipped_files())


@pytest.mark.parametrize("name", SHIPPED_FILES)
def test_each_shipped_file_is_byte_identical_to_dfes_download(name):
    if not REFERENCE.is_dir():
        pytest.skip("no reference copy at ../shared/data/dfe on this machine to compare with")
    assert (SHIPPED_DIR / name).read_bytes() == (REFERENCE / name).read_bytes()


def test_the_readme_gives_licence_attribution_and_source_of_every_file():
    text = README.read_text(encoding="utf-8")
    assert ATTRIBUTION == "Contains public sector information licensed under the Open Government Licence v3.0."
    assert ATTRIBUTION in text
    assert LICENCE_NAME in text and LICENCE_URL in text
    assert "Department for Education" in text
    for name in SHIPPED_FILES:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}`"))
        assert "https://" in row, name  # where it came from
    assert f"{EES}/data-catalogue/data-set/6d765688-fb18-4f13-8e8e-be816bc63b17" in text  # the indicators
    assert re.search(r"Copied:\*\* \d{1,2} \w+ \d{4}", text)


def test_the_import_instruction_names_the_projects_own_paths():
    command = import_command("data/workforce.duckdb")
    assert command == ("python -m pipelines benchmarks import data/dfe/csww_indicators_2017_to_2025.csv "
                       "data/dfe/New_Statistical_Neighbour_Groupings_April_2021.csv data/dfe/la_cla_swcount.csv "
                       "--db data/workforce.duckdb")
    for relative in command.split()[5:-2]:  # run from the project folder, every file is there
        assert (ROOT / relative).is_file(), relative
    assert "shared" not in command


def test_the_default_download_addresses_are_dfes_published_ones():
    urls = benchmark_settings(load_settings(str(ROOT / "data" / "settings.toml"))).urls
    # Explore Education Statistics data catalogue CSVs: <EES>/data-catalogue/data-set/<data set id>/csv
    assert re.fullmatch(f"{EES}/data-catalogue/data-set/6d765688-fb18-4f13-8e8e-be816bc63b17/csv",
                        urls["indicators"])
    assert re.fullmatch(f"{EES}/data-catalogue/data-set/{UUID}/csv", urls["cla_sw_count"])
    # DfE's analysts' CSV of the April 2021 groupings, pinned to a commit so the address cannot move.
    assert re.fullmatch(r"https://raw\.githubusercontent\.com/dfe-analytical-services/CSC_outcomes_and_enablers/"
                        r"[0-9a-f]{40}/data/New_Statistical_Neighbour_Groupings_April_2021\.csv",
                        urls["neighbours"])
