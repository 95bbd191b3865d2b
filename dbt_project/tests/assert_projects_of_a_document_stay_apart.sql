-- Two differently matched projects printed in one document never share a project key.
select
    document_key,
    project_key,
    count(distinct cluster_id) as clusters
from {{ ref('int_projects') }}
group by document_key, project_key
having count(distinct cluster_id) > 1
