-- One row per indicator row of a current document's performance target table (a project's, or
-- the department-wide table's), with its parsed target.
with indicators as (
    select * from {{ ref('int_indicators') }}
),

current_documents as (
    select document_key from {{ ref('int_document_versions') }}
    where is_current
)

select
    document_key,
    project_key,
    is_department_wide,
    fiscal_year,
    table_ordinal,
    row_ordinal,
    indicator_key,
    level1,
    level2,
    level3,
    description,
    target_text,
    comparator,
    target_number,
    target_unit,
    basis,
    scoring,
    weight,
    parse_status,
    parse_note,
    line_no
from indicators
where document_key in (select document_key from current_documents)
