-- One row per economic-classification (经济分类) row of a current document's basic expenditure table, in 元.
with table_rows as (
    select * from {{ ref('int_budget_table_rows') }}
    where table_family = 'general_budget_basic_economic' and economic_code is not null
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
    table_rows.economic_code,
    table_rows.name as economic_name,
    table_rows.paired_code,
    table_rows.paired_name,
    cast(table_rows.personnel_yuan as decimal(18, 2)) as personnel_yuan,
    cast(table_rows.public_expense_yuan as decimal(18, 2)) as public_yuan,
    cast(table_rows.total_yuan as decimal(18, 2)) as amount_yuan,
    case table_rows.code_level when 1 then 'class' when 2 then 'item' end as code_level,
    table_rows.table_ordinal,
    table_rows.row_ordinal,
    table_rows.page
from table_rows
inner join documents
    on table_rows.document_key = documents.document_key
