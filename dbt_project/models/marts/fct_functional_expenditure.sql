-- One row per functional-classification (功能分类) row of a current document's expenditure table (支出预算总表), in 元.
with table_rows as (
    select * from {{ ref('int_budget_table_rows') }}
    where table_number = 3 and row_kind = 'line' and function_code is not null
),

documents as (
    select * from {{ ref('int_current_documents') }}
)

select
    table_rows.document_key,
    documents.department_key,
    documents.fiscal_year,
    documents.level,
    documents.kind,
    table_rows.function_code,
    table_rows.name as function_name,
    cast(table_rows.total_yuan as decimal(18, 2)) as amount_yuan,
    cast(table_rows.basic_yuan as decimal(18, 2)) as basic_yuan,
    cast(table_rows.project_yuan as decimal(18, 2)) as project_yuan,
    case table_rows.code_level when 1 then 'class' when 2 then 'item' when 3 then 'subitem' end
        as code_level,
    table_rows.table_ordinal,
    table_rows.row_ordinal,
    table_rows.page
from table_rows
inner join documents
    on table_rows.document_key = documents.document_key
