"""The audit log (pipelines/audit.py): append-only, pruned exactly, safe with many writers at once, never a
figure in its details, and refused or reported in words when it cannot be used."""

import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from pipelines import audit

ROOT = Path(__file__).resolve().parent.parent
WHO = {"user_email": "ann@council.example", "user_subject": "sub-ann", "role": "admin", "scope": "all units"}
BOB = {"user_email": "bob@council.example", "user_subject": "sub-bob", "role": "viewer", "scope": "S-1"}


def _size(path: Path) -> int:
    """The log's bytes on disk: the file and its write-ahead log (entries land there first)."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def test_an_entry_carries_time_user_role_scope_event_and_details(audit_log):
    audit.record("page_view", **WHO, details={"page": "Turnover and stability", "unit": "T-A",
                                             "as_at": date(2024, 12, 31), "period_months": 12, "tiers": ["T1"]},
                 at=datetime(2025, 4, 1, 9, 30, tzinfo=UTC))
    [entry] = audit.read()
    assert entry.at_utc == datetime(2025, 4, 1, 9, 30, tzinfo=UTC)
    assert (entry.user_email, entry.user_subject, entry.role, entry.scope, entry.event) == (
        "ann@council.example", "sub-ann", "admin", "all units", "page_view")
    assert entry.details == {"page": "Turnover and stability", "unit": "T-A", "as_at": "2024-12-31",
                             "period_months": 12, "tiers": ["T1"]}
    assert audit_log.exists()  # WFS_AUDIT_LOG decides where the log is
    assert audit_log.stat().st_mode & 0o777 == 0o600  # entries name people: the owner's account only


def test_the_log_only_grows_and_no_entry_can_be_changed_or_removed_young(audit_log):
    sizes, seen = [], []
    for n in range(3):
        audit.record("download", **WHO, details={"chart": f"chart-{n}", "format": "csv"})
        sizes.append(_size(audit_log))
        seen.append([e.details for e in audit.read()])
    assert sizes == sorted(sizes) and sizes[0] > 0
    assert seen[2][1:] == seen[1] and seen[1][1:] == seen[0]  # earlier entries unchanged, newest first
    con = sqlite3.connect(audit_log)
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        con.execute("update audit_log set user_email = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="more than a day old"):
        con.execute("delete from audit_log")
    con.close()
    assert len(audit.read()) == 3


def test_prune_removes_exactly_the_entries_older_than_the_retention(audit_log):
    now = datetime.now(UTC)
    ages = {"500 days": timedelta(days=500), "400 days and a minute": timedelta(days=400, minutes=1),
            "399 days and 23 hours": timedelta(days=399, hours=23), "2 days": timedelta(days=2),
            "now": timedelta(0)}
    for name, age in ages.items():
        audit.record("download", **WHO, details={"chart": name}, at=now - age)
    # 400 days before now: the first two are older, the last three are not.
    assert audit.prune(400, now=now) == 2
    assert [e.details["chart"] for e in audit.read()] == ["now", "2 days", "399 days and 23 hours"]
    assert audit.prune(400, now=now) == 0


def test_two_processes_and_four_threads_writing_while_a_prune_runs_lose_nothing(audit_log):
    for n in range(50):  # old entries for a prune to remove while the writers append
        audit.record("page_view", **BOB, details={"page": f"old {n}"}, at=datetime.now(UTC) - timedelta(days=401))
    writer = ("import sys; from pipelines import audit\n"
              "for n in range(150):\n"
              "    audit.record('download', user_email=sys.argv[1], user_subject=sys.argv[1], role='viewer',\n"
              "                 scope='all units', details={'chart': f'c{n}', 'format': 'png'})\n")
    processes = [subprocess.Popen([sys.executable, "-c", writer, who], cwd=ROOT) for who in ("p1", "p2")]

    def thread_writer(who: str) -> None:
        for n in range(25):
            audit.record("page_view", user_email=who, user_subject=who, role="viewer", scope="all units",
                         details={"page": f"p{n}"})

    threads = [threading.Thread(target=thread_writer, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    removed = audit.prune(400)
    for thread in threads:
        thread.join()
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    assert removed == 50
    entries = audit.read()
    # 2 processes x 150 + 4 threads x 25 = 400 new entries, and none of the 50 old ones.
    assert len(entries) == 400
    for who, count in {"p1": 150, "p2": 150, "t0": 25, "t1": 25, "t2": 25, "t3": 25}.items():
        assert len(audit.read(user=who)) == count, who


def test_a_download_is_recorded_with_names_and_formats_and_never_a_figure(audit_log):
    from dashboard.audit_trail import recorded

    build = recorded(lambda: b"Unit,Turnover\nTeam A,12.5\n", chart="turnover-by-grade", format="csv",
                     mode="publication", file_name="turnover-by-grade.csv")
    assert audit.read() == []  # drawing the button records nothing; the click does
    assert build() == b"Unit,Turnover\nTeam A,12.5\n"
    [entry] = audit.read()
    assert entry.event == "download"
    assert entry.details == {"chart": "turnover-by-grade", "format": "csv", "mode": "publication",
                             "file_name": "turnover-by-grade.csv"}
    assert "12.5" not in str(entry)
    with pytest.raises(ValueError, match="may not carry"):
        audit.record("download", **WHO, details={"chart": "turnover", "value": "12.5"})
    with pytest.raises(ValueError, match="never carry figures"):
        audit.record("download", **WHO, details={"chart": 12.5})


def test_reading_filters_by_user_whole_utc_days_and_event(audit_log):
    entries = [(WHO, "page_view", datetime(2025, 3, 31, 23, 59, tzinfo=UTC)),
               (WHO, "download", datetime(2025, 4, 1, 0, 0, tzinfo=UTC)),
               (BOB, "page_view", datetime(2025, 4, 2, 23, 59, 59, tzinfo=UTC)),
               (BOB, "word_pack", datetime(2025, 4, 3, 0, 0, tzinfo=UTC))]
    for who, event, at in entries:
        audit.record(event, **who, details={"page": "Overview"}, at=at)
    # 1 April to 2 April, both days whole: the second and third entries.
    assert [e.event for e in audit.read(date_from=date(2025, 4, 1), date_to=date(2025, 4, 2))] == [
        "page_view", "download"]
    assert [e.event for e in audit.read(user="BOB@council.example")] == ["word_pack", "page_view"]
    assert [e.event for e in audit.read(user="sub-ann", event="download")] == ["download"]
    assert audit.users() == ["ann@council.example", "bob@council.example"]


def test_a_log_that_cannot_be_written_is_reported_in_words_and_a_download_still_works(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("minutes\n", encoding="utf-8")
    monkeypatch.setenv("WFS_AUDIT_LOG", str(tmp_path / "notes.txt" / "audit.sqlite"))
    with pytest.raises(audit.AuditUnavailable, match="cannot be opened"):
        audit.record("page_view", **WHO, details={"page": "Overview"})
    with pytest.raises(audit.AuditUnavailable):
        audit.check_writable()
    from dashboard.audit_trail import recorded

    assert recorded(b"the file", chart="turnover", format="csv")() == b"the file"


def test_a_file_that_is_not_an_audit_log_is_refused_and_left_as_it_was(tmp_path):
    other = tmp_path / "app.sqlite"
    con = sqlite3.connect(other)
    con.execute("create table invoices (n integer)")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(audit.AuditUnavailable, match="not an audit log of this product"):
        audit.record("page_view", **WHO, details={"page": "Overview"}, path=other)
    with pytest.raises(audit.AuditUnavailable, match="not an audit log of this product"):
        audit.read(path=other)
    assert other.read_bytes() == before


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines", "audit", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_audit_show_lists_filtered_entries_as_text_or_formula_safe_csv(audit_log):
    hostile = {**WHO, "user_subject": "=HYPERLINK(\"x\")"}  # subject ids come from an identity provider
    audit.record("page_view", **hostile, details={"page": "Overview", "unit": "T-A"},
                 at=datetime(2025, 4, 1, 9, 30, tzinfo=UTC))
    audit.record("download", **BOB, details={"chart": "turnover", "format": "png", "mode": "internal"},
                 at=datetime(2025, 4, 2, 10, 0, tzinfo=UTC))
    text = _cli("show", "--event", "download")
    assert text.returncode == 0, text.stderr
    assert text.stdout == ("2025-04-02 10:00:00 UTC  bob@council.example (viewer, S-1)  download  "
                           "chart: turnover; format: png; mode: internal\n")
    table = _cli("show", "--user", "ann@council.example", "--from", "2025-04-01", "--to", "01/04/2025",
                 "--format", "csv")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines() == [
        "time_utc,user_email,user_subject,role,scope,event,details",
        "2025-04-01 09:30:00,ann@council.example,\"'=HYPERLINK(\"\"x\"\")\",admin,all units,page_view,"
        "page: Overview; unit: T-A",  # the apostrophe makes a spreadsheet show the subject id as text
    ]
    none = _cli("show", "--from", "2030-01-01", "--path", str(audit_log))
    assert (none.returncode, none.stdout) == (0, f"No audit entries match in {audit_log}.\n")


def test_audit_prune_removes_entries_past_the_retention_setting_and_says_how_many(audit_log):
    now = datetime.now(UTC)
    for days in (30, 401, 500):
        audit.record("download", **WHO, details={"chart": f"{days} days old"}, at=now - timedelta(days=days))
    result = _cli("prune")  # retention_days = 400 in data/settings.toml
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Removed 2 audit entries older than 400 days from {audit_log}.\n"
    result = _cli("prune", "--older-than", "7", "--path", str(audit_log))
    assert result.stdout == f"Removed 1 audit entry older than 7 days from {audit_log}.\n"
    assert audit.read() == []
