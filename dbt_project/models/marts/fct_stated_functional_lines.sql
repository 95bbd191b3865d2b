-- One row per line a current document's narrative explains (功能分类 or 经济分类): the stated
-- amount, prior-year figure, change and reason, which no table prints.
with lines as (
    select * from {{ ref('int_stated_functional_lines') }}
),

documents as (
    select * from {{ ref('int_current_documents') }}
)

select
    lines.document_key,
    documents.department_key,
    documents.fiscal_year,
    documents.level,
    documents.kind,
    lines.ordinal,
    lines.printed_number,
    lines.form,
    lines.section,
    lines.classification,
    lines.function_code,
    lines.economic_code,
    lines.code_source,
    lines.code_matches_name,
    lines.in_expenditure_table,
    lines.function_name,
    lines.class_name,
    lines.item_name,
    lines.subitem_name,
    cast(lines.amount_yuan as decimal(18, 2)) as amount_yuan,
    lines.amount_text,
    lines.prior_year,
    cast(lines.prior_amount_yuan as decimal(18, 2)) as prior_amount_yuan,
    cast(lines.planned_amount_yuan as decimal(18, 2)) as planned_amount_yuan,
    lines.change_text,
    cast(lines.change_yuan as decimal(18, 2)) as change_yuan,
    lines.change_percent,
    lines.budget_basis,
    lines.budget_text,
    cast(lines.budget_yuan as decimal(18, 2)) as budget_yuan,
    lines.comparison,
    lines.comparison_text,
    lines.execution_percent,
    lines.purpose,
    lines.reason,
    lines.page,
    lines.line_no,
    lines.raw_text
from lines
inner join documents
    on lines.document_key = documents.document_key
