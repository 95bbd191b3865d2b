-- One row per distinct indicator name (level1, level2, level3).
with indicators as (
    select * from {{ ref('int_indicators') }}
)

select distinct
    indicator_key,
    level1,
    level2,
    level3
from indicators
