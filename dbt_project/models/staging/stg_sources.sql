-- Publication sources and the region (province / prefecture / county) they cover.
select
    source_name,
    kind as source_kind,
    province,
    prefecture,
    county,
    location
from {{ source('raw', 'sources') }}
