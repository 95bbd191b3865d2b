-- One row per printed project of a current document, its cost in 元: its performance table's cost
-- row where that is money, else the money the table prints for the project (年度预算资金, 资金总额);
-- a project page's annual budget (template B).
with current_documents as (
    select document_key from {{ ref('int_document_versions') }}
    where is_current
),

projects as (
    select * from {{ ref('int_projects') }}
    where printed_as = 'performance_table'
        and document_key in (select document_key from current_documents)
),

tables as (
    select * from {{ ref('stg_performance_tables') }}
),

pages as (
    select * from {{ ref('stg_project_pages') }}
),

page_projects as (
    select * from {{ ref('int_projects') }}
    where printed_as = 'project_page'
        and document_key in (select document_key from current_documents)
),

-- the cost row: 成本指标 under 产出指标 (level2), or the 经济成本指标 of a 成本指标 (level1) whose
-- 社会成本 and 生态环境成本 rows are no money of the project's
cost_rows as (
    select
        *,
        row_number() over (partition by document_key, table_ordinal order by row_ordinal) as cost_row_rank,
        count(*) over (partition by document_key, table_ordinal) as cost_rows_in_table
    from {{ ref('stg_indicators') }}
    where level2 like '成本%'
        or (level1 like '成本%' and (level2 like '经济成本%' or level2 is null))
)

select
    projects.document_key,
    projects.project_key,
    projects.fiscal_year,
    projects.table_ordinal,
    cost_rows.target_text as cost_text,
    cost_rows.comparator,
    coalesce(
        case when cost_rows.target_is_money then cast(cost_rows.target_number as decimal(18, 2)) end,
        tables.money_yuan
    ) as cost_yuan,
    case
        when cost_rows.target_is_money then 'cost_row'
        when tables.money_yuan is not null then 'project_money'
    end as cost_source,
    tables.money_text as budget_text,
    tables.money_yuan as budget_yuan,
    cost_rows.row_ordinal,
    cost_rows.line_no,
    cost_rows.target_is_money as is_money,
    cast(coalesce(cost_rows.cost_rows_in_table, 0) as integer) as cost_rows_in_table
from projects
left join tables
    on projects.document_key = tables.document_key
    and projects.table_ordinal = tables.table_ordinal
left join cost_rows
    on projects.document_key = cost_rows.document_key
    and projects.table_ordinal = cost_rows.table_ordinal
    and cost_rows.cost_row_rank = 1

union all

select
    page_projects.document_key,
    page_projects.project_key,
    page_projects.fiscal_year,
    page_projects.table_ordinal,
    pages.annual_budget_amount_text as cost_text,
    cast(null as varchar) as comparator,
    cast(pages.annual_budget_yuan as decimal(18, 2)) as cost_yuan,
    case when pages.annual_budget_yuan is not null then 'project_money' end as cost_source,
    pages.annual_budget_amount_text as budget_text,
    cast(pages.annual_budget_yuan as decimal(18, 2)) as budget_yuan,
    cast(null as integer) as row_ordinal,
    pages.line_no,
    pages.annual_budget_yuan is not null as is_money,
    1 as cost_rows_in_table
from page_projects
inner join pages
    on page_projects.document_key = pages.document_key
    and page_projects.table_ordinal = pages.ordinal
