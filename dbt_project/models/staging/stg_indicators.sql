-- Indicator rows of the performance target tables; target_number is in 元 when target_is_money.
select
    document_key,
    line_no,
    page,
    table_ordinal,
    row_ordinal,
    level1,
    level1_printed,
    level2,
    level3,
    description,
    target_text,
    comparator,
    cast(target_number as decimal(20, 4)) as target_number,
    target_unit,
    target_is_money,
    parse_status,
    parse_note,
    basis,
    scoring,
    weight,
    remark
from {{ source('raw', 'indicators') }}
