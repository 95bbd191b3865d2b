-- Raw cells of other tables (procurement, fixed assets).
select
    document_key,
    line_no,
    page,
    section,
    table_ordinal,
    row_ordinal,
    is_header,
    cells
from {{ source('raw', 'table_rows') }}
