-- The department of each document that names one: region from its source plus department name.
with documents as (
    select * from {{ ref('stg_documents') }}
    where department_name is not null
),

sources as (
    select * from {{ ref('stg_sources') }}
),

-- a renamed department listed in seeds/department_aliases.csv keeps its canonical name
aliases as (
    select * from {{ ref('department_aliases') }}
),

named as (
    select
        documents.document_key,
        documents.fiscal_year,
        documents.level,
        documents.kind,
        sources.province,
        sources.prefecture,
        sources.county,
        documents.department_name as printed_department_name,
        coalesce(aliases.canonical_name, documents.department_name) as department_name,
        documents.department_code
    from documents
    left join sources
        on documents.source_name = sources.source_name
    left join aliases
        on coalesce(aliases.province, '') = coalesce(sources.province, '')
        and coalesce(aliases.prefecture, '') = coalesce(sources.prefecture, '')
        and coalesce(aliases.county, '') = coalesce(sources.county, '')
        and aliases.alias_name = documents.department_name
)

select
    *,
    md5(concat_ws('|',
        coalesce(province, ''),
        coalesce(prefecture, ''),
        coalesce(county, ''),
        department_name
    )) as department_key
from named
