-- Performance target tables (绩效目标表): one row per project, or per department-wide table.
select
    document_key,
    line_no,
    page,
    table_ordinal,
    printed_number,
    table_kind,
    coalesce(is_department_wide, false) as is_department_wide,
    project_name,
    department_text,
    implementing_unit,
    unit_code,
    money_text,
    money_unit,
    cast(money_yuan as decimal(18, 2)) as money_yuan,
    money_parts,
    overview,
    goal_text,
    goal_line_no,
    goal_after_header,
    header_rows,
    indicator_rows
from {{ source('raw', 'performance_tables') }}
