-- One row per department (region + department name) that published a parsed document.
with departments as (
    select * from {{ ref('int_departments') }}
)

select
    department_key,
    any_value(province) as province,
    any_value(prefecture) as prefecture,
    any_value(county) as county,
    any_value(department_name) as department_name,
    -- the code printed in the most recent year that prints one
    arg_max(department_code, fiscal_year) filter (where department_code is not null) as department_code,
    case when bool_or(level = 'department') then 'department' else max(level) end as level
from departments
group by department_key
