"""What each metric of METRICS.md takes and returns: the one registry the engine, the command line
and the dashboard all read, so a field or grouping is named in exactly one place."""

from dataclasses import dataclass

AS_OF, PERIOD, SNAPSHOT = "as_of", "period", "snapshot"
# rate and ratio are null when their denominator is zero; number is always defined
COUNT, FTE, RATE, RATIO, DAYS, NUMBER = "count", "fte", "rate", "ratio", "days", "number"


@dataclass(frozen=True)
class MetricSpec:
    name: str
    title: str
    reference: str  # AS_OF, PERIOD or SNAPSHOT
    groupings: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]  # (output field, kind of value)
    scope_filters: bool = True  # takes tiers and social_work_only
    standard: str = ""

    @property
    def field_names(self) -> list[str]:
        return [name for name, _ in self.fields]


_STANDARD = ("none", "grade", "tier", "unit")

METRICS: dict[str, MetricSpec] = {
    spec.name: spec
    for spec in (
        MetricSpec("interim_ratio", "Interim ratio", AS_OF, _STANDARD, (
            ("occupied_fte", FTE), ("cover_fte", FTE), ("occupied_headcount", COUNT),
            ("cover_headcount", COUNT), ("interim_ratio_pct", RATE))),
        MetricSpec("agency_rate", "Agency rate", AS_OF, _STANDARD, (
            ("agency_fte", FTE), ("substantive_fte", FTE), ("agency_rate_pct", RATE)), standard="DfE"),
        MetricSpec("turnover", "Turnover", PERIOD, _STANDARD, (
            ("leavers", COUNT), ("leaver_fte", FTE), ("headcount_start", COUNT), ("headcount_end", COUNT),
            ("avg_headcount", NUMBER), ("turnover_rate_pct", RATE), ("fte_start", FTE), ("fte_end", FTE),
            ("turnover_rate_fte_pct", RATE), ("dfe_turnover_rate_fte_pct", RATE),
            ("voluntary_leavers", COUNT)), standard="CIPD crude turnover; DfE FTE form"),
        MetricSpec("stability", "Stability index", PERIOD, _STANDARD, (
            ("headcount_start", COUNT), ("stable", COUNT), ("stability_index_pct", RATE)),
            standard="CIPD / NHS stability index"),
        MetricSpec("vacancy_rate", "Vacancy rate", AS_OF, _STANDARD, (
            ("establishment_fte", FTE), ("vacant_fte", FTE), ("covered_vacant_fte", FTE),
            ("vacancy_rate_pct", RATE), ("agency_cover_pct", RATE))),
        MetricSpec("vacancy_duration", "Vacancy duration", PERIOD, _STANDARD, (
            ("filled", COUNT), ("median_days_to_fill", DAYS), ("mean_days_to_fill", DAYS), ("open", COUNT),
            ("median_open_age_days", DAYS), ("open_over_90_days", COUNT), ("open_over_180_days", COUNT),
            ("left_censored", COUNT))),
        MetricSpec("structural_changes", "Structural changes", PERIOD, ("none", "unit", "month", "type"), (
            ("events", COUNT), ("change_days", COUNT), ("events_per_12m", NUMBER)), scope_filters=False),
        MetricSpec("leadership_churn", "Leadership churn", PERIOD, ("none", "tier", "unit"), (
            ("posts", COUNT), ("holder_changes", COUNT), ("distinct_holders", COUNT))),
        MetricSpec("caseload", "Caseload", SNAPSHOT, _STANDARD, (
            ("case_holders", COUNT), ("case_holding_fte", FTE), ("cases", COUNT), ("caseload_per_fte", RATIO),
            ("mean_cases_per_holder", RATIO), ("over_threshold", COUNT), ("unmatched", COUNT)),
            standard="DfE"),
    )
}
