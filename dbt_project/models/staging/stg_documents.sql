-- Documents seen by the parser, parsed or not.
select
    document_key,
    line_no,
    page,
    sha256,
    source_name,
    url,
    format,
    parser_version,
    status,
    status_reason,
    parsed_at,
    template,
    title,
    cast(fiscal_year as integer) as fiscal_year,
    level,
    kind,
    region_text,
    department_name,
    department_code,
    numbers_printed,
    numbers_captured
from {{ source('raw', 'documents') }}
