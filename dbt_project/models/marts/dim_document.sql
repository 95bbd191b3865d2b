-- One row per document version seen by the parser (parsed, unsupported or failed), with its validity.
with documents as (
    select * from {{ ref('stg_documents') }}
),

departments as (
    select * from {{ ref('int_departments') }}
),

versions as (
    select * from {{ ref('int_document_versions') }}
),

coverage as (
    select * from {{ ref('int_document_coverage') }}
),

disclosures as (
    select * from {{ ref('int_disclosures') }}
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
    documents.scope,
    documents.part,
    disclosures.disclosure_key,
    documents.parser_version,
    documents.status,
    documents.status_reason,
    documents.unresolved,
    documents.numbers_printed,
    documents.numbers_captured,
    round(documents.numbers_captured / nullif(documents.numbers_printed, 0), 4)
        as captured_share,
    -- a current parsed document: complete when it reached every fact its kind feeds, else
    -- partial, published with what it has (missing_facts names the rest); NULL otherwise
    case
        when coverage.document_key is null then null
        when coverage.missing_facts is null then 'complete'
        else 'partial'
    end as completeness,
    coverage.missing_facts,
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
left join coverage
    on documents.document_key = coverage.document_key
left join disclosures
    on documents.document_key = disclosures.document_key
