-- Project performance tables (项目绩效目标表), one row per printed table.
select
    document_key,
    line_no,
    page,
    table_ordinal,
    printed_number,
    project_name,
    goal_text,
    goal_line_no,
    goal_after_header,
    header_rows,
    indicator_rows
from {{ source('raw', 'performance_tables') }}
