-- The readable labels of each parsed document: region, department and unit names, year, kind and level.
{{ config(materialized='ephemeral') }}

with documents as (
    select * from {{ ref('dim_document') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

printed as (
    select * from {{ ref('int_departments') }}
)

select
    documents.document_key,
    departments.province,
    departments.prefecture,
    departments.county,
    departments.department_name,
    -- a unit budget (单位预算) is published by one unit, named on its cover
    case when documents.level = 'unit' then printed.printed_department_name end as unit_name,
    documents.fiscal_year,
    documents.kind,
    documents.level,
    documents.department_key
from documents
left join departments
    on documents.department_key = departments.department_key
left join printed
    on documents.document_key = printed.document_key
