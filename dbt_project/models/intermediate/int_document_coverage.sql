-- The facts each current parsed document reached, against those its template and kind feed
-- (seeds/document_facts.csv): one row per such document, naming what it missed. A document
-- that misses a fact is still published with what it has; its check findings name the rest.
with documents as (
    select * from {{ ref('stg_documents') }}
    where status = 'parsed'
),

current_documents as (
    select * from {{ ref('int_current_documents') }}
),

document_facts as (
    select * from {{ ref('document_facts') }}
),

budgets as (
    select * from {{ ref('fct_department_budget') }}
),

reached as (
    select document_key, 'dim_department' as fact from current_documents
    where department_key is not null
    union
    select document_key, 'fct_department_budget' from budgets
    where expenditure_total_yuan is not null
    union
    select document_key, 'fct_three_public_expenses' from {{ ref('fct_three_public_expenses') }}
    where category = 'total' and amount_yuan is not null
    union
    select document_key, 'fct_project_cost' from {{ ref('fct_project_cost') }}
    union
    select document_key, 'fct_indicator_target' from {{ ref('fct_indicator_target') }}
    union
    select document_key, 'fct_functional_expenditure' from {{ ref('fct_functional_expenditure') }}
    union
    select document_key, 'fct_economic_expenditure' from {{ ref('fct_economic_expenditure') }}
    union
    select document_key, 'fct_stated_functional_lines'
    from {{ ref('fct_stated_functional_lines') }}
),

coverage as (
    select
        documents.document_key,
        documents.template,
        documents.kind,
        document_facts.fact,
        reached.fact is not null as has_rows,
        document_facts.requirement = 'required'
        or (
            document_facts.requirement = 'required_with_projects'
            and budgets.project_expenditure_yuan is distinct from 0
        ) as demanded
    from documents
    inner join current_documents
        on documents.document_key = current_documents.document_key
    left join budgets
        on documents.document_key = budgets.document_key
    left join document_facts
        on documents.template = document_facts.template
        and documents.kind = document_facts.kind
    left join reached
        on documents.document_key = reached.document_key
        and document_facts.fact = reached.fact
)

select
    document_key,
    -- the facts the document should have reached and did not (NULL: none); a template and
    -- kind the seed does not list say so
    case
        when count(fact) = 0
            then 'no facts listed for template ' || coalesce(any_value(template), 'NULL')
                || ' ' || coalesce(any_value(kind), 'NULL')
        else string_agg(fact, ' ' order by fact) filter (where demanded and not has_rows)
    end as missing_facts
from coverage
group by document_key
