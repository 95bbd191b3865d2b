-- One row per printed project of a current document: its cost row's value (template A) or annual budget (template B), in 元.
with current_documents as (
    select document_key from {{ ref('int_document_versions') }}
    where is_current
),

projects as (
    select * from {{ ref('int_projects') }}
    where printed_as = 'performance_table'
        and document_key in (select document_key from current_documents)
),

pages as (
    select * from {{ ref('stg_project_pages') }}
),

page_projects as (
    select * from {{ ref('int_projects') }}
    where printed_as = 'project_page'
        and document_key in (select document_key from current_documents)
),

cost_rows as (
    select
        *,
        row_number() over (partition by document_key, table_ordinal order by row_ordinal) as cost_row_rank,
        count(*) over (partition by document_key, table_ordinal) as cost_rows_in_table
    from {{ ref('stg_indicators') }}
    where level2 like '成本%'
)

select
    projects.document_key,
    projects.project_key,
    projects.fiscal_year,
    projects.table_ordinal,
    cost_rows.target_text as cost_text,
    cost_rows.comparator,
    case when cost_rows.target_is_money then cast(cost_rows.target_number as decimal(18, 2)) end as cost_yuan,
    cost_rows.row_ordinal,
    cost_rows.line_no,
    cost_rows.target_is_money as is_money,
    cast(coalesce(cost_rows.cost_rows_in_table, 0) as integer) as cost_rows_in_table
from projects
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
    cast(null as integer) as row_ordinal,
    pages.line_no,
    pages.annual_budget_yuan is not null as is_money,
    1 as cost_rows_in_table
from page_projects
inner join pages
    on page_projects.document_key = pages.document_key
    and page_projects.table_ordinal = pages.ordinal
