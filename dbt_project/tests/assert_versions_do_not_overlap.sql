-- Each version is valid until the next one of its series is published, and only the last is current.
select
    document_key,
    series_key,
    version_number,
    valid_from,
    valid_to,
    is_current
from {{ ref('int_document_versions') }}
where (is_current and valid_to is not null)
    or (not is_current and (valid_to is null or valid_to < valid_from))
