-- Fetch log: one row per attempt to fetch a URL (documents and the pages that list them).
select
    url,
    sha256,
    bytes,
    content_type,
    sniffed_format,
    fetched_at,
    source_name,
    coalesce(kind, 'document') as url_kind,
    status as fetch_status,
    error as fetch_error,
    http_status,
    final_url,
    title,
    found_on,
    etag,
    last_modified,
    modified_at,
    stored,
    tries
from {{ source('raw', 'fetch_log') }}
