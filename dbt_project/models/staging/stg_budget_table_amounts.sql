-- Template B raw records: budget table amounts, as parsed.
select * from {{ source('raw', 'budget_table_amounts') }}
