-- One row per functional-classification (功能分类) row of a current document's expenditure
-- table, in 元.
-- The rows of the table each document prints by function: its 支出总表 (all funds) where that
-- prints the functional classification, else its 财政拨款支出表 (功能科目), else its
-- 一般公共预算支出表 (a province may print its 支出总表 by purpose: 基本支出, 项目支出).
with functional_rows as (
    select
        *,
        case table_family
            when 'expenditure_summary' then 1
            when 'fiscal_functional' then 2
            when 'general_budget_functional' then 3
        end as preference
    from {{ ref('int_budget_table_rows') }}
    where function_code is not null
        and table_family in ('expenditure_summary', 'fiscal_functional', 'general_budget_functional')
),

table_rows as (
    select * from functional_rows
    qualify preference = min(preference) over (partition by document_key)
),

documents as (
    select * from {{ ref('int_current_documents') }}
),

-- the budget a final account prints per 项: its narrative's 年初预算 or 全年预算
printed_budgets as (
    select
        document_key,
        function_code,
        sum(budget_yuan) as budget_yuan,
        min(budget_basis) as budget_basis
    from {{ ref('int_stated_functional_lines') }}
    where function_code is not null and budget_yuan is not null  -- final accounts only
    group by document_key, function_code
)

select
    table_rows.document_key,
    documents.department_key,
    documents.fiscal_year,
    documents.level,
    documents.kind,
    table_rows.function_code,
    table_rows.name as function_name,
    table_rows.code_source,
    table_rows.code_matches_name,
    cast(table_rows.total_yuan as decimal(18, 2)) as amount_yuan,
    cast(table_rows.basic_yuan as decimal(18, 2)) as basic_yuan,
    cast(table_rows.project_yuan as decimal(18, 2)) as project_yuan,
    cast(printed_budgets.budget_yuan as decimal(18, 2)) as budget_yuan,
    printed_budgets.budget_basis,
    case table_rows.code_level when 1 then 'class' when 2 then 'item' when 3 then 'subitem' end
        as code_level,
    table_rows.table_ordinal,
    table_rows.row_ordinal,
    table_rows.page
from table_rows
inner join documents
    on table_rows.document_key = documents.document_key
left join printed_budgets
    on table_rows.document_key = printed_budgets.document_key
    and table_rows.function_code = printed_budgets.function_code
