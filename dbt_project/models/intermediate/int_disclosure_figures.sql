-- The headline figures (元) of each document version that carries facts (int_fact_documents):
-- two current files of one disclosure (its tables, its narrative) are one set of figures under
-- the disclosure's lead, each figure from the first of them that prints it.
with fact_documents as (
    select * from {{ ref('int_fact_documents') }}
),

document_figures as (
    select
        figures.*,
        fact_documents.fact_document_key,
        fact_documents.part_rank
    from {{ ref('int_budget_figures') }} as figures
    inner join fact_documents
        on figures.document_key = fact_documents.document_key
)

select
    fact_document_key as document_key,
    arg_min(
        columns(* exclude (document_key, fact_document_key, part_rank)),
        case
            when columns(* exclude (document_key, fact_document_key, part_rank)) is null
                then 1000
            else part_rank
        end
    ) as '\0'
from document_figures
group by fact_document_key
