-- One row per current parsed document: the department's headline budget figures in 元.
with history as (
    select * from {{ ref('hist_department_budget') }}
    where is_current
)

select
    document_key,
    department_key,
    fiscal_year,
    level,
    kind,
    revenue_total_yuan,
    expenditure_total_yuan,
    basic_expenditure_yuan,
    project_expenditure_yuan,
    operating_funds_yuan,
    procurement_total_yuan,
    fixed_assets_total_yuan,
    fiscal_revenue_yuan,
    other_revenue_yuan,
    opening_balance_yuan,
    closing_balance_yuan,
    general_budget_expenditure_yuan,
    budget_yuan,
    budget_basis,
    budget_initial_yuan
from history
