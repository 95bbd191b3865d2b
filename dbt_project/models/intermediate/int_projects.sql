-- One row per printed project (performance table or project page) with its project_key, stable across years and name variants.
with names as (
    select * from {{ ref('int_project_names') }}
),

clusters as (
    select * from {{ ref('int_project_clusters') }}
)

select
    names.document_key,
    names.table_ordinal,
    names.printed_number,
    names.line_no,
    names.printed_as,
    names.fiscal_year,
    names.department_key,
    names.project_name,
    names.project_name_strict,
    names.project_name_normalised,
    names.match_basis,
    names.match_name,
    clusters.cluster_id,
    clusters.project_key
from names
inner join clusters
    on names.department_key = clusters.department_key
    and names.match_basis = clusters.match_basis
    and names.match_name = clusters.match_name
