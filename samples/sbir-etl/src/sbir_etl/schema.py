"""The SBIR.gov bulk awards CSV layout and the normalized field names.

The source header is fixed by SBIR.gov (42 columns, this order); keeping the
mapping in one table means the reader, the transform and the DuckDB schema can
never disagree about a column.
"""

# (CSV header, normalized field, type). Types drive parsing and the DuckDB DDL.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Company", "company_name", "str"),
    ("Award Title", "award_title", "str"),
    ("Agency", "agency", "str"),
    ("Branch", "branch", "str"),
    ("Phase", "phase", "str"),
    ("Program", "program", "str"),
    ("Agency Tracking Number", "agency_tracking_number", "str"),
    ("Contract", "contract", "str"),
    ("Proposal Award Date", "award_date", "date"),
    ("Contract End Date", "contract_end_date", "date"),
    ("Solicitation Number", "solicitation_number", "str"),
    ("Solicitation Year", "solicitation_year", "int"),
    ("Solicitation Close Date", "solicitation_close_date", "date"),
    ("Proposal Receipt Date", "proposal_receipt_date", "date"),
    ("Date of Notification", "date_of_notification", "date"),
    ("Topic Code", "topic_code", "str"),
    ("Award Year", "award_year", "int"),
    ("Award Amount", "award_amount", "decimal"),
    ("UEI", "uei", "str"),
    ("Duns", "duns", "str"),
    ("HUBZone Owned", "hubzone_owned", "bool"),
    ("Socially and Economically Disadvantaged", "socially_economically_disadvantaged", "bool"),
    ("Woman Owned", "woman_owned", "bool"),
    ("Number Employees", "number_employees", "int"),
    ("Company Website", "company_website", "str"),
    ("Address1", "address1", "str"),
    ("Address2", "address2", "str"),
    ("City", "city", "str"),
    ("State", "state", "str"),
    ("Zip", "zip", "str"),
    ("Abstract", "abstract", "str"),
    ("Contact Name", "contact_name", "str"),
    ("Contact Title", "contact_title", "str"),
    ("Contact Phone", "contact_phone", "str"),
    ("Contact Email", "contact_email", "str"),
    ("PI Name", "pi_name", "str"),
    ("PI Title", "pi_title", "str"),
    ("PI Phone", "pi_phone", "str"),
    ("PI Email", "pi_email", "str"),
    ("RI Name", "ri_name", "str"),
    ("RI POC Name", "ri_poc_name", "str"),
    ("RI POC Phone", "ri_poc_phone", "str"),
)

HEADER: tuple[str, ...] = tuple(column for column, _, _ in COLUMNS)

# award_id is derived (see transform.py) and leads every normalized record.
RECORD_FIELDS: tuple[str, ...] = ("award_id",) + tuple(field for _, field, _ in COLUMNS)

FIELD_TYPES: dict[str, str] = {"award_id": "str", **{field: kind for _, field, kind in COLUMNS}}

PROGRAMS = frozenset({"SBIR", "STTR"})
