"""A synthetic authority for forecast tests: 300 one-FTE posts whose holders leave with a known monthly
chance, each vacancy filled after exactly 45 days, January 2020 to December 2023."""

import math
from datetime import date, timedelta

import numpy as np

from pipelines.forecast_inputs import MONTH_DAYS
from pipelines.ingest import ingest
from tests.extract_builder import ORG, job, post, write_extract

TRUE_MONTHLY_LEAVING = 0.02  # the chance that someone in post leaves within a month, for everyone
POSTS = 300
GAP_DAYS = 45  # every vacancy is filled after exactly 45 days
FIRST, LAST = date(2020, 1, 1), date(2023, 12, 31)
# Tolerance: the estimate rests on about 200 leavers (300 posts x ~0.96 filled x 36 months x 0.02), so its
# sampling error is about 1/sqrt(200) = 7%; we allow 20%, nearly three times that.
TOLERANCE = 0.20


def synthetic_history(seed: int = 13, monthly_leaving: dict[str, float] | None = None):
    """Each post's holders follow one another: service lasts an exponential time with the daily rate that
    makes the monthly chance of leaving TRUE_MONTHLY_LEAVING (or, per grade, monthly_leaving[grade]); the
    next holder starts GAP_DAYS later. Odd posts are Band 9, even ones Band 10."""
    rng = np.random.default_rng(seed)
    chances = monthly_leaving or {"Band 9": TRUE_MONTHLY_LEAVING, "Band 10": TRUE_MONTHLY_LEAVING}
    posts, jobs = [], []
    for p in range(POSTS):
        post_id = f"P{p:03d}"
        grade = "Band 9" if p % 2 else "Band 10"
        daily = -math.log(1 - chances[grade]) / MONTH_DAYS
        posts.append(post(post_id, grade=grade, start=FIRST.isoformat()))
        start, holder = FIRST, 0
        while start <= LAST:
            end = start + timedelta(days=int(rng.exponential(1 / daily)))
            person = f"{post_id}-{holder}"
            if end >= LAST:
                # the first post's last holder is on a fixed-term contract to the end of 2024, so the data
                # (which run to the latest date they mention) reach past LAST
                jobs.append(job(f"a-{person}", person, post_id, "fixed_term" if p == 0 else "permanent",
                                start=start.isoformat(), end="2024-12-31" if p == 0 else ""))
                break
            jobs.append(job(f"a-{person}", person, post_id, start=start.isoformat(), end=end.isoformat(),
                            reason="resignation"))
            start, holder = end + timedelta(days=GAP_DAYS + 1), holder + 1
    return posts, jobs


def build_synthetic_db(root, monthly_leaving: dict[str, float] | None = None):
    posts, jobs = synthetic_history(monthly_leaving=monthly_leaving)
    folder = write_extract(root / "src", org_units=ORG, posts=posts, assignments=jobs)
    report = ingest(folder, root / "synthetic.duckdb", key_path=root / "k.key")
    assert report.status == "loaded" and not report.quarantined, report.summary()
    return root / "synthetic.duckdb"


