-- Stated amounts pivoted to one row per document (元); the first statement of an item wins.
{%- set items = [
    'revenue_total', 'expenditure_total', 'basic_expenditure', 'project_expenditure',
    'operating_funds', 'three_public_total', 'outbound', 'vehicle_total', 'vehicle_purchase',
    'vehicle_operation', 'reception', 'meeting', 'training', 'three_public_change',
    'meeting_training_change', 'procurement_total', 'fixed_assets_total',
    'fixed_assets_planned_purchase'
] %}

with amounts as (
    select * from {{ ref('stg_stated_amounts') }}
)

select
    document_key,
    {%- for item in items %}
    cast(arg_min(amount_yuan, line_no) filter (where item = '{{ item }}') as decimal(18, 2))
        as {{ item }}_yuan{{ "," if not loop.last }}
    {%- endfor %}
from amounts
group by document_key
