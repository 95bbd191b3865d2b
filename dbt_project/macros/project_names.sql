-- Project-name matching helpers (see int_project_names and int_project_clusters).

{#- A printed name without any whitespace (including full-width U+3000 and no-break spaces). -#}
{% macro strip_whitespace(name) -%}
    regexp_replace(coalesce({{ name }}, ''), '[\s\pZ]+', '', 'g')
{%- endmacro %}

{#- Words printed two ways for one thing, folded to one form: (variant, folded form), applied in
    this order after punctuation is removed. 资金 / 费用 / 经费 and 房租补 / 房补 are the common
    variants; the others are abbreviations that budget texts use interchangeably. -#}
{% macro fold_synonyms(name) -%}
    {%- set synonyms = [
        ('资金', '经费'),
        ('费用', '经费'),
        ('房租补', '房补'),
        ('综合事务管理', '综合事务'),
        ('维修改造', '维修'),
        ('运行维护', '运维'),
        ('生活补贴', '生活补助'),
        ('基本公共卫生服务', '基本公卫服务'),
        ('信息化', '信息'),
    ] -%}
    {%- set folded = namespace(sql=name) -%}
    {%- for variant, form in synonyms -%}
        {%- set folded.sql = "replace(" ~ folded.sql ~ ", '" ~ variant ~ "', '" ~ form ~ "')" -%}
    {%- endfor -%}
    {{ folded.sql }}
{%- endmacro %}

{#- What a name holds that tells allocations apart, in order: numbers (digits and Chinese numerals:
    第一批 / 第二批, 三化 / 四化, 2020 年 / 2021 年), the funding level (中央, 省级, 市级, 县级) and
    the vintage words 提前下达 and 结转. Names holding different markers are never fuzzy-matched. -#}
{% macro name_markers(name) -%}
    regexp_extract_all({{ name }}, '[0-9〇零一二三四五六七八九十百千两]+|中央|省级|市级|县级|提前下达|结转')
{%- endmacro %}

{#- A name re-spelt with one ASCII character per distinct character of `alphabet` (a sorted
    list of the characters of both names compared), so that levenshtein(), which counts bytes,
    counts Chinese characters. -#}
{% macro encode_chars(name, alphabet) -%}
    array_to_string(
        list_transform(string_split({{ name }}, ''), lambda c: chr(32 + list_position({{ alphabet }}, c))),
        '')
{%- endmacro %}
