-- Every version of every disclosure's 三公 figures (元) with the changes it states, and the
-- interval it was current.
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

-- each category's amount as the 三公 table prints it: a row of categories under their columns
-- (合计 the total), or a row per category (行政经费及“三公”经费预算表) with its total
table_rows as (
    select * from {{ ref('int_budget_table_rows') }}
    where table_family = 'three_public'
),

tabled as (
    unpivot (
        select
            document_key,
            max(coalesce(three_public_total_yuan, total_yuan)) filter (where row_item is null)
                as total,
            {%- for category in [
                'outbound', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'reception',
                'meeting', 'training'
            ] %}
            max({{ category }}_yuan) filter (where row_item is null) as {{ category }}
            {{- "," if not loop.last }}
            {%- endfor %}
        from table_rows
        group by document_key
    )
    on total, outbound, vehicle_total, vehicle_purchase, vehicle_operation, reception, meeting,
        training
    into name category value amount_yuan
),

tabled_rows as (
    select
        table_rows.document_key,
        categories.category,
        coalesce(table_rows.total_yuan, table_rows.amount_yuan) as amount_yuan
    from table_rows
    inner join categories
        on table_rows.row_item = categories.item
),

tabled_categories as (
    select document_key, category, amount_yuan from tabled
    union all
    select document_key, category, amount_yuan from tabled_rows
),

-- each category of a disclosure: the first statement of it, else what its 三公 table prints;
-- two current files of one disclosure are one (under its lead), the first that prints it wins
candidates as (
    select
        amounts.document_key,
        categories.category,
        amounts.amount_yuan,
        amounts.raw_text,
        amounts.line_no,
        1 as source_rank
    from amounts
    inner join categories
        on amounts.item = categories.item
    union all
    select
        document_key,
        category,
        max(amount_yuan),
        null,
        null,
        2
    from tabled_categories
    where amount_yuan is not null
    group by document_key, category
),

stated as (
    select
        fact_documents.fact_document_key as document_key,
        candidates.document_key as source_document_key,
        candidates.category,
        candidates.amount_yuan,
        candidates.raw_text,
        candidates.line_no,
        row_number() over (
            partition by fact_documents.fact_document_key, candidates.category
            order by fact_documents.part_rank, candidates.source_rank, candidates.line_no
        ) as statement_rank
    from candidates
    inner join {{ ref('int_fact_documents') }} as fact_documents
        on candidates.document_key = fact_documents.document_key
),

-- final accounts print each category's budget (预算数) beside what was spent, in their 三公
-- table (preferred: exact) and in their narrative
tabled_budgets as (
    unpivot (
        select
            document_key,
            max(three_public_total_budget_yuan) as total,
            max(outbound_budget_yuan) as outbound,
            max(vehicle_total_budget_yuan) as vehicle_total,
            max(vehicle_purchase_budget_yuan) as vehicle_purchase,
            max(vehicle_operation_budget_yuan) as vehicle_operation,
            max(reception_budget_yuan) as reception
        from table_rows
        group by document_key
    )
    on total, outbound, vehicle_total, vehicle_purchase, vehicle_operation, reception
    into name category value budget_yuan
),

stated_budgets as (
    select
        amounts.document_key,
        categories.category,
        arg_min(amounts.amount_yuan, amounts.line_no) as budget_yuan
    from amounts
    inner join categories
        on amounts.item = categories.item || '_budget'
    group by amounts.document_key, categories.category
),

budgets as (
    select
        coalesce(tabled_budgets.document_key, stated_budgets.document_key) as document_key,
        coalesce(tabled_budgets.category, stated_budgets.category) as category,
        coalesce(tabled_budgets.budget_yuan, stated_budgets.budget_yuan) as budget_yuan
    from tabled_budgets
    full outer join stated_budgets
        on tabled_budgets.document_key = stated_budgets.document_key
        and tabled_budgets.category = stated_budgets.category
),

documents as (
    select * from {{ ref('stg_documents') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

figures as (
    select * from {{ ref('int_disclosure_figures') }}
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
    cast(budgets.budget_yuan as decimal(18, 2)) as budget_yuan,
    case when stated.category = 'total'
        then coalesce(figures.three_public_change_yuan, figures.three_public_total_change_yuan)
        end as reported_change_yuan,
    case when stated.category in ('meeting', 'training')
        then figures.meeting_training_change_yuan end as joint_reported_change_yuan,
    stated.raw_text,
    stated.source_document_key,
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
left join budgets
    on stated.document_key = budgets.document_key
    and stated.category = budgets.category
where stated.statement_rank = 1
