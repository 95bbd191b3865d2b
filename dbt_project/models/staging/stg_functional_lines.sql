-- Template B raw records: functional lines, as parsed.
select * from {{ source('raw', 'functional_lines') }}
