-- Indicator rows with their indicator key (level1|level2|level3), their table's kind and their
-- project's key (NULL for a department-wide table's indicators).
with indicators as (
    select * from {{ ref('stg_indicators') }}
),

tables as (
    select * from {{ ref('stg_performance_tables') }}
),

documents as (
    select * from {{ ref('stg_documents') }}
),

projects as (
    select * from {{ ref('int_projects') }}
)

select
    indicators.*,
    documents.fiscal_year,
    tables.is_department_wide,
    projects.project_key,
    md5(concat_ws('|',
        coalesce(indicators.level1, ''),
        coalesce(indicators.level2, ''),
        coalesce(indicators.level3, '')
    )) as indicator_key
from indicators
inner join documents
    on indicators.document_key = documents.document_key
left join tables
    on indicators.document_key = tables.document_key
    and indicators.table_ordinal = tables.table_ordinal
left join projects
    on indicators.document_key = projects.document_key
    and indicators.table_ordinal = projects.table_ordinal
    and projects.printed_as = 'performance_table'
