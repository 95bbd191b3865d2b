{# The columns every analyst table starts with: where, who, when, what kind (the model names
   its fact `facts` and `analyst_documents` `documents`). #}
{% macro analyst_labels(level='facts.level') -%}
    documents.province,
    documents.prefecture,
    documents.county,
    documents.department_name,
    documents.unit_name,
    facts.fiscal_year,
    documents.kind,
    {{ level }}
{%- endmacro %}
