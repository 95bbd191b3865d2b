-- The facts each current parsed document's disclosure reached, against those its template and
-- kind feed (seeds/document_facts.csv): one row per such document, naming what its disclosure
-- missed (two files of one disclosure, its tables and its narrative, are judged together). A
-- document that misses a fact is still published with what it has; its check findings name the
-- rest.
with documents as (
    select * from {{ ref('stg_documents') }}
    where status = 'parsed'
),

disclosures as (
    select * from {{ ref('int_disclosures') }}
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

-- a table printed without a figure: the department has nothing of the kind to report
printed_empty as (
    select tables.document_key, kinds.family
    from {{ ref('stg_budget_tables') }} as tables
    inner join {{ ref('table_kinds') }} as kinds
        on tables.table_kind = kinds.table_kind
    where not exists (
        select 1 from {{ ref('stg_budget_table_amounts') }} as amounts
        where amounts.document_key = tables.document_key
            and amounts.table_ordinal = tables.table_ordinal
            and amounts.amount_yuan <> 0
    )
),

-- what any file of a disclosure reached (or printed empty), its disclosure reached
reached_disclosures as (
    select distinct disclosures.disclosure_key, reached.fact
    from reached
    inner join disclosures
        on reached.document_key = disclosures.document_key
),

empty_disclosures as (
    select distinct disclosures.disclosure_key, printed_empty.family
    from printed_empty
    inner join disclosures
        on printed_empty.document_key = disclosures.document_key
),

coverage as (
    select
        disclosures.document_key,
        lead.template,
        lead.kind,
        document_facts.fact,
        reached_disclosures.fact is not null or empty_disclosures.family is not null as has_rows,
        document_facts.requirement = 'required'
        or (
            document_facts.requirement = 'required_with_projects'
            and budgets.project_expenditure_yuan is distinct from 0
        ) as demanded
    from disclosures
    inner join documents as lead
        on disclosures.lead_document_key = lead.document_key
    left join budgets
        on disclosures.lead_document_key = budgets.document_key
    left join document_facts
        on lead.template = document_facts.template
        and lead.kind = document_facts.kind
    left join reached_disclosures
        on disclosures.disclosure_key = reached_disclosures.disclosure_key
        and document_facts.fact = reached_disclosures.fact
    left join empty_disclosures
        on disclosures.disclosure_key = empty_disclosures.disclosure_key
        and document_facts.empty_table_family = empty_disclosures.family
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
