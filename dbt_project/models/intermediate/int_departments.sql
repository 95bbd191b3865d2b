-- The department of each document that names one: its region and its name. The region is the
-- document's own where its entity or title names one (its administrative level says how far),
-- else its source's (the defaults of sources.yaml). The department is keyed by its region and
-- its canonical name (one entity printed several ways is one department: recognition.yaml), or
-- the canonical name seeds/department_aliases.csv gives a renamed department.
with documents as (
    select * from {{ ref('stg_documents') }}
    where department_name is not null
),

sources as (
    select * from {{ ref('stg_sources') }}
),

aliases as (
    select * from {{ ref('department_aliases') }}
),

regions as (
    select
        documents.*,
        documents.admin_level is not null as region_printed,
        case when documents.admin_level is not null then documents.province
            else sources.province end as region_province,
        case when documents.admin_level is not null then documents.prefecture
            else sources.prefecture end as region_prefecture,
        case when documents.admin_level is not null then documents.county
            else sources.county end as region_county
    from documents
    left join sources
        on documents.source_name = sources.source_name
),

named as (
    select
        regions.document_key,
        regions.fiscal_year,
        regions.level,
        regions.kind,
        regions.region_province as province,
        regions.region_prefecture as prefecture,
        regions.region_county as county,
        coalesce(
            regions.admin_level,
            case
                when regions.region_county is not null then 'county'
                when regions.region_prefecture is not null then 'prefecture'
                when regions.region_province is not null then 'province'
            end
        ) as admin_level,
        regions.region_printed,
        regions.department_name as printed_department_name,
        coalesce(aliases.canonical_name, regions.department_name) as department_name,
        coalesce(aliases.canonical_name, regions.canonical_name) as key_name,
        regions.department_code
    from regions
    left join aliases
        on coalesce(aliases.province, '') = coalesce(regions.region_province, '')
        and coalesce(aliases.prefecture, '') = coalesce(regions.region_prefecture, '')
        and coalesce(aliases.county, '') = coalesce(regions.region_county, '')
        and aliases.alias_name = regions.department_name
)

select
    *,
    md5(concat_ws('|',
        coalesce(province, ''),
        coalesce(prefecture, ''),
        coalesce(county, ''),
        key_name
    )) as department_key
from named
