"""Caseload snapshots and the file formats of the demo extracts.

The files are deliberately messy in the ways real HR extracts are, yet valid under
DATA_CONTRACT.md: UK and ISO dates (mixed in a few cells), three spellings of an open end,
booleans in many spellings, a Windows-1252 file, a UTF-8 file with BOM, yearly files that
repeat and update earlier rows, and an XLSX with native date cells. Every choice of form is a
stable function of the row (crc32), so a row repeated in a later file is written identically.
"""

import csv
import io
import re
import zipfile
import zlib
from datetime import date, datetime

import numpy as np
import openpyxl

from pipelines import demo_story as story

UNIT_COLS = ("unit_id", "unit_name", "parent_unit_id", "unit_level", "valid_from", "valid_to")
POST_COLS = ("post_id", "post_title", "unit_id", "grade", "tier", "social_work_post",
             "budgeted_fte", "valid_from", "valid_to")
ASSIGN_COLS = ("assignment_id", "person_id", "full_name", "ni_number", "post_id", "arrangement",
               "fte", "start_date", "end_date", "leaving_reason")
BOOLS = (("Y", "N"), ("yes", "no"), ("TRUE", "FALSE"), ("1", "0"), ("y", "n"),
         ("True", "false"), ("YES", "No"))
OPEN_UK, OPEN_ISO = "31/12/4712", "9999-12-31"
FIXED_TIME = (2025, 12, 31, 0, 0, 0)
# Practitioner caseload by date: rising through the crisis, falling to 15-18 in the recovery.
CASE_X = [date(y, m, 1).toordinal() for y, m in
          ((2015, 1), (2017, 1), (2019, 7), (2021, 7), (2022, 7), (2023, 7), (2024, 7), (2026, 1))]
CASE_Y = [21, 24, 28, 26, 22, 18, 16.5, 16]


def roll(*parts) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


def uk(day: int) -> str:
    d = date.fromordinal(day)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def mixed(day: int, *key) -> str:
    """UK form, except ISO in about one cell in forty (a hand-edited or migrated value)."""
    return iso(day) if roll(*key) % 41 == 0 else uk(day)


def open_end(*key) -> str:
    pick = roll(*key) % 10
    return OPEN_ISO if pick == 0 else OPEN_UK if pick < 3 else ""


def csv_bytes(header, rows, encoding="utf-8", bom=False, newline="\n") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def month_ends() -> list[int]:
    out = []
    for year in range(2015, 2026):
        for month in range(1, 13):
            nxt = date(year + month // 12, month % 12 + 1, 1)
            out.append(nxt.toordinal() - 1)
    return out


def _pod_matrix(org, posts, snaps):
    """pod[i, j]: post i sits in a pod on snapshot j (pods carry the heaviest caseloads)."""
    pod = np.zeros((len(posts), len(snaps)), dtype=bool)
    snaps_arr = np.array(snaps)
    for i, pid in enumerate(posts):
        for row in org.posts.rows[pid]:
            if org.units.rows[row["unit_id"]][0]["unit_level"] == "pod":
                lo = np.searchsorted(snaps_arr, row["vf"])
                hi = np.searchsorted(snaps_arr, row["vt"] or story.STORY_END, side="right")
                pod[i, lo:hi] = True
    return pod


def caseload_rows(org, segs, unmatched, gen) -> list[tuple[int, str, int, bool]]:
    """Month-end rows for everyone holding a case-holding social work post, plus stale rows.

    Returns (snapshot, person, open_cases, unmatched) sorted by snapshot and person.
    """
    snaps = month_ends()
    posts = [p for p in org.posts.rows if org.tier(p) in story.CASE_TIERS
             and org.posts.rows[p][0]["social_work_post"]]
    post_ix = {p: i for i, p in enumerate(posts)}
    case = [s for s in segs if s[2] in post_ix]
    people = sorted({s[1] for s in case})
    code = {p: i for i, p in enumerate(people)}
    pcode = np.array([code[s[1]] for s in case])
    start = np.array([s[5] for s in case])
    end = np.array([s[6] if s[6] is not None else story.STORY_END for s in case])
    order = np.lexsort((np.arange(len(case)), -np.array([s[4] for s in case]), pcode))
    pcode, start, end = pcode[order], start[order], end[order]
    pix = np.array([post_ix[case[k][2]] for k in order])
    tier = np.array([story.CASE_TIERS.index(org.tier(case[k][2])) for k in order])
    reviewer = np.array([org.posts.rows[case[k][2]][0]["unit_id"].startswith("CS-QS") for k in order])
    pod = _pod_matrix(org, posts, snaps)
    stale = _stale(segs, unmatched, snaps)
    rows = []
    for j, snap in enumerate(snaps):
        idx = np.nonzero((start <= snap) & (end >= snap))[0]
        idx = idx[np.unique(pcode[idx], return_index=True)[1]]  # one row per person
        level = np.interp(snap, CASE_X, CASE_Y)
        crisis = snap < story.RECOVERY
        mean = np.where(tier[idx] == 2, level, 0.8 * level) + np.where(pod[pix[idx], j], 5.0, 0.0)
        cases = np.clip(np.rint(mean + gen.normal(0, 3.5 if crisis else 2.5, len(idx))), 2, 45)
        cases = np.where(tier[idx] == 0, np.maximum(0, gen.integers(-4, 5, len(idx))), cases)
        cases = np.where(reviewer[idx], 0, cases).astype(int)  # IROs and LADO hold no caseload
        seen = {people[c] for c in pcode[idx]}
        day_rows = [(snap, people[c], int(n), False) for c, n in zip(pcode[idx], cases)]
        day_rows += [(snap, p, int(gen.integers(8, 30)), True) for p in stale.get(snap, [])
                     if p not in seen]
        rows += sorted(day_rows, key=lambda r: r[1])
    return rows


def _stale(segs, unmatched, snaps):
    """Agency workers whose assignment ended but who still appear at the next month end."""
    spells: dict[str, list[tuple[int, int]]] = {}
    for s in segs:
        spells.setdefault(s[1], []).append((s[5], s[6] if s[6] is not None else story.STORY_END))
    out: dict[int, list[str]] = {}
    for person, ended in unmatched:
        j = int(np.searchsorted(snaps, ended, side="right"))
        if j < len(snaps) and snaps[j] - ended <= 45:
            if not any(a <= snaps[j] <= b for a, b in spells[person]):
                if person not in out.setdefault(snaps[j], []):
                    out[snaps[j]].append(person)
    return out


def stable_zip(raw: bytes) -> bytes:
    """Re-pack an XLSX with fixed timestamps: openpyxl stamps the save time into it."""
    src, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-12-31T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def org_units_xlsx(org) -> bytes:
    """Native date cells; senior units' open ends as a 9999-12-31 date cell, teams' left empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "org_units"
    ws.append(UNIT_COLS)
    for uid, rows in org.units.rows.items():
        for r in rows:
            # a few text dates, as in a sheet someone has edited by hand
            start = uk(r["vf"]) if roll(uid, r["vf"]) % 23 == 0 else date.fromordinal(r["vf"])
            if r["vt"] is not None:
                end = date.fromordinal(r["vt"])
            else:
                end = date(9999, 12, 31) if r["unit_level"] in ("directorate", "service", "area") \
                    else None
            ws.append([uid, r["unit_name"], r["parent_unit_id"] or None, r["unit_level"], start, end])
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "dd/mm/yyyy"
    wb.properties.created = wb.properties.modified = datetime(*FIXED_TIME)
    buf = io.BytesIO()
    wb.save(buf)
    return stable_zip(buf.getvalue())


def posts_csv(org) -> bytes:
    """Windows-1252 with CRLF, as an HR system on Windows writes it; booleans in many spellings."""
    rows = []
    for pid, prs in org.posts.rows.items():
        for r in prs:
            key = (pid, r["vf"])
            yes_no = BOOLS[roll(*key, "sw") % len(BOOLS)]
            end = open_end(*key, "vt") if r["vt"] is None else mixed(r["vt"], *key, "vt")
            rows.append([pid, r["post_title"], r["unit_id"], r["grade"], r["tier"],
                         yes_no[0] if r["social_work_post"] else yes_no[1],
                         f"{r['budgeted_fte']:g}", mixed(r["vf"], *key, "vf"), end])
    return csv_bytes(POST_COLS, rows, "cp1252", newline="\r\n")


def assignment_files(segs, names) -> dict[str, bytes]:
    """One extract per year: every assignment active in the year, end dates as known on 31/12.

    An ongoing assignment repeats unchanged in each year's file; the year it ends, its row
    comes back with the end date and reason, replacing the earlier rows on load.
    """
    files = {}
    for year in range(2015, 2026):
        lo, hi = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        rows = []
        for aid, person, post, arr, fte, start, end, reason in segs:
            if start > hi or (end is not None and end < lo):
                continue
            known = end is not None and end <= hi
            n = names[person]
            rows.append([aid, person, f"Demo Person {n:04d}", f"QQ{n * 7919 % 1000000:06d}C",
                         post, arr, f"{fte:g}", mixed(start, aid, "start"),
                         mixed(end, aid, "end") if known else open_end(aid, "end"),
                         reason if known else ""])
        files[f"assignments_{year}.csv"] = csv_bytes(ASSIGN_COLS, rows, bom=year == 2015)
    return files


def caseload_files(rows) -> dict[str, bytes]:
    by_year: dict[str, list] = {}
    text = {}
    for snap, person, cases, _ in rows:
        if snap not in text:
            text[snap] = iso(snap)
        by_year.setdefault(text[snap][:4], []).append((text[snap], person, cases))
    return {f"caseloads_{y}.csv": csv_bytes(("snapshot_date", "person_id", "open_cases"), r)
            for y, r in sorted(by_year.items())}


def render(org, segs, names, cases, key_dates) -> dict[str, bytes]:
    files = {"org_units.xlsx": org_units_xlsx(org), "posts.csv": posts_csv(org)}
    files.update(assignment_files(segs, names))
    files.update(caseload_files(cases))
    files["key_dates.csv"] = csv_bytes(("date", "label", "category"),
                                       [(iso(d), label, cat) for d, label, cat in key_dates])
    return files
