-- Template B raw records: budget table rows, as parsed.
select * from {{ source('raw', 'budget_table_rows') }}
