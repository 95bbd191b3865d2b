-- Every version of every parsed disclosure's headline figures (元), with the interval it was the
-- warehouse's answer. Two current files of one disclosure (its tables, its narrative) are one row,
-- under its lead document: each figure from the first of them that prints it.
with documents as (
    select * from {{ ref('stg_documents') }}
    where status = 'parsed'
),

departments as (
    select * from {{ ref('int_departments') }}
),

versions as (
    select * from {{ ref('int_document_versions') }}
),

fact_documents as (
    select * from {{ ref('int_fact_documents') }}
),

figures as (
    select * from {{ ref('int_disclosure_figures') }}
)

select
    documents.document_key,
    departments.department_key,
    documents.fiscal_year,
    documents.level,
    documents.kind,
    figures.revenue_total_yuan,
    figures.expenditure_total_yuan,
    figures.basic_expenditure_yuan,
    figures.project_expenditure_yuan,
    figures.operating_funds_yuan,
    figures.procurement_total_yuan,
    figures.fixed_assets_total_yuan,
    figures.fiscal_revenue_yuan,
    figures.other_revenue_yuan,
    figures.opening_balance_yuan,
    figures.closing_balance_yuan,
    figures.general_budget_expenditure_yuan,
    -- what a final account prints as the budget of its 一般公共预算财政拨款支出: the
    -- 全年预算 (adjusted) when it states one, else its 年初预算; NULL for a budget
    case when documents.kind = 'final_accounts' then coalesce(
        figures.general_budget_full_year_budget_yuan, figures.general_budget_initial_budget_yuan
    ) end as budget_yuan,
    case when documents.kind = 'final_accounts' then case
        when figures.general_budget_full_year_budget_yuan is not null then '全年预算'
        when figures.general_budget_initial_budget_yuan is not null then '年初预算'
    end end as budget_basis,
    case when documents.kind = 'final_accounts' then figures.general_budget_initial_budget_yuan
    end as budget_initial_yuan,
    versions.version_number,
    versions.supersedes_document_key,
    versions.is_current,
    versions.valid_from,
    versions.valid_to
from documents
inner join versions
    on documents.document_key = versions.document_key
inner join fact_documents
    on documents.document_key = fact_documents.fact_document_key
    and documents.document_key = fact_documents.document_key
left join departments
    on documents.document_key = departments.document_key
left join figures
    on documents.document_key = figures.document_key
