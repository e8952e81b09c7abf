"""The synthetic demo authority (pipelines/demo.py): deterministic, big enough, valid, and telling
its story. Every check reads the written files back on its own, without the ingest, applying the
data contract's rules directly (dates, open ends, booleans, later-file-replaces-earlier)."""

import re
import sys
import time
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.demo import write_demo  # noqa: E402

OPEN = date.max
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
UK = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
TIERS = {"director", "assistant_director", "head_of_service", "team_manager",
         "senior_practitioner", "practitioner", "support"}
MANAGEMENT = {"director", "assistant_director", "head_of_service", "team_manager"}
ARRANGEMENTS = {"permanent", "fixed_term", "acting", "interim", "agency", "secondment"}
COVER = {"acting", "interim", "agency", "secondment"}
REASONS = {"", "resignation", "retirement", "voluntary_redundancy", "compulsory_redundancy",
           "dismissal", "end_of_contract", "death", "other", "unknown"}
BOOLS = {"true": True, "yes": True, "y": True, "1": True,
         "false": False, "no": False, "n": False, "0": False}


def parse_date(value, open_ok=False):
    """The contract's rule, one cell at a time: ISO or UK day-first; sentinel years are open."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    elif value is None or value == "":
        assert open_ok, "empty date where one is required"
        return OPEN
    else:
        iso, uk = ISO.match(value), UK.match(value)
        assert iso or uk, f"not an ISO or UK date: {value!r}"
        y, m, d = (int(g) for g in iso.groups()) if iso else (int(g) for g in reversed(uk.groups()))
        day = date(y, m, d)
    if day.year in (4712, 9999):
        assert open_ok, "open-end sentinel in a start date"
        return OPEN
    return day


def read_csv(path, encoding="utf-8"):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)


class Demo:
    """One generated folder read back into contract-shaped frames."""

    def __init__(self, folder: Path, summary: dict, seconds: float):
        self.folder, self.summary, self.seconds = folder, summary, seconds
        wb = openpyxl.load_workbook(folder / "org_units.xlsx")
        ws = wb["org_units"]
        header, *rows = ws.iter_rows(values_only=True)
        self.units = pd.DataFrame(rows, columns=header, dtype=object)
        self.units["vf"] = [parse_date(v) for v in self.units["valid_from"]]
        self.units["vt"] = [parse_date(v, True) for v in self.units["valid_to"]]
        self.units["parent_unit_id"] = self.units["parent_unit_id"].fillna("")
        self.posts = read_csv(folder / "posts.csv", "cp1252")
        self.posts["vf"] = [parse_date(v) for v in self.posts["valid_from"]]
        self.posts["vt"] = [parse_date(v, True) for v in self.posts["valid_to"]]
        self.posts["sw"] = [BOOLS[v.lower()] for v in self.posts["social_work_post"]]
        self.posts["bfte"] = self.posts["budgeted_fte"].astype(float)
        files = sorted(folder.glob("assignments*.csv"))
        self.assignment_files = {f.name: read_csv(f, "utf-8-sig") for f in files}
        # later files replace earlier rows with the same assignment_id (the contract's rule)
        merged = pd.concat(list(self.assignment_files.values()), ignore_index=True)
        self.assignments = merged.drop_duplicates("assignment_id", keep="last").reset_index(drop=True)
        self.assignments["start"] = [parse_date(v) for v in self.assignments["start_date"]]
        self.assignments["end"] = [parse_date(v, True) for v in self.assignments["end_date"]]
        self.assignments["fte_n"] = self.assignments["fte"].astype(float)
        self.caseloads = pd.concat([read_csv(f) for f in sorted(folder.glob("caseloads*.csv"))],
                                   ignore_index=True)
        self.key_dates = read_csv(folder / "key_dates.csv")

    def active_assignments(self, day):
        a = self.assignments
        live = a[(a["start"] <= day) & (a["end"] >= day)]
        p = self.posts[(self.posts["vf"] <= day) & (self.posts["vt"] >= day)]
        return live.merge(p[["post_id", "tier", "unit_id", "grade", "sw"]], on="post_id")


def generate(folder, scale, seed=2015) -> Demo:
    started = time.perf_counter()
    summary = write_demo(folder, scale=scale, seed=seed)
    return Demo(folder, summary, time.perf_counter() - started)


@pytest.fixture(scope="module")
def demo1(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("demo1"), 1.0)


@pytest.fixture(scope="module")
def demo5(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("demo5"), 5.0)


@pytest.fixture(scope="module", params=["demo1", "demo5"])
def standard(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module", params=["demo1", "demo5", (0.4, 1), (0.7, 2), (1.5, 3)])
def demo(request, tmp_path_factory):
    """The two standard folders, plus other scales and seeds so validity is not one lucky draw."""
    if isinstance(request.param, str):
        return request.getfixturevalue(request.param)
    scale, seed = request.param
    return generate(tmp_path_factory.mktemp(f"demo_{scale}_{seed}"), scale, seed)


# ------------------------------------------------------------------ determinism and size


def test_same_seed_and_scale_write_identical_bytes(demo1, tmp_path):
    again = tmp_path / "again"
    write_demo(again, scale=1.0, seed=2015)
    names = sorted(p.name for p in demo1.folder.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (demo1.folder / name).read_bytes() == (again / name).read_bytes(), name


def test_another_seed_gives_other_people(demo1, tmp_path):
    write_demo(tmp_path / "other", scale=1.0, seed=7)
    assert (tmp_path / "other" / "assignments_2020.csv").read_bytes() != (
        demo1.folder / "assignments_2020.csv").read_bytes()


def test_scale_five_meets_volume_targets_in_under_twenty_seconds(demo5):
    a = demo5.assignments
    assert a["person_id"].nunique() >= 3000
    assert len(a) >= 20000
    assert len(demo5.caseloads) >= 200000
    assert demo5.seconds < 20


def test_scale_one_is_about_a_fifth_of_scale_five(demo1, demo5):
    for key in ("staff", "posts", "assignments", "caseload_rows"):
        assert 0.12 < demo1.summary[key] / demo5.summary[key] < 0.3, key


def test_summary_counts_match_the_files(demo):
    s, a = demo.summary, demo.assignments
    assert s["staff"] == a["person_id"].nunique()
    assert s["assignments"] == len(a)
    assert s["posts"] == demo.posts["post_id"].nunique()
    assert s["caseload_rows"] == len(demo.caseloads)
    assert s["files"] == sorted(p.name for p in demo.folder.iterdir())
    assert s["files_written"] == len(s["files"])


def test_file_names_start_with_their_kind(demo1):
    kinds = ("org_units", "posts", "assignments", "caseloads", "key_dates", "agency_engagements")
    for path in demo1.folder.iterdir():
        assert path.name.startswith(kinds), path.name
    assert len(demo1.assignment_files) == 11
    assert len(list(demo1.folder.glob("caseloads_*.csv"))) == 11


# ------------------------------------------------------------------ formats


def test_posts_file_is_windows_1252_not_utf8(demo1):
    raw = (demo1.folder / "posts.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert "Children’s" in text and "–" in text
    assert b"\r\n" in raw


def test_only_the_first_assignments_file_has_a_bom(demo1):
    for path in demo1.folder.glob("*.csv"):
        has_bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
        assert has_bom == (path.name == "assignments_2015.csv"), path.name


def test_org_units_xlsx_has_native_dates_and_a_9999_open_end(demo1):
    ws = openpyxl.load_workbook(demo1.folder / "org_units.xlsx")["org_units"]
    ends = [c for c in ws["F"][1:] if c.value is not None]
    assert any(c.is_date and c.value.year == 9999 for c in ends)
    assert any(c.value is None for c in ws["F"][1:])  # teams' open ends left empty
    starts = [c.value for c in ws["E"][1:]]
    assert any(isinstance(v, datetime) for v in starts) and any(isinstance(v, str) for v in starts)


def test_dates_mix_uk_and_iso_and_all_open_end_spellings(demo1):
    cells = pd.concat([demo1.posts["valid_to"], demo1.assignments["end_date"],
                       demo1.assignments["start_date"]])
    assert cells.str.match(UK.pattern).sum() > cells.str.match(ISO.pattern).sum() > 0
    for spelling in ("", "31/12/4712", "9999-12-31"):
        assert (demo1.posts["valid_to"] == spelling).any(), spelling
        assert (demo1.assignments["end_date"] == spelling).any(), spelling
    assert demo1.caseloads["snapshot_date"].str.match(ISO.pattern).all()


def test_booleans_come_in_several_spellings(demo1):
    spellings = set(demo1.posts["social_work_post"])
    assert {"Y", "yes", "TRUE", "1", "0"} <= spellings
    assert all(v.lower() in BOOLS for v in spellings)


def test_personal_columns_carry_obviously_fake_values(demo1):
    a = demo1.assignments
    assert a["full_name"].str.match(r"^Demo Person \d{4,}$").all()
    assert a["ni_number"].str.match(r"^QQ\d{6}C$").all()
    assert a["person_id"].str.match(r"^(E\d{6}|AG-\d{4,})$").all()


def test_later_yearly_files_only_repeat_or_update_end_dates(demo1):
    seen, identical, updated = {}, 0, 0
    for name, frame in demo1.assignment_files.items():
        assert frame["assignment_id"].is_unique, name
        for row in frame.itertuples(index=False):
            before = seen.get(row.assignment_id)
            if before is not None:
                assert before[:8] == tuple(row)[:8], row.assignment_id  # only end/reason change
                # an end date, once written, never changes again
                assert parse_date(before[8], True) == OPEN or before == tuple(row), row.assignment_id
                identical += before == tuple(row)
                updated += before != tuple(row)
            seen[row.assignment_id] = tuple(row)
    assert identical > 1000 and updated > 500


# ------------------------------------------------------------------ validity


def _no_overlaps(frame, key):
    f = frame.sort_values([key, "vf"])
    same = f[key].eq(f[key].shift())
    return not (same & (f["vf"] <= f["vt"].shift())).any()


def test_rows_of_one_unit_or_post_never_overlap_and_end_after_start(demo):
    assert _no_overlaps(demo.units, "unit_id") and _no_overlaps(demo.posts, "post_id")
    assert (demo.units["vt"] >= demo.units["vf"]).all() and (demo.posts["vt"] >= demo.posts["vf"]).all()


def _covers(rows, start, end):
    """True when the union of rows (vf, vt) covers start..end without a gap."""
    day = start
    for vf, vt in sorted(rows):
        if vf <= day <= vt:
            if vt >= end:
                return True
            day = date.fromordinal(vt.toordinal() + 1)
    return False


def test_parents_and_units_exist_for_as_long_as_their_children(demo):
    units = {k: list(zip(g["vf"], g["vt"])) for k, g in demo.units.groupby("unit_id")}
    for row in demo.units.itertuples():
        if row.parent_unit_id:
            assert _covers(units[row.parent_unit_id], row.vf, row.vt), row.unit_id
        else:
            assert row.unit_level == "directorate"
    for row in demo.posts.itertuples():
        assert _covers(units[row.unit_id], row.vf, row.vt), row.post_id


def test_assignments_sit_inside_their_posts_validity(demo):
    posts = {k: list(zip(g["vf"], g["vt"])) for k, g in demo.posts.groupby("post_id")}
    a = demo.assignments
    assert (a["end"] >= a["start"]).all()
    for row in a.itertuples():
        assert _covers(posts[row.post_id], row.start, row.end), row.assignment_id


def test_values_are_in_range_and_enums_known(demo):
    u, p, a, c = demo.units, demo.posts, demo.assignments, demo.caseloads
    assert set(u["unit_level"]) == {"directorate", "service", "area", "team", "pod"}
    assert set(p["tier"]) == TIERS
    assert p["bfte"].between(0, 5, inclusive="right").all()
    assert set(a["arrangement"]) == ARRANGEMENTS
    assert a["fte_n"].between(0, 1, inclusive="right").all()
    assert set(a["leaving_reason"]) <= REASONS
    assert a["assignment_id"].is_unique
    assert c["open_cases"].astype(int).ge(0).all()
    assert not c.duplicated(["snapshot_date", "person_id"]).any()
    assert set(demo.key_dates["category"]) == {"inspection", "leadership", "restructure", "other"}
    assert {"Band 9", "Band 10", "Hay C"} <= set(p["grade"])


def test_leaving_reason_only_on_ended_assignments(demo1):
    a = demo1.assignments
    assert (a.loc[a["end"] == OPEN, "leaving_reason"] == "").all()
    ended_sub = a[(a["end"] != OPEN) & a["arrangement"].isin(["permanent", "fixed_term"])]
    reasons = ended_sub["leaving_reason"].value_counts()
    assert reasons.drop("").index[0] == "resignation"
    # '' too: internal moves, and assignments re-recorded when a post is moved or regraded
    assert {"retirement", "end_of_contract", "dismissal", "other", "unknown", ""} <= set(reasons.index)
    assert (a.loc[a["arrangement"].isin(COVER), "leaving_reason"] == "").all()


def test_caseloads_include_unmatched_rows(demo1):
    a = demo1.assignments
    c = demo1.caseloads.assign(day=[parse_date(v) for v in demo1.caseloads["snapshot_date"]])
    c = c.merge(a[["person_id", "start", "end"]], on="person_id", how="left")
    c["hit"] = (c["start"] <= c["day"]) & (c["end"] >= c["day"])
    matched = c.groupby(["snapshot_date", "person_id"])["hit"].any()
    assert 0 < (~matched).sum() < 0.03 * len(matched)


# ------------------------------------------------------------------ people flows and the story


def _cover_share(demo, day):
    act = demo.active_assignments(day)
    mgmt = act[act["tier"].isin(MANAGEMENT)]
    return mgmt.loc[mgmt["arrangement"].isin(COVER), "fte_n"].sum() / mgmt["fte_n"].sum()


def test_management_cover_is_high_in_2019_and_low_in_2025(standard):
    assert _cover_share(standard, date(2019, 3, 31)) > 1 / 3
    assert _cover_share(standard, date(2025, 3, 31)) < 0.15


def test_agency_rate_falls_in_the_recovery(demo1):
    def rate(day):
        act = demo1.active_assignments(day)
        agency = act.loc[act["arrangement"].isin(["agency", "interim"]), "fte_n"].sum()
        return agency / (agency + act.loc[act["arrangement"].isin(["permanent", "fixed_term"]),
                                          "fte_n"].sum())
    assert rate(date(2019, 3, 31)) > 0.1 > rate(date(2025, 3, 31))


def test_caseloads_high_in_pods_then_down_to_fifteen_to_eighteen(demo1):
    c = demo1.caseloads.assign(day=[parse_date(v) for v in demo1.caseloads["snapshot_date"]],
                               cases=demo1.caseloads["open_cases"].astype(int))
    day = date(2019, 3, 31)
    act = demo1.active_assignments(day)
    in_pods = act[act["unit_id"].str.contains(r"-P\d+$") & (act["tier"] == "practitioner")]
    pods = c[(c["day"] == day) & c["person_id"].isin(in_pods["person_id"])]["cases"]
    assert len(pods) > 10 and 25 <= pods.median() <= 35
    late = date(2025, 3, 31)
    act = demo1.active_assignments(late)
    sws = act[(act["tier"] == "practitioner") & ~act["unit_id"].str.startswith("CS-QS")]
    assert 15 <= c[(c["day"] == late) & c["person_id"].isin(sws["person_id"])]["cases"].median() <= 18


def test_restructures_are_frequent_until_2021_and_rarer_after(demo1):
    k = demo1.key_dates
    restructures = k[k["category"] == "restructure"]["date"]
    assert (restructures < "2022").sum() >= 4 > (restructures >= "2022").sum() >= 1
    labels = set(k["label"])
    assert {"Ofsted SIF: requires improvement", "Ofsted ILACS: inadequate"} <= labels
    assert "Permanent director of children’s services starts" in labels
    # the structure really changes: renamed, re-parented, closed units; moved, deleted posts
    rows_per_unit = demo1.units.groupby("unit_id")["unit_name"].nunique()
    parents = demo1.units.groupby("unit_id")["parent_unit_id"].nunique()
    assert (rows_per_unit > 1).any() and (parents > 1).any()
    assert ((demo1.units["vt"] != OPEN).groupby(demo1.units["unit_id"]).all()).any()
    assert (demo1.posts.groupby("post_id")["unit_id"].nunique() > 1).sum() > 20
    assert (demo1.posts.groupby("post_id")["vt"].max() != OPEN).sum() > 10


def test_people_flows_include_job_shares_acting_up_moves_and_rejoiners(demo1):
    a = demo1.assignments.sort_values(["person_id", "start"])
    day = date(2020, 6, 30)
    act = demo1.active_assignments(day)
    perm = act[act["arrangement"] == "permanent"]
    halves = perm[perm["fte_n"] == 0.5].groupby("post_id").size()
    assert (halves == 2).any()  # a job share
    assert (demo1.active_assignments(date(2019, 3, 31)).groupby("person_id")["fte_n"].sum() > 1).any()
    sub = a[a["arrangement"].isin(["permanent", "fixed_term"])]
    nxt = sub.groupby("person_id")["start"].shift(-1)
    gap = pd.Series([(n - e).days - 1 if pd.notna(n) and e != OPEN else None
                     for n, e in zip(nxt, sub["end"])], index=sub.index)
    moves = sub[(gap >= 0) & (sub["post_id"] != sub.groupby("person_id")["post_id"].shift(-1))]
    assert (gap[moves.index] <= 6).sum() > 20 and (gap[moves.index] > 6).any()
    rejoin = (gap > 90) & (sub["leaving_reason"] == "resignation")
    assert rejoin.sum() > 5
    # interim cover over a substantive holder who is still in post (long-term leave)
    both = act.groupby("post_id")["arrangement"].agg(lambda s: {"permanent", "fixed_term"} & set(s)
                                                     and bool(COVER & set(s)))
    assert both.any()
