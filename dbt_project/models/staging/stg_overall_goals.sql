-- Department-wide performance goals.
select
    document_key,
    line_no,
    page,
    ordinal,
    printed_number,
    goal_text
from {{ source('raw', 'overall_goals') }}
