-- Template B raw records: internal offices, as parsed.
select * from {{ source('raw', 'internal_offices') }}
