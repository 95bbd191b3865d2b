-- Raw records of the catalog's tables (budgets and final accounts): budget table amounts, as parsed.
select * from {{ source('raw', 'budget_table_amounts') }}
