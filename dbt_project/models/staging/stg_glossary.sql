-- Glossary terms (名词解释).
select
    document_key,
    line_no,
    page,
    ordinal,
    printed_number,
    term,
    definition
from {{ source('raw', 'glossary') }}
