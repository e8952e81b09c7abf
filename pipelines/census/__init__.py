"""The DfE children's social work workforce census (CSWW) return: reading an authority's past returns,
storing them (pseudonymised, without personal items) and the figures DfE publishes from them
(docs/CENSUS.md).

This module holds what the reader, the importer, the figures and the dashboard share: the fields
kept, the code lists of the 2022 schema and the tables in the database."""

REFERENCE_MONTH_DAY = (9, 30)  # a return counts the workforce on 30 September

# Never read into a frame, never stored, never quoted: DfE collects them, we do not need them.
PERSONAL_ELEMENTS = ("PersonBirthDate", "GenderCurrent", "Ethnicity", "QualInst")

# Elements the 2022 schema allows more than once in a worker record (QualInst is personal, never read).
REPEATABLE = ("ContractWeeks", "Absat30Sept", "ReasonAbsence", "CFKSSstatus")

# The worker fields kept, in the schema's order; SWENo is kept only as a keyed pseudonym.
WORKER_FIELDS = (
    "AgencyWorker", "SWENo", "FTE", "QualLevel", "StepUpGrad", "OrgRole", "RoleStartDate", "StartOrigin",
    "RoleEndDate", "LeaverDestination", "ReasonLeave", "FTE30", "Cases30", "WorkingDaysLost", "ContractWeeks",
    "FrontlineGrad", "Absat30Sept", "ReasonAbsence", "CFKSSstatus",
)

ORG_ROLES = {"1": "Senior manager", "2": "Middle manager", "3": "First line manager",
             "4": "Senior practitioner", "5": "Case holder", "6": "Qualified without cases"}
START_ORIGINS = {
    "1": "Newly qualified social worker",
    "2": "Social worker role in a different local authority in England",
    "3": "Social worker role outside England",
    "4": "Agency or consultancy in social work (in England)",
    "5": "Other social work role, non-local authority (in England)",
    "6": "Other social care role in a local authority or elsewhere (in England)",
    "7": "Non-social care role, any role outside England, no employment or career break",
    "8": "Other", "9": "Not known", "10": "Not yet collected",
}
LEAVER_DESTINATIONS = {
    "1": "Social worker role in a different local authority in England",
    "2": "Social worker role outside England",
    "3": "Agency or consultancy in social work (in England)",
    "4": "Other social work role, non-local authority (in England)",
    "5": "Other social care role in a local authority or elsewhere (in England)",
    "6": "Non-social care role, any role outside England, no employment or career break",
    "7": "Other", "8": "Not known", "9": "Not yet collected",
}
TO_AGENCY = "3"  # the destination code of a leaver who went to agency or consultancy work
LEAVING_REASONS = {
    "1": "Resignation", "2": "Voluntary redundancy", "3": "Compulsory redundancy", "4": "Dismissed",
    "5": "Retired", "6": "Deceased", "7": "Moved to a non-children and families social work role in the authority",
    "8": "Other", "9": "Not known", "10": "Not yet collected",
}
ABSENCE_REASONS = {"MAT": "Maternity or paternity leave", "OTH": "Other paid authorised absence",
                   "PUB": "Paid absence for public duties", "SIC": "Sick leave", "TRN": "Training",
                   "UNA": "Unauthorised absence", "UNP": "Unpaid authorised absence"}
QUAL_LEVELS = {"1": "Undergraduate", "2": "Postgraduate", "3": "Other"}
CFKSS_STATUSES = {"1": "Assessed and supported year in employment", "2": "Frontline practitioner",
                  "3": "Practice supervisor", "4": "Practice leader"}
YES_NO = {"0": "No", "1": "Yes"}

# Tables a census import writes. An HR load (pipelines/store.py) and a DfE import carry them over.
TABLES = ("census_returns", "census_workers", "census_quarantine")
DDL = {
    "census_returns": "year integer, reference_date date, la_number varchar, file_name varchar, sha256 varchar, "
    "fingerprint varchar, imported_at timestamp, workers_read integer, workers_loaded integer, "
    "workers_quarantined integer, vacancies_fte double, agency_cover_fte double, agency_cover_headcount integer",
    "census_workers": "year integer, worker_position integer, swe_key varchar, agency boolean, fte double, "
    "fte30 double, qual_level varchar, step_up_grad varchar, org_role varchar, role_start_date date, "
    "start_origin varchar, role_end_date date, leaver_destination varchar, reason_leave varchar, cases30 integer, "
    "working_days_lost double, contract_weeks double, frontline_grad varchar, absent_30_sept boolean, "
    "reason_absence varchar, cfkss_status varchar",
    "census_quarantine": "year integer, file_name varchar, worker_position integer, line_number integer, "
    "field varchar, reason varchar",
}
