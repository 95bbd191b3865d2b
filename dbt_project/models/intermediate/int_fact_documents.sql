-- Every version of a parsed document with the document its facts are kept under: a current
-- document's disclosure's lead (two files of one disclosure are one set of facts), else the
-- document itself.
with versions as (
    select * from {{ ref('int_document_versions') }}
),

disclosures as (
    select * from {{ ref('int_disclosures') }}
)

select
    versions.document_key,
    coalesce(disclosures.lead_document_key, versions.document_key) as fact_document_key,
    coalesce(disclosures.part_rank, 1) as part_rank
from versions
left join disclosures
    on versions.document_key = disclosures.document_key
