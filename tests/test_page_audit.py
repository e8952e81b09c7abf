"""The dashboard's audit trail (AppTest on the fixture): page views are recorded once per page and filter
set, the Audit log page lists and filters the entries, and a log that cannot be written never stops the
dashboard."""

from datetime import UTC, date, datetime

from pipelines import audit
from tests.apptest_helpers import open_page, page_text

ANN = {"user_email": "ann@council.example", "user_subject": "sub-ann", "role": "admin", "scope": "all units"}


def _views() -> list[dict]:
    return [e.details for e in reversed(audit.read(event="page_view"))]  # oldest first


def test_opening_a_page_records_one_page_view_with_its_filters(app):
    at = app.run()
    assert not at.exception
    [view] = _views()
    # The fixture's defaults: whole service, as at 31 Dec 2024 (its last complete month), 12 months, every tier.
    assert view == {"page": "Overview", "url_path": "overview", "unit": "whole service", "as_at": "2024-12-31",
                    "period_months": 12, "tiers": [], "social_work_only": False, "export_mode": "publication"}
    [entry] = audit.read()
    assert (entry.user_email, entry.role) == ("local user (sign-in off)", "everyone (sign-in off)")
    at.run()  # a rerun with the same page and filters: nothing new
    assert len(_views()) == 1
    at.multiselect(key="tiers").set_value(["practitioner"]).run()
    at.switch_page("pages/turnover_page.py").run()
    assert not at.exception
    views = _views()
    assert [(v["page"], v["tiers"]) for v in views] == [
        ("Overview", []), ("Overview", ["practitioner"]), ("Turnover and stability", ["practitioner"])]


def test_the_audit_page_lists_entries_and_filters_them_by_user_date_and_event(app):
    audit.record("download", **ANN, details={"chart": "turnover-by-grade", "format": "png", "mode": "internal"},
                 at=datetime(2025, 4, 1, 9, 30, tzinfo=UTC))
    audit.record("word_pack", **ANN, details={"sections": ["turnover"], "mode": "publication"},
                 at=datetime(2025, 4, 2, 9, 30, tzinfo=UTC))
    at = open_page(app, "pages/audit_page.py")
    assert "Sign-in is off: everyone is the same local user; with sign-in on, only admins see this page" in \
        page_text(at)
    # 2 recorded above + the page views of opening the overview and then this page = 4 entries.
    assert len(at.dataframe[0].value) == 4
    at.selectbox(key="audit_event").set_value("download").run()
    table = at.dataframe[0].value
    assert table["Details"].tolist() == ["chart: turnover-by-grade; format: png; mode: internal"]
    at.selectbox(key="audit_event").set_value(None).run()
    at.selectbox(key="audit_user").set_value("ann@council.example").run()
    at.date_input(key="audit_from").set_value(date(2025, 4, 2)).run()
    assert at.dataframe[0].value["Event"].tolist() == ["word_pack"]
    at.date_input(key="audit_to").set_value(date(2025, 3, 1)).run()
    assert "swap them" in " ".join(w.value for w in at.warning)
    assert not at.exception


def test_the_audit_page_says_when_nothing_matches(app):
    at = open_page(app, "pages/audit_page.py")
    at.selectbox(key="audit_event").set_value("sign_in").run()
    assert "No audit entries match these filters." in page_text(at)


def test_the_dashboard_works_and_says_once_when_the_audit_log_cannot_be_written(app, tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("minutes\n", encoding="utf-8")
    monkeypatch.setenv("WFS_AUDIT_LOG", str(tmp_path / "notes.txt" / "audit.sqlite"))
    at = app.run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("page views and downloads are not being recorded" in w for w in warnings), warnings
    assert at.title[0].value == "Overview"  # the page itself is drawn as usual
    at.multiselect(key="tiers").set_value(["practitioner"]).run()
    assert not any("not being recorded" in w.value for w in at.warning)  # said once per session
