-- Fetch log: one row per fetched file.
select
    url,
    sha256,
    bytes,
    content_type,
    fetched_at,
    source_name,
    status as fetch_status,
    error as fetch_error
from {{ source('raw', 'fetch_log') }}
