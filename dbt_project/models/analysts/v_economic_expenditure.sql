-- fct_economic_expenditure with its region, department, unit, year, kind and level spelled out.
with facts as (
    select * from {{ ref('fct_economic_expenditure') }}
),

documents as (
    select * from {{ ref('analyst_documents') }}
)

select
    {{ analyst_labels() }},
    facts.economic_code,
    facts.economic_name,
    facts.code_level,
    facts.personnel_yuan,
    facts.public_yuan,
    facts.amount_yuan,
    facts.document_key,
    facts.department_key,
    facts.table_ordinal,
    facts.row_ordinal,
    facts.page
from facts
left join documents
    on facts.document_key = documents.document_key
