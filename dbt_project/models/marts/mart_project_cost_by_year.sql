-- Each project's cost per fiscal year (current versions) beside the same project's cost the year before.
with costs as (
    select * from {{ ref('fct_project_cost') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

-- a project printed twice in one document (template A tables 28 and 30) counts once: its
-- first printing
printings as (
    select
        costs.project_key,
        documents.department_key,
        costs.fiscal_year,
        documents.level,
        documents.kind,
        costs.document_key,
        costs.cost_yuan,
        row_number() over (
            partition by costs.project_key, costs.fiscal_year, documents.level, documents.kind
            order by costs.table_ordinal
        ) as printing_rank
    from costs
    inner join documents
        on costs.document_key = documents.document_key
),

yearly as (
    select * exclude (printing_rank)
    from printings
    where printing_rank = 1
)

select
    yearly.project_key,
    yearly.department_key,
    yearly.fiscal_year,
    yearly.level,
    yearly.kind,
    yearly.document_key,
    yearly.cost_yuan,
    prior.cost_yuan as prior_year_cost_yuan,
    cast(yearly.cost_yuan - prior.cost_yuan as decimal(18, 2)) as change_yuan,
    case when prior.cost_yuan <> 0
        then cast(round((yearly.cost_yuan - prior.cost_yuan) * 100 / prior.cost_yuan, 2)
            as decimal(18, 2))
    end as change_pct
from yearly
left join yearly as prior
    on yearly.project_key = prior.project_key
    and yearly.level = prior.level
    and yearly.kind = prior.kind
    and prior.fiscal_year = yearly.fiscal_year - 1
