-- fct_functional_expenditure with its region, department, unit, year, kind and level spelled out.
with facts as (
    select * from {{ ref('fct_functional_expenditure') }}
),

documents as (
    select * from {{ ref('analyst_documents') }}
)

select
    {{ analyst_labels() }},
    facts.function_code,
    facts.function_name,
    facts.code_level,
    facts.amount_yuan,
    facts.basic_yuan,
    facts.project_yuan,
    facts.budget_yuan,
    facts.budget_basis,
    facts.document_key,
    facts.department_key,
    facts.table_ordinal,
    facts.row_ordinal,
    facts.page
from facts
left join documents
    on facts.document_key = documents.document_key
