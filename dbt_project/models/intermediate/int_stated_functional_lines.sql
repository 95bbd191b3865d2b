-- The lines a narrative explains one by one, with their code: as the parser found it (printed,
-- or the classification's by the names printed, under the heading above the line), else, for a
-- functional 项 line, the code of the 支出总表 (expenditure_summary) 项 row of the same document
-- whose 款 and 项 names are the line's (its 类 name deciding between two such rows; narratives
-- may use an older 类 name); and whether the document's 支出总表 prints a row of that code.
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
    where lines.function_code is null and coalesce(lines.classification, 'function') = 'function'
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
),

-- the codes of each document's 支出总表
tabled as (
    select distinct document_key, function_code from table_rows
),

tabled_documents as (
    select distinct document_key from table_rows
),

coded as (
    select
        lines.* exclude (function_code, code_source),
        coalesce(lines.function_code, resolved.function_code) as function_code,
        case
            when lines.code_source is not null then lines.code_source
            when resolved.function_code is not null then 'table'
        end as code_source
    from lines
    left join resolved
        on lines.document_key = resolved.document_key
        and lines.ordinal = resolved.ordinal
)

select
    coded.*,
    -- NULL where the line has no functional code or its document prints no 支出总表
    case
        when coded.function_code is not null and tabled_documents.document_key is not null
            then tabled.function_code is not null
    end as in_expenditure_table
from coded
left join tabled_documents
    on coded.document_key = tabled_documents.document_key
left join tabled
    on coded.document_key = tabled.document_key
    and coded.function_code = tabled.function_code
