"""Fails when something users need is undocumented: every metric, command, page, setting and export."""

import re
import tomllib
from pathlib import Path

import pytest

from pipelines.cli import build_parser
from pipelines.metric_specs import METRICS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
METRICS_GUIDE = (ROOT / "docs" / "METRICS.md").read_text(encoding="utf-8")
EXTRACTS_GUIDE = (ROOT / "docs" / "PREPARING_EXTRACTS.md").read_text(encoding="utf-8")
EXPORTS_GUIDE = (ROOT / "docs" / "EXPORTS.md").read_text(encoding="utf-8")
DEPLOYING_GUIDE = (ROOT / "docs" / "DEPLOYING.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("metric", list(METRICS))
def test_every_metric_has_a_section_in_the_user_guide(metric):
    assert re.search(rf"^## \d+\. .*`{metric}`", METRICS_GUIDE, re.MULTILINE)


def test_every_command_is_in_the_readme():
    commands = build_parser()._subparsers._group_actions[0].choices
    for command in commands:
        assert f"python -m pipelines {command}" in README, command


def test_every_page_of_the_app_is_in_the_readme():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for title, url_path in re.findall(r'title="([^"]+)".*?url_path="([^"]+)"', app, re.DOTALL):
        assert title in README and (f"`/{url_path}`" in README or url_path == "overview"), title


def test_every_setting_is_explained_in_the_settings_file_or_the_docs():
    settings = tomllib.loads((ROOT / "data" / "settings.toml").read_text(encoding="utf-8"))
    text = (ROOT / "data" / "settings.toml").read_text(encoding="utf-8") + README + EXPORTS_GUIDE
    for section, values in settings.items():
        if not isinstance(values, dict):  # a top-level key such as require_sign_in: named and explained in docs
            assert f"`{section}" in text + DEPLOYING_GUIDE and section in DEPLOYING_GUIDE, section
            continue
        assert f"[{section}" in text
        for key in values:
            assert key in text, f"{section}.{key}"


def test_every_kind_of_extract_and_every_quarantine_reason_is_in_the_extracts_guide():
    from pipelines.contract import KINDS

    for kind in KINDS:
        assert f"`{kind}`" in EXTRACTS_GUIDE, kind
    for words in ("is not a date", "is not one of the allowed values", "overlaps its row", "is not in posts",
                  "appears again in this file", "is before", "is outside the dates accepted",
                  "rounds to 0 at the 8 decimal places stored", "is out of range: it must be a whole number",
                  "its cells may have moved", "runs over several lines", "only in letter case",
                  "may have day and month swapped", "the headings seem to be on row", "headings taken from row",
                  "is in no", "the closest headings are", "A new pseudonym key was made at", "replaced"):
        assert words in EXTRACTS_GUIDE, words


def test_the_suppression_rule_and_both_export_modes_are_documented():
    for words in ("1 to 4", "fewer than 5", "secondary", "publication", "internal", "python -m pipelines export pack",
                  "python -m pipelines export chart"):
        assert words in EXPORTS_GUIDE.lower(), words
