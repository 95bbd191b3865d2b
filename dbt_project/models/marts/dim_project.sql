-- One row per project: a department's project identified by its whitespace-free name.
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
)

select
    project_key,
    department_key,
    project_name
from ranked
where printing_rank = 1
