-- Each project indicator's target per fiscal year (current versions) beside the same indicator's target the year before.
with targets as (
    select * from {{ ref('fct_indicator_target') }}
    where project_key is not null  -- a project's indicators, not the department-wide table's
),

documents as (
    select * from {{ ref('dim_document') }}
),

-- an indicator printed twice for a project in one document counts once: its first printing
printings as (
    select
        targets.project_key,
        targets.indicator_key,
        documents.department_key,
        targets.fiscal_year,
        documents.level,
        documents.kind,
        targets.document_key,
        targets.target_text,
        targets.comparator,
        targets.target_number,
        targets.target_unit,
        row_number() over (
            partition by targets.project_key, targets.indicator_key, targets.fiscal_year,
                documents.level, documents.kind
            order by targets.table_ordinal, targets.row_ordinal
        ) as printing_rank
    from targets
    inner join documents
        on targets.document_key = documents.document_key
),

yearly as (
    select * exclude (printing_rank)
    from printings
    where printing_rank = 1
),

-- the years each department has a current parsed document for
document_years as (
    select distinct department_key, fiscal_year, level, kind
    from documents
    where is_current and status = 'parsed'
)

select
    yearly.project_key,
    yearly.indicator_key,
    yearly.department_key,
    yearly.fiscal_year,
    yearly.level,
    yearly.kind,
    yearly.document_key,
    yearly.target_text,
    yearly.comparator,
    yearly.target_number,
    yearly.target_unit,
    prior_document.fiscal_year as prior_year,
    prior.target_text as prior_target_text,
    prior.comparator as prior_comparator,
    prior.target_number as prior_target_number,
    prior.target_unit as prior_target_unit,
    case
        when prior_document.fiscal_year is null then null
        -- the indicator is new this year
        when prior.document_key is null then true
        -- both parsed: compare comparator, number and unit (≤14 万元 = ≤140000 元)
        when yearly.target_number is not null and prior.target_number is not null
            then yearly.target_number <> prior.target_number
                or yearly.comparator is distinct from prior.comparator
                or yearly.target_unit is distinct from prior.target_unit
        else {{ strip_whitespace('yearly.target_text') }} <> {{ strip_whitespace('prior.target_text') }}
    end as changed
from yearly
left join document_years as prior_document
    on yearly.department_key = prior_document.department_key
    and yearly.level = prior_document.level
    and yearly.kind = prior_document.kind
    and prior_document.fiscal_year = yearly.fiscal_year - 1
left join yearly as prior
    on yearly.project_key = prior.project_key
    and yearly.indicator_key = prior.indicator_key
    and yearly.level = prior.level
    and yearly.kind = prior.kind
    and prior.fiscal_year = yearly.fiscal_year - 1
