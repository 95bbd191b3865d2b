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
        {%- for figure, side, own_total in [
            ('revenue_total', 'income', '本年收入合计'),
            ('expenditure_total', 'expenditure', '本年支出合计')
        ] %}
        coalesce(
            max(coalesce(amount_yuan, total_yuan)) filter (
                where table_number = 1 and row_kind = 'total' and side = '{{ side }}'
                and replace(name, ' ', '') = '{{ own_total }}'
            ),
            max(coalesce(amount_yuan, total_yuan)) filter (
                where table_number = 1 and row_kind = 'total' and side = '{{ side }}'
            )
        ) as {{ figure }}_yuan,
        {%- endfor %}
        max(basic_yuan) filter (where table_number = 3 and row_kind = 'total')
            as basic_expenditure_yuan,
        max(project_yuan) filter (where table_number = 3 and row_kind = 'total')
            as project_expenditure_yuan,
        max(operating_funds_yuan) filter (where table_number = 9) as operating_funds_yuan,
        -- 一般公共预算财政拨款支出: the 合计 of the general-budget expenditure table
        max(coalesce(total_yuan, amount_yuan)) filter (
            where table_number = 5 and row_kind = 'total'
        ) as general_budget_expenditure_yuan,
        -- revenue lines of the 收支总表: 财政拨款收入 (final accounts print one line per fund),
        -- 其他收入, and the balances carried in (年初) and out (年末)
        sum(coalesce(amount_yuan, total_yuan)) filter (
            where table_number = 1 and side = 'income' and row_kind = 'line'
            and regexp_matches(replace(name, ' ', ''), '财政拨款收入$')
        ) as fiscal_revenue_yuan,
        max(coalesce(amount_yuan, total_yuan)) filter (
            where table_number = 1 and side = 'income' and row_kind = 'line'
            and regexp_matches(replace(name, ' ', ''), '其他收入$')
        ) as other_revenue_yuan,
        max(coalesce(amount_yuan, total_yuan)) filter (
            where table_number = 1 and side = 'income'
            and replace(name, ' ', '') like '%年初结转和结余%'
        ) as opening_balance_yuan,
        max(coalesce(amount_yuan, total_yuan)) filter (
            where table_number = 1 and side = 'expenditure'
            and replace(name, ' ', '') like '%年末结转和结余%'
        ) as closing_balance_yuan
    from table_rows
    group by document_key
)

select
    stated.* replace (
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
from stated
left join tabled
    on stated.document_key = tabled.document_key
