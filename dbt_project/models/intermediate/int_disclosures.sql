-- The disclosure of each current parsed document: its department's fiscal year, level and
-- kind. A province may publish a disclosure's tables and its narrative as two files: both are
-- kept, and the lead (the whole, else the tables, else the narrative; the latest where two
-- tie) carries the disclosure's facts.
with documents as (
    select * from {{ ref('stg_documents') }}
    where status = 'parsed'
),

versions as (
    select * from {{ ref('int_document_versions') }}
    where is_current
),

departments as (
    select * from {{ ref('int_departments') }}
),

parts as (
    select
        documents.document_key,
        concat_ws('|', departments.department_key, documents.fiscal_year, documents.level,
            documents.kind) as disclosure_key,
        documents.part,
        row_number() over (
            partition by departments.department_key, documents.fiscal_year, documents.level,
                documents.kind
            order by
                case documents.part when 'whole' then 1 when 'tables' then 2 else 3 end,
                versions.valid_from desc,
                documents.document_key
        ) as part_rank
    from documents
    inner join versions
        on documents.document_key = versions.document_key
    inner join departments
        on documents.document_key = departments.document_key
)

select
    document_key,
    disclosure_key,
    part,
    cast(part_rank as integer) as part_rank,
    first_value(document_key) over (partition by disclosure_key order by part_rank)
        as lead_document_key
from parts
