-- Unit table rows: the units a department's budget covers.
select
    document_key,
    line_no,
    page,
    table_ordinal,
    row_ordinal,
    unit_name,
    nature,
    rank,
    funding_form
from {{ source('raw', 'units') }}
