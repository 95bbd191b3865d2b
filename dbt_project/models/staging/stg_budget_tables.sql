-- Raw records of the catalog's tables (budgets and final accounts): budget tables, as parsed.
select * from {{ source('raw', 'budget_tables') }}
