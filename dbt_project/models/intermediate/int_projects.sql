-- One row per printed project: template A performance tables (项目绩效目标表) and template B
-- project pages (项目经费情况说明), with the department and the project's identity.
with printed as (
    select document_key, table_ordinal, printed_number, line_no, project_name,
        'performance_table' as printed_as
    from {{ ref('stg_performance_tables') }}
    union all
    select document_key, ordinal as table_ordinal, ordinal as printed_number, line_no,
        project_name, 'project_page' as printed_as
    from {{ ref('stg_project_pages') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

normalised as (
    select
        printed.document_key,
        printed.table_ordinal,
        printed.printed_number,
        printed.line_no,
        printed.printed_as,
        departments.fiscal_year,
        departments.department_key,
        printed.project_name,
        -- remove all whitespace, including full-width (U+3000) and no-break spaces
        regexp_replace(coalesce(printed.project_name, ''), '[\s\pZ]+', '', 'g')
            as project_name_normalised
    from printed
    inner join departments
        on printed.document_key = departments.document_key
)

select
    *,
    md5(concat_ws('|', department_key, project_name_normalised)) as project_key
from normalised
