-- Raw records of the catalog's tables (budgets and final accounts): budget table rows, as parsed.
select * from {{ source('raw', 'budget_table_rows') }}
