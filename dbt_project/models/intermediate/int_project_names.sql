-- One row per printed project with the names it is matched by: printed, whitespace-free, normalised.
with printed as (
    select document_key, table_ordinal, printed_number, line_no, project_name,
        'performance_table' as printed_as
    from {{ ref('stg_performance_tables') }}
    -- a department-wide table (部门整体) is no project; a project table without a name cannot
    -- be told from another
    where not is_department_wide and project_name is not null
    union all
    select document_key, ordinal as table_ordinal, ordinal as printed_number, line_no,
        project_name, 'project_page' as printed_as
    from {{ ref('stg_project_pages') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

-- seeds/project_aliases.csv: merge (read project_name as canonical_name) or split (never
-- merge this name with another)
aliases as (
    select
        md5(concat_ws('|',
            coalesce(aliases.province, ''),
            coalesce(aliases.prefecture, ''),
            coalesce(aliases.county, ''),
            coalesce(departments.canonical_name, aliases.department_name)
        )) as department_key,
        {{ strip_whitespace('aliases.project_name') }} as project_name_strict,
        {{ strip_whitespace('aliases.canonical_name') }} as canonical_name_strict,
        aliases.action
    from {{ ref('project_aliases') }} as aliases
    left join {{ ref('department_aliases') }} as departments
        on coalesce(departments.province, '') = coalesce(aliases.province, '')
        and coalesce(departments.prefecture, '') = coalesce(aliases.prefecture, '')
        and coalesce(departments.county, '') = coalesce(aliases.county, '')
        and departments.alias_name = aliases.department_name
),

named as (
    select
        printed.document_key,
        printed.table_ordinal,
        printed.printed_number,
        printed.line_no,
        printed.printed_as,
        departments.fiscal_year,
        departments.department_key,
        printed.project_name,
        case when aliases.action = 'merge' then aliases.canonical_name_strict
            else {{ strip_whitespace('printed.project_name') }} end as project_name_strict,
        coalesce(aliases.action = 'split', false) as is_split
    from printed
    inner join departments
        on printed.document_key = departments.document_key
    left join aliases
        on departments.department_key = aliases.department_key
        and {{ strip_whitespace('printed.project_name') }} = aliases.project_name_strict
),

-- rule 1: full-width digits read as ASCII; project_name_plain also drops punctuation and
-- symbols: names equal at that level are the same printed name
digits as (
    select
        *,
        translate(project_name_strict, '０１２３４５６７８９', '0123456789') as name_digits,
        regexp_replace(translate(project_name_strict, '０１２３４５６７８９', '0123456789'),
            '[\pP\pS]+', '', 'g') as project_name_plain
    from named
),

-- a funding-vintage name (a year together with 结转, 提前下达, 中央 or 省级: 上年结转2020年…专项资金,
-- 2023年…中央补助资金) names one year's allocation, so its year is part of its identity
vintages as (
    select
        *,
        regexp_matches(name_digits, '(19|20)[0-9]{2}年')
            and regexp_matches(name_digits, '结转|提前下达|中央|省级') as is_vintage,
        regexp_replace(name_digits, '^' || coalesce(cast(fiscal_year as varchar), '') || '年度?', '')
            as name_without_fiscal_year
    from digits
),

-- rule 2: other names lose a leading 上年结转 / 上年度结转 / 结转 / 提前下达 and every year
-- (2021年, 2021年度, the bracketed year of a document number: 冀财教【2020】156号); a vintage
-- name loses only the document's fiscal year printed before its own (2021年2020年…中央补助资金)
undated as (
    select
        *,
        case
            when not is_vintage then
                regexp_replace(regexp_replace(regexp_replace(name_digits,
                    '^(上年结转|上年度结转|结转|提前下达)+', ''),
                    '(19|20)[0-9]{2}年度?', '', 'g'),
                    '[【\[（(〔](19|20)[0-9]{2}[】\]）)〕]', '', 'g')
            when regexp_matches(name_without_fiscal_year, '(19|20)[0-9]{2}年')
                then name_without_fiscal_year
            else name_digits
        end as name_undated
    from vintages
),

-- rule 3: punctuation and symbols removed; rule 4: synonyms folded (fold_synonyms macro);
-- rule 5: trailing generic words 经费 / 项目 removed while two characters remain
normalised as (
    select
        * exclude (name_digits, name_without_fiscal_year, name_undated),
        regexp_replace(
            {{ fold_synonyms("regexp_replace(name_undated, '[\\pP\\pS]+', '', 'g')") }},
            '^(.{2,}?)(经费|项目)+$', '\1') as project_name_normalised
    from undated
),

-- a normalised name is ambiguous in a department when one document prints two different
-- names (not just differently spaced or punctuated) that normalise to it: those are two
-- projects side by side, matched by their printed names instead
ambiguous as (
    select distinct department_key, project_name_normalised
    from normalised
    group by department_key, document_key, project_name_normalised
    having count(distinct project_name_plain) > 1
)

select
    normalised.*,
    case when normalised.is_split or ambiguous.project_name_normalised is not null
        then 'printed' else 'normalised' end as match_basis,
    case when normalised.is_split or ambiguous.project_name_normalised is not null
        then normalised.project_name_plain
        else normalised.project_name_normalised end as match_name
from normalised
left join ambiguous
    on normalised.department_key = ambiguous.department_key
    and normalised.project_name_normalised = ambiguous.project_name_normalised
