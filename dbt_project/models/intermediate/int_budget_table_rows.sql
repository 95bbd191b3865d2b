-- depends_on: {{ ref('table_columns') }}
-- Rows of the catalog's tables (budgets and final accounts) with their amounts pivoted into
-- columns (元), one row per printed row, with the table's kind and family (the national table
-- it is, whatever the phase: seeds/catalog/table_kinds, from the catalog of table kinds) and
-- the unit the table prints in.
with table_rows as (
    select * from {{ ref('stg_budget_table_rows') }}
),

amounts as (
    select * from {{ ref('stg_budget_table_amounts') }}
),

tables as (
    select * from {{ ref('stg_budget_tables') }}
),

table_kinds as (
    select * from {{ ref('table_kinds') }}
),

-- one column per column id of the catalog (seeds/catalog/table_columns): <id>_yuan
pivoted as (
    select
        document_key,
        table_ordinal,
        row_ordinal,
        {%- for column in catalog_columns() %}
        max(amount_yuan) filter (where column_id = '{{ column }}') as {{ column }}_yuan,
        {%- endfor %}
        count(*) filter (where column_id is null) as amounts_without_column
    from amounts
    group by document_key, table_ordinal, row_ordinal
)

select
    table_rows.document_key,
    table_rows.table_ordinal,
    table_rows.row_ordinal,
    table_rows.table_kind,
    table_kinds.family as table_family,
    table_rows.side,
    table_rows.row_role,
    table_rows.row_item,
    table_rows.level as code_level,
    table_rows.function_code,
    table_rows.economic_code,
    table_rows.class_code,
    table_rows.item_code,
    table_rows.subitem_code,
    table_rows.code_source,
    table_rows.code_matches_name,
    table_rows.paired_code,
    table_rows.paired_name,
    table_rows.name,
    table_rows.line_no,
    table_rows.page,
    tables.unit_text,
    pivoted.* exclude (document_key, table_ordinal, row_ordinal)
from table_rows
left join tables
    on table_rows.document_key = tables.document_key
    and table_rows.table_ordinal = tables.table_ordinal
left join table_kinds
    on table_rows.table_kind = table_kinds.table_kind
left join pivoted
    on table_rows.document_key = pivoted.document_key
    and table_rows.table_ordinal = pivoted.table_ordinal
    and table_rows.row_ordinal = pivoted.row_ordinal
