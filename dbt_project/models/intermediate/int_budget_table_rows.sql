-- Template B table rows (budgets and final accounts) with their amounts pivoted into columns
-- (元), one row per printed row, and the unit the table prints in.
with table_rows as (
    select * from {{ ref('stg_budget_table_rows') }}
),

amounts as (
    select * from {{ ref('stg_budget_table_amounts') }}
),

tables as (
    select * from {{ ref('stg_budget_tables') }}
),

pivoted as (
    select
        document_key,
        table_ordinal,
        row_ordinal,
        {%- for column in [
            'total', 'basic', 'project', 'personnel', 'public_expense', 'amount',
            'three_public_total', 'outbound', 'reception', 'vehicle_total', 'vehicle_purchase',
            'vehicle_operation', 'operating_funds',
            'three_public_total_budget', 'outbound_budget', 'reception_budget',
            'vehicle_total_budget', 'vehicle_purchase_budget', 'vehicle_operation_budget',
            'paid_to_superior', 'operating_expenditure', 'affiliated_subsidy',
            'opening_balance', 'revenue', 'closing_balance'
        ] %}
        max(amount_yuan) filter (where column_key = '{{ column }}') as {{ column }}_yuan
        {{- "," if not loop.last }}
        {%- endfor %}
    from amounts
    group by document_key, table_ordinal, row_ordinal
)

select
    table_rows.document_key,
    table_rows.table_ordinal,
    table_rows.row_ordinal,
    table_rows.table_number,
    table_rows.side,
    table_rows.row_kind,
    table_rows.level as code_level,
    table_rows.function_code,
    table_rows.economic_code,
    table_rows.class_code,
    table_rows.item_code,
    table_rows.subitem_code,
    table_rows.name,
    table_rows.line_no,
    table_rows.page,
    tables.unit_text,
    pivoted.* exclude (document_key, table_ordinal, row_ordinal)
from table_rows
left join tables
    on table_rows.document_key = tables.document_key
    and table_rows.table_ordinal = tables.table_ordinal
left join pivoted
    on table_rows.document_key = pivoted.document_key
    and table_rows.table_ordinal = pivoted.table_ordinal
    and table_rows.row_ordinal = pivoted.row_ordinal
