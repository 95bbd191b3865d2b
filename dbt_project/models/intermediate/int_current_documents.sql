-- The current version of each parsed document, with its department, year, level and kind:
-- what the facts of current documents join to.
with versions as (
    select * from {{ ref('int_document_versions') }}
    where is_current
),

documents as (
    select * from {{ ref('stg_documents') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

disclosures as (
    select * from {{ ref('int_disclosures') }}
)

select
    documents.document_key,
    departments.department_key,
    documents.fiscal_year,
    documents.level,
    documents.kind,
    disclosures.disclosure_key,
    disclosures.part,
    disclosures.lead_document_key
from documents
inner join versions
    on documents.document_key = versions.document_key
left join departments
    on documents.document_key = departments.document_key
left join disclosures
    on documents.document_key = disclosures.document_key
