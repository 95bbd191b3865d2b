-- Headline figures per document (元). Template A states them in its narrative; template B
-- prints exact figures in its tables (收支总表 totals, 支出预算总表 basic/project), which are
-- preferred to the narrative's 万元 roundings. The first statement of an item wins.
{%- set items = [
    'revenue_total', 'expenditure_total', 'basic_expenditure', 'project_expenditure',
    'operating_funds', 'three_public_total', 'outbound', 'vehicle_total', 'vehicle_purchase',
    'vehicle_operation', 'reception', 'meeting', 'training', 'three_public_change',
    'three_public_total_change',
    'meeting_training_change', 'procurement_total', 'procurement_goods', 'procurement_works',
    'procurement_services', 'fixed_assets_total', 'fixed_assets_planned_purchase',
    'general_budget_expenditure', 'general_budget_initial_budget',
    'general_budget_full_year_budget'
] %}

with amounts as (
    select * from {{ ref('stg_stated_amounts') }}
),

table_rows as (
    select * from {{ ref('int_budget_table_rows') }}
),

stated as (
    select
        document_key,
        {%- for item in items %}
        cast(arg_min(amount_yuan, line_no) filter (where item = '{{ item }}') as decimal(18, 2))
            as {{ item }}_yuan{{ "," if not loop.last }}
        {%- endfor %}
    from amounts
    group by document_key
),

tabled as (
    select
        document_key,
        -- final accounts print the year's own totals (本年收入合计 / 本年支出合计) above the
        -- 总计 that adds the balances carried over; budgets print one 总计
        {%- for figure, side in [('revenue_total', 'income'), ('expenditure_total', 'expenditure')] %}
        coalesce(
            max(coalesce(amount_yuan, total_yuan)) filter (
                where table_family = 'revenue_expenditure_summary' and side = '{{ side }}'
                and row_item in ('{{ side }}_year_total', 'year_total')
            ),
            max(coalesce(amount_yuan, total_yuan)) filter (
                where table_family = 'revenue_expenditure_summary' and side = '{{ side }}'
                and row_role = 'total'
            )
        ) as {{ figure }}_yuan,
        {%- endfor %}
        max(basic_yuan) filter (
            where table_family = 'expenditure_summary' and row_role = 'total'
        ) as basic_expenditure_yuan,
        max(project_yuan) filter (
            where table_family = 'expenditure_summary' and row_role = 'total'
        ) as project_expenditure_yuan,
        coalesce(
            max(operating_funds_yuan) filter (where table_family = 'three_public'),
            max(coalesce(total_yuan, amount_yuan)) filter (
                where table_family = 'three_public' and row_item = 'operating_funds'
            )
        ) as operating_funds_yuan,
        -- 一般公共预算财政拨款支出: the 合计 of the general-budget expenditure table
        max(coalesce(total_yuan, amount_yuan)) filter (
            where table_family = 'general_budget_functional' and row_role = 'total'
        ) as general_budget_expenditure_yuan,
        -- revenue lines of the 收支总表: 财政拨款收入 (or its funds' lines, where it prints no
        -- line of its own), 其他收入, and the balances carried in (年初) and out (年末)
        coalesce(
            sum(coalesce(amount_yuan, total_yuan)) filter (
                where table_family = 'revenue_expenditure_summary'
                and row_item = 'fiscal_revenue'
            ),
            sum(coalesce(amount_yuan, total_yuan)) filter (
                where table_family = 'revenue_expenditure_summary' and row_item in (
                    'general_budget_revenue', 'fund_budget_revenue', 'state_capital_revenue'
                )
            )
        ) as fiscal_revenue_yuan,
        {%- for item in ['other_revenue', 'opening_balance', 'closing_balance'] %}
        max(coalesce(amount_yuan, total_yuan)) filter (
            where table_family = 'revenue_expenditure_summary' and row_item = '{{ item }}'
        ) as {{ item }}_yuan{{ "" if loop.last else "," }}
        {%- endfor %}
    from table_rows
    group by document_key
),

-- a document that states figures, prints tables, or both (a disclosure published as a
-- narrative file and a table file has one of each)
documents as (
    select document_key from stated
    union
    select document_key from tabled
)

select
    documents.document_key,
    stated.* exclude (document_key) replace (
        cast(coalesce(tabled.revenue_total_yuan, stated.revenue_total_yuan) as decimal(18, 2))
            as revenue_total_yuan,
        cast(coalesce(tabled.expenditure_total_yuan, stated.expenditure_total_yuan)
            as decimal(18, 2)) as expenditure_total_yuan,
        cast(coalesce(tabled.basic_expenditure_yuan, stated.basic_expenditure_yuan)
            as decimal(18, 2)) as basic_expenditure_yuan,
        cast(coalesce(tabled.project_expenditure_yuan, stated.project_expenditure_yuan)
            as decimal(18, 2)) as project_expenditure_yuan,
        cast(coalesce(stated.operating_funds_yuan, tabled.operating_funds_yuan)
            as decimal(18, 2)) as operating_funds_yuan,
        cast(coalesce(tabled.general_budget_expenditure_yuan,
            stated.general_budget_expenditure_yuan) as decimal(18, 2))
            as general_budget_expenditure_yuan
    ),
    cast(tabled.fiscal_revenue_yuan as decimal(18, 2)) as fiscal_revenue_yuan,
    cast(tabled.other_revenue_yuan as decimal(18, 2)) as other_revenue_yuan,
    cast(tabled.opening_balance_yuan as decimal(18, 2)) as opening_balance_yuan,
    cast(tabled.closing_balance_yuan as decimal(18, 2)) as closing_balance_yuan
from documents
left join stated
    on documents.document_key = stated.document_key
left join tabled
    on documents.document_key = tabled.document_key
