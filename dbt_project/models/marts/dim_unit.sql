-- One row per unit of a department in a fiscal year (from the unit tables).
with units as (
    select * from {{ ref('stg_units') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

keyed as (
    select
        md5(concat_ws('|', departments.department_key, cast(departments.fiscal_year as varchar), units.unit_name)) as unit_key,
        departments.department_key,
        departments.fiscal_year,
        units.unit_name,
        units.nature,
        units.rank,
        units.funding_form,
        -- a unit listed by several documents of one year: prefer the budget, then the first listing
        row_number() over (
            partition by departments.department_key, departments.fiscal_year, units.unit_name
            order by departments.kind = 'budget' desc, units.document_key, units.row_ordinal
        ) as listing_rank
    from units
    inner join departments
        on units.document_key = departments.document_key
)

select
    unit_key,
    department_key,
    fiscal_year,
    unit_name,
    nature,
    rank,
    funding_form
from keyed
where listing_rank = 1
