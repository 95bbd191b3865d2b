-- One row per printed project performance table, with its department and project identity.
with tables as (
    select * from {{ ref('stg_performance_tables') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

normalised as (
    select
        tables.document_key,
        tables.table_ordinal,
        tables.printed_number,
        tables.line_no,
        departments.fiscal_year,
        departments.department_key,
        tables.project_name,
        -- remove all whitespace, including full-width (U+3000) and no-break spaces
        regexp_replace(coalesce(tables.project_name, ''), '[\s\pZ]+', '', 'g') as project_name_normalised
    from tables
    inner join departments
        on tables.document_key = departments.document_key
)

select
    *,
    md5(concat_ws('|', department_key, project_name_normalised)) as project_key
from normalised
