-- One row per document version seen by the parser (parsed, unsupported or failed), with its validity.
with documents as (
    select * from {{ ref('stg_documents') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

versions as (
    select * from {{ ref('int_document_versions') }}
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
    documents.status_reason,
    documents.numbers_printed,
    documents.numbers_captured,
    round(documents.numbers_captured / nullif(documents.numbers_printed, 0), 4)
        as captured_share,
    versions.valid_from,
    versions.valid_to,
    versions.is_current,
    versions.version_number,
    versions.supersedes_document_key
from documents
left join departments
    on documents.document_key = departments.document_key
left join versions
    on documents.document_key = versions.document_key
