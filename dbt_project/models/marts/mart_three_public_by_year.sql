-- Each department's 三公 figures per fiscal year (current versions) beside the year before, and whether the stated change reconciles.
with expenses as (
    select * from {{ ref('fct_three_public_expenses') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

-- template B states a change for each category too (outbound_change, reception_change …)
category_changes as (
    select
        document_key,
        regexp_replace(item, '_change$', '') as category,
        arg_min(amount_yuan, line_no) as stated_change_yuan
    from {{ ref('stg_stated_amounts') }}
    where item in ('outbound_change', 'vehicle_total_change', 'vehicle_purchase_change',
        'vehicle_operation_change', 'reception_change')
    group by document_key, item
),

yearly as (
    select
        expenses.department_key,
        expenses.fiscal_year,
        expenses.level,
        documents.kind,
        expenses.document_key,
        expenses.category,
        expenses.amount_yuan,
        coalesce(expenses.reported_change_yuan, category_changes.stated_change_yuan)
            as reported_change_yuan
    from expenses
    inner join documents
        on expenses.document_key = documents.document_key
    left join category_changes
        on expenses.document_key = category_changes.document_key
        and expenses.category = category_changes.category
),

compared as (
    select
        yearly.*,
        prior.amount_yuan as prior_year_amount_yuan,
        cast(yearly.amount_yuan - prior.amount_yuan as decimal(18, 2)) as change_yuan
    from yearly
    left join yearly as prior
        on yearly.department_key = prior.department_key
        and yearly.level = prior.level
        and yearly.kind = prior.kind
        and yearly.category = prior.category
        and prior.fiscal_year = yearly.fiscal_year - 1
)

select
    department_key,
    fiscal_year,
    level,
    kind,
    document_key,
    category,
    amount_yuan,
    prior_year_amount_yuan,
    change_yuan,
    reported_change_yuan,
    -- the stated change is rounded to 0.01 万元: allow 0.5 万元 (5000 元)
    case when reported_change_yuan is not null and change_yuan is not null
        then abs(reported_change_yuan - change_yuan) <= 5000
    end as reconciles
from compared
