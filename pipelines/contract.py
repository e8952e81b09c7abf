"""The data contract (../shared/spec/DATA_CONTRACT.md) as constants the readers and schemas share."""

from dataclasses import dataclass

UNIT_LEVELS = ("directorate", "service", "area", "team", "pod")
TIERS = (
    "director",
    "assistant_director",
    "head_of_service",
    "team_manager",
    "senior_practitioner",
    "practitioner",
    "support",
)
MANAGEMENT_TIERS = ("director", "assistant_director", "head_of_service", "team_manager")
ARRANGEMENTS = ("permanent", "fixed_term", "acting", "interim", "agency", "secondment")
SUBSTANTIVE = ("permanent", "fixed_term")
COVER = ("acting", "interim", "agency", "secondment")
AGENCY = ("agency", "interim")
LEAVING_REASONS = (
    "resignation",
    "retirement",
    "voluntary_redundancy",
    "compulsory_redundancy",
    "dismissal",
    "end_of_contract",
    "death",
    "other",
    "unknown",
)
VOLUNTARY_REASONS = ("resignation", "retirement", "voluntary_redundancy")
KEY_DATE_CATEGORIES = ("inspection", "leadership", "restructure", "other")
# DfE's statutory guidance on agency child and family social workers caps pay for these five job types.
CAPPED_JOB_TYPES = ("social_worker", "senior_social_worker", "advanced_practitioner", "team_manager", "iro_cp_chair")
JOB_TYPES = (*CAPPED_JOB_TYPES, "other")


@dataclass(frozen=True)
class Kind:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    required: bool
    grain: str


KINDS = {
    k.name: k
    for k in (
        Kind(
            "org_units",
            ("unit_id", "unit_name", "parent_unit_id", "unit_level", "valid_from", "valid_to"),
            ("unit_id", "valid_from"),
            True,
            "organisational unit per validity interval",
        ),
        Kind(
            "posts",
            (
                "post_id",
                "post_title",
                "unit_id",
                "grade",
                "tier",
                "social_work_post",
                "budgeted_fte",
                "valid_from",
                "valid_to",
            ),
            ("post_id", "valid_from"),
            True,
            "establishment post per validity interval",
        ),
        Kind(
            "assignments",
            (
                "assignment_id",
                "person_id",
                "post_id",
                "arrangement",
                "fte",
                "start_date",
                "end_date",
                "leaving_reason",
            ),
            ("assignment_id",),
            True,
            "person-in-post assignment",
        ),
        Kind(
            "caseloads",
            ("snapshot_date", "person_id", "open_cases"),
            ("snapshot_date", "person_id"),
            False,
            "person per snapshot date",
        ),
        Kind(
            "key_dates",
            ("date", "label", "category"),
            ("date", "label"),
            False,
            "dated event to mark on time charts",
        ),
        Kind(
            "agency_engagements",
            (
                "engagement_id",
                "assignment_id",
                "valid_from",
                "valid_to",
                "job_type",
                "charge_rate_hourly",
                "pay_rate_hourly",
                "hours_per_week",
                "qualified_date",
                "previous_permanent_end",
                "previous_permanent_region",
                "reference_received",
                "notice_weeks",
                "project_team",
                "cap_exception_approved",
            ),
            ("engagement_id", "valid_from"),
            False,
            "agency engagement per validity interval (rates and evidence as they stood)",
        ),
    )
}

# Optional columns may be absent from a file; every other contract column must be present.
OPTIONAL_COLUMNS = {
    "org_units": {"parent_unit_id", "valid_to"},
    "posts": {"valid_to"},
    "assignments": {"end_date", "leaving_reason"},
    "caseloads": set(),
    "key_dates": {"category"},
    "agency_engagements": {
        "valid_to", "pay_rate_hourly", "hours_per_week", "qualified_date", "previous_permanent_end",
        "previous_permanent_region", "reference_received", "notice_weeks", "project_team", "cap_exception_approved",
    },
}

# Column names (normalised: lower case, separators removed) that carry personal data.
PERSONAL_COLUMN_NAMES = frozenset(
    name.replace(" ", "").replace("-", "")
    for name in (
        "name", "full name", "first name", "forename", "forenames", "surname", "last name",
        "family name", "known as", "dob", "date of birth", "birth date", "ni number",
        "national insurance number", "nino", "email", "e-mail", "address", "postcode",
        "phone", "telephone", "mobile",
    )
)


def normalise_column_name(name: str) -> str:
    """Lower case with spaces, dashes and underscores removed, so 'Date-of_Birth' matches 'dob' rules."""
    return "".join(ch for ch in str(name).strip().lower() if ch not in " -_\t")


# Fragments that mark a vendor's own personal columns too ('Manager Name', 'Home Postcode').
_PERSONAL_FRAGMENTS = ("name", "birth", "email", "address", "postcode", "phone", "mobile", "nationalinsurance")


def is_personal_column(name: str) -> bool:
    normal = normalise_column_name(name)
    return normal in PERSONAL_COLUMN_NAMES or any(part in normal for part in _PERSONAL_FRAGMENTS)
