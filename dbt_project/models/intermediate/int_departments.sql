-- The department of each document that names one: region from its source plus department name.
with documents as (
    select * from {{ ref('stg_documents') }}
    where department_name is not null
),

sources as (
    select * from {{ ref('stg_sources') }}
)

select
    documents.document_key,
    documents.fiscal_year,
    documents.level,
    documents.kind,
    sources.province,
    sources.prefecture,
    sources.county,
    documents.department_name,
    documents.department_code,
    md5(concat_ws('|',
        coalesce(sources.province, ''),
        coalesce(sources.prefecture, ''),
        coalesce(sources.county, ''),
        documents.department_name
    )) as department_key
from documents
left join sources
    on documents.source_name = sources.source_name
