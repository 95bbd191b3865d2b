-- Template B raw records: project pages, as parsed.
select * from {{ source('raw', 'project_pages') }}
