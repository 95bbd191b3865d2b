-- Project identity across years: exact matches on the match name, then a conservative fuzzy link between years.
{%- set min_similarity = 0.85 %}
{%- set rounds = 3 %}

with recursive names as (
    select * from {{ ref('int_project_names') }}
),

-- step 1: within a department, every printing with the same match name is one project
exact as (
    select
        md5(concat_ws('|', department_key, match_basis, match_name)) as cluster_id,
        department_key,
        match_basis,
        match_name,
        bool_or(is_split) as is_split,
        min(fiscal_year) as first_year,
        max(fiscal_year) as last_year
    from names
    group by department_key, match_basis, match_name
),

-- step 2 candidates: a cluster that ends before another starts, in the same department,
-- neither marked split, both holding the same markers (numbers, 中央 / 省级 …, 提前下达, 结转),
-- their lengths close enough to reach the threshold (edits >= the difference in length)
candidates as (
    select
        earlier.cluster_id as earlier_id,
        later.cluster_id as later_id,
        earlier.match_name as earlier_name,
        later.match_name as later_name,
        later.first_year - earlier.last_year as year_gap,
        list_sort(list_distinct(string_split(earlier.match_name || later.match_name, '')))
            as alphabet
    from exact as earlier
    inner join exact as later
        on earlier.department_key = later.department_key
        and earlier.last_year < later.first_year
        and abs(length(earlier.match_name) - length(later.match_name))
            <= (1 - {{ min_similarity }}) * greatest(length(earlier.match_name), length(later.match_name))
    where not earlier.is_split
        and not later.is_split
        and {{ name_markers('earlier.match_name') }} = {{ name_markers('later.match_name') }}
),

-- similarity = 1 - (character edits) / (characters of the longer name), to 4 decimals
scored as (
    select
        *,
        round(1 - levenshtein(
            {{ encode_chars('earlier_name', 'alphabet') }},
            {{ encode_chars('later_name', 'alphabet') }}
        ) / greatest(length(earlier_name), length(later_name)), 4) as similarity
    from candidates
    where len(alphabet) <= 90
        and length(earlier_name) > 0
        and length(later_name) > 0
),

eligible as (
    select * from scored
    where similarity >= {{ min_similarity }}
),

-- greedy best match, in rounds: each round links the pairs that are each other's best
-- remaining candidate, so a cluster gets at most one earlier and one later cluster
links_0 as (
    select earlier_id, later_id from eligible where false
),
{%- for round in range(1, rounds + 1) %}

open_{{ round }} as (
    select
        *,
        row_number() over (
            partition by earlier_id order by similarity desc, year_gap, later_name
        ) as later_rank,
        row_number() over (
            partition by later_id order by similarity desc, year_gap, earlier_name
        ) as earlier_rank
    from eligible
    where earlier_id not in (select earlier_id from links_{{ round - 1 }})
        and later_id not in (select later_id from links_{{ round - 1 }})
),

links_{{ round }} as (
    select earlier_id, later_id from links_{{ round - 1 }}
    union all
    select earlier_id, later_id from open_{{ round }}
    where later_rank = 1 and earlier_rank = 1
),
{%- endfor %}

-- follow the links from each chain's first cluster: its id is the project key
chains as (
    select cluster_id, cluster_id as project_key
    from exact
    where cluster_id not in (select later_id from links_{{ rounds }})
    union all
    select links.later_id, chains.project_key
    from chains
    inner join links_{{ rounds }} as links
        on chains.cluster_id = links.earlier_id
)

select
    exact.cluster_id,
    exact.department_key,
    exact.match_basis,
    exact.match_name,
    exact.is_split,
    exact.first_year,
    exact.last_year,
    chains.project_key,
    links.earlier_id as linked_from_cluster_id,
    scored.similarity as linked_similarity
from exact
inner join chains
    on exact.cluster_id = chains.cluster_id
left join links_{{ rounds }} as links
    on exact.cluster_id = links.later_id
left join scored
    on links.earlier_id = scored.earlier_id
    and links.later_id = scored.later_id
