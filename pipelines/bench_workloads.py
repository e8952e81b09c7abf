"""Two messy, large extract folders for `bench --workloads`, each loaded in a fresh process.

- clashes: 100,000 posts rows and 100,000 assignments rows in two files each, where 20% of the keys
  clash in every way the cross-row rules know (a key repeated with other values in one file, up to
  three times; identical repeats; a later file replacing an earlier one; overlapping validity
  intervals, up to three rows of one post; references to unknown units and posts), shuffled so
  clashing rows are far apart, plus a few bad cells.
- caseloads: a 1,000,000-row caseloads CSV (about 50 MB, day-first dates and a team column the
  contract does not use) beside a small organisation.

A fresh process per load, so its peak memory (max RSS) is the load's own, not the generator's.
"""

import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipelines.contract import KINDS

CLASH_ROWS = 100_000
CASELOAD_ROWS = 1_000_000
UNITS = [f"T{n:03d}" for n in range(1, 201)]


def _write(path: Path, header, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _org(folder: Path) -> None:
    rows = [("CS", "Children's Services", "", "directorate", "2015-01-01", "")]
    rows += [(unit, f"Team {unit}", "CS", "team", "2015-01-01", "") for unit in UNITS]
    _write(folder / "org_units.csv", KINDS["org_units"].columns, rows)


def _post(rng, post_id, start, end, unit=None, grade=None):
    return [post_id, f"Social worker {post_id}", unit or rng.choice(UNITS), grade or f"Band {rng.randint(5, 12)}",
            "practitioner", "true", "1", start, end]


def _posts(rng: random.Random, rows: int) -> tuple[list, list, list[str]]:
    """(earlier file, later file, post ids): 80% plain keys, 20% in clashes of every kind."""
    first, second, ids = [], [], []
    n = 0
    while len(first) + len(second) < rows:
        n += 1
        pid = f"P{n:06d}"
        ids.append(pid)
        shape = n % 20  # 16 of 20 plain; one in 20 of each clash kind
        if shape == 16:  # a key repeated with other values in one file (2 or 3 times)
            for _ in range(2 + n % 40 // 20):
                first.append(_post(rng, pid, "2020-04-01", ""))
        elif shape == 17:  # identical repeats (2 or 3 copies) load once
            row = _post(rng, pid, "2020-04-01", "")
            first += [list(row) for _ in range(2 + n % 40 // 20)]
        elif shape == 18:  # a later file replaces the earlier file's row
            first.append(_post(rng, pid, "2020-04-01", ""))
            second.append(_post(rng, pid, "2020-04-01", ""))
        elif shape == 19:  # overlapping intervals: the later starts are held back
            first.append(_post(rng, pid, "2019-01-01", "2021-12-31"))
            first.append(_post(rng, pid, "2021-06-01", ""))
            if n % 40 == 19:
                second.append(_post(rng, pid, "2020-01-01", "2020-12-31"))
        elif n % 97 == 0:  # unknown unit
            first.append(_post(rng, pid, "2020-04-01", "", unit="T999"))
        elif n % 89 == 0:  # a bad cell
            first.append(_post(rng, pid, "31/31/2020", ""))
        else:
            first.append(_post(rng, pid, "2019-01-01", "2021-12-31"))
            first.append(_post(rng, pid, "2022-01-01", ""))
    rng.shuffle(first)
    rng.shuffle(second)
    return first, second, ids


def _job(rng, aid, post_ids, post=None, person=None):
    start = f"20{rng.randint(19, 23)}-{rng.randint(1, 12):02d}-01"
    return [aid, person or f"E{rng.randint(1, 60_000):06d}", post or rng.choice(post_ids),
            rng.choice(["permanent", "agency", "fixed_term"]), "1", start, "", ""]


def _assignments(rng: random.Random, rows: int, post_ids: list[str]) -> tuple[list, list]:
    first, second = [], []
    n = 0
    while len(first) + len(second) < rows:
        n += 1
        aid = f"A{n:07d}"
        shape = n % 20
        if shape in (16, 19):  # a key repeated with other values in one file (2 or 3 times)
            first += [_job(rng, aid, post_ids) for _ in range(2 + n % 40 // 20)]
        elif shape == 17:  # identical repeats
            row = _job(rng, aid, post_ids)
            first += [list(row) for _ in range(2 + n % 40 // 20)]
        elif shape == 18:
            first.append(_job(rng, aid, post_ids))
            second.append(_job(rng, aid, post_ids))
        elif n % 83 == 0:  # unknown post
            first.append(_job(rng, aid, post_ids, post="P999999"))
        else:
            first.append(_job(rng, aid, post_ids))
    rng.shuffle(first)
    rng.shuffle(second)
    return first, second


def write_clashes(folder: Path, rows: int = CLASH_ROWS, seed: int = 8) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    _org(folder)
    first, second, ids = _posts(rng, rows)
    _write(folder / "posts_1.csv", KINDS["posts"].columns, first)
    _write(folder / "posts_2.csv", KINDS["posts"].columns, second)
    first, second = _assignments(rng, rows, ids)
    _write(folder / "assignments_1.csv", KINDS["assignments"].columns, first)
    _write(folder / "assignments_2.csv", KINDS["assignments"].columns, second)
    return folder


def write_caseloads(folder: Path, rows: int = CASELOAD_ROWS, seed: int = 8) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    _org(folder)
    months = [(y, m) for y in range(2015, 2025) for m in range(1, 13)]
    staff = -(-rows // len(months))  # enough people that every (snapshot, person) key is distinct
    posts = [_post(rng, f"P{n:05d}", "2015-01-01", "", unit=UNITS[n % len(UNITS)]) for n in range(staff)]
    _write(folder / "posts.csv", KINDS["posts"].columns, posts)
    people = [f"EMP{n:08d}" for n in range(staff)]
    jobs = [[f"A{n:05d}", people[n], posts[n][0], "permanent", "1", "2015-01-01", "", ""] for n in range(staff)]
    _write(folder / "assignments.csv", KINDS["assignments"].columns, jobs)
    # ten years of month-ends: day-first dates as a UK HR system writes them
    last = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}
    with (folder / "caseloads.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Snapshot Date", "Person ID", "Open Cases", "Team Name"])
        for n in range(rows):
            year, month = months[n // len(people) % len(months)]
            person = n % len(people)
            writer.writerow([f"{last.get(month, 31):02d}/{month:02d}/{year}", people[person],
                             rng.randint(0, 30), f"Children in Care Team {UNITS[person % len(UNITS)]}"])
    return folder


WRITERS = {"clashes": write_clashes, "caseloads": write_caseloads}


def _load(folder: str, db: str, key: str) -> None:
    """Run in the child: load, then print seconds, peak MB and the load's counts as JSON."""
    from pipelines.ingest import ingest

    started = time.perf_counter()
    report = ingest(Path(folder), Path(db), key_path=Path(key))
    seconds = time.perf_counter() - started
    print(json.dumps({
        "ingest_s": round(seconds, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rows_read": sum(k.rows_read for k in report.kinds.values()),
        "rows_loaded": sum(k.rows_loaded for k in report.kinds.values()),
        "problems": len(report.quarantined),
    }))


def run_workload(name: str) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"wfs-{name}-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        WRITERS[name](root / "extracts")
        generate_s = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in (root / "extracts").iterdir()) / 1e6
        child = subprocess.run(
            [sys.executable, "-m", "pipelines.bench_workloads", str(root / "extracts"), str(root / "w.duckdb"),
             str(root / "w.key")], capture_output=True, text=True, check=True)
        return {"workload": name, "generate_s": round(generate_s, 2), "input_mb": round(size_mb, 1),
                **json.loads(child.stdout.strip().splitlines()[-1])}


if __name__ == "__main__":
    _load(*sys.argv[1:4])
