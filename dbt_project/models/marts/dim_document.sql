-- One row per document seen by the parser (parsed, unsupported or failed).
with documents as (
    select * from {{ ref('stg_documents') }}
),

departments as (
    select * from {{ ref('int_departments') }}
)

select
    documents.document_key,
    documents.source_name,
    documents.url,
    documents.sha256,
    documents.format,
    documents.template,
    documents.fiscal_year,
    departments.department_key,
    documents.level,
    documents.kind,
    documents.parser_version,
    documents.status,
    documents.status_reason
from documents
left join departments
    on documents.document_key = departments.document_key
