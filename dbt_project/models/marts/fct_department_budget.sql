-- One row per parsed document: the department's headline budget figures in 元.
with documents as (
    select * from {{ ref('stg_documents') }}
    where status = 'parsed'
),

departments as (
    select * from {{ ref('int_departments') }}
),

figures as (
    select * from {{ ref('int_budget_figures') }}
)

select
    documents.document_key,
    departments.department_key,
    documents.fiscal_year,
    documents.level,
    figures.revenue_total_yuan,
    figures.expenditure_total_yuan,
    figures.basic_expenditure_yuan,
    figures.project_expenditure_yuan,
    figures.operating_funds_yuan,
    figures.procurement_total_yuan,
    figures.fixed_assets_total_yuan
from documents
left join departments
    on documents.document_key = departments.document_key
left join figures
    on documents.document_key = figures.document_key
