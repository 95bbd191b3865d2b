-- Department duties, one row per numbered item.
select
    document_key,
    line_no,
    page,
    ordinal,
    printed_number,
    printed_label,
    duty_text
from {{ source('raw', 'duties') }}
