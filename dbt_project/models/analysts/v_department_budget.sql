-- fct_department_budget with its region, department, unit, year, kind and level spelled out.
with facts as (
    select * from {{ ref('fct_department_budget') }}
),

documents as (
    select * from {{ ref('analyst_documents') }}
)

select
    {{ analyst_labels() }},
    facts.revenue_total_yuan,
    facts.expenditure_total_yuan,
    facts.basic_expenditure_yuan,
    facts.project_expenditure_yuan,
    facts.operating_funds_yuan,
    facts.procurement_total_yuan,
    facts.fixed_assets_total_yuan,
    facts.fiscal_revenue_yuan,
    facts.other_revenue_yuan,
    facts.opening_balance_yuan,
    facts.closing_balance_yuan,
    facts.general_budget_expenditure_yuan,
    facts.budget_yuan,
    facts.budget_basis,
    facts.budget_initial_yuan,
    facts.document_key,
    facts.department_key
from facts
left join documents
    on facts.document_key = documents.document_key
