-- Versions of each document: a re-published file for the same department, year, level, kind
-- and part (whole, tables or narrative) supersedes the earlier one.
with documents as (
    select * from {{ ref('stg_documents') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

fetch_log as (
    select * from {{ ref('stg_fetch_log') }}
    where sha256 is not null
),

-- when the publisher put these bytes out: the earliest sighting's modification time (file
-- mtime or Last-Modified), else its fetch time
sightings as (
    select
        sha256,
        min(coalesce(modified_at, fetched_at)) as published_at,
        min(fetched_at) as first_fetched_at
    from fetch_log
    group by sha256
),

-- the series a document belongs to; a document that did not parse is a series of its own
series as (
    select
        documents.document_key,
        case
            when documents.status = 'parsed' and departments.department_key is not null
                then concat_ws('|', departments.department_key, documents.fiscal_year,
                    documents.level, documents.kind, documents.part)
            else 'document|' || documents.document_key
        end as series_key,
        coalesce(sightings.published_at, sightings.first_fetched_at, documents.parsed_at)
            as published_at,
        coalesce(sightings.first_fetched_at, documents.parsed_at) as first_fetched_at
    from documents
    left join departments
        on documents.document_key = departments.document_key
    left join sightings
        on documents.sha256 = sightings.sha256
),

ordered as (
    select
        *,
        row_number() over (
            partition by series_key
            order by published_at, first_fetched_at, document_key
        ) as version_number,
        count(*) over (partition by series_key) as versions_in_series,
        lead(published_at) over (
            partition by series_key
            order by published_at, first_fetched_at, document_key
        ) as next_published_at,
        lag(document_key) over (
            partition by series_key
            order by published_at, first_fetched_at, document_key
        ) as previous_document_key
    from series
)

select
    document_key,
    series_key,
    published_at as valid_from,
    next_published_at as valid_to,
    version_number = versions_in_series as is_current,
    cast(version_number as integer) as version_number,
    previous_document_key as supersedes_document_key,
    first_fetched_at
from ordered
