"""Column types of the `raw` schema: one table per kind of parsed record.

Every parsed record carries `document_key` and its position (`line_no`, `page`); table records
also carry `table_ordinal` and `row_ordinal`. Money is DECIMAL in 元, never float.
"""

POSITION = [("document_key", "VARCHAR"), ("line_no", "INTEGER"), ("page", "INTEGER")]
MONEY = "DECIMAL(18, 2)"

RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    "sources": [
        ("source_name", "VARCHAR"), ("kind", "VARCHAR"), ("province", "VARCHAR"),
        ("prefecture", "VARCHAR"), ("county", "VARCHAR"), ("location", "VARCHAR"),
    ],
    "fetch_log": [
        ("url", "VARCHAR"), ("sha256", "VARCHAR"), ("bytes", "BIGINT"),
        ("content_type", "VARCHAR"), ("fetched_at", "TIMESTAMP"), ("source_name", "VARCHAR"),
        ("status", "VARCHAR"), ("error", "VARCHAR"),
    ],
    "documents": [
        *POSITION, ("sha256", "VARCHAR"), ("source_name", "VARCHAR"), ("url", "VARCHAR"),
        ("format", "VARCHAR"), ("parser_version", "VARCHAR"), ("status", "VARCHAR"),
        ("status_reason", "VARCHAR"), ("parsed_at", "TIMESTAMP"), ("template", "VARCHAR"),
        ("title", "VARCHAR"), ("fiscal_year", "INTEGER"), ("level", "VARCHAR"),
        ("kind", "VARCHAR"), ("region_text", "VARCHAR"), ("department_name", "VARCHAR"),
        ("department_code", "VARCHAR"),
    ],
    "duties": [
        *POSITION, ("ordinal", "INTEGER"), ("printed_number", "INTEGER"),
        ("printed_label", "VARCHAR"), ("duty_text", "VARCHAR"),
    ],
    "units": [
        *POSITION, ("table_ordinal", "INTEGER"), ("row_ordinal", "INTEGER"),
        ("unit_name", "VARCHAR"), ("nature", "VARCHAR"), ("rank", "VARCHAR"),
        ("funding_form", "VARCHAR"),
    ],
    "stated_amounts": [
        *POSITION, ("section", "VARCHAR"), ("item", "VARCHAR"), ("raw_text", "VARCHAR"),
        ("amount_text", "VARCHAR"), ("amount_yuan", MONEY), ("reference_year", "INTEGER"),
    ],
    "overall_goals": [
        *POSITION, ("ordinal", "INTEGER"), ("printed_number", "INTEGER"), ("goal_text", "VARCHAR"),
    ],
    "project_goals": [
        *POSITION, ("ordinal", "INTEGER"), ("printed_number", "INTEGER"),
        ("project_name", "VARCHAR"), ("goal_text", "VARCHAR"), ("indicator_text", "VARCHAR"),
    ],
    "performance_tables": [
        *POSITION, ("table_ordinal", "INTEGER"), ("printed_number", "INTEGER"),
        ("project_name", "VARCHAR"), ("goal_text", "VARCHAR"), ("goal_line_no", "INTEGER"),
        ("goal_after_header", "BOOLEAN"), ("header_rows", "INTEGER"),
        ("indicator_rows", "INTEGER"),
    ],
    "indicators": [
        *POSITION, ("table_ordinal", "INTEGER"), ("row_ordinal", "INTEGER"),
        ("level1", "VARCHAR"), ("level1_printed", "BOOLEAN"), ("level2", "VARCHAR"),
        ("level3", "VARCHAR"), ("description", "VARCHAR"), ("target_text", "VARCHAR"),
        ("comparator", "VARCHAR"), ("target_number", "DECIMAL(20, 4)"),
        ("target_unit", "VARCHAR"), ("target_is_money", "BOOLEAN"), ("parse_status", "VARCHAR"),
        ("parse_note", "VARCHAR"), ("basis", "VARCHAR"),
    ],
    "table_rows": [
        *POSITION, ("section", "VARCHAR"), ("table_ordinal", "INTEGER"),
        ("row_ordinal", "INTEGER"), ("is_header", "BOOLEAN"), ("cells", "VARCHAR[]"),
    ],
    "glossary": [
        *POSITION, ("ordinal", "INTEGER"), ("printed_number", "INTEGER"), ("term", "VARCHAR"),
        ("definition", "VARCHAR"),
    ],
}
