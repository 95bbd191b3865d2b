-- Figures printed in a parsed document that no record holds.
select * from {{ source('raw', 'uncaptured_numbers') }}
