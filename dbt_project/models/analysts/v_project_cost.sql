-- fct_project_cost with the project's printed name, its department, unit, region, year, kind and level.
with facts as (
    select * from {{ ref('fct_project_cost') }}
),

documents as (
    select * from {{ ref('analyst_documents') }}
),

printed as (
    select * from {{ ref('int_projects') }}
    where printed_as in ('performance_table', 'project_page')
)

select
    {{ analyst_labels(level='documents.level') }},
    printed.project_name,
    facts.cost_text,
    facts.comparator,
    facts.cost_yuan,
    facts.is_money,
    facts.cost_rows_in_table,
    facts.document_key,
    documents.department_key,
    facts.project_key,
    facts.table_ordinal,
    facts.row_ordinal,
    facts.line_no
from facts
left join documents
    on facts.document_key = documents.document_key
left join printed
    on facts.document_key = printed.document_key
    and facts.table_ordinal = printed.table_ordinal
