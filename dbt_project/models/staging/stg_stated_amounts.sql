-- Amounts stated in the narrative, in 元.
select
    document_key,
    line_no,
    page,
    section,
    item,
    raw_text,
    amount_text,
    cast(amount_yuan as decimal(18, 2)) as amount_yuan,
    reference_year
from {{ source('raw', 'stated_amounts') }}
