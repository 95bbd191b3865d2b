-- One row per indicator row of a project performance table, with its parsed target.
with indicators as (
    select * from {{ ref('int_indicators') }}
)

select
    document_key,
    project_key,
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
    parse_status,
    parse_note,
    line_no
from indicators
