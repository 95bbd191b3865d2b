-- Template B raw records: stated counts, as parsed.
select * from {{ source('raw', 'stated_counts') }}
