-- Every version of every document's 三公 figures (元) with the changes it states, and the interval it was current.
with amounts as (
    select * from {{ ref('stg_stated_amounts') }}
),

categories as (
    select * from (values
        ('three_public_total', 'total'),
        ('outbound', 'outbound'),
        ('vehicle_total', 'vehicle_total'),
        ('vehicle_purchase', 'vehicle_purchase'),
        ('vehicle_operation', 'vehicle_operation'),
        ('reception', 'reception'),
        ('meeting', 'meeting'),
        ('training', 'training')
    ) as t(item, category)
),

-- the first statement of each category in a document
stated as (
    select
        amounts.document_key,
        categories.category,
        amounts.amount_yuan,
        amounts.raw_text,
        amounts.line_no,
        row_number() over (
            partition by amounts.document_key, categories.category
            order by amounts.line_no
        ) as statement_rank
    from amounts
    inner join categories
        on amounts.item = categories.item
),

documents as (
    select * from {{ ref('stg_documents') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

figures as (
    select * from {{ ref('int_budget_figures') }}
),

versions as (
    select * from {{ ref('int_document_versions') }}
)

select
    stated.document_key,
    departments.department_key,
    documents.fiscal_year,
    documents.level,
    documents.kind,
    stated.category,
    cast(stated.amount_yuan as decimal(18, 2)) as amount_yuan,
    case when stated.category = 'total'
        then coalesce(figures.three_public_change_yuan, figures.three_public_total_change_yuan)
        end as reported_change_yuan,
    case when stated.category in ('meeting', 'training')
        then figures.meeting_training_change_yuan end as joint_reported_change_yuan,
    stated.raw_text,
    stated.line_no,
    versions.version_number,
    versions.supersedes_document_key,
    versions.is_current,
    versions.valid_from,
    versions.valid_to
from stated
inner join documents
    on stated.document_key = documents.document_key
inner join versions
    on stated.document_key = versions.document_key
left join departments
    on stated.document_key = departments.document_key
left join figures
    on stated.document_key = figures.document_key
where stated.statement_rank = 1
