-- Per-project goal list (分项绩效目标).
select
    document_key,
    line_no,
    page,
    ordinal,
    printed_number,
    project_name,
    goal_text,
    indicator_text
from {{ source('raw', 'project_goals') }}
