-- Each department's total expenditure per fiscal year (current versions) beside the year before.
with budgets as (
    select * from {{ ref('fct_department_budget') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

yearly as (
    select
        budgets.department_key,
        budgets.fiscal_year,
        budgets.level,
        documents.kind,
        budgets.document_key,
        budgets.expenditure_total_yuan
    from budgets
    inner join documents
        on budgets.document_key = documents.document_key
)

select
    yearly.department_key,
    yearly.fiscal_year,
    yearly.level,
    yearly.kind,
    yearly.document_key,
    yearly.expenditure_total_yuan,
    prior.document_key as prior_year_document_key,
    prior.expenditure_total_yuan as prior_year_expenditure_total_yuan,
    cast(yearly.expenditure_total_yuan - prior.expenditure_total_yuan as decimal(18, 2))
        as change_yuan
from yearly
left join yearly as prior
    on yearly.department_key = prior.department_key
    and yearly.level = prior.level
    and yearly.kind = prior.kind
    and prior.fiscal_year = yearly.fiscal_year - 1
