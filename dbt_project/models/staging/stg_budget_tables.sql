-- Template B raw records: budget tables, as parsed.
select * from {{ source('raw', 'budget_tables') }}
