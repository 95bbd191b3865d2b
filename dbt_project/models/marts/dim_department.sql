-- One row per department (region + department name) that published a parsed document.
with departments as (
    select * from {{ ref('int_departments') }}
)

select
    department_key,
    any_value(province) as province,
    any_value(prefecture) as prefecture,
    any_value(county) as county,
    -- the name as its most recent document prints it (one department may print its name in
    -- several forms: it is keyed by the canonical one)
    arg_max(department_name, fiscal_year) as department_name,
    any_value(admin_level) as admin_level,
    -- the code printed in the most recent year that prints one
    arg_max(department_code, fiscal_year) filter (where department_code is not null) as department_code,
    case when bool_or(level = 'department') then 'department' else max(level) end as level
from departments
group by department_key
