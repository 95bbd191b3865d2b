-- One row per printed project performance table, with the value of its cost (成本) row.
with projects as (
    select * from {{ ref('int_projects') }}
),

cost_rows as (
    select
        *,
        row_number() over (partition by document_key, table_ordinal order by row_ordinal) as cost_row_rank,
        count(*) over (partition by document_key, table_ordinal) as cost_rows_in_table
    from {{ ref('stg_indicators') }}
    where level2 like '成本%'
)

select
    projects.document_key,
    projects.project_key,
    projects.fiscal_year,
    projects.table_ordinal,
    cost_rows.target_text as cost_text,
    cost_rows.comparator,
    case when cost_rows.target_is_money then cast(cost_rows.target_number as decimal(18, 2)) end as cost_yuan,
    cost_rows.row_ordinal,
    cost_rows.line_no,
    cost_rows.target_is_money as is_money,
    cast(coalesce(cost_rows.cost_rows_in_table, 0) as integer) as cost_rows_in_table
from projects
left join cost_rows
    on projects.document_key = cost_rows.document_key
    and projects.table_ordinal = cost_rows.table_ordinal
    and cost_rows.cost_row_rank = 1
