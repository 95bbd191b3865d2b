-- fct_three_public_expenses with readable names and the official Chinese label of each 三公 category.
with facts as (
    select * from {{ ref('fct_three_public_expenses') }}
),

documents as (
    select * from {{ ref('analyst_documents') }}
),

categories as (
    select * from {{ ref('three_public_categories') }}
)

select
    {{ analyst_labels() }},
    facts.category,
    categories.category_label,
    categories.parent_category,
    categories.sort_order as category_order,
    facts.amount_yuan,
    facts.reported_change_yuan,
    facts.joint_reported_change_yuan,
    facts.raw_text,
    facts.document_key,
    facts.department_key,
    facts.line_no
from facts
left join documents
    on facts.document_key = documents.document_key
left join categories
    on facts.category = categories.category
