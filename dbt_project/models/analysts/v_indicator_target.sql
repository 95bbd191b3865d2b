-- fct_indicator_target with the project's printed name, its department, unit, region, year, kind and level.
with facts as (
    select * from {{ ref('fct_indicator_target') }}
),

documents as (
    select * from {{ ref('analyst_documents') }}
),

printed as (
    select * from {{ ref('int_projects') }}
    where printed_as = 'performance_table'
)

select
    {{ analyst_labels(level='documents.level') }},
    printed.project_name,
    facts.is_department_wide,
    facts.level1,
    facts.level2,
    facts.level3,
    facts.description,
    facts.target_text,
    facts.comparator,
    facts.target_number,
    facts.target_unit,
    facts.basis,
    facts.parse_status,
    facts.parse_note,
    facts.document_key,
    documents.department_key,
    facts.project_key,
    facts.indicator_key,
    facts.table_ordinal,
    facts.row_ordinal,
    facts.line_no
from facts
left join documents
    on facts.document_key = documents.document_key
left join printed
    on facts.document_key = printed.document_key
    and facts.table_ordinal = printed.table_ordinal
