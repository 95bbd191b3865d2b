-- One row per project: a department's project across years, whatever the name variants it was printed under.
with projects as (
    select * from {{ ref('int_projects') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by project_key
            order by fiscal_year, document_key, table_ordinal
        ) as printing_rank
    from projects
),

-- each printed name of a project with the years it was printed under
printed_names as (
    select
        project_key,
        project_name,
        min(fiscal_year) as first_printed,
        max(fiscal_year) as last_printed
    from projects
    group by project_key, project_name
),

variants as (
    select
        project_key,
        min(first_printed) as first_year,
        max(last_printed) as last_year,
        list(project_name order by first_printed, project_name) as name_variants
    from printed_names
    group by project_key
)

select
    ranked.project_key,
    ranked.department_key,
    ranked.project_name,
    variants.first_year,
    variants.last_year,
    variants.name_variants
from ranked
inner join variants
    on ranked.project_key = variants.project_key
where ranked.printing_rank = 1
