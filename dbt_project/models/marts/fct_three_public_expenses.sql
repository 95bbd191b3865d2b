-- One row per current document and 三公 category stated, in 元, with the changes vs the prior year.
with history as (
    select * from {{ ref('hist_three_public_expenses') }}
    where is_current
)

select
    document_key,
    department_key,
    fiscal_year,
    level,
    kind,
    category,
    amount_yuan,
    budget_yuan,
    reported_change_yuan,
    joint_reported_change_yuan,
    raw_text,
    source_document_key,
    line_no
from history
