-- Indicator rows with their indicator key (level1|level2|level3) and project key.
with indicators as (
    select * from {{ ref('stg_indicators') }}
),

projects as (
    select * from {{ ref('int_projects') }}
)

select
    indicators.*,
    projects.fiscal_year,
    projects.project_key,
    md5(concat_ws('|',
        coalesce(indicators.level1, ''),
        coalesce(indicators.level2, ''),
        coalesce(indicators.level3, '')
    )) as indicator_key
from indicators
left join projects
    on indicators.document_key = projects.document_key
    and indicators.table_ordinal = projects.table_ordinal
