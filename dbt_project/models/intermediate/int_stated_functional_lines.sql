-- Numbered functional lines of the narratives with their function code: as printed, else the
-- code of the 支出总表 (expenditure_summary) 项 row of the same document whose 款 and 项 names are the
-- line's (its 类 name deciding between two such rows; narratives may use an older 类 name).
with lines as (
    select * from {{ ref('stg_functional_lines') }}
),

table_rows as (
    select * from {{ ref('int_budget_table_rows') }}
    where table_family = 'expenditure_summary' and function_code is not null
),

named_rows as (
    select
        subitem.document_key,
        subitem.function_code,
        replace(class.name, ' ', '') as class_name,
        replace(item.name, ' ', '') as item_name,
        replace(subitem.name, ' ', '') as subitem_name
    from table_rows as subitem
    left join table_rows as item
        on subitem.document_key = item.document_key
        and item.code_level = 2
        and item.function_code = left(subitem.function_code, 5)
    left join table_rows as class
        on subitem.document_key = class.document_key
        and class.code_level = 1
        and class.function_code = left(subitem.function_code, 3)
    where subitem.code_level = 3
),

candidates as (
    select
        lines.document_key,
        lines.ordinal,
        named_rows.function_code,
        coalesce(named_rows.class_name = replace(lines.class_name, ' ', ''), false)
            as class_agrees
    from lines
    inner join named_rows
        on lines.document_key = named_rows.document_key
        and replace(lines.subitem_name, ' ', '') = named_rows.subitem_name
        and replace(lines.item_name, ' ', '') = named_rows.item_name
    where lines.function_code is null
),

resolved as (
    select
        document_key,
        ordinal,
        case
            when count(distinct function_code) = 1 then min(function_code)
            when count(distinct function_code) filter (where class_agrees) = 1
                then min(function_code) filter (where class_agrees)
        end as function_code
    from candidates
    group by document_key, ordinal
)

select
    lines.* exclude (function_code),
    coalesce(lines.function_code, resolved.function_code) as function_code,
    case
        when lines.function_code is not null then 'printed'
        when resolved.function_code is not null then 'table'
    end as code_source
from lines
left join resolved
    on lines.document_key = resolved.document_key
    and lines.ordinal = resolved.ordinal
