-- Budget against actual: per department, level, fiscal year and line (each function code of
-- the expenditure table, the headline totals and the 一般公共预算财政拨款支出, each 三公 category), the budget document's figure,
-- the final accounts' own printed budget, the actual (决算数), the difference and the execution
-- rate. A side not in the warehouse stays NULL, never zero.
with functional as (
    select * from {{ ref('fct_functional_expenditure') }}
),

headline as (
    select * from {{ ref('fct_department_budget') }}
),

three_public as (
    select * from {{ ref('fct_three_public_expenses') }}
),

lines as (
    select
        functional.department_key,
        functional.level,
        functional.fiscal_year,
        functional.kind,
        functional.document_key,
        'function' as line_kind,
        functional.function_code as line_code,
        functional.function_name as line_name,
        functional.amount_yuan,
        functional.budget_yuan as printed_budget_yuan,
        functional.budget_basis as printed_budget_basis
    from functional
    union all
    select
        headline.department_key,
        headline.level,
        headline.fiscal_year,
        headline.kind,
        headline.document_key,
        'total' as line_kind,
        totals.line_code,
        totals.line_name,
        case totals.line_code
            when 'expenditure_total' then headline.expenditure_total_yuan
            when 'basic_expenditure' then headline.basic_expenditure_yuan
            when 'project_expenditure' then headline.project_expenditure_yuan
            when 'general_budget_expenditure' then headline.general_budget_expenditure_yuan
        end as amount_yuan,
        -- final accounts print a budget for their general-budget appropriations only
        case when totals.line_code = 'general_budget_expenditure' then headline.budget_yuan
        end as printed_budget_yuan,
        case when totals.line_code = 'general_budget_expenditure' then headline.budget_basis
        end as printed_budget_basis
    from headline
    cross join (values
        ('expenditure_total', '支出合计'),
        ('basic_expenditure', '基本支出'),
        ('project_expenditure', '项目支出'),
        ('general_budget_expenditure', '一般公共预算财政拨款支出')
    ) as totals (line_code, line_name)
    union all
    select
        department_key,
        level,
        fiscal_year,
        kind,
        document_key,
        'three_public' as line_kind,
        category as line_code,
        category as line_name,
        amount_yuan,
        budget_yuan as printed_budget_yuan,
        case when budget_yuan is not null then '预算数' end as printed_budget_basis
    from three_public
),

budgets as (
    select * from lines where kind = 'budget'
),

actuals as (
    select * from lines where kind = 'final_accounts'
)

select
    coalesce(actuals.department_key, budgets.department_key) as department_key,
    coalesce(actuals.level, budgets.level) as level,
    coalesce(actuals.fiscal_year, budgets.fiscal_year) as fiscal_year,
    coalesce(actuals.line_kind, budgets.line_kind) as line_kind,
    coalesce(actuals.line_code, budgets.line_code) as line_code,
    coalesce(actuals.line_name, budgets.line_name) as line_name,
    budgets.document_key as budget_document_key,
    actuals.document_key as final_accounts_document_key,
    cast(budgets.amount_yuan as decimal(18, 2)) as budget_yuan,
    cast(actuals.printed_budget_yuan as decimal(18, 2)) as printed_budget_yuan,
    actuals.printed_budget_basis,
    cast(actuals.amount_yuan as decimal(18, 2)) as actual_yuan,
    cast(actuals.amount_yuan - budgets.amount_yuan as decimal(18, 2)) as difference_yuan,
    cast(round(actuals.amount_yuan / nullif(budgets.amount_yuan, 0), 4) as decimal(10, 4))
        as execution_rate,
    cast(actuals.amount_yuan - actuals.printed_budget_yuan as decimal(18, 2))
        as printed_difference_yuan,
    cast(round(actuals.amount_yuan / nullif(actuals.printed_budget_yuan, 0), 4)
        as decimal(10, 4)) as printed_execution_rate
from actuals
full outer join budgets
    on actuals.department_key = budgets.department_key
    and actuals.level = budgets.level
    and actuals.fiscal_year = budgets.fiscal_year
    and actuals.line_kind = budgets.line_kind
    and actuals.line_code = budgets.line_code
