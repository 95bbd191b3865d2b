{#- The column ids of the catalog of table kinds an amount may stand under (all but the row
    label `name`), read from its seed (seeds/catalog/table_columns, written from
    orchestration/parse/table_kinds.yaml): the models pivot amounts by them. A model calling
    this names `-- depends_on: {{ ref('table_columns') }}`. -#}
{% macro catalog_columns() %}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select column_id from {{ ref('table_columns') }} where column_id <> 'name'
        order by column_id
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()) }}
{% endmacro %}
